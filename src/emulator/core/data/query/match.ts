import { dateMs } from '../schema/dates.js'
import { compareValues, equalValues, typeRank } from './compare.js'
import type { Condition, Filter } from './filter.js'
import { candidatesAt } from './path.js'

/** Whether a record satisfies a parsed filter, with MongoDB semantics (rest-data.md §6.1). */
export function matches(filter: Filter, record: Record<string, unknown>): boolean {
  switch (filter.kind) {
    case 'all':
      return true
    case 'none':
      return false
    case 'and':
      return filter.items.every((f) => matches(f, record))
    case 'or':
      return filter.items.some((f) => matches(f, record))
    case 'field': {
      const { candidates, found } = candidatesAt(record, filter.segments)
      const values = filter.date ? candidates.map(asDate) : candidates
      return filter.conditions.every((c) => holds(c, values, found))
    }
  }
}

/** Stored dates are ISO strings; on date fields they compare as instants. */
export function asDate(value: unknown): unknown {
  if (typeof value !== 'string') return value
  const ms = dateMs(value)
  return ms === null ? value : new Date(ms)
}

function equalsAny(values: unknown[], found: boolean, operand: unknown): boolean {
  // `null` matches both null and a missing field.
  if (operand === null && (!found || values.some((v) => v === null))) return true
  return values.some((v) => equalValues(v, operand))
}

function holds(condition: Condition, values: unknown[], found: boolean): boolean {
  switch (condition.op) {
    case '$eq':
      return equalsAny(values, found, condition.value)
    case '$ne':
      return !equalsAny(values, found, condition.value)
    case '$in':
      return condition.value.some((operand) => equalsAny(values, found, operand))
    case '$nin':
      return !condition.value.some((operand) => equalsAny(values, found, operand))
    case '$exists':
      return found === condition.value
    case '$regex':
      return values.some((v) => typeof v === 'string' && condition.regex.test(v))
    default: {
      const operand = condition.value
      const rank = typeRank(operand)
      // Ordered comparisons only within numbers, strings or dates; other types never match.
      if (rank !== 1 && rank !== 2 && rank !== 6) return false
      return values.some((v) => typeRank(v) === rank && ordered(condition.op, compareValues(v, operand)))
    }
  }
}

function ordered(op: string, c: number): boolean {
  switch (op) {
    case '$gt':
      return c > 0
    case '$gte':
      return c >= 0
    case '$lt':
      return c < 0
    default:
      return c <= 0
  }
}
