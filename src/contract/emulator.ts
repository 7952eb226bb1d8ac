/** The contract between `bkend dev` and its callers: the `--json` ready line and `<data-dir>/runtime.json`. */

import type { FaultRule } from './faults.js'

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
  /** A one-time URL (10 minutes) that signs the first tenant in to the console. */
  consoleUrl: string
  /** Only when `bkend dev` started with `--latency` or `--fail-rate`: the global fault rule they made. */
  faults?: FaultRule
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
  /** As in the ready event: used once, then `bkend open` mints another. Absent in files of older versions. */
  consoleUrl?: string
  /** As in the ready event: the global fault rule `bkend dev` started with. */
  faults?: FaultRule
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

/** `POST /_emulator/console/signin-url` (tenant token), body `{ next? }`: a one-time console sign-in URL for the token's tenant. */
export const CONSOLE_SIGNIN_URL_PATH = '/_emulator/console/signin-url'

export interface ConsoleSignInUrl {
  url: string
  expiresAt: string
}

export const RESET_PATH = '/_emulator/reset'
export const SNAPSHOTS_PATH = '/_emulator/snapshots'

/** `POST /_emulator/reset`: which environment to empty; default the tenant's first project and its `dev`. */
export interface ResetRequest {
  /** Project id or slug. */
  project?: string
  /** Environment name or id. */
  environment?: string
}

/** What a reset removed: the environment keeps its tables, indexes, permissions, keys and settings. */
export interface ResetResponse {
  projectId: string
  environmentId: string
  environment: string
  removed: { records: number; users: number; files: number }
}

/** One saved snapshot of the whole emulator (every project and environment, file bytes included). */
export interface SnapshotSummary {
  name: string
  createdAt: string
  /** Bytes on disk. */
  size: number
  /** Totals over every environment at save time. */
  records: number
  users: number
  files: number
}

/** `GET /_emulator/snapshots`. */
export interface SnapshotList {
  items: SnapshotSummary[]
}
