/** The contract between `bkend dev` and its callers: the `--json` ready line and `<data-dir>/runtime.json`. */

export interface SeededEnvironment {
  id: string
  name: string
  publishableKey: string
  secretKey: string
}

/** First line `bkend dev --json` prints. Tests and CI tools rely on its exact fields. */
export interface ReadyEvent {
  event: 'ready'
  url: string
  mcpUrl: string
  organizationId: string
  projectId: string
  environments: SeededEnvironment[]
  tenantToken: string
  /** `bkend dev --cloud-parity`: the extensions the hosted service lacks are off (README-D12). */
  cloudParity: boolean
}

/** `<data-dir>/runtime.json` (mode 0600): how the CLI in the same directory finds the running emulator. */
export interface RuntimeFile {
  version: 1
  pid: number
  url: string
  mcpUrl: string
  startedAt: string
  organizationId: string
  projectId: string
  environments: SeededEnvironment[]
  tenantToken: string
  cloudParity: boolean
}

export interface HealthResponse {
  /** `degraded` while the data directory refuses writes (they are answered 507 or 503 and not kept). */
  status: 'ok' | 'degraded'
  /** The last disk write: `full` (out of space), `error` (refused otherwise), `ok`; it clears when one succeeds. */
  storage: 'ok' | 'full' | 'error'
  version: string
  origin: string
  startedAt: string
}

export const RUNTIME_FILE = 'runtime.json'
export const DEFAULT_PORT = 4100
export const DEFAULT_HOST = '127.0.0.1'
export const DEFAULT_DATA_DIR = '.bkend'

/** `GET`/`POST /_emulator/clock`: the emulator's now and its shift from real time. */
export interface ClockState {
  now: string
  offsetSeconds: number
}

/** `POST /_emulator/keys/lookup` `{ key }` (extension): the project and environment an API key belongs to. */
export interface KeyLookup {
  projectId: string
  projectSlug: string
  environmentId: string
  environment: string
  type: 'publishable' | 'secret'
  status: 'active' | 'revoked' | 'expired'
}

export const KEY_LOOKUP_PATH = '/_emulator/keys/lookup'
