/**
 * The table file form (`bkend/tables/<name>.json`, schemas/table.schema.json) ↔ TableModel. Files use the abstract
 * types people write (`"type": "number"`, `"required": true` on the field); the model holds the stored bsonType form
 * `backend_table_get` returns. The mapping mirrors the emulator's schema normaliser, so stored → file → stored is
 * lossless. Pure: problems are reported through a sink, never thrown.
 */
import type { BsonType, ColumnPermissions, ExpressionPermissions, FieldDef, IndexDef, PermissionMap, RowFilter } from '../contract/tables.js'
import type { TableModel } from './model.js'
import type { ProblemSink } from './problems.js'

export const FIELD_TYPES = ['string', 'number', 'int', 'boolean', 'date', 'object', 'array', 'reference'] as const
export type FieldType = (typeof FIELD_TYPES)[number]

/** One field as a table file declares it; key order here is the order files are written in (the schema's). */
export interface FileField {
  type: FieldType
  ref?: string
  required?: boolean
  description?: string
  title?: string
  enum?: (string | number | boolean)[]
  default?: unknown
  pattern?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  properties?: Record<string, FileField>
  items?: FileField
}

export interface FileIndex {
  name: string
  fields: Record<string, 1 | -1>
  unique?: boolean
  sparse?: boolean
}

export interface TableFile {
  $schema?: string
  name: string
  displayName?: string
  description?: string
  fields: Record<string, FileField>
  indexes?: FileIndex[]
  permissions?: PermissionMap
  expressionPermissions?: ExpressionPermissions
  columnPermissions?: ColumnPermissions
  rowFilters?: RowFilter[]
}

const TO_BSON: Record<FieldType, BsonType> = { string: 'string', number: 'double', int: 'int', boolean: 'bool', date: 'date', object: 'object', array: 'array', reference: 'objectId' }
const TO_FILE = Object.fromEntries(Object.entries(TO_BSON).map(([file, bson]) => [bson, file])) as Record<BsonType, FieldType>

/** Which types each constraint applies to (as the emulator enforces it). */
const APPLIES: Partial<Record<keyof FileField, FieldType[]>> = {
  pattern: ['string'],
  minLength: ['string'],
  maxLength: ['string'],
  minimum: ['number', 'int'],
  maximum: ['number', 'int'],
  enum: ['string', 'number', 'int', 'boolean', 'date', 'reference'],
  properties: ['object'],
  items: ['array'],
  ref: ['reference'],
}

/** Table names the target refuses, whatever their case (built-in tables and route segments). */
const RESERVED_TABLES = new Set(['data', 'auth', 'users', 'files', 'accounts', 'sessions'])
const GROUPS = ['admin', 'user', 'guest', 'self'] as const
const OPERATIONS = ['create', 'read', 'update', 'delete', 'list'] as const

/** The table as its file holds it: empty permission objects and false index flags are left out. */
export function tableToFile(table: TableModel, schemaRef?: string): TableFile {
  const file = { ...(schemaRef ? { $schema: schemaRef } : {}), name: table.name } as TableFile
  if (table.displayName !== null) file.displayName = table.displayName
  if (table.description !== null) file.description = table.description
  file.fields = fieldsToFile(table.schema.properties, table.schema.required)
  if (table.indexes.length) {
    file.indexes = [...table.indexes]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((i) => ({ name: i.name, fields: { ...i.fields }, ...(i.unique ? { unique: true } : {}), ...(i.sparse ? { sparse: true } : {}) }))
  }
  if (table.permissions) file.permissions = orderPermissions(table.permissions)
  if (table.expressionPermissions) file.expressionPermissions = ordered(table.expressionPermissions, OPERATIONS)
  if (table.columnPermissions) {
    file.columnPermissions = Object.fromEntries(
      Object.keys(table.columnPermissions)
        .sort()
        .map((column) => [column, ordered(table.columnPermissions![column]!, ['read', 'write'])]),
    )
  }
  if (table.rowFilters?.length) file.rowFilters = structuredClone(table.rowFilters)
  return file
}

