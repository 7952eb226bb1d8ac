import { invalid, type ErrorDetail } from '../../errors.js'
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../input.js'
import { SYSTEM_FIELDS, VALIDATION, type FieldDef, type ObjectSchema } from '../model.js'
import { isPlainObject } from '../query/path.js'
import { isoDate } from './dates.js'

/** Record bodies before validation: shape and key rules, system fields, defaults, canonical dates (rest-data.md §3). */

/**
 * The body must be a JSON object (no body at all is `{}`; `null` is not an object) at most MAX_JSON_DEPTH levels
 * deep, whose keys, at any depth, are not empty, `$`-prefixed or dotted (§3.3).
 */
export function checkBody(body: unknown): Record<string, unknown> {
  if (body === undefined) return {}
  if (!isPlainObject(body)) throw invalid(VALIDATION, `The request body must be a JSON object of fields, not ${body === null ? 'null' : Array.isArray(body) ? 'an array' : `a ${typeof body}`}`, [{ field: '(body)', rule: 'type', message: 'must be an object' }])
  if (nestsDeeperThan(body)) throw invalid(VALIDATION, `The request body nests deeper than ${MAX_JSON_DEPTH} levels of objects and arrays; flatten it`, [{ field: '(body)', rule: 'depth', message: `at most ${MAX_JSON_DEPTH} levels` }])
  const details: ErrorDetail[] = []
  const walk = (value: unknown, path: string) => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}.${i}`))
    else if (isPlainObject(value)) {
      for (const [key, inner] of Object.entries(value)) {
        const at = path ? `${path}.${key}` : key
        if (key === '' || key.startsWith('$') || key.includes('.')) {
          details.push({ field: at || '(empty key)', rule: 'pattern', message: 'keys may not be empty, start with "$" or contain "."' })
        } else walk(inner, at)
      }
    }
  }
  walk(body, '')
  if (details.length > 0) throw invalid(VALIDATION, `Invalid field names: ${details.map((d) => JSON.stringify(d.field)).join(', ')}`, details)
  return body
}

/** System fields in a write body are ignored (RD-D4). */
export function withoutSystemFields(body: Record<string, unknown>): Record<string, unknown> {
  const out = { ...body }
  for (const field of [...SYSTEM_FIELDS, '_id']) delete out[field]
  return out
}

/** Applies `default`s of absent fields, at the top level and inside objects the body carries (create only). */
export function applyDefaults(schema: ObjectSchema, body: Record<string, unknown>): Record<string, unknown> {
  const fill = (properties: Record<string, FieldDef>, target: Record<string, unknown>): Record<string, unknown> => {
    const out = { ...target }
    for (const [name, def] of Object.entries(properties)) {
      if (!Object.hasOwn(out, name) && def.default !== undefined) out[name] = structuredClone(def.default)
      if (def.properties && isPlainObject(out[name])) out[name] = fill(def.properties, out[name])
    }
    return out
  }
  return fill(schema.properties, body)
}

/** Rewrites valid `date` values to the canonical ISO UTC form with milliseconds (§3.1). */
export function canonicalDates(schema: ObjectSchema, record: Record<string, unknown>): Record<string, unknown> {
  const convert = (def: FieldDef, value: unknown): unknown => {
    if (value === null || value === undefined) return value
    if (def.bsonType === 'date') return isoDate(value) ?? value
    if (def.bsonType === 'array' && def.items && Array.isArray(value)) return value.map((v) => convert(def.items as FieldDef, v))
    if (def.bsonType === 'object' && def.properties && isPlainObject(value)) return walk(def.properties, value)
    return value
  }
  const walk = (properties: Record<string, FieldDef>, target: Record<string, unknown>) => {
    let out: Record<string, unknown> | null = null
    for (const [name, def] of Object.entries(properties)) {
      if (!Object.hasOwn(target, name)) continue
      const next = convert(def, target[name])
      if (next !== target[name]) (out ??= { ...target })[name] = next
    }
    return out ?? target
  }
  return walk(schema.properties, record)
}
