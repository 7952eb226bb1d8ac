import { MAX_BULK_BYTES, MAX_BULK_RECORDS, type BulkInsertResponse } from '../contract/data-bulk.js'
import { ClientError } from './errors.js'
import type { DataApi } from './runtime.js'

/** Records per bulk request, and records in flight in all: a few requests at once keep the emulator busy. */
export const BULK_WRITES = { size: 500, inFlight: 1000 } as const

interface Waiting {
  record: unknown
  /** Its JSON, serialised once: to weigh the batch and to send it. */
  json: string
  /** Its JSON's bytes and the comma (or bracket) before it. */
  bytes: number
  resolve(id: string): void
  reject(error: unknown): void
}

/**
 * Turns single inserts into bulk requests: `insert(record)` is answered like one `POST` (the new id, or the
 * `ClientError` that POST would have thrown), while the records asked for in the same turn of the event loop travel
 * together, up to `size` per request and `maxBytes` of body. A caller keeping many inserts in flight (the import
 * pipeline) thus gets a few requests per thousand records and its per-row rejections unchanged. A record too large
 * for a request of its own goes alone, and is refused as its POST would be (413).
 */
export class BulkInserter {
  private waiting: Waiting[] = []
  private bytes = 0
  private scheduled = false

  constructor(
    /** Sends a batch: the records, and the JSON array of them. */
    private readonly send: (records: unknown[], json: string) => Promise<BulkInsertResponse>,
    private readonly size = MAX_BULK_RECORDS,
    private readonly maxBytes = MAX_BULK_BYTES,
  ) {}

  insert(record: unknown): Promise<string> {
    // note: wide records (CSV rows of many columns) would otherwise make a batch a 413 for all its records
    const json = JSON.stringify(record) ?? 'null'
    const bytes = Buffer.byteLength(json) + 1
    return new Promise((resolve, reject) => {
      if (this.waiting.length && this.bytes + bytes + 1 > this.maxBytes) this.flush()
      this.waiting.push({ record, json, bytes, resolve, reject })
      this.bytes += bytes
      if (this.waiting.length >= this.size) this.flush()
      else if (!this.scheduled) {
        this.scheduled = true
        setImmediate(() => {
          this.scheduled = false
          this.flush()
        })
      }
    })
  }

  private flush(): void {
    const batch = this.waiting
    if (!batch.length) return
    this.waiting = []
    this.bytes = 0
    this.send(
      batch.map((w) => w.record),
      `[${batch.map((w) => w.json).join(',')}]`,
    ).then(
      ({ results }) => {
        for (const [i, w] of batch.entries()) {
          const result = results[i]
          if (result && 'id' in result) w.resolve(result.id)
          else if (result) w.reject(new ClientError(result.error.code, result.error.message, result.statusCode, result.error.details?.length ? { fields: result.error.details } : {}, 'POST bulk insert'))
          else w.reject(new ClientError('http/invalid-response', 'the bulk insert answered fewer results than records sent', 0, {}, 'POST bulk insert'))
        }
      },
      (error: unknown) => {
        for (const w of batch) w.reject(error)
      },
    )
  }
}

/** What a bulk request refused as an unknown route answers its records with: each goes again as its own POST. */
const HIDDEN = new Error('the bulk insert is hidden')

/**
 * Inserts into one table through the emulator's bulk insert, `BULK_WRITES.size` records to a request; answers like
 * `BulkInserter.insert`. An emulator in cloud-parity mode hides that route (404 `common/not-found`, as for any
 * unknown route): then the records of the refused requests and every later one go one POST each, so their errors
 * are the POST's own (a 429 with its Retry-After).
 */
export function tableBulkInserter(data: DataApi, table: string): (record: unknown) => Promise<string> {
  let hidden = false
  const bulk = new BulkInserter(async (records, json) => {
    if (hidden) throw HIDDEN
    try {
      return await data.bulkInsert(table, records, json)
    } catch (error) {
      if (!(error instanceof ClientError && error.status === 404 && error.code === 'common/not-found')) throw error
      hidden = true
      throw HIDDEN
    }
  }, BULK_WRITES.size)
  const single = async (record: unknown) => (await data.insert(table, record)).id
  return async (record) => {
    if (hidden) return single(record)
    try {
      return await bulk.insert(record)
    } catch (error) {
      if (error !== HIDDEN) throw error
      return single(record)
    }
  }
}
