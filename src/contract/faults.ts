/**
 * Injected faults (`bkend dev --latency/--fail-rate`, `/_emulator/faults`, `bkend dev chaos`): rules that slow or
 * fail matching requests so an app can be tried against a slow or failing backend. Never applied under
 * `/_emulator/` (controls, health, pages, storage URLs) nor to the OAuth consent page.
 */

export const FAULTS_PATH = '/_emulator/faults'

/** The statuses a failure may answer with; 503 unless chosen. 429 carries `Retry-After`. */
export const FAULT_STATUSES = [500, 502, 503, 504, 429] as const
export type FaultStatus = (typeof FAULT_STATUSES)[number]

/** `error` answers with the error envelope; `timeout` holds the request, then closes its connection without an answer. */
export type FaultMode = 'error' | 'timeout'

/** How long a `timeout` failure holds its request when its rule names no latency. */
export const FAULT_TIMEOUT_HOLD_MS = 20_000

/** The rule id of the `bkend dev --latency/--fail-rate` flags. */
export const GLOBAL_FAULT_RULE = 'global'

/** `POST /_emulator/faults`: one rule. Everything is optional but a rule must inject something. */
export interface FaultRuleInput {
  /** A path pattern, `*` matching any characters (`/v1/data/*`); default `*`, every path faults apply to. */
  path?: string
  /** GET, POST, PUT, PATCH or DELETE; default any method. */
  method?: string
  /** Added before the real handler: milliseconds, or a range drawn uniformly (`200-800`). */
  latency?: string | number
  /** Share of matching requests that fail, 0..1; default 1 when `status` or `mode` is given, else 0. */
  failRate?: number
  status?: FaultStatus
  mode?: FaultMode
  /** Removed after shaping this many requests. */
  times?: number
  /** Removed this many seconds after it was added. */
  forSeconds?: number
  /** Makes the random draws repeatable: the same seed gives the same sequence of failures and latencies. */
  seed?: number
}

/** A rule as `GET /_emulator/faults` lists it. */
export interface FaultRule {
  /** `global` for the `bkend dev` flags. */
  id: string
  path: string
  /** Absent: any method. */
  method?: string
  latencyMs?: { min: number; max: number }
  failRate: number
  status: FaultStatus
  mode: FaultMode
  /** Requests it may still shape, when added with `times`. */
  remaining?: number
  expiresAt?: string
  seed?: number
  /** Requests it has shaped so far. */
  applied: number
}

/** `GET /_emulator/faults`: the rules in the order they are tried (oldest first, `global` last); the first that matches applies. */
export interface FaultList {
  items: FaultRule[]
}

/** `DELETE /_emulator/faults` and `DELETE /_emulator/faults/:id`. */
export interface FaultsRemoved {
  removed: number
}
