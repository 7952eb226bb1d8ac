import { valueKey } from '../indexes/index-defs.js'
import type { TableIndexes } from '../indexes/table-indexes.js'
import type { Filter } from './filter.js'

/**
 * Picks candidate record ids, in id order without repeats, from the id or an equality index when the filter's
 * top-level conjunction holds a scalar equality (or an `$in` of scalars) on a single-field indexed path; null means
 * "scan everything". The full filter is still applied to the candidates, so the plan only changes speed, never
 * results (rest-data.md §7).
 */
export function plan(filter: Filter, indexes: TableIndexes): readonly string[] | null {
  const conjuncts = filter.kind === 'and' ? filter.items : [filter]
  for (const part of conjuncts) {
    if (part.kind !== 'field' || part.date) continue
    for (const condition of part.conditions) {
      if (condition.op === '$in') {
        const found = inPlan(part.path, condition.value, indexes)
        if (found) return found
        continue
      }
      if (condition.op !== '$eq') continue
      const value = condition.value
      // Only scalars: null also matches missing fields (absent from sparse indexes) and an array operand matches
      // whole arrays, which element-wise index keys cannot answer.
      if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue
      // Records are keyed by id already: an id equality needs no declared index.
      if (part.path === 'id') return typeof value === 'string' ? [value] : []
      const index = indexes.defs.find((def) => Object.keys(def.fields).length === 1 && Object.hasOwn(def.fields, part.path))
      if (index) return indexes.lookup(index.name, valueKey([value]))
    }
  }
  return null
}

/**
 * `$in` of scalars on the id or an indexed field: the union of each value's candidates (seed's key lookups ask for
 * a hundred values at a time). Any null or array operand scans, for the reasons equality does.
 */
function inPlan(path: string, values: unknown[], indexes: TableIndexes): readonly string[] | null {
  if (!values.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) return null
  if (path === 'id') return inIdOrder(values.filter((v): v is string => typeof v === 'string'))
  const index = indexes.defs.find((def) => Object.keys(def.fields).length === 1 && Object.hasOwn(def.fields, path))
  if (!index) return null
  if (values.length === 1) return indexes.lookup(index.name, valueKey(values))
  return inIdOrder(values.flatMap((value) => indexes.lookup(index.name, valueKey([value]))))
}

// note: record ids are ASCII hex, for which the native string order equals the code-point order.
const inIdOrder = (ids: string[]): string[] => ids.sort().filter((id, i) => i === 0 || id !== ids[i - 1])

/**
 * Whether the index candidates `plan` returns are exactly the matches: the whole filter is the one scalar
 * equality the index answered, so no record needs to be tested.
 */
export function planIsExact(filter: Filter): boolean {
  if (filter.kind !== 'field' || filter.date || filter.conditions.length !== 1) return false
  const condition = filter.conditions[0]!
  return condition.op === '$eq' && ['string', 'number', 'boolean'].includes(typeof condition.value)
}
