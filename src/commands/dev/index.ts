import { Flags } from '@oclif/core'
import { BaseCommand } from '../../cli/base-command.js'
import { showDevDashboard } from '../../cli/dev-dashboard.js'
import { devDataDir } from '../../cli/data-dir.js'
import { CliError } from '../../cli/errors.js'
import { DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORT, type ReadyEvent } from '../../contract/emulator.js'
import { createEmulator, DataDirLockedError, REQUESTS_PER_MINUTE, type Emulator } from '../../emulator/server.js'
import type { Logger } from '../../emulator/logger.js'
import type { DashboardHandle } from '../../ui/dev-dashboard.js'

/** How the banner and the plain ready text say that cloud-parity mode is on. */
const PARITY_LINE = 'cloud parity: only what the hosted service documents'

export default class Dev extends BaseCommand {
  static override summary = 'Start the local bkend emulator'
  static override description = `Serves the whole bkend surface on one origin: the REST API (/v1), the MCP server (/mcp) with its OAuth
authorization server, and emulator controls (/_emulator). Data lives in files under --data-dir and survives restarts
and crashes. The first start creates organization "local", project "local", environment "dev", a publishable and a
secret key, and a tenant token, and writes them to <data-dir>/runtime.json (mode 0600) for the CLI; later starts
reuse them.

On a terminal it shows a live dashboard: the URLs and keys, then the requests as they come (with the reason of
each refusal), counts per status class and the latest captured e-mails; press ? for its keys (filter, pause, clear,
open the latest e-mail, reset an environment, quit). Piped, it prints the ready text.

With --json the first line is the ready event, a contract scripts can rely on: {"event":"ready","url","mcpUrl",
"organizationId","projectId","environments":[{"id","name","publishableKey","secretKey"}],"tenantToken","cloudParity"}; then
{"event":"log",…} lines, and {"event":"stopped"} after a clean shutdown.

Ctrl+C (SIGINT) or SIGTERM finishes the requests in flight (cutting any still open after 5 s), writes a compact
snapshot and releases the data directory; a second Ctrl+C exits at once. A second emulator on the same data
directory, or a port that is taken, stops with a message saying what to do and exit code 1.

--cloud-parity switches off what the hosted service does not document, so what passes locally passes in
production: the emulator-only MCP tools are neither listed nor callable, the emulator's own pages (the invitation
page) answer 404, JSON must be sent as application/json, and custom role names and the API's extension fields
and syntax are refused or left out. The /_emulator controls the CLI uses, signed storage URLs and the fake
identity providers stay on. The ready event and runtime.json carry "cloudParity".`

  static override examples = [
    '<%= config.bin %> dev',
    '<%= config.bin %> dev --port 4200 --data-dir ./tmp/bkend',
    '<%= config.bin %> dev --json --port 0',
    '<%= config.bin %> dev --fsync always',
    '<%= config.bin %> dev --host 0.0.0.0 --public-url http://192.168.1.20:4100',
    '<%= config.bin %> dev --cloud-parity',
  ]

