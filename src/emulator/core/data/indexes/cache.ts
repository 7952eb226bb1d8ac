import type { Database } from '../../../store/store.js'
import { DC, type RecordDoc, type TableDoc } from '../model.js'
import { TableIndexes } from './table-indexes.js'

/** A table's maps being built a slice at a time: what is built so far, and the records still to take in. */
interface Build {
  indexes: TableIndexes<RecordDoc>
  rest: Iterator<RecordDoc>
}

/** How long one slice of a background build may hold the event loop. */
const SLICE_MS = 5

/**
 * The live index maps of every table, built from the records the first time a table is used after load (or ahead
 * of it, between requests, by `warm`) and rebuilt whenever its index set changes (table documents are immutable,
 * so a changed set is a new array).
 */
export class IndexCache {
  private readonly tables = new Map<string, TableIndexes<RecordDoc>>()
  private readonly building = new Map<string, Build>()
  private readonly watched = new WeakSet<Database>()

  /** `sliceMs`: how long one slice of `warm` may run (tests shorten it to see several slices of a small table). */
  constructor(private readonly sliceMs = SLICE_MS) {}

  of(db: Database, table: TableDoc): TableIndexes<RecordDoc> {
    this.watch(db)
    let indexes = this.tables.get(table.id)
    if (!indexes || indexes.defs !== table.indexes) {
      const build = this.building.get(table.id)
      this.building.delete(table.id)
      if (build && build.indexes.defs === table.indexes) {
        // Asked for before its background build finished: the rest is built now.
        advance(build, Infinity)
        indexes = build.indexes
      } else {
        indexes = new TableIndexes(table.indexes, db.collection<RecordDoc>(DC.records(table.id)).values())
      }
      this.tables.set(table.id, indexes)
    }
    return indexes
  }

  /**
   * Builds the maps of the database's tables in slices of a few milliseconds between requests, so that after a
   * start on a large data dir the first query or write finds them ready instead of holding the event loop for the
   * whole build. A table used before its build is done finishes it at once (`of`).
   */
  async warm(db: Database): Promise<void> {
    this.watch(db)
    for (const table of [...db.collection<TableDoc>(DC.tables).values()]) {
      if (this.tables.has(table.id) || this.building.has(table.id)) continue
      const build: Build = { indexes: new TableIndexes<RecordDoc>(table.indexes, []), rest: db.collection<RecordDoc>(DC.records(table.id)).values() }
      this.building.set(table.id, build)
      for (;;) {
        await new Promise((resolve) => setImmediate(resolve))
        // Dropped (rollback, a rewrite of the table) or finished by a request meanwhile.
        if (this.building.get(table.id) !== build) break
        if (advance(build, performance.now() + this.sliceMs)) {
          this.building.delete(table.id)
          this.tables.set(table.id, build.indexes)
          break
        }
      }
    }
  }

  private watch(db: Database): void {
    if (this.watched.has(db)) return
    this.watched.add(db)
    // A refused write is rolled back from memory after the maps took it in: rebuild them from the records.
    db.onRollBack(() => {
      this.tables.clear()
      this.building.clear()
    })
  }

  /** Forgets a table's maps after its records were rewritten outside the record service, or it was deleted. */
  drop(tableId: string): void {
    this.tables.delete(tableId)
    this.building.delete(tableId)
  }
}

/** Takes in records until the deadline; true once every record is in. */
function advance(build: Build, deadline: number): boolean {
  for (let n = 1; ; n++) {
    const next = build.rest.next()
    if (next.done) return true
    build.indexes.created(next.value)
    if ((n & 1023) === 0 && performance.now() >= deadline) return false
  }
}
