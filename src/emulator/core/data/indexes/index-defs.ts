import { invalid } from '../../errors.js'
import { VALIDATION, type IndexDef } from '../model.js'
import { isPlainObject, splitPath, valuesAt } from '../query/path.js'

export const INDEX_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/
export const MAX_INDEXES = 64
const MAX_INDEX_FIELDS = 32
const PATH_SEGMENT = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/

const fail = (field: string, rule: string, message: string) => invalid(VALIDATION, `Invalid index: ${message}`, [{ field, rule, message }])

/** Validates one `{ name, fields, unique, sparse }` input (rest-data.md §7). */
export function normalizeIndex(raw: unknown): IndexDef {
  if (!isPlainObject(raw)) throw fail('index', 'type', 'an index is an object { name, fields, unique, sparse }')
  for (const key of Object.keys(raw)) if (!['name', 'fields', 'unique', 'sparse'].includes(key)) throw fail('index', 'definition', `unknown key "${key}"`)
  const { name, fields, unique = false, sparse = false } = raw
  if (typeof name !== 'string') throw fail('name', 'type', 'name is required')
  if (name.startsWith('_')) throw fail('name', 'reserved', `index names starting with "_" are reserved (${name})`)
  if (!INDEX_NAME.test(name)) throw fail('name', 'pattern', `index name "${name}" must match ${INDEX_NAME.source}`)
  if (!isPlainObject(fields)) throw fail(`${name}.fields`, 'type', `fields of ${name} must be an object { field: 1 | -1 }`)
  const entries = Object.entries(fields)
  if (entries.length < 1 || entries.length > MAX_INDEX_FIELDS) throw fail(`${name}.fields`, 'size', `an index has 1 to ${MAX_INDEX_FIELDS} fields`)
  const out: Record<string, 1 | -1> = {}
  for (const [path, direction] of entries) {
    if (!splitPath(path).every((s) => PATH_SEGMENT.test(s))) throw fail(`${name}.fields`, 'pattern', `"${path}" is not a field name or dot path`)
    if (direction !== 1 && direction !== -1) throw fail(`${name}.fields.${path}`, 'enum', `direction of ${path} must be 1 or -1`)
    out[path] = direction
  }
  if (typeof unique !== 'boolean' || typeof sparse !== 'boolean') throw fail(name, 'type', 'unique and sparse must be booleans')
  return { name, fields: out, unique, sparse }
}

/** The index a `unique: true` field declaration creates (§7). */
export const uniqueFieldIndex = (field: string): IndexDef => ({ name: `${field}_unique`, fields: { [field]: 1 }, unique: true, sparse: false })

const MAX_KEYS_PER_RECORD = 1000

/** Stable text for a value: objects with sorted keys, so equal values give equal keys. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (isPlainObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(value === undefined ? null : value)
}

/** The key of one indexed value (what equality lookups use). */
export const valueKey = (values: readonly unknown[]): string => values.map(canonical).join('\u0000')

/**
 * The keys a record contributes to an index, with MongoDB rules: a missing field is null (unless the index is
 * sparse and every indexed field is missing: then no key), an array contributes each element, a compound index
 * the combinations of its fields' keys.
 */
export function indexKeys(record: Record<string, unknown>, def: IndexDef): string[] {
  const perField: unknown[][] = []
  let present = 0
  for (const path of Object.keys(def.fields)) {
    const reached = valuesAt(record, splitPath(path))
    if (reached.length > 0) present++
    const values = reached.flatMap((v) => (Array.isArray(v) ? (v.length === 0 ? [null] : v) : [v]))
    perField.push(values.length === 0 ? [null] : [...new Map(values.map((v) => [canonical(v), v])).values()])
  }
  if (def.sparse && present === 0) return []
  let tuples: unknown[][] = [[]]
  for (const values of perField) {
    tuples = tuples.flatMap((t) => values.map((v) => [...t, v]))
    if (tuples.length > MAX_KEYS_PER_RECORD) tuples = tuples.slice(0, MAX_KEYS_PER_RECORD)
  }
  return tuples.map(valueKey)
}
