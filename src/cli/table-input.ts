import { readFile } from 'node:fs/promises'
import type { TableIndex, TablePermissions } from '../contract/tables.js'
import { CliError } from './errors.js'

/** The abstract column types of the schema editor (rest-data.md §3.1); bsonType names are accepted too. */
export const FIELD_TYPES = ['string', 'number', 'boolean', 'date', 'object', 'array', 'reference', 'int', 'double', 'bool', 'objectId'] as const

/** The groups of the boolean permission model (rest-data.md §8.1); admin always has every permission. */
const GROUPS = ['admin', 'user', 'guest', 'self'] as const
const OPERATIONS = ['create', 'read', 'update', 'delete', 'list'] as const

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
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw usage(`${path}: expected a JSON object`)
  const keys = ['permissions', 'expressionPermissions', 'columnPermissions', 'rowFilters']
  if (Object.keys(value).some((k) => keys.includes(k))) return value as TablePermissions
  return { permissions: value as Record<string, unknown> }
}

/** Groups a boolean map leaves out: after a full replacement they have no access at all (RD-D9). */
export function missingGroups(permissions: Record<string, unknown> | null | undefined): string[] {
  if (!permissions) return []
  return GROUPS.filter((g) => g !== 'admin' && !(g in permissions))
}

/** JSON from a file path, or inline JSON when the value starts with `{`. */
export async function readJsonFile(pathOrJson: string): Promise<unknown> {
  const text = pathOrJson.trimStart().startsWith('{') ? pathOrJson : await readFile(pathOrJson, 'utf8').catch(() => {
    throw new CliError(`cannot read ${pathOrJson}`, 'pass a path to a JSON file (or inline JSON starting with {)', 2, 'cli/usage')
  })
  try {
    return JSON.parse(text)
  } catch (error) {
    throw usage(`${pathOrJson.startsWith('{') ? 'the JSON given' : pathOrJson} is not valid JSON: ${(error as Error).message}`)
  }
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
