/** The emulator's bulk insert (an extension): many records in one request, each answered on its own. */

export const BULK_INSERT_PATH = '/_emulator/data/:tableName/bulk'
/** Records per bulk request at most. */
export const MAX_BULK_RECORDS = 1000
/** A bulk request's body in bytes at most (the emulator's limit on any request body); a larger one is refused whole (413). */
export const MAX_BULK_BYTES = 1024 * 1024

/** `/_emulator/data/<table>/bulk`. */
export function bulkInsertPath(table: string): string {
  return BULK_INSERT_PATH.replace(':tableName', encodeURIComponent(table))
}

/** One record's outcome, in the order sent: its id, or the error `POST /v1/data/<table>` would have answered. */
export type BulkInsertResult = { id: string } | { statusCode: number; error: { code: string; message: string; details?: Array<{ field: string; rule: string; message: string }> } }

export interface BulkInsertResponse {
  results: BulkInsertResult[]
}
