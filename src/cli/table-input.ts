import { readFile } from 'node:fs/promises'
import { text } from 'node:stream/consumers'
import type { TableIndex, TablePermissions } from '../contract/tables.js'
import { CliError } from './errors.js'

/** The abstract column types of the schema editor (rest-data.md §3.1); bsonType names are accepted too. */
export const FIELD_TYPES = ['string', 'number', 'boolean', 'date', 'object', 'array', 'reference', 'int', 'double', 'bool', 'objectId'] as const

/** The groups of the boolean permission model (rest-data.md §8.1); admin always has every permission. */
const GROUPS = ['admin', 'user', 'guest', 'self'] as const
const OPERATIONS = ['create', 'read', 'update', 'delete', 'list'] as const
/** Fields the server puts on every record (rest-data.md §3.3, §3.4): a schema cannot declare them, so input that does is a copy of output. */
const SYSTEM_FIELDS = new Set(['id', '_id', 'createdBy', 'createdAt', 'updatedAt'])
const PERMISSION_KEYS = ['permissions', 'expressionPermissions', 'columnPermissions', 'rowFilters'] as const

/** What `tables create --schema` asks for: the schema, plus what a whole table object (`tables get --json`) carries. */
export interface TableSpec {
  tableName?: string
  schema: Record<string, unknown>
  displayName?: string
  description?: string
  /** Indexes beyond the system `_id_` one. */
  indexes: TableIndex[]
  /** Only when the input had any permission object that is not null. */
  permissions?: TablePermissions
}

/** `title:string!` → `{ title: { type: 'string', required: true } }`; the type defaults to string. */
export function parseFieldSpecs(specs: string[]): Record<string, Record<string, unknown>> {
  const fields: Record<string, Record<string, unknown>> = {}
  for (const spec of specs) {
    const match = /^([A-Za-z][A-Za-z0-9_]*)(?::([A-Za-z]+))?(!)?$/.exec(spec)
    if (!match) throw usage(`--field ${spec}: expected name[:type][!], e.g. title:string! (! = required)`)
    const [, name, type = 'string', required] = match
    if (!(FIELD_TYPES as readonly string[]).includes(type)) throw usage(`--field ${spec}: unknown type "${type}" (one of ${FIELD_TYPES.join(', ')})`)
    fields[name!] = { type, ...(required ? { required: true } : {}) }
  }
  return fields
}

/** A field definition from `tables fields add` flags: the type plus the constraints of rest-data.md §3.2. */
export function fieldDefinition(flags: { type: string; 'min-length'?: number; 'max-length'?: number; minimum?: number; maximum?: number; pattern?: string; enum?: string[]; default?: string; ref?: string; description?: string }): Record<string, unknown> {
  const def: Record<string, unknown> = { type: flags.type }
  if (flags['min-length'] !== undefined) def.minLength = flags['min-length']
  if (flags['max-length'] !== undefined) def.maxLength = flags['max-length']
  if (flags.minimum !== undefined) def.minimum = flags.minimum
  if (flags.maximum !== undefined) def.maximum = flags.maximum
  if (flags.pattern !== undefined) def.pattern = flags.pattern
  if (flags.enum?.length) def.enum = flags.enum
  if (flags.ref !== undefined) def.ref = flags.ref
  if (flags.description !== undefined) def.description = flags.description
  if (flags.default !== undefined) def.default = parseLoose(flags.default)
  return def
}

/** `title` / `title:1` / `createdAt:-1` → an index fields map. */
export function parseIndexFields(specs: string[]): TableIndex['fields'] {
  const fields: TableIndex['fields'] = {}
  for (const spec of specs) {
    const match = /^([A-Za-z_][A-Za-z0-9_.]*)(?::(1|-1|asc|desc))?$/.exec(spec)
    if (!match) throw usage(`--field ${spec}: expected name[:1|-1], e.g. createdAt:-1`)
    fields[match[1]!] = match[2] === '-1' || match[2] === 'desc' ? -1 : 1
  }
  return fields
}

/** `user=create,read,list` flags → the boolean permission map (operations not named are false). */
export function parseGrants(grants: string[]): Record<string, Record<string, boolean>> {
  const map: Record<string, Record<string, boolean>> = {}
  for (const grant of grants) {
    const match = /^([a-z]+)=([a-z,]*)$/.exec(grant)
    if (!match || !(GROUPS as readonly string[]).includes(match[1]!)) throw usage(`--allow ${grant}: expected <${GROUPS.join('|')}>=<operations>, e.g. user=create,read,list`)
    const ops = match[2]!.split(',').filter(Boolean)
    const unknown = ops.find((op) => !(OPERATIONS as readonly string[]).includes(op))
    if (unknown) throw usage(`--allow ${grant}: unknown operation "${unknown}" (one of ${OPERATIONS.join(', ')})`)
    const group = match[1]!
    map[group] = Object.fromEntries(OPERATIONS.filter((op) => !(group === 'self' && op === 'create')).map((op) => [op, ops.includes(op)]))
  }
  return map
}

