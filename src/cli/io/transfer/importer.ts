import { ClientError } from '../../../client/errors.js'
import { describeClientError } from '../../errors.js'
import { ImportPosition } from './position.js'
import type { SourceRow } from './source-row.js'

/** Why one row was not written. */
export interface Reject {
  row: number
  /** The server's code (`data/validation-error`), or `import/invalid-row` when the row could not be read or converted. */
  code: string
  message: string
}

export interface ImportCounts {
  read: number
  written: number
  rejected: number
}

export interface ImportOptions {
  /** Rows in flight at most (requests, when each row is one POST). */
  concurrency: number
  /** Writes one record; a `ClientError` with a row-level status rejects the row, anything else stops the import. */
  insert(record: Record<string, unknown>): Promise<unknown>
  /** Every rejected row, with its record when there was one (for a rejects file). */
  onReject(reject: Reject, record: Record<string, unknown> | undefined): void | Promise<void>
  /** Waits between rate-limited attempts (tests shorten it). */
  sleep?: (ms: number) => Promise<void>
  /** Once aborted (Ctrl+C), no further row is read; requests in flight still finish, so every row read settles. */
  stop?: AbortSignal
  /** Follows which rows have settled, for resuming a stopped import. */
  position?: ImportPosition
}

/** Statuses that condemn one row but say nothing about the next: invalid, duplicate, too large. */
const ROW_LEVEL = new Set([400, 409, 413])
/** Rate-limited attempts per row before the import gives up (a window is a minute on bkend). */
const RATE_LIMIT_ATTEMPTS = 5

/**
 * One insert, retried while the server answers 429: after its `Retry-After`, else after 1, 2, 4… seconds. A key's
 * per-minute budget then paces a large import instead of ending it.
 */
async function insertPaced(insert: ImportOptions['insert'], record: Record<string, unknown>, sleep: (ms: number) => Promise<void>): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await insert(record)
      return
    } catch (error) {
      if (!(error instanceof ClientError && error.status === 429) || attempt >= RATE_LIMIT_ATTEMPTS) throw error
      await sleep(1000 * (error.retryAfter ?? 2 ** (attempt - 1)))
    }
  }
}

/**
 * Sends rows one `insert` each (a POST, or a place in the next bulk request) with at most `concurrency` rows in
 * flight. The source is pulled only when a slot frees up, so a file of any size streams through in constant memory.
 * A failure that is not about the row (bad key, missing table, server down) stops reading, lets requests in flight
 * settle, and throws; `stop` ends reading the same way without an error.
 */
export async function importRows(rows: AsyncIterable<SourceRow>, options: ImportOptions, counts: ImportCounts = { read: 0, written: 0, rejected: 0 }): Promise<ImportCounts> {
  const inFlight = new Set<Promise<void>>()
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)))
  const position = options.position ?? new ImportPosition()
  let fatal: unknown
  const reject = async (reject: Reject, record?: Record<string, unknown>) => {
    counts.rejected++
    await options.onReject(reject, record)
  }

  try {
    for await (const row of rows) {
      if (fatal || options.stop?.aborted) break
      counts.read++
      position.read(row.row)
      if (!row.record) {
        await reject({ row: row.row, code: 'import/invalid-row', message: row.error ?? 'unreadable' })
        position.settled(row.row)
        continue
      }
      const record = row.record
      const request: Promise<void> = insertPaced(options.insert, record, sleep).then(
        () => {
          counts.written++
          position.settled(row.row)
        },
        async (error: unknown) => {
          if (!(error instanceof ClientError && ROW_LEVEL.has(error.status))) {
            fatal ??= error
            return
          }
          await reject({ row: row.row, code: error.code, message: describeClientError(error) }, record)
          position.settled(row.row)
        },
      )
      const tracked = request.finally(() => inFlight.delete(tracked))
      inFlight.add(tracked)
      if (inFlight.size >= options.concurrency) await Promise.race(inFlight)
    }
  } finally {
    // a file that turns out malformed half-way still lets the rows already sent settle before the error surfaces
    await Promise.all(inFlight)
  }
  if (fatal) throw fatal
  return counts
}