function fieldsToFile(properties: Record<string, FieldDef>, required: readonly string[]): Record<string, FileField> {
  const out: Record<string, FileField> = {}
  for (const [name, def] of Object.entries(properties)) out[name] = fieldToFile(def, required.includes(name))
  return out
}

function fieldToFile(def: FieldDef, required: boolean): FileField {
  const field: FileField = { type: TO_FILE[def.bsonType] }
  if (def.ref !== undefined) field.ref = def.ref
  if (required) field.required = true
  if (def.description !== undefined) field.description = def.description
  if (def.title !== undefined) field.title = def.title
  if (def.enum !== undefined) field.enum = structuredClone(def.enum) as FileField['enum']
  if (def.default !== undefined) field.default = structuredClone(def.default)
  if (def.pattern !== undefined) field.pattern = def.pattern
  for (const key of ['minLength', 'maxLength', 'minimum', 'maximum'] as const) if (def[key] !== undefined) field[key] = def[key]
  if (def.properties !== undefined) field.properties = fieldsToFile(def.properties, def.required ?? [])
  if (def.items !== undefined) field.items = fieldToFile(def.items, false)
  return field
}

/**
 * The model a table file declares. The file has passed the JSON Schema; what a schema cannot say (a constraint on
 * the wrong type, two indexes of one name, the file named after another table) goes to `problem`.
 */
export function tableFromFile(file: TableFile, expectedName: string, problem: ProblemSink): TableModel {
  if (RESERVED_TABLES.has(file.name.toLowerCase())) problem('name', `"${file.name}" is reserved for a built-in table or route`, `choose another name (reserved: ${[...RESERVED_TABLES].join(', ')}); the built-in tables are not declared in config`)
  if (file.name !== expectedName) problem('name', `the table is named "${file.name}" but the file is ${expectedName}.json`, `rename the file to ${file.name}.json, or write "name": "${expectedName}"`)
  const { properties, required } = fieldsFromFile(file.fields, 'fields', problem)
  const seen = new Set<string>()
  const indexes: IndexDef[] = (file.indexes ?? []).map((index, i) => {
    if (seen.has(index.name)) problem(`indexes[${i}].name`, `a second index is named "${index.name}"`, 'give each index its own name, or merge the two')
    seen.add(index.name)
    return { name: index.name, fields: { ...index.fields }, unique: index.unique ?? false, sparse: index.sparse ?? false }
  })
  return {
    name: file.name,
    displayName: file.displayName ?? null,
    description: file.description ?? null,
    schema: { bsonType: 'object', required, properties },
    indexes,
    permissions: file.permissions && Object.keys(file.permissions).length ? structuredClone(file.permissions) : null,
    expressionPermissions: file.expressionPermissions && Object.keys(file.expressionPermissions).length ? { ...file.expressionPermissions } : null,
    columnPermissions: file.columnPermissions && Object.keys(file.columnPermissions).length ? structuredClone(file.columnPermissions) : null,
    rowFilters: file.rowFilters?.length ? structuredClone(file.rowFilters) : null,
  }
}

function fieldsFromFile(fields: Record<string, FileField>, at: string, problem: ProblemSink): { properties: Record<string, FieldDef>; required: string[] } {
  const properties: Record<string, FieldDef> = {}
  const required: string[] = []
  for (const [name, field] of Object.entries(fields)) {
    properties[name] = fieldFromFile(field, `${at}.${name}`, problem)
    if (field.required) required.push(name)
  }
  return { properties, required }
}

