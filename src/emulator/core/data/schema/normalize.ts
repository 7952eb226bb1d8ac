import { invalid } from '../../errors.js'
import type { ErrorDetail } from '../../errors.js'
import { RESERVED_FIELDS, VALIDATION, type BsonType, type FieldDef, type ObjectSchema } from '../model.js'

export const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/

/**
 * Names every JavaScript object answers without owning them (`constructor`, `toString`, …): a record leaving such a
 * field out would still seem to hold it to code that reads fields as plain properties, so no level may declare one.
 */
const OBJECT_MEMBERS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype'])

/** Every spelling of a type the input forms accept (rest-data.md §3.1), abstract or bsonType. */
const TYPE_ALIASES: Record<string, BsonType> = {
  string: 'string',
  number: 'double',
  double: 'double',
  float: 'double',
  decimal: 'double',
  int: 'int',
  integer: 'int',
  long: 'int',
  bool: 'bool',
  boolean: 'bool',
  date: 'date',
  object: 'object',
  array: 'array',
  reference: 'objectId',
  objectId: 'objectId',
}

const DEF_KEYS = new Set(['type', 'bsonType', 'required', 'unique', 'properties', 'items', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'enum', 'default', 'description', 'title', 'ref'])
const STORED_SCHEMA_KEYS = new Set(['bsonType', 'type', 'required', 'properties', 'description', 'title', 'additionalProperties'])

/** A normalised field plus the two flags that live outside the field in the stored form. */
export interface NormalizedField {
  def: FieldDef
  required: boolean
  unique: boolean
}

export interface NormalizedSchema {
  schema: ObjectSchema
  /** Top-level fields declared `unique: true`: each becomes an index `<field>_unique`. */
  uniqueFields: string[]
}

function fail(field: string, rule: string, message: string): never {
  const details: ErrorDetail[] = [{ field, rule, message }]
  throw invalid(VALIDATION, `Invalid schema at ${field || '(root)'}: ${message}`, details)
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** Accepts a field map `{ field: def }` or the stored `{ bsonType: 'object', required, properties }` form. */
export function normalizeSchema(input: unknown): NormalizedSchema {
  if (input === undefined || input === null) return { schema: { bsonType: 'object', required: [], properties: {} }, uniqueFields: [] }
  if (!isObject(input)) fail('schema', 'type', 'must be an object: a map of field definitions or { bsonType: "object", properties }')
  // The stored form; `type: "object"` with `properties` (plain JSON Schema) is read the same way.
  const stored = (input.bsonType === 'object' || (input.type === 'object' && isObject(input.properties))) && Object.keys(input).every((k) => STORED_SCHEMA_KEYS.has(k))
  const properties = stored ? (input.properties ?? {}) : input
  if (!isObject(properties)) fail('properties', 'type', 'must be an object of field definitions')
  const fields = normalizeFields(properties, '', true)
  const required = new Set(fields.required)
  if (stored && input.required !== undefined) for (const name of requiredList(input.required, '')) required.add(name)
  for (const name of required) if (!Object.hasOwn(fields.properties, name)) fail(name, 'required', `required field "${name}" is not declared`)
  return { schema: { bsonType: 'object', required: [...required], properties: fields.properties }, uniqueFields: fields.unique }
}

/** Normalises the definitions of one object level; `path` prefixes nested names in messages. */
export function normalizeFields(input: Record<string, unknown>, path: string, topLevel: boolean): { properties: Record<string, FieldDef>; required: string[]; optional: string[]; unique: string[] } {
  const properties: Record<string, FieldDef> = {}
  const required: string[] = []
  const optional: string[] = []
  const unique: string[] = []
  for (const [name, raw] of Object.entries(input)) {
    const at = path ? `${path}.${name}` : name
    assertFieldName(name, at, topLevel)
    const field = normalizeField(raw, at)
    if (field.unique && !topLevel) fail(at, 'unique', 'unique is only supported on top-level fields; use an index on the dot path')
    properties[name] = field.def
    if (field.required) required.push(name)
    else if (isObject(raw) && raw.required === false) optional.push(name)
    if (field.unique) unique.push(name)
  }
  return { properties, required, optional, unique }
}

export function assertFieldName(name: string, at: string, topLevel: boolean): void {
  if (!FIELD_NAME.test(name)) fail(at, 'pattern', 'field names start with a letter, then letters, digits or _ (at most 64 characters)')
  if (OBJECT_MEMBERS.has(name)) fail(at, 'reserved', `"${name}" is the name of a built-in member of every JavaScript object and cannot be a field name; choose another name (e.g. "${name}Value")`)
  if (topLevel && RESERVED_FIELDS.has(name)) fail(at, 'reserved', `"${name}" is a system field and cannot be declared`)
}

function requiredList(value: unknown, at: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) fail(at ? `${at}.required` : 'required', 'type', 'required must be an array of field names')
  return [...new Set(value as string[])]
}

