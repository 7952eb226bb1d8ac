import type { Database } from '../../../store/store.js'
import { DC, type RecordDoc, type TableDoc } from '../model.js'
import { TableIndexes } from './table-indexes.js'

/**
 * The live index maps of every table, built from the records the first time a table is used after load and
 * rebuilt whenever its index set changes (table documents are immutable, so a changed set is a new array).
 */
export class IndexCache {
  private readonly tables = new Map<string, TableIndexes<RecordDoc>>()
  private readonly watched = new WeakSet<Database>()

  of(db: Database, table: TableDoc): TableIndexes<RecordDoc> {
    let indexes = this.tables.get(table.id)
    if (!this.watched.has(db)) {
      this.watched.add(db)
      // A refused write is rolled back from memory after the maps took it in: rebuild them from the records.
      db.onRollBack(() => this.tables.clear())
    }
    if (!indexes || indexes.defs !== table.indexes) {
      indexes = new TableIndexes(table.indexes, db.collection<RecordDoc>(DC.records(table.id)).values())
      this.tables.set(table.id, indexes)
    }
    return indexes
  }

  /** Forgets a table's maps after its records were rewritten outside the record service, or it was deleted. */
  drop(tableId: string): void {
    this.tables.delete(tableId)
  }
}
