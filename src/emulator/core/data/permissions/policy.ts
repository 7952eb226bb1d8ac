import { forbidden } from '../../errors.js'
import type { Principal } from '../../principal.js'
import type { Operation, PermissionMap, TablePolicyConfig } from '../model.js'
import { ALL, and, NONE, or, parseFilterParam, type Filter, type TypeLookup } from '../query/filter.js'
import type { StepBudget } from '../query/regex.js'
import { evaluate, parseExpression, reduce } from './expression.js'

/**
 * The one RLS evaluator (rest-data.md §4, §8), shared by REST and MCP: pure functions of the table's policy, the
 * requester and, where needed, the record. API-key scopes are checked separately (`checkScope`) before these.
 */
export interface TablePolicy extends TablePolicyConfig {
  tableName: string
  /** `builtin`: users/accounts/sessions/files; `underscore`: a `_`-prefixed table; else `regular`. */
  kind: 'builtin' | 'underscore' | 'regular'
}

/** The defaults of §8.2, used when no permissions are configured. */
export const DEFAULT_PERMISSIONS: Required<PermissionMap> = {
  admin: { create: true, read: true, update: true, delete: true, list: true },
  user: { create: true, read: true, update: false, delete: false, list: true },
  guest: { create: false, read: true, update: false, delete: false, list: true },
  self: { read: false, update: false, delete: false, list: false },
}

const configured = (map: object | null | undefined): boolean => map !== null && map !== undefined && Object.keys(map).length > 0

/** The boolean map in force: the configured one, or the defaults when none is configured (RD-D9). */
export function effectivePermissions(policy: TablePolicyConfig): PermissionMap {
  return configured(policy.permissions) ? (policy.permissions as PermissionMap) : DEFAULT_PERMISSIONS
}

function allowed(map: PermissionMap, group: keyof PermissionMap, op: Operation): boolean {
  const entry = map[group]
  if (!entry) return false
  if (op === 'list' && entry.list === undefined) return entry.read === true
  return entry[op] === true
}

/** The expression governing an operation, if any (`list` falls back to `read`). */
function expressionFor(policy: TablePolicyConfig, op: Operation): string | undefined {
  const map = policy.expressionPermissions
  if (!configured(map)) return undefined
  return map?.[op] ?? (op === 'list' ? map?.read : undefined)
}

const denied = (message: string) => forbidden('data/permission-denied', `Permission denied: ${message}`)

/** The system-table gate (§4), first step of every evaluation. `write` is any operation but read/list/spec. */
function gate(policy: TablePolicy, principal: Principal, op: Operation | 'spec'): void {
  const reading = op === 'read' || op === 'list' || op === 'spec'
  if (policy.kind === 'builtin') {
    if (principal.group === 'admin' && reading) return
    throw forbidden('data/system-table-access', `"${policy.tableName}" is a built-in system table: ${principal.group === 'admin' ? 'it is read-only through the data API' : 'only admin may read it'}`)
  }
  if (policy.kind === 'underscore' && principal.group !== 'admin' && !configured(policy.permissions) && !configured(policy.expressionPermissions)) {
    throw forbidden('data/system-table-access', `"${policy.tableName}" is a system table (name starts with "_") without permissions for group "${principal.group}"`)
  }
}

/** How a single-record operation is allowed: for every record, or only for the requester's own records. */
export type RecordAccess = { kind: 'all' } | { kind: 'owner'; message: string }

/**
 * Decides create/read/update/delete before the record is loaded (§8.3): a request denied outright gets 403 even
 * for a missing id; an `owner` answer means load the record (404 if absent) and call `assertOwner`.
 */
export function authorizeRecord(policy: TablePolicy, principal: Principal, op: Exclude<Operation, 'list'>): RecordAccess {
  gate(policy, principal, op)
  if (principal.group === 'admin') return { kind: 'all' }
  const where = `${op} on table "${policy.tableName}"`
  const text = expressionFor(policy, op)
  if (text !== undefined) {
    const expr = parseExpression(text)
    if (op === 'create') {
      if (evaluate(expr, principal, principal.userId !== null)) return { kind: 'all' }
      throw denied(`the expression "${text}" for ${where} does not allow group "${principal.group}"`)
    }
    const meaning = reduce(expr, principal)
    if (meaning === 'always') return { kind: 'all' }
    if (meaning === 'self') return { kind: 'owner', message: `the expression "${text}" for ${where} allows only the requester's own records (self)` }
    throw denied(`the expression "${text}" for ${where} does not allow group "${principal.group}"`)
  }
  const map = effectivePermissions(policy)
  if (allowed(map, principal.group, op)) return { kind: 'all' }
  if (op !== 'create' && principal.userId !== null && allowed(map, 'self', op)) {
    return { kind: 'owner', message: `group "${principal.group}" may ${op} only its own records in table "${policy.tableName}" (self)` }
  }
  throw denied(`group "${principal.group}" has no "${op}" permission on table "${policy.tableName}"`)
}

