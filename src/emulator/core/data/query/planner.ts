import { valueKey } from '../indexes/index-defs.js'
import type { TableIndexes } from '../indexes/table-indexes.js'
import type { Filter } from './filter.js'

/**
 * Picks candidate record ids from the id or an equality index when the filter's top-level conjunction holds a scalar
 * equality on a single-field indexed path; null means "scan everything". The full filter is still applied to the
 * candidates, so the plan only changes speed, never results (rest-data.md §7).
 */
export function plan(filter: Filter, indexes: TableIndexes): ReadonlySet<string> | null {
  const conjuncts = filter.kind === 'and' ? filter.items : [filter]
  for (const part of conjuncts) {
    if (part.kind !== 'field' || part.date) continue
    for (const condition of part.conditions) {
      if (condition.op !== '$eq') continue
      const value = condition.value
      // Only scalars: null also matches missing fields (absent from sparse indexes) and an array operand matches
      // whole arrays, which element-wise index keys cannot answer.
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue
      // Records are keyed by id already: an id equality needs no declared index.
      if (part.path === 'id') return new Set(typeof value === 'string' ? [value] : [])
      const index = indexes.defs.find((def) => Object.keys(def.fields).length === 1 && Object.hasOwn(def.fields, part.path))
      if (index) return indexes.lookup(index.name, valueKey([value]))
    }
  }
  return null
}

/**
 * Whether the index candidates `plan` returns are exactly the matches: the whole filter is the one scalar
 * equality the index answered, so no record needs to be tested.
 */
export function planIsExact(filter: Filter): boolean {
  if (filter.kind !== 'field' || filter.date || filter.conditions.length !== 1) return false
  const condition = filter.conditions[0]!
  return condition.op === '$eq' && ['string', 'number', 'boolean'].includes(typeof condition.value)
}
