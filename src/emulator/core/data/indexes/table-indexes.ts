import type { IndexDef } from '../model.js'
import { indexKeys } from './index-defs.js'

type Keyed = Record<string, unknown> & { id: string }

/** A unique index that a record would violate, with the field to name in the error. */
export interface Violation {
  index: IndexDef
  field: string
}

/**
 * In-memory maps of one table's declared indexes (key → record ids). Built from the records when first needed
 * after load, maintained on every write; unique checks and the planner's equality lookups read them.
 */
export class TableIndexes {
  private readonly maps = new Map<string, Map<string, Set<string>>>()
  /** The largest id ever added to an index entry, and the entries whose insertion order is not id order. */
  private readonly lastOf = new WeakMap<Set<string>, string>()
  private readonly unordered = new WeakSet<Set<string>>()
  private lastId = ''
  /**
   * Whether the table's storage order (creation order) is also id order, which lets lists sorted by id skip
   * sorting. Ids are time-ordered, so this holds unless the emulator clock was moved back between creations.
   */
  idOrdered = true

  constructor(
    readonly defs: readonly IndexDef[],
    records: Iterable<Keyed>,
  ) {
    for (const def of defs) this.maps.set(def.name, new Map())
    for (const record of records) {
      this.appended(record.id)
      this.add(record)
    }
  }

  /** Notes a record stored after all others (creations; updates keep their place). */
  appended(id: string): void {
    // note: record ids are ASCII hex, for which the native string order equals the code-point order.
    if (id <= this.lastId) this.idOrdered = false
    else this.lastId = id
  }

  add(record: Keyed): void {
    for (const def of this.defs) {
      const map = this.maps.get(def.name) as Map<string, Set<string>>
      for (const key of indexKeys(record, def)) {
        let ids = map.get(key)
        if (!ids) map.set(key, (ids = new Set()))
        const last = this.lastOf.get(ids)
        // note: ids are ASCII hex, for which the native string order equals the code-point order.
        if (last !== undefined && record.id <= last) this.unordered.add(ids)
        else this.lastOf.set(ids, record.id)
        ids.add(record.id)
      }
    }
  }

  remove(record: Keyed): void {
    for (const def of this.defs) {
      const map = this.maps.get(def.name) as Map<string, Set<string>>
      for (const key of indexKeys(record, def)) {
        const ids = map.get(key)
        ids?.delete(record.id)
        if (ids?.size === 0) map.delete(key)
      }
    }
  }

  /** The first unique index the record would violate (ignoring the record's own previous version). */
  violation(record: Keyed): Violation | null {
    for (const def of this.defs) {
      if (!def.unique) continue
      const map = this.maps.get(def.name) as Map<string, Set<string>>
      for (const key of indexKeys(record, def)) {
        const ids = map.get(key)
        if (ids && [...ids].some((id) => id !== record.id)) return { index: def, field: Object.keys(def.fields).join(', ') }
      }
    }
    return null
  }

  /** Ids of the records holding a key in a single-field index, for the planner. */
  lookup(indexName: string, key: string): ReadonlySet<string> {
    return this.maps.get(indexName)?.get(key) ?? new Set()
  }

  /** Whether an entry returned by `lookup` iterates in id order (records added in creation order, never moved). */
  inIdOrder(ids: ReadonlySet<string>): boolean {
    return !this.unordered.has(ids as Set<string>)
  }

  /** Whether some unique index already has two records sharing a key (checked before adding an index). */
  firstCollision(): Violation | null {
    for (const def of this.defs) {
      if (!def.unique) continue
      for (const ids of (this.maps.get(def.name) as Map<string, Set<string>>).values()) {
        if (ids.size > 1) return { index: def, field: Object.keys(def.fields).join(', ') }
      }
    }
    return null
  }
}
