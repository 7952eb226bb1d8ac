import { BULK_WRITES, tableBulkInserter } from '../../client/bulk-inserter.js'
import type { DataApi } from '../../client/runtime.js'
import type { SourceRow } from '../io/transfer/source-row.js'
import type { SeedTable } from './layout.js'
import { ignoreGone, seedRows, type SeedPart, type Unchanged } from './rows.js'

/** Rows checked against the table per lookup; one `$in` query each. */
const LOOKUP_BATCH = 100

export interface RecordSeeding {
  data: DataApi
  environment: string
  concurrency: number
  strict: boolean
  progress: boolean
  signal?: AbortSignal
  /** The seed file's name for a person (relative to the seed folder). */
  source: string
  /** The local emulator: records travel in bulk requests (its extension) instead of one POST each. */
  bulk: boolean
}

/**
 * Seeds one table's records. With a key (seed.json), a row whose key value is already in the table is left as it
 * is; a table that was empty when the seed began needs no lookups at all, which keeps a first seed as fast as an
 * import. Without a key, the table is seeded only while it holds no records.
 */
export async function seedTable(table: SeedTable, o: RecordSeeding): Promise<SeedPart> {
  const { data } = o
  // also proves the table exists before the file is read
  const existing = (await data.list(table.table, { limit: 1, select: 'id' })).pagination.total
  if (existing > 0 && !table.key) {
    return { kind: 'table', name: table.table, source: o.source, status: 'skipped', created: 0, unchanged: 0, rejected: 0, rejects: [], durationMs: 0, note: `holds ${existing} records and seed.json declares no key for it, so its seed rows cannot be told apart from them: declare one ("keys": { "${table.table}": "<field>" }) or seed with --reset` }
  }
  const key = table.key
  const lookup = existing > 0 && key ? (values: unknown[]) => present(data, table.table, key, values) : undefined
  const bulk = o.bulk ? tableBulkInserter(data, table.table) : undefined
  return seedRows({
    kind: 'table',
    name: table.table,
    path: table.path,
    source: o.source,
    format: table.format,
    data,
    environment: o.environment,
    concurrency: bulk ? BULK_WRITES.inFlight : o.concurrency,
    strict: o.strict,
    progress: o.progress,
    signal: o.signal,
    pending: (rows, counts) => (key ? withoutPresent(rows, table.table, key, lookup, counts) : rows),
    insert: async (record, keepIds) => {
      if (bulk) {
        const id = await bulk(record)
        return keepIds ? id : undefined
      }
      if (!keepIds) return void (await data.insertOnly(table.table, record))
      return (await data.insert(table.table, record)).id
    },
    remove: (id) => ignoreGone(data.delete(table.table, id)),
  })
}

/**
 * The rows to create: every row needs its key, a key repeated within one lookup batch is rejected (a unique index
 * on the key field makes the server refuse repeats further apart), and rows whose key is in the table are dropped.
 */
async function* withoutPresent(rows: AsyncIterable<SourceRow>, table: string, key: string, lookup: ((values: unknown[]) => Promise<Set<string>>) | undefined, counts: Unchanged): AsyncGenerator<SourceRow> {
  let batch: SourceRow[] = []
  for await (const row of rows) {
    batch.push(row)
    if (batch.length < LOOKUP_BATCH) continue
    yield* await checked(batch, table, key, lookup, counts)
    batch = []
  }
  yield* await checked(batch, table, key, lookup, counts)
}

async function checked(batch: SourceRow[], table: string, key: string, lookup: ((values: unknown[]) => Promise<Set<string>>) | undefined, counts: Unchanged): Promise<SourceRow[]> {
  const seen = new Map<string, number>()
  const rows = batch.map((row): SourceRow => {
    if (!row.record) return row
    const value = row.record[key]
    if (value === undefined || value === null) return { row: row.row, error: `has no ${key}, the seed key of ${table} (seed.json)` }
    const id = JSON.stringify(value)
    const earlier = seen.get(id)
    if (earlier !== undefined) return { row: row.row, error: `repeats ${key} ${id} of row ${earlier}` }
    seen.set(id, row.row)
    return row
  })
  const found = lookup && seen.size ? await lookup([...seen.keys()].map((v) => JSON.parse(v) as unknown)) : undefined
  if (!found) return rows
  return rows.filter((row) => {
    if (!row.record || !found.has(JSON.stringify(row.record[key]))) return true
    counts.unchanged++
    return false
  })
}

/** Which of `values` the table holds in `key`. */
async function present(data: DataApi, table: string, key: string, values: unknown[]): Promise<Set<string>> {
  const found = new Set<string>()
  const limit = 100
  for (let page = 1; ; page++) {
    const { items } = await data.list(table, { andFilters: JSON.stringify({ [key]: { $in: values } }), select: key, limit, page })
    for (const item of items) found.add(JSON.stringify(item[key]))
    if (items.length < limit) return found
  }
}
