import { Flags } from '@oclif/core'
import { stat } from 'node:fs/promises'
import { BaseCommand } from '../../cli/base-command.js'
import { showDevDashboard } from '../../cli/dev-dashboard.js'
import { devDataDir } from '../../cli/data-dir.js'
import { faultsReadyLine } from '../../cli/dev-faults.js'
import { CliError } from '../../cli/errors.js'
import { emulatorFlags, startEmulator } from '../../cli/emulator-start.js'
import { configDirFlag, findConfigLayout } from '../../cli/project-config.js'
import { configEventLines, destructivePush, watchConfig, type ConfigEvent } from '../../cli/config-watch.js'
import { appliedEvent, appliedLines, freshStart } from '../../cli/project-files.js'
import type { ConfigLayout } from '../../config/layout.js'
import type { ReadyEvent } from '../../contract/emulator.js'
import type { Logger } from '../../emulator/logger.js'
import { openLogFile, startRequestOutput } from '../../cli/dev-request-output.js'
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

On a fresh data dir (one that holds no databases yet) the project's config folder (bkend/ beside bkend.json, or
--dir; docs/config.md) is pushed to the emulator in one transaction and its seed folder loaded, before the emulator
counts as ready; later starts leave the data as it is (run \`bkend push\` and \`bkend seed\` for that). An invalid
config file stops the start with the data dir untouched.

--watch watches the config folder while the emulator runs: a save is planned against the emulator's live state, its
non-destructive steps are applied in one transaction and logged (one line per step, {"event":"config",
"status":"applied","step","kind"} with --json), and destructive ones (dropping a table or a field, a type change,
deleting a provider) are refused with the push to run ("status":"refused","command"). An invalid file is reported
with its path ("status":"invalid","problems") and nothing is applied; the emulator keeps its last good state.

On a terminal it shows a live dashboard: the URLs and keys, then the requests as they come (with the reason of
each refusal), counts per status class and the latest captured e-mails; press ? for its keys (filter, pause, clear,
open the latest e-mail, reset an environment, quit). Piped, it prints the ready text.

With --json the first line is the ready event, a contract scripts can rely on: {"event":"ready","url","mcpUrl",
"organizationId","projectId","environments":[{"id","name","publishableKey","secretKey"}],"tenantToken","cloudParity",
"consoleUrl"} (consoleUrl: a one-time console sign-in URL, 10 minutes); then, after a
fresh start, {"event":"config","status":"applied","dir","steps"} and {"event":"seed","created","rejected","lines"};
one {"event":"request",…} line per request (the request log, docs/emulator.md), {"event":"log",…} lines for the
emulator's own messages, and {"event":"stopped"} after a clean shutdown. Without --json, each request is one plain
line. Secrets never appear in the log; --log-bodies adds bodies with secret fields redacted, --log-file appends the
log to a file as NDJSON. bkend dev logs reads it from another terminal.

Ctrl+C (SIGINT) or SIGTERM finishes the requests in flight (cutting any still open after 5 s), writes a compact
snapshot and releases the data directory; a second Ctrl+C exits at once. A second emulator on the same data
directory, or a port that is taken, stops with a message saying what to do and exit code 1.

--cloud-parity switches off what the hosted service does not document, so what passes locally passes in
production: the emulator-only MCP tools are neither listed nor callable, the emulator's own pages (the invitation
page) answer 404, JSON must be sent as application/json, and custom role names and the API's extension fields
and syntax are refused or left out. The /_emulator controls the CLI uses, signed storage URLs and the fake
identity providers stay on. The ready event and runtime.json carry "cloudParity".

--latency and --fail-rate inject faults into every API request (never the /_emulator controls, health or pages), so
an app can be tried against a slow or failing backend; --fault-seed makes the draws repeatable. The ready event and
runtime.json then carry "faults", and bkend dev chaos adds per-route rules or clears them without a restart.`

  static override examples = [
    '<%= config.bin %> dev',
    '<%= config.bin %> dev --port 4200 --data-dir ./tmp/bkend',
    '<%= config.bin %> dev --json --port 0',
    '<%= config.bin %> dev --fsync always',
    '<%= config.bin %> dev --host 0.0.0.0 --public-url http://192.168.1.20:4100',
    '<%= config.bin %> dev --cloud-parity',
    '<%= config.bin %> dev --watch',
    '<%= config.bin %> dev --json --log-file ./bkend-requests.ndjson',
    '<%= config.bin %> dev --latency 200-800 --fail-rate 0.1',
  ]

  static override flags = {
    ...emulatorFlags,
    dir: configDirFlag,
    watch: Flags.boolean({ description: 'apply config changes on save: non-destructive steps applied and logged, destructive ones left to bkend push --allow-destructive' }),
    json: Flags.boolean({ description: 'print one JSON line per event on stdout; the first is the ready event' }),
    'log-bodies': Flags.boolean({ description: 'add request and response JSON bodies to the request log, every secret-named field redacted', env: 'BKEND_LOG_BODIES' }),
    'log-file': Flags.string({ description: 'also append the request log to this file as NDJSON (mode 0600)', env: 'BKEND_LOG_FILE' }),
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

    const layout = flags.watch ? await watchedLayout(flags.dir) : undefined
    const logFile = flags['log-file'] === undefined ? undefined : await openLogFile(flags['log-file'])
    const fresh = await freshStart(dataDir, { configDir: flags.dir, version: this.config.version, strictSeed: false, temporary: false })
    const emulator = await startEmulator(flags, dataDir, logger, { beforeReady: fresh.beforeReady, requestLog: { bodies: flags['log-bodies'] } })

    let dashboard: DashboardHandle | undefined
    // Set once the ready line is out (request lines follow it); a stop before then has none to finish.
    const output: { requests?: { stop(): Promise<void> } } = {}
    const onEvent = (event: ConfigEvent) => (flags.json ? emit(event) : configEventLines(event).forEach((line) => process.stderr.write(`${line}\n`)))
    // The watcher and the signal handlers are in place before the ready line: a save or a SIGTERM sent the moment a
    // script reads it must be seen (a signal before the handlers would kill the process without a clean stop).
    const watcher = layout && watchConfig({ ready: emulator.ready, dataDir, layout, version: this.config.version, pushCommand: destructivePush(flags.dir, flags['data-dir']), onEvent })
    const stopped = new Promise<void>((done) => {
      let stopping = false
      // note: the handlers stay registered while stopping. ink's signal-exit re-raises a signal it sees no other
      // listener for, which would kill the process mid-stop; a second signal is ours to answer: exit at once.
      const stop = (signal: string) => {
        if (stopping) return process.exit(signal === 'SIGINT' ? 130 : 143)
        stopping = true
        dashboard?.close()
        dashboardNote = undefined
        if (!flags.json) process.stderr.write(`${signal}: stopping (finishing requests, saving data)…\n`)
        const finished = (async () => {
          await watcher?.close()
          await emulator.stop()
          await output.requests?.stop()
        })()
        finished.then(
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

    if (flags.json) emit(emulator.ready)
    else if (process.stdout.isTTY) {
      // q in the dashboard stops exactly as Ctrl+C does; its own messages go above the live part
      dashboard = await showDevDashboard(emulator, { ...readyProps(emulator.ready), dataDir }, () => process.kill(process.pid, 'SIGINT'))
      dashboardNote = dashboard.note
    } else this.printPlain(emulator.ready, dataDir)
    const applied = fresh.applied()
    if (applied && flags.json) for (const event of appliedEvent(applied)) emit(event)
    else if (applied) for (const line of appliedLines(applied)) process.stderr.write(`${line}\n`)
    output.requests = startRequestOutput(emulator.core.requestLog, { json: flags.json, logFile, logger, dashboard: dashboard !== undefined })
    await stopped
  }

  private printPlain(ready: ReadyEvent, dataDir: string): void {
    const env = ready.environments[0]!
    const lines = [
      `bkend dev is ready on ${ready.url}`,
      `  REST API         ${ready.url}/v1`,
      `  MCP              ${ready.mcpUrl}`,
      `  console          ${ready.consoleUrl} (signs you in once; later: bkend open)`,
      ...(ready.cloudParity ? [`  mode             ${PARITY_LINE}`] : []),
      ...(ready.faults ? [`  faults           ${faultsReadyLine(ready.faults)}`] : []),
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

/** The config folder --watch watches; it must exist before the emulator starts. */
async function watchedLayout(dir: string | undefined): Promise<ConfigLayout> {
  const layout = await findConfigLayout(dir)
  const found = await stat(layout.dir).then((s) => s.isDirectory(), () => false)
  if (!found) throw new CliError(`--watch: there is no config folder at ${layout.dir}`, "write one with 'bkend pull' (or create it), or pass --dir <config folder>", 1, 'config/no-folder')
  return layout
}

function readyProps(ready: ReadyEvent) {
  return { url: ready.url, mcpUrl: ready.mcpUrl, consoleUrl: ready.consoleUrl, organizationId: ready.organizationId, projectId: ready.projectId, environment: ready.environments[0]!, tenantToken: ready.tenantToken, mode: ready.cloudParity ? PARITY_LINE : undefined, faults: faultsReadyLine(ready.faults) }
}
