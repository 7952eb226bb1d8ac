import type { Condition, Filter } from './filter.js'
import { matches } from './match.js'

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
      return scalarField(filter.segments[0] as string, filter.conditions[0] as Condition, general) ?? general
    }
  }
}

/**
 * A reader of a record's own field. Fields named like Object.prototype members are absent unless the record holds
 * them; any other name is read directly (records are plain objects, so nothing else can answer for them), which
 * saves a call per record on a scan.
 */
function ownField(key: string): (r: Record<string, unknown>) => unknown {
  if (key in Object.prototype) return (r) => (Object.hasOwn(r, key) ? r[key] : undefined)
  return (r) => r[key]
}

/**
 * One closure per top-level scalar condition. Arrays and objects need MongoDB's element-wise rules, so records
 * holding one there go to the general matcher.
 */
function scalarField(key: string, condition: Condition, general: Predicate): Predicate | null {
  const own = ownField(key)
  const nested = (v: unknown) => typeof v === 'object' && v !== null
  if (condition.op === '$regex' || condition.op === '$exists' || condition.op === '$in' || condition.op === '$nin') return null
  const x = condition.value
  if (typeof x === 'number') {
    switch (condition.op) {
      case '$eq':
        return (r) => {
          const v = own(r)
          return v === x || (nested(v) && general(r))
        }
      case '$ne':
        return (r) => {
          const v = own(r)
          return nested(v) ? general(r) : v !== x
        }
      case '$gt':
        return (r) => {
          const v = own(r)
          return typeof v === 'number' ? v > x : nested(v) && general(r)
        }
      case '$gte':
        return (r) => {
          const v = own(r)
          return typeof v === 'number' ? v >= x : nested(v) && general(r)
        }
      case '$lt':
        return (r) => {
          const v = own(r)
          return typeof v === 'number' ? v < x : nested(v) && general(r)
        }
      case '$lte':
        return (r) => {
          const v = own(r)
          return typeof v === 'number' ? v <= x : nested(v) && general(r)
        }
    }
  }
  if (typeof x === 'string' || typeof x === 'boolean') {
    if (condition.op === '$eq') {
      return (r) => {
        const v = own(r)
        return v === x || (nested(v) && general(r))
      }
    }
    if (condition.op === '$ne') {
      return (r) => {
        const v = own(r)
        return nested(v) ? general(r) : v !== x
      }
    }
  }
  return null
}