function fieldFromFile(field: FileField, at: string, problem: ProblemSink): FieldDef {
  for (const [key, types] of Object.entries(APPLIES)) {
    if (field[key as keyof FileField] !== undefined && !types.includes(field.type)) {
      problem(`${at}.${key}`, `${key} does not apply to a ${field.type} field`, `remove it, or make the field ${types.map((t) => `"${t}"`).join(' or ')}`)
    }
  }
  const def: FieldDef = { bsonType: TO_BSON[field.type] }
  for (const key of ['pattern', 'ref', 'description', 'title'] as const) if (field[key] !== undefined) def[key] = field[key]
  for (const key of ['minLength', 'maxLength', 'minimum', 'maximum'] as const) if (field[key] !== undefined) def[key] = field[key]
  if (field.pattern !== undefined && !validPattern(field.pattern)) problem(`${at}.pattern`, `"${field.pattern}" is not a valid regular expression`, 'write a JavaScript regular expression without the surrounding slashes')
  if (field.minLength !== undefined && field.maxLength !== undefined && field.minLength > field.maxLength) problem(`${at}.minLength`, 'minLength is greater than maxLength', 'swap them, or lower minLength')
  if (field.minimum !== undefined && field.maximum !== undefined && field.minimum > field.maximum) problem(`${at}.minimum`, 'minimum is greater than maximum', 'swap them, or lower minimum')
  if (field.enum !== undefined) {
    def.enum = [...field.enum]
    field.enum.forEach((v, i) => {
      if (!holds(field.type, v)) problem(`${at}.enum[${i}]`, `${JSON.stringify(v)} is not ${TYPE_WORDS[field.type]}`, `write ${TYPE_WORDS[field.type]}, or change the field's type`)
    })
  }
  if (field.default !== undefined) {
    def.default = structuredClone(field.default)
    if (!holds(field.type, field.default)) problem(`${at}.default`, `${JSON.stringify(field.default)} is not ${TYPE_WORDS[field.type]}`, `write ${TYPE_WORDS[field.type]}, or remove the default`)
    else if (field.enum && !field.enum.includes(field.default as never)) problem(`${at}.default`, `${JSON.stringify(field.default)} is not one of the enum values`, `write one of: ${field.enum.map((v) => JSON.stringify(v)).join(', ')}`)
  }
  if (field.properties !== undefined && field.type === 'object') {
    const nested = fieldsFromFile(field.properties, `${at}.properties`, problem)
    def.properties = nested.properties
    def.required = nested.required
  }
  if (field.items !== undefined && field.type === 'array') {
    if (field.items.required !== undefined) problem(`${at}.items.required`, 'an array element cannot be required', 'remove it; to require the array itself, write "required": true on the array field')
    def.items = fieldFromFile(field.items, `${at}.items`, problem)
  }
  return def
}

const TYPE_WORDS: Record<FieldType, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  date: 'a date (ISO 8601 string or epoch milliseconds)',
  object: 'an object',
  array: 'an array',
  reference: 'a record id (string)',
}

/** Whether a value has the JSON shape of a type (constraints are the target's to check when the table is saved). */
function holds(type: FieldType, value: unknown): boolean {
  switch (type) {
    case 'string':
    case 'reference':
      return typeof value === 'string'
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
    case 'int':
      return Number.isSafeInteger(value)
    case 'boolean':
      return typeof value === 'boolean'
    case 'date':
      return (typeof value === 'string' && !Number.isNaN(Date.parse(value))) || (typeof value === 'number' && Number.isFinite(value))
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value)
    case 'array':
      return Array.isArray(value)
  }
}

function validPattern(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u')
    return true
  } catch {
    return false
  }
}

function orderPermissions(map: PermissionMap): PermissionMap {
  const out: PermissionMap = {}
  for (const group of GROUPS) if (map[group]) out[group] = ordered(map[group], OPERATIONS)
  return out
}

/** A copy with `order`'s keys first in that order (keys outside it follow, sorted), so written files are stable. */
function ordered<T extends object>(value: T, order: readonly string[]): T {
  const keys = Object.keys(value)
  const sorted = [...order.filter((k) => keys.includes(k)), ...keys.filter((k) => !order.includes(k)).sort()]
  return Object.fromEntries(sorted.map((k) => [k, (value as Record<string, unknown>)[k]])) as T
}
