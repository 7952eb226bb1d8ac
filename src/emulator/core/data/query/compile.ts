import { equalValues } from './compare.js'
import type { Condition, Filter } from './filter.js'
import { matches } from './match.js'
import { isPlainObject } from './path.js'

type Predicate = (record: Record<string, unknown>) => boolean

/**
 * Turns a parsed filter into one closure per node, built once per request, so a scan over a whole table pays no
 * per-record dispatch on the filter's shape. Always equivalent to `matches(filter, record)`: top-level scalar
 * conditions on numbers, strings and booleans get specialised tests; everything else defers to `matches`.
 */
export function compileFilter(filter: Filter): Predicate {
  switch (filter.kind) {
    case 'all':
      return () => true
    case 'none':
      return () => false
    case 'and': {
      const parts = filter.items.map(compileFilter)
      if (parts.length === 2) {
        const [a, b] = parts as [Predicate, Predicate]
        return (r) => a(r) && b(r)
      }
      return (r) => {
        for (const part of parts) if (!part(r)) return false
        return true
      }
    }
    case 'or': {
      const parts = filter.items.map(compileFilter)
      return (r) => {
        for (const part of parts) if (part(r)) return true
        return false
      }
    }
    case 'field': {
      const general: Predicate = (r) => matches(filter, r)
      if (filter.segments.length !== 1 || filter.date || filter.conditions.length !== 1) return general
      const key = filter.segments[0] as string
      const test = scalarTest(filter.conditions[0] as Condition)
      if (!test) return general
      // Arrays and objects need MongoDB's element-wise rules: hand those records to the general matcher.
      return (r) => {
        const value = r[key]
        if (typeof value === 'object' && value !== null && (Array.isArray(value) || isPlainObject(value))) return general(r)
        return test(value, value !== undefined || Object.hasOwn(r, key))
      }
    }
  }
}

/** A test for one condition against a scalar (or missing) value, or null when no shortcut applies. */
function scalarTest(condition: Condition): ((value: unknown, found: boolean) => boolean) | null {
  if (condition.op === '$regex' || condition.op === '$exists' || condition.op === '$in' || condition.op === '$nin') return null
  const operand = condition.value
  if (typeof operand === 'number') {
    switch (condition.op) {
      case '$eq':
        return (v) => v === operand
      case '$ne':
        return (v) => v !== operand
      case '$gt':
        return (v) => typeof v === 'number' && v > operand
      case '$gte':
        return (v) => typeof v === 'number' && v >= operand
      case '$lt':
        return (v) => typeof v === 'number' && v < operand
      case '$lte':
        return (v) => typeof v === 'number' && v <= operand
    }
  }
  if (typeof operand === 'string' || typeof operand === 'boolean') {
    if (condition.op === '$eq') return (v) => v === operand
    if (condition.op === '$ne') return (v) => v !== operand
  }
  if (operand === null && (condition.op === '$eq' || condition.op === '$ne')) {
    const eq = (v: unknown, found: boolean) => !found || v === null || equalValues(v, null)
    return condition.op === '$eq' ? eq : (v, found) => !eq(v, found)
  }
  return null
}
