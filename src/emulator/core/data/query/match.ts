import { dateMs } from '../schema/dates.js'
import { compareValues, equalValues, typeRank } from './compare.js'
import type { Condition, Filter } from './filter.js'
import { candidatesAt, isPlainObject } from './path.js'

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
      // Fast path for the common case, a top-level scalar: no candidate arrays are allocated per record.
      if (filter.segments.length === 1 && !filter.date) {
        const key = filter.segments[0] as string
        const found = Object.hasOwn(record, key)
        const value = found ? record[key] : undefined
        if (!Array.isArray(value) && !isPlainObject(value)) {
          for (const condition of filter.conditions) if (!holdsScalar(condition, value, found)) return false
          return true
        }
      }
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

/** `holds` for a single scalar value (or a missing field), with the same semantics. */
function holdsScalar(condition: Condition, value: unknown, found: boolean): boolean {
  switch (condition.op) {
    case '$eq':
      return condition.value === null ? !found || value === null : equalValues(value, condition.value)
    case '$ne':
      return !(condition.value === null ? !found || value === null : equalValues(value, condition.value))
    case '$in':
      return found ? condition.value.some((operand) => equalValues(value, operand)) : condition.value.includes(null)
    case '$nin':
      return !(found ? condition.value.some((operand) => equalValues(value, operand)) : condition.value.includes(null))
    case '$exists':
      return found === condition.value
    case '$regex':
      return typeof value === 'string' && condition.regex.test(value)
    default: {
      const operand = condition.value
      if (typeof value === 'number' && typeof operand === 'number') return ordered(condition.op, value === operand ? 0 : value < operand ? -1 : 1)
      const rank = typeRank(operand)
      if (rank !== 1 && rank !== 2 && rank !== 6) return false
      return found && typeRank(value) === rank && ordered(condition.op, compareValues(value, operand))
    }
  }
}
