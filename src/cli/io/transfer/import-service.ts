import { ClientError } from '../../../client/errors.js'
import type { DataApi } from '../../../client/runtime.js'
import { CliError } from '../../errors.js'
import { csvReader, type FieldTypes } from './csv-reader.js'
import { formatFromPath, openInput, openOutput, sniffFormat, type Format } from './files.js'
import { importRows, type ImportCounts, type Reject } from './importer.js'
import { readJsonArray } from './json-array-reader.js'
import { readNdjson } from './ndjson-reader.js'
import type { RowReader } from './source-row.js'
import { writeText } from './write-text.js'

/** Reasons kept in the result when a rejects file holds all of them; without one the result lists every reason. */
export const MAX_REJECTS_WITH_FILE = 1000

export interface ImportRequest {
  data: DataApi
  table: string
  /** A path, or `-` for standard input. */
  input: string
  format?: Format
  concurrency: number
  inferTypes: boolean
  /** Where to write every rejected row as NDJSON (`{ row, code, message, record }`). */
  rejectsFile?: string
}

export interface ImportProgress extends ImportCounts {
  bytesRead: number
  /** Input size in bytes, when known (files, not stdin). */
  size?: number
  elapsedMs: number
}

export interface ImportSummary {
  table: string
  format: Format
  source: string
  rows: ImportCounts
  durationMs: number
  rowsPerSecond: number
  /** Every rejected row with its reason, or the first MAX_REJECTS_WITH_FILE when `rejectsFile` has them all. */
  rejects: Reject[]
  /** Rejected rows not listed in `rejects`. */
  rejectsOmitted: number
  rejectsFile: string | null
}

/** Streams a file into a table: format detection, schema-aware CSV, bounded concurrency, rejects collected. */
export async function runImport(request: ImportRequest, onProgress?: (progress: ImportProgress) => void): Promise<ImportSummary> {
  const input = await openInput(request.input)
  let format = request.format ?? (request.input === '-' ? undefined : formatFromPath(request.input))
  let text = input.text
  if (!format) {
    const sniffed = await sniffFormat(text)
    text = sniffed.text
    format = sniffed.format
    if (!format) throw new CliError(`cannot tell the format of ${request.input === '-' ? 'standard input' : request.input}`, 'pass --format csv, ndjson or json', 2, 'cli/usage')
  }
  const types = await fieldTypes(request.data, request.table)
  const reader: RowReader = format === 'csv' ? csvReader(types, request.inferTypes) : format === 'json' ? readJsonArray : readNdjson

  const rejects: Reject[] = []
  const rejectsOut = request.rejectsFile ? await openOutput(request.rejectsFile) : undefined
  const counts: ImportCounts = { read: 0, written: 0, rejected: 0 }
  const started = performance.now()
  const snapshot = (): ImportProgress => ({ ...counts, bytesRead: input.bytesRead(), size: input.size, elapsedMs: performance.now() - started })
  const timer = onProgress ? setInterval(() => onProgress(snapshot()), 100) : undefined
  try {
    await importRows(reader(text), {
      concurrency: request.concurrency,
      insert: (record) => request.data.insertOnly(request.table, record),
      onReject: async (reject, record) => {
        // note: reasons are small (no record); a rejects file takes over when there may be millions
        if (!rejectsOut || rejects.length < MAX_REJECTS_WITH_FILE) rejects.push(reject)
        if (rejectsOut) await writeText(rejectsOut.stream, JSON.stringify({ ...reject, record: record ?? null }) + '\n')
      },
    }, counts)
  } finally {
    if (timer) clearInterval(timer)
    await rejectsOut?.done()
  }
  onProgress?.(snapshot())
  const durationMs = Math.round(performance.now() - started)
  return {
    table: request.table,
    format,
    source: request.input,
    rows: counts,
    durationMs,
    rowsPerSecond: durationMs ? Math.round((counts.written * 1000) / durationMs) : counts.written,
    rejects,
    rejectsOmitted: counts.rejected - rejects.length,
    rejectsFile: request.rejectsFile ?? null,
  }
}

/**
 * The table's declared field types, from `/spec`. It also proves the table exists before any row is sent; a key
 * that may not read the spec (scoped to create only) just gets untyped CSV.
 */
async function fieldTypes(data: DataApi, table: string): Promise<FieldTypes> {
  try {
    const spec = await data.spec(table)
    const types: FieldTypes = {}
    for (const [name, field] of Object.entries(spec.schema?.properties ?? {})) {
      const bsonType = Array.isArray(field.bsonType) ? field.bsonType.find((t) => t !== 'null') : field.bsonType
      if (bsonType) types[name] = bsonType
    }
    return types
  } catch (error) {
    if (error instanceof ClientError && error.status === 403) return {}
    throw error
  }
}
