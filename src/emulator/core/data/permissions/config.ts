import { invalid } from '../../errors.js'
import { OPERATIONS, VALIDATION, type ColumnPermissions, type ExpressionPermissions, type PermissionMap, type RowFilter } from '../model.js'
import { parseFilterParam, type TypeLookup } from '../query/filter.js'
import { isPlainObject } from '../query/path.js'
import { parseExpression } from './expression.js'
import { substituteUserId } from './policy.js'

/** Validation of the four permission objects when a table is updated (rest-data.md §8; syntax checked on save). */
const fail = (field: string, message: string) => invalid(VALIDATION, `${field}: ${message}`, [{ field, rule: 'permissions', message }])
const GROUPS = ['admin', 'user', 'guest', 'self'] as const

/** `null`, `undefined` and `{}` all mean "not configured" (§8.2); stored as null. */
const empty = (value: unknown) => value === null || (isPlainObject(value) && Object.keys(value).length === 0)

export function parsePermissions(value: unknown): PermissionMap | null {
  if (empty(value)) return null
  if (!isPlainObject(value)) throw fail('permissions', 'must be an object { admin, user, guest, self } or null')
  const out: PermissionMap = {}
  for (const [group, ops] of Object.entries(value)) {
    if (!(GROUPS as readonly string[]).includes(group)) throw fail(`permissions.${group}`, 'unknown group (admin, user, guest, self)')
    if (!isPlainObject(ops)) throw fail(`permissions.${group}`, 'must be an object of operation → boolean')
    const entry: Record<string, boolean> = {}
    for (const [op, flag] of Object.entries(ops)) {
      if (!(OPERATIONS as readonly string[]).includes(op)) throw fail(`permissions.${group}.${op}`, 'unknown operation (create, read, update, delete, list)')
      if (group === 'self' && op === 'create') throw fail('permissions.self.create', 'self has no create permission (a record has no owner before it exists)')
      if (typeof flag !== 'boolean') throw fail(`permissions.${group}.${op}`, 'must be true or false')
      entry[op] = flag
    }
    out[group as keyof PermissionMap] = entry
  }
  return out
}

/** Whether the emulator's extensions of the expression grammar are accepted (off in cloud-parity mode). */
export interface ExpressionSyntax {
  parentheses?: boolean
}

export function parseExpressionPermissions(value: unknown, syntax: ExpressionSyntax = {}): ExpressionPermissions | null {
  if (empty(value)) return null
  if (!isPlainObject(value)) throw fail('expressionPermissions', 'must be an object of operation → expression or null')
  const out: ExpressionPermissions = {}
  for (const [op, text] of Object.entries(value)) {
    if (!(OPERATIONS as readonly string[]).includes(op)) throw fail(`expressionPermissions.${op}`, 'unknown operation (create, read, update, delete, list)')
    if (typeof text !== 'string') throw fail(`expressionPermissions.${op}`, 'must be an expression string')
    parseExpression(text, `expressionPermissions.${op}`, syntax)
    out[op as keyof ExpressionPermissions] = text
  }
  return out
}

export function parseColumnPermissions(value: unknown, syntax: ExpressionSyntax = {}): ColumnPermissions | null {
  if (empty(value)) return null
  if (!isPlainObject(value)) throw fail('columnPermissions', 'must be an object of column → { read, write } or null')
  const out: ColumnPermissions = {}
  for (const [column, rule] of Object.entries(value)) {
    if (!isPlainObject(rule)) throw fail(`columnPermissions.${column}`, 'must be an object { read, write }')
    const entry: { read?: string; write?: string } = {}
    for (const [key, text] of Object.entries(rule)) {
      if (key !== 'read' && key !== 'write') throw fail(`columnPermissions.${column}.${key}`, 'only read and write are allowed')
      if (typeof text !== 'string') throw fail(`columnPermissions.${column}.${key}`, 'must be an expression string')
      parseExpression(text, `columnPermissions.${column}.${key}`, syntax)
      entry[key] = text
    }
    out[column] = entry
  }
  return out
}

export function parseRowFilters(value: unknown, types: TypeLookup, syntax: ExpressionSyntax = {}): RowFilter[] | null {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return null
  if (!Array.isArray(value)) throw fail('rowFilters', 'must be an array of { expression, filter } or null')
  return value.map((entry, i) => {
    if (!isPlainObject(entry) || typeof entry.expression !== 'string' || (!isPlainObject(entry.filter) && !Array.isArray(entry.filter))) {
      throw fail(`rowFilters.${i}`, 'must be { expression: string, filter: object }')
    }
    parseExpression(entry.expression, `rowFilters.${i}.expression`, syntax)
    parseFilterParam(substituteUserId(entry.filter, '000000000000000000000000'), 'and', types)
    return { expression: entry.expression, filter: structuredClone(entry.filter) as RowFilter['filter'] }
  })
}