/**
 * Permissions from a JSON file: either the whole `{ permissions, expressionPermissions, columnPermissions,
 * rowFilters }` object, or just the boolean map.
 */
export async function readPermissionsFile(path: string): Promise<TablePermissions> {
  const value = await readJsonFile(path)
  if (!isObject(value)) throw usage(`${sourceName(path)}: expected a JSON object`)
  if (PERMISSION_KEYS.some((key) => key in value)) return value as unknown as TablePermissions
  return { permissions: value }
}

/**
 * `--schema` input: a `{ field: definition }` map, the stored `{ bsonType, required, properties }` form, or a whole
 * table as `tables get --json` prints it (read when it has a string `tableName` or a stored-form `schema`). System
 * fields are dropped: every table has them, and the server refuses a schema that declares them.
 */
export async function readTableSpec(source: string): Promise<TableSpec> {
  const value = await readJsonFile(source)
  if (!isObject(value)) throw usage(`${sourceName(source)}: expected a JSON object (a field map, a { bsonType, properties } schema, or a table as 'bkend tables get --json' prints it)`)
  const whole = typeof value.tableName === 'string' || (isObject(value.schema) && value.schema.bsonType === 'object')
  if (!whole) return { schema: withoutSystemFields(value), indexes: [] }
  if (!isObject(value.schema)) throw usage(`${sourceName(source)}: the table's "schema" must be an object`)
  if (value.indexes !== undefined && !Array.isArray(value.indexes)) throw usage(`${sourceName(source)}: the table's "indexes" must be an array`)
  const indexes = ((value.indexes ?? []) as TableIndex[]).filter((index) => !index.system && index.name !== '_id_').map(({ system: _system, ...index }) => index)
  const permissions = PERMISSION_KEYS.some((key) => value[key] !== undefined && value[key] !== null) ? (Object.fromEntries(PERMISSION_KEYS.map((key) => [key, value[key] ?? null])) as unknown as TablePermissions) : undefined
  return {
    ...(typeof value.tableName === 'string' ? { tableName: value.tableName } : {}),
    schema: withoutSystemFields(value.schema),
    ...(typeof value.displayName === 'string' ? { displayName: value.displayName } : {}),
    ...(typeof value.description === 'string' ? { description: value.description } : {}),
    indexes,
    ...(permissions ? { permissions } : {}),
  }
}

/** The schema without top-level system fields, in whichever form it came (nested `id`s are ordinary fields). */
function withoutSystemFields(schema: Record<string, unknown>): Record<string, unknown> {
  const keep = (name: string) => !SYSTEM_FIELDS.has(name)
  // the server's test for the stored form (mcp.md §7 table_create), so a field named `properties` stays a field
  const stored = schema.bsonType === 'object' || (schema.type === 'object' && isObject(schema.properties))
  if (!stored || !isObject(schema.properties)) return Object.fromEntries(Object.entries(schema).filter(([name]) => keep(name)))
  return {
    ...schema,
    properties: Object.fromEntries(Object.entries(schema.properties).filter(([name]) => keep(name))),
    ...(Array.isArray(schema.required) ? { required: schema.required.filter((name) => typeof name !== 'string' || keep(name)) } : {}),
  }
}

/** Groups a boolean map leaves out: after a full replacement they have no access at all (RD-D9). */
export function missingGroups(permissions: Record<string, unknown> | null | undefined): string[] {
  if (!permissions) return []
  return GROUPS.filter((g) => g !== 'admin' && !(g in permissions))
}

/** JSON from a file path, `-` for standard input, or inline JSON when the value starts with `{`. */
export async function readJsonFile(pathOrJson: string): Promise<unknown> {
  const source = pathOrJson.trimStart().startsWith('{') ? pathOrJson : pathOrJson === '-' ? await readStdin() : await readFile(pathOrJson, 'utf8').catch(() => {
    throw new CliError(`cannot read ${pathOrJson}`, 'pass a path to a JSON file, - for standard input, or inline JSON starting with {', 2, 'cli/usage')
  })
  try {
    return JSON.parse(source)
  } catch (error) {
    throw usage(`${sourceName(pathOrJson)} is not valid JSON: ${(error as Error).message}`)
  }
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new CliError('standard input is a terminal, not JSON', "pipe the JSON in (bkend tables get posts --json | bkend tables create posts --env staging --schema -), or pass a file path", 2, 'cli/usage')
  const input = await text(process.stdin)
  if (!input.trim()) throw new CliError('standard input was empty', "pipe the JSON in, e.g. bkend tables get posts --json | bkend tables create posts --env staging --schema -", 2, 'cli/usage')
  return input
}

function sourceName(pathOrJson: string): string {
  return pathOrJson.trimStart().startsWith('{') ? 'the JSON given' : pathOrJson === '-' ? 'standard input' : pathOrJson
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** `--default 5` is the number 5, `--default true` a boolean, anything else that is not JSON a string. */
function parseLoose(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function usage(message: string): CliError {
  return new CliError(message, 'see --help for the accepted forms', 2, 'cli/usage')
}
