/** One item read from an import file: a record to send, or the reason it could not be read. */
export interface SourceRow {
  /** Line number (NDJSON, CSV: the line the record starts on) or 1-based element position (JSON array). */
  row: number
  record?: Record<string, unknown>
  /** Why the item is not a record (bad JSON, not an object, wrong column count…). */
  error?: string
}

/** A reader turns a text stream into rows; it throws only when the file as a whole is unreadable. */
export type RowReader = (text: AsyncIterable<string>) => AsyncGenerator<SourceRow>

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/** A parsed JSON value as a row: objects become records, anything else a rejection. */
export function jsonRow(row: number, text: string): SourceRow {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return { row, error: `invalid JSON: ${(error as Error).message}` }
  }
  return isPlainObject(value) ? { row, record: value } : { row, error: `expected a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}` }
}
