import { BULK_WRITES, tableBulkInserter } from '../../../client/bulk-inserter.js'
import { ClientError } from '../../../client/errors.js'
import type { DataApi } from '../../../client/runtime.js'
import { CliError } from '../../errors.js'
import { csvReader, type FieldTypes } from './csv-reader.js'
import { formatFromPath, openInput, openOutput, sniffFormat, type Format, type Input, type Output } from './files.js'
import { importRows, type ImportCounts, type ImportOptions, type Reject } from './importer.js'
import { readJsonArray } from './json-array-reader.js'
import { readNdjson } from './ndjson-reader.js'
import { ImportPosition } from './position.js'
import type { RowReader, SourceRow } from './source-row.js'
import { writeText } from './write-text.js'

/** Reasons kept in the result when a rejects file holds all of them; without one the result lists every reason. */
export const MAX_REJECTS_WITH_FILE = 1000

export interface ImportRequest {
  data: DataApi
  table: string
  /** The environment the rows go to, named in the summary. */
  environment: string
  /** A path, or `-` for standard input. */
  input: string
  format?: Format
  /** Requests in flight at most, when each row is one POST. */
  concurrency: number
  /**
   * The target has the emulator's bulk insert: rows travel `BULK_WRITES.size` to a request with `BULK_WRITES.inFlight`
   * in flight in all, and `concurrency` does not apply (ignored with `insert`).
   */
  bulk?: boolean
  inferTypes: boolean
  /** Where to write every rejected row as NDJSON (`{ row, code, message, record }`); a resumed import appends. */
  rejectsFile?: string
  /** Rows before this one (line, CSV record line or JSON element, as rejects count them) are skipped. */
  resumeFrom?: number
  /** Ctrl+C: once aborted, no further row is read and the requests in flight finish before the summary. */
  signal?: AbortSignal
  /** Writes one record (default: `data.insertOnly` into `table`); seeding creates users this way too. */
  insert?: (record: Record<string, unknown>) => Promise<unknown>
  /** A stage between reading and sending: seeding drops the rows already there and checks the others. */
  pending?: (rows: AsyncIterable<SourceRow>) => AsyncIterable<SourceRow>
  /** CSV field types; when absent they are read from the table's `/spec`. */
  types?: FieldTypes
  /** Ends reading like `signal` without being an interruption (seed --strict after the first rejection). */
  stop?: AbortSignal
  /** Every rejected row, as it is rejected. */
  onReject?: (reject: Reject) => void
  /** Waits between rate-limited attempts (tests move the emulator's clock instead). */
  sleep?: (ms: number) => Promise<void>
}

export interface ImportProgress extends ImportCounts {
  bytesRead: number
  /** Input size in bytes, when known (files, not stdin). */
  size?: number
  elapsedMs: number
}

export interface ImportSummary {
  table: string
  environment: string
  /** Null only when the import was stopped before the format was known. */
  format: Format | null
  source: string
  rows: ImportCounts
  /** Where this run started: the --resume-from row, else 1. */
  startRow: number
  /** Rows before startRow, read past and not sent. */
  skipped: number
  durationMs: number
  rowsPerSecond: number
  /** Every rejected row with its reason, or the first MAX_REJECTS_WITH_FILE when `rejectsFile` has them all. */
  rejects: Reject[]
  /** Rejected rows not listed in `rejects`. */
  rejectsOmitted: number
  rejectsFile: string | null
  /** Whether Ctrl+C (or SIGTERM) stopped the import. */
  interrupted: boolean
  /** After an interruption, the --resume-from value that goes on: every row before it was written or rejected. */
  resumeFrom: number | null
  /** After a stop that did not wait: rows whose requests were cut off, which may or may not have been written. */
  unsettled: number[]
  /** After a stop that did not wait: rows after resumeFrom already written or rejected, which a resume sends again. */
  settledAfterResume: number[]
}

/**
 * One import: streams a file into a table (format detection, schema-aware CSV, bounded concurrency, rejects
 * collected). `run()` returns when the input is done, or when `signal` stopped it and the requests in flight have
 * settled, so the rows read are then a complete prefix of the input. `stopNow()` is for a second Ctrl+C that
 * cannot wait for them.
 */
export class ImportJob {
  private readonly counts: ImportCounts = { read: 0, written: 0, rejected: 0 }
  private readonly rejects: Reject[] = []
  private readonly position: ImportPosition
  private readonly started = performance.now()
  private skipped = 0
  private format: Format | undefined
  private rejectsOut: Output | undefined
  private stopped = false

  constructor(private readonly request: ImportRequest) {
    this.position = new ImportPosition(request.resumeFrom)
  }

