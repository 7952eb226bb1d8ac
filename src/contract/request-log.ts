/**
 * The emulator's request log on the wire: one event per request, as `bkend dev --json` prints it, the
 * `/_emulator/logs` stream sends it and the dashboard shows it. Types only. No event ever holds a secret: keys by
 * name and prefix, users by id, no tokens, no passwords, and bodies only when asked for, with secrets redacted.
 */

/** Who made a request, as far as the emulator could tell before it answered. */
export type Who =
  | { kind: 'guest' }
  /** A publishable or secret key (by name and its first characters), with the user of a JWT sent along it. */
  | { kind: 'key'; keyType: 'publishable' | 'secret'; keyName: string; keyPrefix: string; userId?: string; role?: string }
  /** A tenant token (management: MCP, controls) and the OAuth client it was issued to. */
  | { kind: 'tenant'; tenantId: string; clientId?: string }
  /** A credential was presented but not accepted (what kind it looked like, never its value). */
  | { kind: 'rejected'; presented: 'api-key' | 'bearer' | 'tenant-token' | 'unknown' }
  /** Nothing to tell: health checks, pages, storage URLs. */
  | { kind: 'none' }

/** Which check decided a refusal (or filtered rows out of a list). */
export type DenialCheck =
  | 'credential' // missing, malformed, expired, revoked or wrong kind of credential
  | 'key-scope' // the API key's scopes do not cover table:operation
  | 'role' // the caller's group lacks the permission
  | 'self' // the `self` condition did not hold (not the record's creator)
  | 'expression' // an expression permission evaluated false
  | 'column' // a column rule hid or refused a field
  | 'row-filter' // a row filter removed records from a list
  | 'system-table' // system tables refuse this operation
  | 'cloud-only' // refused because cloud-parity mode hides an emulator extension
  | 'rate-limit'
  | 'origin' // CORS allowlist or Host check
  | 'other'

/**
 * Why a request was refused or filtered, as the one permission evaluator decided it: the check, a sentence for
 * people, and the values the decision was made with (the expression and its evaluated inputs, the group and the
 * permission map entry, the missing scope…), never secrets.
 */
export interface Denial {
  check: DenialCheck
  message: string
  /** e.g. { table, operation, group, permission, expression, values, field, scope, filteredOut } */
  details?: Record<string, unknown>
}

/** An injected fault that shaped this answer. */
export interface AppliedFault {
  /** The rule that matched: its id and pattern, or `global` for the `bkend dev` flags. */
  rule: string
  latencyMs?: number
  failed?: boolean
}

export interface RequestEvent {
  event: 'request'
  /** ISO time the request arrived. */
  time: string
  /** Also sent as the `X-Request-Id` response header. */
  id: string
  method: string
  /** The path with its query string; secret-bearing query values redacted. */
  path: string
  status: number
  durationMs: number
  /** The environment the request acted in, when a key or tool named one. */
  environment?: string
  project?: string
  who: Who
  /** The error code of a refusal (`auth/unauthorized`, …). */
  code?: string
  /** Why: every 401 and 403, and lists that row filters or permissions narrowed. */
  denial?: Denial
  fault?: AppliedFault
  /** Only with `--log-bodies`; secrets (passwords, tokens, keys) replaced by "[redacted]". */
  requestBody?: unknown
  responseBody?: unknown
}

/** What a `/_emulator/logs` stream sends when a reader fell behind and the ring moved past it. */
export interface MissedEvent {
  event: 'missed'
  count: number
}

/** The request log control: recent events (`{ items }`), or with `?follow=1` an NDJSON stream of them. */
export const LOGS_PATH = '/_emulator/logs'

/** `GET /_emulator/logs`: the most recent matching events, oldest first. */
export interface LogList {
  items: RequestEvent[]
}
