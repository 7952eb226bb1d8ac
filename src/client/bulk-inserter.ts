import { MAX_BULK_RECORDS, type BulkInsertResponse } from '../contract/data-bulk.js'
import { ClientError } from './errors.js'

interface Waiting {
  record: unknown
  resolve(id: string): void
  reject(error: unknown): void
}

/**
 * Turns single inserts into bulk requests: `insert(record)` is answered like one `POST` (the new id, or the
 * `ClientError` that POST would have thrown), while the records asked for in the same turn of the event loop travel
 * together, up to `size` per request. A caller keeping many inserts in flight (the import pipeline) thus gets a few
 * requests per thousand records and its per-row rejections unchanged.
 */
export class BulkInserter {
  private waiting: Waiting[] = []
  private scheduled = false

  constructor(
    private readonly send: (records: unknown[]) => Promise<BulkInsertResponse>,
    private readonly size = MAX_BULK_RECORDS,
  ) {}

  insert(record: unknown): Promise<string> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ record, resolve, reject })
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
    const batch = this.waiting.splice(0, this.size)
    if (!batch.length) return
    this.send(batch.map((w) => w.record)).then(
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
