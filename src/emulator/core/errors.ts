import type { Denial } from '../../contract/request-log.js'
import { StoreWriteError } from '../store/store.js'

/**
 * What went wrong, independent of transport. HTTP maps a kind to a status, MCP to an upper-case tool error code.
 */
export type ErrorKind =
  | 'invalid' // 400
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'not-found' // 404
  | 'conflict' // 409
  | 'gone' // 410
  | 'too-large' // 413
  | 'rate-limited' // 429
  | 'internal' // 500
  | 'unavailable' // 503
  | 'storage-full' // 507

export interface ErrorDetail {
  field: string
  rule: string
  message: string
}

/** The one error type of the domain core: a spec code (`data/not-found`), a kind, and a message for people. */
export class DomainError extends Error {
  /** For a refusal: which check decided and with what values, as the request log explains it. */
  denial?: Denial

  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    readonly details?: ErrorDetail[],
    /** For a 429: seconds until a retry can succeed, sent as `Retry-After` (RA-D26). */
    readonly retryAfterSeconds?: number,
  ) {
    // An expected outcome (a 4xx) carries no stack trace: nothing shows it (envelopes never do, only internal errors
    // are logged), and capturing one through fastify's deep call stack cost a third of a cheap request.
    const limit = Error.stackTraceLimit
    if (kind !== 'internal' && kind !== 'unavailable') Error.stackTraceLimit = 0
    super(message)
    Error.stackTraceLimit = limit
    this.name = 'DomainError'
  }
}

export const invalid = (code: string, message: string, details?: ErrorDetail[]) => new DomainError(code, 'invalid', message, details)
export const unauthorized = (code: string, message: string) => new DomainError(code, 'unauthorized', message)
export const forbidden = (code: string, message: string) => new DomainError(code, 'forbidden', message)
export const notFound = (code: string, message: string) => new DomainError(code, 'not-found', message)
export const rateLimited = (code: string, message: string, retryAfterSeconds: number) => new DomainError(code, 'rate-limited', message, undefined, Math.max(1, Math.ceil(retryAfterSeconds)))
export const conflict = (code: string, message: string) => new DomainError(code, 'conflict', message)

/** A refusal that says which check decided it (`denial` is what the request log explains). */
export function refused(kind: 'unauthorized' | 'forbidden', code: string, message: string, denial: Omit<Denial, 'message'> & { message?: string }): DomainError {
  const error = new DomainError(code, kind, message)
  error.denial = { check: denial.check, message: denial.message ?? message, ...(denial.details ? { details: denial.details } : {}) }
  return error
}

/**
 * A write the disk refused, as clients see it: the data directory's disk is full (507, worth retrying once space
 * is freed) or refuses writes for another reason (503). Nothing of the refused write was kept. Null for any
 * other error.
 */
export function fromStoreFailure(error: unknown): DomainError | null {
  if (!(error instanceof StoreWriteError)) return null
  return error.full
    ? new DomainError('common/storage-full', 'storage-full', 'The disk of the emulator data directory is full; nothing was saved. Free disk space and retry')
    : new DomainError('common/storage-unavailable', 'unavailable', `The emulator could not write to its data directory (${error.code}); nothing was saved. Check its permissions and disk, then retry`)
}