  static override flags = {
    port: Flags.integer({ description: 'port to listen on (0 picks a free one)', default: DEFAULT_PORT, min: 0, max: 65535, env: 'BKEND_PORT' }),
    host: Flags.string({ description: 'interface to bind; keep 127.0.0.1 unless you know why', default: DEFAULT_HOST, env: 'BKEND_HOST' }),
    'data-dir': Flags.string({ description: `where the emulator keeps its files (default: the dataDir of the nearest bkend.json, else ./${DEFAULT_DATA_DIR})`, env: 'BKEND_DATA_DIR' }),
    fsync: Flags.string({ description: 'when writes reach the disk: once a second, or before every acknowledgement', options: ['everysec', 'always'], default: 'everysec', env: 'BKEND_FSYNC' }),
    json: Flags.boolean({ description: 'print one JSON line per event on stdout; the first is the ready event' }),
    'public-url': Flags.string({ description: 'base of signed and public storage URLs, for clients that reach the emulator by another name (a phone, a container); default: the emulator origin', env: 'BKEND_PUBLIC_URL' }),
    'max-file-size': Flags.integer({ description: 'largest file storage accepts, in bytes (default 5 GiB)', min: 0, env: 'BKEND_MAX_FILE_SIZE' }),
    'rate-limits': Flags.boolean({ description: 'enforce the rate limits the cloud applies: requests per API key (429), password sign-in lockout, auth e-mails per address', env: 'BKEND_RATE_LIMITS' }),
    cors: Flags.string({ description: "CORS on /v1: a project's allowed origins once it lists any (project), or every origin (any)", options: ['project', 'any'], default: 'project', env: 'BKEND_CORS' }),
    'oauth-auto-approve': Flags.boolean({ description: 'grant MCP OAuth requests without showing the consent page (CI, scripted MCP clients)', env: 'BKEND_OAUTH_AUTO_APPROVE' }),
    'cloud-parity': Flags.boolean({ description: 'hide and refuse what the hosted service does not document (emulator-only MCP tools, pages, fields and syntax)', env: 'BKEND_CLOUD_PARITY' }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Dev)
    const dataDir = await devDataDir(flags['data-dir'])
    const emit = (event: object) => process.stdout.write(JSON.stringify(event) + '\n')
    let dashboardNote: ((line: string) => void) | undefined
    const say = (line: string) => (dashboardNote ? dashboardNote(line) : process.stderr.write(`${line}\n`))
    const logger: Logger = flags.json
      ? { info: (message) => emit({ event: 'log', level: 'info', message }), warn: (message) => emit({ event: 'log', level: 'warn', message }), error: (message) => emit({ event: 'log', level: 'error', message }) }
      : { info: (message) => say(message), warn: (message) => say(`warning: ${message}`), error: (message) => say(`error: ${message}`) }

    let emulator: Emulator
    try {
      emulator = await createEmulator({
        dataDir,
        host: flags.host,
        port: flags.port,
        fsync: flags.fsync as 'everysec' | 'always',
        logger,
        oauthAutoApprove: flags['oauth-auto-approve'],
        rateLimit: { enabled: flags['rate-limits'], limit: REQUESTS_PER_MINUTE },
        publicUrl: flags['public-url'] === undefined ? undefined : publicUrl(flags['public-url']),
        maxFileSize: flags['max-file-size'],
        cloudParity: flags['cloud-parity'],
        cors: flags.cors as 'project' | 'any',
      })
    } catch (error) {
      throw startError(error, flags.host, flags.port)
    }

    let dashboard: DashboardHandle | undefined
    if (flags.json) emit(emulator.ready)
    else if (process.stdout.isTTY) {
      // q in the dashboard stops exactly as Ctrl+C does; its own messages go above the live part
      dashboard = await showDevDashboard(emulator, { ...readyProps(emulator.ready), dataDir }, () => process.kill(process.pid, 'SIGINT'))
      dashboardNote = dashboard.note
    } else this.printPlain(emulator.ready, dataDir)

    await new Promise<void>((done) => {
      const stop = (signal: string) => {
        process.off('SIGINT', onInt)
        process.off('SIGTERM', onTerm)
        dashboard?.close()
        dashboardNote = undefined
        if (!flags.json) process.stderr.write(`${signal}: stopping (finishing requests, saving data)…\n`)
        emulator.stop().then(
          () => {
            if (flags.json) emit({ event: 'stopped' })
            done()
          },
          (error: Error) => {
            logger.error(`stop failed: ${error.message}`)
            process.exitCode = 1
            done()
          },
        )
      }
      const onInt = () => stop('SIGINT')
      const onTerm = () => stop('SIGTERM')
      process.on('SIGINT', onInt)
      process.on('SIGTERM', onTerm)
    })
  }

  private printPlain(ready: ReadyEvent, dataDir: string): void {
    const env = ready.environments[0]!
    const lines = [
      `bkend dev is ready on ${ready.url}`,
      `  REST API         ${ready.url}/v1`,
      `  MCP              ${ready.mcpUrl}`,
      ...(ready.cloudParity ? [`  mode             ${PARITY_LINE}`] : []),
      `  data dir         ${dataDir}`,
      `  organization     ${ready.organizationId}`,
      `  project          ${ready.projectId}`,
      `  environment      ${env.name} (${env.id})`,
      `  publishable key  ${env.publishableKey}`,
      `  secret key       ${env.secretKey}`,
      `  credentials      ${dataDir}/runtime.json`,
    ]
    this.log(lines.join('\n'))
  }
}

/** Why the emulator could not start, as a CliError with a code (the hint table says what to do); others pass through. */
function startError(error: unknown, host: string, port: number): unknown {
  if (error instanceof DataDirLockedError) return new CliError(`${error.message}.`, undefined, 1, 'emulator/data-dir-locked')
  const code = (error as NodeJS.ErrnoException).code
  const where = `${host}:${port}`
  if (code === 'EADDRINUSE') return new CliError(`port ${port} on ${host} is already in use.`, undefined, 1, 'emulator/port-in-use')
  if (code === 'EACCES') return new CliError(`not allowed to listen on ${where}.`, undefined, 1, 'emulator/port-denied')
  if (code === 'EADDRNOTAVAIL') return new CliError(`cannot listen on ${where}: ${host} is not an address of this machine.`, undefined, 1, 'emulator/address-unavailable')
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_FAIL') return new CliError(`cannot listen on ${where}: the host name ${host} does not resolve.`, undefined, 1, 'emulator/unknown-host')
  return error
}

/** An http(s) origin-like base without a trailing slash. */
function publicUrl(value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new CliError(`--public-url ${value} is not a URL.`, 'pass an absolute http(s) URL such as http://192.168.1.20:4100', 2, 'emulator/invalid-public-url')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`--public-url must use http or https, not ${url.protocol}`, 'pass an absolute http(s) URL such as http://192.168.1.20:4100', 2, 'emulator/invalid-public-url')
  return value.replace(/\/+$/, '')
}

function readyProps(ready: ReadyEvent) {
  return { url: ready.url, mcpUrl: ready.mcpUrl, organizationId: ready.organizationId, projectId: ready.projectId, environment: ready.environments[0]!, tenantToken: ready.tenantToken, mode: ready.cloudParity ? PARITY_LINE : undefined }
}
