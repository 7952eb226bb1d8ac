import { relative } from 'node:path'
import type { DataApi, RuntimeClient } from '../../client/runtime.js'
import { offersBulkInsert, type RuntimeTarget } from '../target.js'
import { seedFiles } from './files.js'
import type { SeedLayout } from './layout.js'
import { seedTable } from './records.js'
import type { SeedReset } from './reset.js'
import type { SeedPart } from './rows.js'
import { seedUsers } from './users.js'

export interface SeedOptions {
  runtime: RuntimeClient
  target: RuntimeTarget
  layout: SeedLayout
  concurrency: number
  strict: boolean
  /** What --reset removed first. */
  reset: SeedReset | null
  /** Draw progress lines (a person at a terminal). */
  progress: boolean
  signal?: AbortSignal
}

export interface SeedTotals {
  created: number
  unchanged: number
  rejected: number
}

export interface SeedResult extends SeedTotals {
  environment: string
  /** The seed folder. */
  dir: string
  /** What --reset removed before seeding; null without --reset. */
  reset: SeedReset | null
  /** Users first, then the tables by name, then the files. */
  parts: SeedPart[]
  /** True when a part failed under --strict or Ctrl+C stopped the seed; later parts were not seeded. */
  stopped: boolean
  durationMs: number
}

/**
 * Proves every table with a seed file exists (one small read each), so a misnamed file stops the seed before any
 * part is written (or, with --reset, before anything is deleted) instead of after the users and earlier tables.
 */
export async function checkTables(layout: SeedLayout, data: DataApi): Promise<void> {
  await Promise.all(layout.tables.map((t) => data.list(t.table, { limit: 1, select: 'id' })))
}

/**
 * Loads a seed folder into an environment: users (so records may name them), each table's records, then files.
 * Every part is idempotent on its own key; a part that fails under --strict (or an interruption) ends the seed, and
 * the parts before it stay seeded.
 */
export async function seed(o: SeedOptions): Promise<SeedResult> {
  const started = performance.now()
  const { layout, runtime, target } = o
  await checkTables(layout, runtime.data)
  const common = { environment: target.environment, concurrency: o.concurrency, strict: o.strict, progress: o.progress, signal: o.signal }
  const source = (path: string) => relative(layout.dir, path)
  const steps: Array<() => Promise<SeedPart>> = []
  if (layout.users) {
    const { path, format } = layout.users
    steps.push(() => seedUsers({ ...common, runtime, local: target.kind === 'local', path, format, source: source(path) }))
  }
  const bulk = offersBulkInsert(target)
  for (const table of layout.tables) steps.push(() => seedTable(table, { ...common, data: runtime.data, source: source(table.path), bulk }))
  if (layout.files.length) steps.push(() => seedFiles(layout.files, { storage: runtime.files(), strict: o.strict, signal: o.signal, source: 'files.json' }))

  const parts: SeedPart[] = []
  let stopped = false
  for (const step of steps) {
    const part = await step()
    parts.push(part)
    if (part.status === 'failed' || part.status === 'interrupted') {
      stopped = true
      break
    }
  }
  const sum = (pick: (p: SeedPart) => number) => parts.reduce((total, p) => total + pick(p), 0)
  return {
    environment: target.environment,
    dir: layout.dir,
    reset: o.reset,
    parts,
    created: sum((p) => p.created),
    unchanged: sum((p) => p.unchanged),
    rejected: sum((p) => p.rejected),
    stopped,
    durationMs: Math.round(performance.now() - started),
  }
}