/** The second half of an `owner` decision, once the record is loaded. */
export function assertOwner(access: RecordAccess, principal: Principal, record: { createdBy: string }): void {
  if (access.kind === 'owner' && (principal.userId === null || record.createdBy !== principal.userId)) throw denied(access.message)
}

/**
 * The rows a list may return (§8.3 self filter, §8.4 list reduction, §8.6 row filters), as a filter to AND with
 * the caller's own filters.
 */
export function authorizeList(policy: TablePolicy, principal: Principal, types: TypeLookup, steps?: StepBudget): Filter {
  gate(policy, principal, 'list')
  if (principal.group === 'admin') return ALL
  const own = (): Filter => parseFilterParam({ createdBy: principal.userId }, 'and', types)
  let permission: Filter
  const text = expressionFor(policy, 'list')
  if (text !== undefined) {
    const meaning = reduce(parseExpression(text), principal)
    if (meaning === 'never') throw denied(`the expression "${text}" for list on table "${policy.tableName}" does not allow group "${principal.group}"`)
    permission = meaning === 'self' ? own() : ALL
  } else {
    const map = effectivePermissions(policy)
    if (allowed(map, principal.group, 'list')) permission = ALL
    else if (principal.userId !== null && allowed(map, 'self', 'list')) permission = own()
    else throw denied(`group "${principal.group}" has no "list" permission on table "${policy.tableName}"`)
  }
  return and(permission, rowFilter(policy, principal, types, steps))
}

/** OR of the filters of matching row-filter entries; nothing matches → no rows (RD-D16). */
function rowFilter(policy: TablePolicy, principal: Principal, types: TypeLookup, steps: StepBudget | undefined): Filter {
  const entries = policy.rowFilters ?? []
  if (entries.length === 0) return ALL
  const matching = entries.filter((entry) => evaluate(parseExpression(entry.expression), principal, principal.userId !== null))
  if (matching.length === 0) return NONE
  return or(...matching.map((entry) => parseFilterParam(substituteUserId(entry.filter, principal.userId), 'and', types, { steps })))
}

/** Replaces the string `$userId` anywhere in a filter value with the requester's id (null without one). */
export function substituteUserId(value: unknown, userId: string | null): unknown {
  if (value === '$userId') return userId
  if (Array.isArray(value)) return value.map((v) => substituteUserId(v, userId))
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteUserId(v, userId)]))
  return value
}

/** `/spec` and `/openapi` (§5.6, RD-D13): admin, or a group whose read permission can be true. */
export function authorizeSpec(policy: TablePolicy, principal: Principal): void {
  gate(policy, principal, 'spec')
  if (principal.group === 'admin') return
  const text = expressionFor(policy, 'read')
  const map = effectivePermissions(policy)
  // `self` counts as satisfiable for a requester who can own records, i.e. one with a user id.
  const canOwn = principal.userId !== null
  const ok = text !== undefined ? evaluate(parseExpression(text), principal, canOwn) : allowed(map, principal.group, 'read') || (canOwn && allowed(map, 'self', 'read'))
  if (!ok) throw denied(`group "${principal.group}" has no "read" permission on table "${policy.tableName}"`)
}

const isOwn = (principal: Principal, record: { createdBy?: unknown } | null) =>
  principal.userId !== null && (record === null || record.createdBy === principal.userId)

/** Removes the columns the requester may not read (§8.5); system fields are always readable. */
export function stripColumns<T extends Record<string, unknown>>(policy: TablePolicy, principal: Principal, record: T): T {
  const columns = policy.columnPermissions
  if (principal.group === 'admin' || !configured(columns)) return record
  let out: T | null = null
  for (const [column, rule] of Object.entries(columns ?? {})) {
    if (rule.read === undefined || !Object.hasOwn(record, column) || ['id', 'createdBy', 'createdAt', 'updatedAt'].includes(column)) continue
    if (!evaluate(parseExpression(rule.read), principal, isOwn(principal, record))) {
      out ??= { ...record }
      delete out[column]
    }
  }
  return out ?? record
}

/** A body may not carry a column the requester may not write (§8.5); `existing` is null on create. */
export function assertColumnsWritable(policy: TablePolicy, principal: Principal, body: Record<string, unknown>, existing: { createdBy: string } | null): void {
  const columns = policy.columnPermissions
  if (principal.group === 'admin' || !configured(columns)) return
  for (const key of Object.keys(body)) {
    const rule = columns?.[key]
    if (rule?.write === undefined) continue
    if (!evaluate(parseExpression(rule.write), principal, isOwn(principal, existing))) {
      throw denied(`group "${principal.group}" may not write column "${key}" of table "${policy.tableName}" (expression "${rule.write}")`)
    }
  }
}
