import type { IndexDef } from '../model.js'
import { indexKeys } from './index-defs.js'

type Keyed = Record<string, unknown> & { id: string }

/** A unique index that a record would violate, with the field to name in the error. */
export interface Violation {
  index: IndexDef
  field: string
}

/**
 * The ids holding one key, sorted. Ids are time-ordered and records are created in time order, so a new record is
 * a push; an array costs a pointer per id where a Set costs several words, and a page is cut from either end.
 */
type Entry = string[]

/** One declared index: its map, and its field when the index has one top-level field (keys then need no walk). */
interface IndexMap {
  def: IndexDef
  field: string | null
  map: Map<string, Entry>
}

const NO_KEYS: readonly string[] = []

/**
 * The keys a record contributes to an index. A single top-level field holding a scalar (or missing) is keyed
 * directly, as `indexKeys` would key it (`JSON.stringify` of the value, `null` when missing): that is nearly every
 * record of nearly every index, and building a table's maps at a million records is bound by it.
 */
function keysOf(record: Keyed, index: IndexMap): string | readonly string[] {
  const { field, def } = index
  if (field !== null) {
    if (!Object.hasOwn(record, field)) return def.sparse ? NO_KEYS : 'null'
    const value = record[field]
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value)
  }
  return indexKeys(record, def)
}

/** Most filters whose counts one table remembers between writes. */
const MAX_COUNTS = 64

/**
 * In-memory maps of one table's declared indexes (key → record ids), and the table's records in id order. Built
 * from the records when first needed after load, maintained on every write (`created`, `updated`, `deleted`);
 * unique checks, the planner's equality lookups and the list pages read them.
 */
export class TableIndexes<T extends Keyed = Keyed> {
  private readonly indexes: IndexMap[]
  private lastId = ''
  /**
   * The records in storage order, which is id order while `idOrdered` holds (null once it does not): lists sorted
   * by id cut their page from either end instead of walking the table. A deleted record stays in place (so the
   * array stays sorted by id for updates to find their slot) and is skipped, until there are enough to compact.
   */
  private order: T[] | null = []
  private readonly removed = new Set<T>()
  /** Counts of filters over the whole table (see `count`), forgotten at every write. */
  private readonly counts = new Map<string, number>()
  /**
   * Whether the table's storage order (creation order) is also id order, which lets lists sorted by id skip
   * sorting. Ids are time-ordered, so this holds unless the emulator clock was moved back between creations.
   */
  idOrdered = true

  constructor(
    readonly defs: readonly IndexDef[],
    records: Iterable<T>,
  ) {
    this.indexes = defs.map((def) => {
      const paths = Object.keys(def.fields)
      const field = paths.length === 1 && !paths[0]!.includes('.') ? paths[0]! : null
      return { def, field, map: new Map() }
    })
    for (const record of records) this.created(record)
  }

  /** Takes in a record stored after all others. */
  created(record: T): void {
    this.counts.clear()
    // note: record ids are ASCII hex, for which the native string order equals the code-point order.
    if (record.id <= this.lastId) {
      this.idOrdered = false
      this.order = null
    } else {
      this.lastId = record.id
      this.order?.push(record)
    }
    this.add(record)
  }

  /** Takes in a new version of a record (it keeps its place in storage order). */
  updated(previous: T, record: T): void {
    this.counts.clear()
    if (this.order) {
      const at = this.slot(record.id)
      if (at !== -1) this.order[at] = record
    }
    this.replace(previous, record)
  }

  deleted(record: T): void {
    this.counts.clear()
    this.remove(record)
    const order = this.order
    if (!order) return
    const at = this.slot(record.id)
    if (at === -1) return
    this.removed.add(order[at]!)
    if (this.removed.size > 1024 && this.removed.size * 4 > order.length) {
      this.order = order.filter((r) => !this.removed.has(r))
      this.removed.clear()
    }
  }