  async run(onProgress?: (progress: ImportProgress) => void): Promise<ImportSummary> {
    const { request } = this
    const input = await openInput(request.input)
    try {
      const reader = await this.reader(input)
      this.rejectsOut = request.rejectsFile ? await openOutput(request.rejectsFile, request.resumeFrom ? 'append' : 'replace') : undefined
      const snapshot = (): ImportProgress => ({ ...this.counts, bytesRead: input.bytesRead(), size: input.size, elapsedMs: performance.now() - this.started })
      const timer = onProgress ? setInterval(() => onProgress(snapshot()), 100) : undefined
      try {
        const rows = this.skipBefore(reader)
        const stops = [request.signal, request.stop].filter((s) => s !== undefined)
        await importRows(request.pending ? request.pending(rows) : rows, {
          ...this.writes(),
          onReject: (reject, record) => this.onReject(reject, record),
          stop: stops.length > 1 ? AbortSignal.any(stops) : stops[0],
          position: this.position,
          sleep: request.sleep,
        }, this.counts)
      } finally {
        if (timer) clearInterval(timer)
        await this.rejectsOut?.done()
      }
      onProgress?.(snapshot())
    } finally {
      input.close()
    }
    return this.summary()
  }

  /** Ends at once (the requests in flight are abandoned): the rejects file is closed and the summary is as it stands. */
  async stopNow(): Promise<ImportSummary> {
    this.stopped = true
    const summary = this.summary()
    await this.rejectsOut?.done().catch(() => undefined)
    return summary
  }

  /** The summary as it stands. */
  summary(): ImportSummary {
    const { request, counts } = this
    const durationMs = Math.round(performance.now() - this.started)
    const interrupted = request.signal?.aborted ?? false
    return {
      table: request.table,
      environment: request.environment,
      format: this.format ?? null,
      source: request.input,
      rows: { ...counts },
      startRow: request.resumeFrom ?? 1,
      skipped: this.skipped,
      durationMs,
      rowsPerSecond: durationMs ? Math.round((counts.written * 1000) / durationMs) : counts.written,
      rejects: [...this.rejects],
      rejectsOmitted: counts.rejected - this.rejects.length,
      rejectsFile: request.rejectsFile ?? null,
      interrupted,
      resumeFrom: interrupted ? this.position.resumeFrom() : null,
      unsettled: this.position.unsettled(),
      settledAfterResume: this.position.settledAfterResume(),
    }
  }

  /** How rows are written, and how many may be in flight. */
  private writes(): Pick<ImportOptions, 'concurrency' | 'insert'> {
    const { request } = this
    if (request.insert) return { concurrency: request.concurrency, insert: request.insert }
    if (!request.bulk) return { concurrency: request.concurrency, insert: (record) => request.data.insertOnly(request.table, record) }
    return { concurrency: BULK_WRITES.inFlight, insert: tableBulkInserter(request.data, request.table) }
  }

  private async reader(input: Input): Promise<AsyncGenerator<SourceRow>> {
    const { request } = this
    let format = request.format ?? (request.input === '-' ? undefined : formatFromPath(request.input))
    let text = input.text
    if (!format) {
      const sniffed = await sniffFormat(text)
      text = sniffed.text
      format = sniffed.format
      if (!format) throw new CliError(`cannot tell the format of ${request.input === '-' ? 'standard input' : request.input}`, 'pass --format csv, ndjson or json', 2, 'cli/usage')
    }
    this.format = format
    const types = request.types ?? (await fieldTypes(request.data, request.table))
    const reader: RowReader = format === 'csv' ? csvReader(types, request.inferTypes) : format === 'json' ? readJsonArray : readNdjson
    return reader(text)
  }

  /** The rows from --resume-from on; the ones before are only counted (and stop being read on Ctrl+C). */
  private async *skipBefore(rows: AsyncGenerator<SourceRow>): AsyncGenerator<SourceRow> {
    const first = this.request.resumeFrom ?? 1
    for await (const row of rows) {
      if (row.row >= first) yield row
      else if (this.request.signal?.aborted) return
      else this.skipped++
    }
  }

  private async onReject(reject: Reject, record: Record<string, unknown> | undefined): Promise<void> {
    this.request.onReject?.(reject)
    // note: reasons are small (no record); a rejects file takes over when there may be millions
    if (!this.rejectsOut || this.rejects.length < MAX_REJECTS_WITH_FILE) this.rejects.push(reject)
    // after stopNow() the file is closed; the summary it printed no longer changes
    if (this.rejectsOut && !this.stopped) await writeText(this.rejectsOut.stream, JSON.stringify({ ...reject, record: record ?? null }) + '\n')
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
