import { RestError } from '../../../client/rest.js'
import { describeRestError } from '../rest-errors.js'
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
  /** Requests in flight at most. */
  concurrency: number
  /** Writes one record; a `RestError` with a row-level status rejects the row, anything else stops the import. */
  insert(record: Record<string, unknown>): Promise<unknown>
  /** Every rejected row, with its record when there was one (for a rejects file). */
  onReject(reject: Reject, record: Record<string, unknown> | undefined): void | Promise<void>
}

/** Statuses that condemn one row but say nothing about the next: invalid, duplicate, too large. */
const ROW_LEVEL = new Set([400, 409, 413])

/**
 * Sends rows one POST each (the API has no bulk endpoint) with at most `concurrency` in flight. The source is
 * pulled only when a slot frees up, so a file of any size streams through in constant memory. A failure that is
 * not about the row (bad key, missing table, server down) stops reading, lets requests in flight settle, and throws.
 */
export async function importRows(rows: AsyncIterable<SourceRow>, options: ImportOptions, counts: ImportCounts = { read: 0, written: 0, rejected: 0 }): Promise<ImportCounts> {
  const inFlight = new Set<Promise<void>>()
  let fatal: unknown
  const reject = async (reject: Reject, record?: Record<string, unknown>) => {
    counts.rejected++
    await options.onReject(reject, record)
  }

  try {
    for await (const row of rows) {
      if (fatal) break
      counts.read++
      if (!row.record) {
        await reject({ row: row.row, code: 'import/invalid-row', message: row.error ?? 'unreadable' })
        continue
      }
      const record = row.record
      const request: Promise<void> = options.insert(record).then(
        () => {
          counts.written++
        },
        async (error: unknown) => {
          if (error instanceof RestError && ROW_LEVEL.has(error.status)) await reject({ row: row.row, code: error.code, message: describeRestError(error) }, record)
          else fatal ??= error
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