  /** The position of a record in `order`, or -1. */
  private slot(id: string): number {
    const order = this.order!
    let lo = 0
    let hi = order.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (order[mid]!.id < id) lo = mid + 1
      else hi = mid
    }
    return lo < order.length && order[lo]!.id === id ? lo : -1
  }

  /**
   * The live records in id order, walked from the given end, while `visit` returns true; false (and nothing
   * walked) when storage order is not id order, where the caller walks the collection and sorts.
   */
  walk(direction: 'asc' | 'desc', visit: (record: T) => boolean): boolean {
    const order = this.order
    if (!order) return false
    const removed = this.removed.size > 0 ? this.removed : null
    if (direction === 'asc') {
      for (let i = 0; i < order.length; i++) {
        const record = order[i]!
        if ((removed === null || !removed.has(record)) && !visit(record)) break
      }
    } else {
      for (let i = order.length - 1; i >= 0; i--) {
        const record = order[i]!
        if ((removed === null || !removed.has(record)) && !visit(record)) break
      }
    }
    return true
  }

  /** How many records a filter (named by `key`) matched when last counted, if no write came since. */
  count(key: string): number | undefined {
    return this.counts.get(key)
  }

  /** Remembers a filter's count until the next write. */
  remember(key: string, total: number): void {
    if (this.counts.size >= MAX_COUNTS) this.counts.clear()
    this.counts.set(key, total)
  }

  private add(record: Keyed): void {
    for (const index of this.indexes) TableIndexes.addKeys(index.map, keysOf(record, index), record.id)
  }

  private remove(record: Keyed): void {
    for (const index of this.indexes) TableIndexes.removeKeys(index.map, keysOf(record, index), record.id)
  }

  /** Moves a record from its previous version's keys to its new ones; an index whose key did not change is not touched. */
  private replace(previous: Keyed, record: Keyed): void {
    for (const index of this.indexes) {
      const before = keysOf(previous, index)
      const after = keysOf(record, index)
      if (typeof before === 'string' && before === after) continue
      TableIndexes.removeKeys(index.map, before, previous.id)
      TableIndexes.addKeys(index.map, after, record.id)
    }
  }

  private static addKeys(map: Map<string, Entry>, keys: string | readonly string[], id: string): void {
    if (typeof keys === 'string') TableIndexes.insert(map, keys, id)
    else for (const key of keys) TableIndexes.insert(map, key, id)
  }

  private static insert(map: Map<string, Entry>, key: string, id: string): void {
    const ids = map.get(key)
    if (!ids) map.set(key, [id])
    // note: ids are ASCII hex, for which the native string order equals the code-point order.
    else if (id > ids[ids.length - 1]!) ids.push(id)
    else {
      const at = lowerBound(ids, id)
      if (ids[at] !== id) ids.splice(at, 0, id)
    }
  }

  private static removeKeys(map: Map<string, Entry>, keys: string | readonly string[], id: string): void {
    for (const key of typeof keys === 'string' ? [keys] : keys) {
      const ids = map.get(key)
      if (!ids) continue
      const at = lowerBound(ids, id)
      if (ids[at] === id) ids.splice(at, 1)
      if (ids.length === 0) map.delete(key)
    }
  }

  /** The first unique index the record would violate (ignoring the record's own previous version). */
  violation(record: Keyed): Violation | null {
    for (const index of this.indexes) {
      if (!index.def.unique) continue
      const keys = keysOf(record, index)
      for (const key of typeof keys === 'string' ? [keys] : keys) {
        const ids = index.map.get(key)
        if (ids && ids.length > (ids[lowerBound(ids, record.id)] === record.id ? 1 : 0)) return { index: index.def, field: Object.keys(index.def.fields).join(', ') }
      }
    }
    return null
  }

  /** Ids of the records holding a key in a single-field index, in id order, for the planner. Do not mutate. */
  lookup(indexName: string, key: string): readonly string[] {
    return this.indexes.find((index) => index.def.name === indexName)?.map.get(key) ?? EMPTY
  }

  /** Whether some unique index already has two records sharing a key (checked before adding an index). */
  firstCollision(): Violation | null {
    for (const index of this.indexes) {
      if (!index.def.unique) continue
      for (const ids of index.map.values()) {
        if (ids.length > 1) return { index: index.def, field: Object.keys(index.def.fields).join(', ') }
      }
    }
    return null
  }
}

const EMPTY: readonly string[] = []

/** The first position in sorted `ids` whose id is not below `id`. */
export function lowerBound(ids: readonly string[], id: string): number {
  let lo = 0
  let hi = ids.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (ids[mid]! < id) lo = mid + 1
    else hi = mid
  }
  return lo
}