function bsonTypeOf(raw: Record<string, unknown>, at: string): BsonType {
  const spelled = raw.bsonType ?? raw.type
  if (typeof spelled !== 'string') fail(at, 'type', 'a field needs a type (string, number, boolean, date, object, array, reference) or a bsonType')
  const type = Object.hasOwn(TYPE_ALIASES, spelled) ? TYPE_ALIASES[spelled] : undefined
  if (!type) fail(at, 'type', `unknown type "${spelled}"`)
  return type
}

/** One field definition in any accepted spelling → the stored form. */
export function normalizeField(raw: unknown, at: string): NormalizedField {
  if (!isObject(raw)) fail(at, 'type', 'a field definition must be an object such as { "type": "string" }')
  for (const key of Object.keys(raw)) if (!DEF_KEYS.has(key)) fail(at, 'definition', `unknown keyword "${key}"`)
  const type = bsonTypeOf(raw, at)
  const def: FieldDef = { bsonType: type }
  const only = (key: string, types: BsonType[]) => {
    if (raw[key] !== undefined && !types.includes(type)) fail(at, key, `${key} applies to ${types.join('/')} fields only`)
    return raw[key] !== undefined
  }
  const count = (key: 'minLength' | 'maxLength') => {
    const v = raw[key]
    if (!Number.isSafeInteger(v) || (v as number) < 0) fail(at, key, `${key} must be a non-negative integer`)
    def[key] = v as number
  }
  const bound = (key: 'minimum' | 'maximum') => {
    const v = raw[key]
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(at, key, `${key} must be a finite number`)
    def[key] = v
  }
  if (only('pattern', ['string'])) {
    if (typeof raw.pattern !== 'string') fail(at, 'pattern', 'pattern must be a string')
    try {
      new RegExp(raw.pattern, 'u')
    } catch {
      fail(at, 'pattern', `pattern is not a valid regular expression: ${raw.pattern}`)
    }
    def.pattern = raw.pattern
  }
  if (only('minLength', ['string'])) count('minLength')
  if (only('maxLength', ['string'])) count('maxLength')
  if (def.minLength !== undefined && def.maxLength !== undefined && def.minLength > def.maxLength) fail(at, 'minLength', 'minLength is greater than maxLength')
  if (only('minimum', ['int', 'double'])) bound('minimum')
  if (only('maximum', ['int', 'double'])) bound('maximum')
  if (def.minimum !== undefined && def.maximum !== undefined && def.minimum > def.maximum) fail(at, 'minimum', 'minimum is greater than maximum')
  if (raw.enum !== undefined) {
    if (type === 'object' || type === 'array') fail(at, 'enum', 'enum applies to scalar fields only')
    if (!Array.isArray(raw.enum) || raw.enum.length === 0 || raw.enum.some((v) => v === null || typeof v === 'object')) fail(at, 'enum', 'enum must be a non-empty array of scalar values')
    def.enum = [...raw.enum]
  }
  if (only('items', ['array'])) def.items = normalizeField(raw.items, `${at}[]`).def
  if (only('properties', ['object'])) {
    if (!isObject(raw.properties)) fail(at, 'properties', 'properties must be an object of field definitions')
    const nested = normalizeFields(raw.properties, at, false)
    def.properties = nested.properties
    def.required = nested.required
  }
  let required = false
  if (raw.required !== undefined) {
    if (typeof raw.required === 'boolean') required = raw.required
    else if (type === 'object') {
      const list = requiredList(raw.required, at)
      for (const name of list) if (!def.properties || !(name in def.properties)) fail(`${at}.${name}`, 'required', `required field "${name}" is not declared`)
      def.required = [...new Set([...(def.required ?? []), ...list])]
    } else fail(at, 'required', 'required must be true or false')
  }
  if (type === 'object' && def.properties && !def.required) def.required = []
  if (raw.unique !== undefined && typeof raw.unique !== 'boolean') fail(at, 'unique', 'unique must be true or false')
  if (only('ref', ['objectId'])) {
    if (typeof raw.ref !== 'string' || raw.ref === '') fail(at, 'ref', 'ref must be a table name')
    def.ref = raw.ref
  }
  for (const key of ['description', 'title'] as const) {
    if (raw[key] === undefined) continue
    if (typeof raw[key] !== 'string') fail(at, key, `${key} must be a string`)
    def[key] = raw[key] as string
  }
  if (raw.default !== undefined) def.default = structuredClone(raw.default)
  return { def, required, unique: raw.unique === true }
}
