import type { Query } from '../../../client/rest.js'
import type { DataRecord } from '../../../contract/tables.js'
import type { DataApi } from '../../../client/runtime.js'
import { csvLine } from './csv-writer.js'
import { openOutput, type Format } from './files.js'
import { writeText } from './write-text.js'

/** The list endpoint's largest page. */
const PAGE_SIZE = 100

export interface ExportRequest {
  data: DataApi
  table: string
  /** A path, or `-` for standard output. */
  output: string
  /** Replace an existing file; without it one is refused before any request. */
  force: boolean
  format: Format
  /** List query (filters, search, select, sort); without a sort the export runs oldest first, by id. */
  query: Query
  /** CSV columns; default: the fields of the first page. */
  columns?: string[]
}

export interface ExportProgress {
  rows: number
  total: number
}

export interface ExportSummary {
  table: string
  format: Format
  destination: string
  rows: number
  /** CSV only: fields that appeared after the header was written, so have no column. */
  droppedFields: string[]
}

/**
 * Pages through the list endpoint and streams records out as NDJSON, a JSON array or CSV. Only one page is held at
 * a time and writes wait for the output to drain.
 */
export async function runExport(request: ExportRequest, onProgress?: (progress: ExportProgress) => void): Promise<ExportSummary> {
  const query: Query = { sortBy: 'id', sortDirection: 'asc', ...request.query, limit: PAGE_SIZE }
  const out = await openOutput(request.output, request.force ? 'replace' : 'refuse')
  const writer = formatWriter(request.format, request.columns)
  let rows = 0
  try {
    for (let page = 1; ; page++) {
      const result = await request.data.list(request.table, { ...query, page })
      const text = writer.page(result.items)
      rows += result.items.length
      if (text) await writeText(out.stream, text)
      onProgress?.({ rows, total: result.pagination.total })
      if (!result.pagination.hasNext || result.items.length === 0) break
    }
    await writeText(out.stream, writer.end())
  } catch (error) {
    // `bkend data export t | head`: the reader has all it wants; stopping is the answer, not an error
    if (!(request.output === '-' && (error as NodeJS.ErrnoException).code === 'EPIPE')) throw error
  } finally {
    await out.done()
  }
  return { table: request.table, format: request.format, destination: request.output, rows, droppedFields: writer.dropped() }
}

interface FormatWriter {
  /** Text for the next page of records. */
  page(records: DataRecord[]): string
  end(): string
  dropped(): string[]
}

function formatWriter(format: Format, columns: string[] | undefined): FormatWriter {
  if (format === 'ndjson') return { page: (records) => records.map((r) => JSON.stringify(r) + '\n').join(''), end: () => '', dropped: () => [] }
  if (format === 'json') {
    let count = 0
    return { page: (records) => records.map((r) => (count++ === 0 ? '[\n' : ',\n') + JSON.stringify(r)).join(''), end: () => (count ? '\n]\n' : '[]\n'), dropped: () => [] }
  }
  let header: string[] | undefined
  let known = new Set<string>()
  const dropped = new Set<string>()
  return {
    page(records) {
      let text = ''
      if (!header) {
        // note: one page decides the columns (the brief's trade-off for streaming); later new fields are reported
        header = columns ?? [...new Set(records.flatMap((r) => Object.keys(r)))]
        known = new Set(header)
        if (header.length) text += csvLine(header)
      }
      for (const record of records) {
        if (!columns) for (const key of Object.keys(record)) if (!known.has(key)) dropped.add(key)
        text += csvLine(header.map((key) => record[key]))
      }
      return text
    },
    end: () => '',
    dropped: () => [...dropped],
  }
}
