import { Flags } from '@oclif/core'
import { DEFAULT_DATA_DIR, DEFAULT_HOST, DEFAULT_PORT } from '../contract/emulator.js'
import { PASSWORD_HASH_COSTS, type PasswordHashCost } from '../emulator/core/auth/passwords.js'
import type { Logger } from '../emulator/logger.js'
import { createEmulator, DataDirLockedError, REQUESTS_PER_MINUTE, SnapshotError, type Emulator, type EmulatorOptions } from '../emulator/server.js'
import { devFaults, faultFlags } from './dev-faults.js'
import { CliError } from './errors.js'

/** The flags of an emulator the CLI starts in its own process: `bkend dev` and `bkend dev exec`. */
export const emulatorFlags = {
  port: Flags.integer({ description: 'port to listen on (0 picks a free one)', default: DEFAULT_PORT, min: 0, max: 65535, env: 'BKEND_PORT' }),
  host: Flags.string({ description: 'interface to bind; keep 127.0.0.1 unless you know why', default: DEFAULT_HOST, env: 'BKEND_HOST' }),
  'data-dir': Flags.string({ description: `where the emulator keeps its files (default: the dataDir of the nearest bkend.json, else ./${DEFAULT_DATA_DIR})`, env: 'BKEND_DATA_DIR' }),
  fsync: Flags.string({ description: 'when writes reach the disk: once a second, or before every acknowledgement', options: ['everysec', 'always'], default: 'everysec', env: 'BKEND_FSYNC' }),
  'public-url': Flags.string({ description: 'base of signed and public storage URLs, for clients that reach the emulator by another name (a phone, a container); default: the emulator origin', env: 'BKEND_PUBLIC_URL' }),
  'max-file-size': Flags.integer({ description: 'largest file storage accepts, in bytes (default 5 GiB)', min: 0, env: 'BKEND_MAX_FILE_SIZE' }),
  'rate-limits': Flags.boolean({ description: 'enforce the rate limits the cloud applies: requests per API key (429), password sign-in lockout, auth e-mails per address', env: 'BKEND_RATE_LIMITS' }),
  cors: Flags.string({ description: "CORS on /v1: a project's allowed origins once it lists any (project), or every origin (any)", options: ['project', 'any'], default: 'project', env: 'BKEND_CORS' }),
  'oauth-auto-approve': Flags.boolean({ description: 'grant MCP OAuth requests without showing the consent page (CI, scripted MCP clients)', env: 'BKEND_OAUTH_AUTO_APPROVE' }),
  'cloud-parity': Flags.boolean({ description: 'hide and refuse what the hosted service does not document (emulator-only MCP tools, pages, fields and syntax)', env: 'BKEND_CLOUD_PARITY' }),
  'password-hash': Flags.string({ description: 'cost of new end-user password hashes: local (scrypt N=2^6, fast sign-ups) or production (scrypt N=2^17, for real passwords); existing hashes verify at their own cost', options: [...PASSWORD_HASH_COSTS], default: 'local', env: 'BKEND_PASSWORD_HASH' }),
  ...faultFlags,
}

export interface EmulatorFlagValues {
  port: number
  host: string
  fsync: string
  'public-url'?: string
  'max-file-size'?: number
  'rate-limits': boolean
  cors: string
  'oauth-auto-approve': boolean
  'cloud-parity': boolean
  'password-hash': string
  latency?: string
  'fail-rate'?: string
  'fault-seed'?: number
}

/** How a start differs from a plain one: from a snapshot, or with work done before it counts as ready. */
export interface StartExtras {
  snapshot?: EmulatorOptions['snapshot']
  beforeReady?: EmulatorOptions['beforeReady']
  requestLog?: EmulatorOptions['requestLog']
}

/** Starts the emulator the flags describe on `dataDir`; a failure to start is a CliError saying what to do. */
export async function startEmulator(flags: EmulatorFlagValues, dataDir: string, logger: Logger, { snapshot, beforeReady, requestLog }: StartExtras = {}): Promise<Emulator> {
  const faults = devFaults(flags)
  try {
    return await createEmulator({
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
      passwordHash: flags['password-hash'] as PasswordHashCost,
      cors: flags.cors as 'project' | 'any',
      snapshot,
      beforeReady,
      requestLog,
      faults,
    })
  } catch (error) {
    throw startError(error, flags.host, flags.port, snapshot)
  }
}

/** Why the emulator could not start, as a CliError with a code (the hint table says what to do); others pass through. */
function startError(error: unknown, host: string, port: number, snapshot: { dataDir: string; name: string } | undefined): unknown {
  if (error instanceof SnapshotError && snapshot) {
    if (error.kind === 'invalid-name') return new CliError(`--snapshot: ${error.message}`, undefined, 2, 'cli/usage')
    return new CliError(`no snapshot "${snapshot.name}" in ${snapshot.dataDir}`, `save one there with 'bkend dev snapshot save ${snapshot.name}' while bkend dev runs on it, list them with 'bkend dev snapshot list', or pass --data-dir <the data dir that holds it>`, 1, 'emulator/snapshot-not-found')
  }
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
