import { ClientError } from '../../client/errors.js'
import type { DataApi } from '../../client/runtime.js'
import { progressReporter } from '../io/progress.js'
import type { FieldTypes } from '../io/transfer/csv-reader.js'
import type { Format } from '../io/transfer/files.js'
import { ImportJob } from '../io/transfer/import-service.js'
import type { Reject } from '../io/transfer/importer.js'
import type { SourceRow } from '../io/transfer/source-row.js'

/** What seeding did with one part of the seed folder: a table's records, the users, or the files. */
export interface SeedPart {
  kind: 'table' | 'users' | 'files'
  /** The table name, `users` or `files`. */
  name: string
  /** The seed file, relative to the seed folder. */
  source: string
  /** `failed`: --strict removed what this run had created; `skipped`: not seeded (see `note`); `interrupted`: Ctrl+C. */
  status: 'seeded' | 'skipped' | 'failed' | 'interrupted'
  created: number
  /** Already there (same key, e-mail or file key), left as it was. */
  unchanged: number
  rejected: number
  /** Every rejected row (line, CSV record line or JSON element; files: manifest element) with its reason. */
  rejects: Reject[]
  durationMs: number
  note: string | null
}

/** Counts kept by a `pending` stage. */
export interface Unchanged {
  unchanged: number
}

export interface RowSeeding {
  kind: 'table' | 'users'
  name: string
  path: string
  source: string
  format: Format
  data: DataApi
  environment: string
  concurrency: number
  strict: boolean
  progress: boolean
  signal?: AbortSignal
  types?: FieldTypes
  /** Drops the rows already there (counting them) and turns rows that cannot be seeded into rejections. */
  pending(rows: AsyncIterable<SourceRow>, counts: Unchanged): AsyncIterable<SourceRow>
  /** Creates one row; returns its id when `keepIds` (for --strict), else anything. */
  insert(record: Record<string, unknown>, keepIds: boolean): Promise<string | undefined>
  /** Removes a row this run created (--strict after a rejection). */
  remove(id: string): Promise<void>
}

/** Deletions in flight while --strict takes back a table's rows. */
const REMOVE_CONCURRENCY = 16

/**
 * Streams one seed file through the import pipeline (the same readers, CSV typing, concurrency and rejections as
 * `bkend data import`). With `strict`, the first rejection stops reading, the requests in flight settle, and every
 * row this run created is deleted again, so the part keeps nothing of this run; rows that were already there stay.
 */
export async function seedRows(s: RowSeeding): Promise<SeedPart> {
  const started = performance.now()
  const stop = new AbortController()
  const counts: Unchanged = { unchanged: 0 }
  const created: string[] = []
  const job = new ImportJob({
    data: s.data,
    table: s.name,
    environment: s.environment,
    input: s.path,
    format: s.format,
    concurrency: s.concurrency,
    inferTypes: false,
    signal: s.signal,
    stop: stop.signal,
    types: s.types,
    pending: (rows) => s.pending(rows, counts),
    insert: async (record) => {
      const id = await s.insert(record, s.strict)
      if (s.strict && id !== undefined) created.push(id)
    },
    onReject: s.strict ? () => stop.abort() : undefined,
  })
  const progress = await progressReporter(`Seeding ${s.name}`, s.progress)
  const stopped = () => progress?.done({ stopped: true })
  s.signal?.addEventListener('abort', stopped, { once: true })
  let summary
  try {
    summary = await job.run((p) => progress?.update({ rows: p.written, rejected: p.rejected, fraction: p.size ? p.bytesRead / p.size : undefined, elapsedMs: p.elapsedMs }))
  } finally {
    s.signal?.removeEventListener('abort', stopped)
    progress?.done()
  }
  const failed = s.strict && summary.rows.rejected > 0
  if (failed) await removeAll(created, s.remove)
  return {
    kind: s.kind,
    name: s.name,
    source: s.source,
    status: summary.interrupted ? 'interrupted' : failed ? 'failed' : 'seeded',
    created: failed ? 0 : summary.rows.written,
    unchanged: counts.unchanged,
    rejected: summary.rows.rejected,
    // rows settle out of order (several requests in flight); a person reads them in file order
    rejects: summary.rejects.sort((a, b) => a.row - b.row),
    durationMs: Math.round(performance.now() - started),
    note: failed ? `--strict: the first rejection stopped ${s.name}; ${created.length ? `the ${created.length} rows this run had created were deleted again` : 'this run had created none'}` : null,
  }
}

/** Deletes by id with a few requests in flight. */
export async function removeAll(ids: string[], remove: (id: string) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < ids.length) await remove(ids[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(REMOVE_CONCURRENCY, ids.length) }, worker))
}

/** A deletion where the thing being gone already is the goal. */
export async function ignoreGone(deletion: Promise<void>): Promise<void> {
  await deletion.catch((error: unknown) => {
    if (!(error instanceof ClientError && error.status === 404)) throw error
  })
}
