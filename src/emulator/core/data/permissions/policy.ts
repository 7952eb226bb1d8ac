import type { Denial, DenialCheck } from '../../../../contract/request-log.js'
import { refused } from '../../errors.js'
import type { DecisionTrace } from '../../observe/decision.js'
import type { Principal } from '../../principal.js'
import type { Operation, PermissionMap, TablePolicyConfig } from '../model.js'
import { ALL, and, NONE, or, parseFilterParam, type Filter, type TypeLookup } from '../query/filter.js'
import type { StepBudget } from '../query/regex.js'
import { callerOf, conditionValues } from './explain.js'
import { evaluate, parseExpression, reduce, type Expr } from './expression.js'

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

/** A refusal of the evaluator, explained: the check that decided and the values it decided with. */
const denied = (message: string, check: DenialCheck, details: Record<string, unknown>) =>
  refused('forbidden', 'data/permission-denied', `Permission denied: ${message}`, { check, details })

/** The system-table gate (§4), first step of every evaluation. `write` is any operation but read/list/spec. */
function gate(policy: TablePolicy, principal: Principal, op: Operation | 'spec'): void {
  const reading = op === 'read' || op === 'list' || op === 'spec'
  if (policy.kind === 'builtin') {
    if (principal.group === 'admin' && reading) return
    const admin = principal.group === 'admin'
    throw refused('forbidden', 'data/system-table-access', `"${policy.tableName}" is a built-in system table: ${admin ? 'it is read-only through the data API' : 'only admin may read it'}`, {
      check: 'system-table',
      details: { ...gateDetails(policy, principal, op), allow: admin ? `change ${policy.tableName} through its own API (/v1/${policy.tableName === 'files' ? 'files' : 'users'}), not the data API` : 'read it with a secret key or as a user with role admin' },
    })
  }
  if (policy.kind === 'underscore' && principal.group !== 'admin' && !configured(policy.permissions) && !configured(policy.expressionPermissions)) {
    throw refused('forbidden', 'data/system-table-access', `"${policy.tableName}" is a system table (name starts with "_") without permissions for group "${principal.group}"`, {
      check: 'system-table',
      details: { ...gateDetails(policy, principal, op), allow: `configure permissions on "${policy.tableName}" for group "${principal.group}", or use a secret key` },
    })
  }
}

/** What the gate decided with, built only for a refusal (the gate runs on every request). */
const gateDetails = (policy: TablePolicy, principal: Principal, op: Operation | 'spec') => ({ table: policy.tableName, operation: op, kind: policy.kind, caller: callerOf(principal) })

/** How a single-record operation is allowed: for every record, or only for the requester's own records. */
export type RecordAccess = { kind: 'all' } | { kind: 'owner'; message: string; details: Record<string, unknown> }

/**
 * An expression refused: its text and what each of its conditions evaluated to (`self` as given). `message` is the
 * refusal's own where it has always said something else (`/spec`).
 */
function expressionDenied(policy: TablePolicy, principal: Principal, op: Operation, text: string, expr: Expr, self: boolean, message?: string) {
  return denied(message ?? `the expression "${text}" for ${op} on table "${policy.tableName}" does not allow group "${principal.group}"`, 'expression', {
    table: policy.tableName,
    operation: op,
    expression: text,
    values: conditionValues(expr, principal, self),
    caller: callerOf(principal),
    allow: `change expressionPermissions.${op} of "${policy.tableName}" so that it holds for this caller, or sign in as a user it allows`,
  })
}

/** A group without the permission: the permission map entry the decision read, and whether it is the default map. */
function groupDenied(policy: TablePolicy, principal: Principal, op: Operation, map: PermissionMap) {
  const selfToo = op !== 'create' && allowed(map, 'self', op)
  return denied(`group "${principal.group}" has no "${op}" permission on table "${policy.tableName}"`, 'role', {
    table: policy.tableName,
    operation: op,
    group: principal.group,
    permission: `${principal.group}.${op}`,
    entry: map[principal.group] ?? null,
    defaults: !configured(policy.permissions),
    caller: callerOf(principal),
    allow: `grant ${principal.group}.${op} in the permissions of "${policy.tableName}"${configured(policy.permissions) ? '' : ' (it has none configured, so the defaults apply)'}${selfToo ? ', or sign in (self allows the records a user created)' : ''}`,
  })
}

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
    // A record being created will be the requester's own, so `self` holds for any signed-in requester.
    const self = principal.userId !== null
    if (op === 'create') {
      if (evaluate(expr, principal, self)) return { kind: 'all' }
      throw expressionDenied(policy, principal, op, text, expr, self)
    }
    const meaning = reduce(expr, principal)
    if (meaning === 'always') return { kind: 'all' }
    if (meaning === 'self') return { kind: 'owner', message: `the expression "${text}" for ${where} allows only the requester's own records (self)`, details: { table: policy.tableName, operation: op, group: principal.group, expression: text } }
    throw expressionDenied(policy, principal, op, text, expr, self)
  }
  const map = effectivePermissions(policy)
  if (allowed(map, principal.group, op)) return { kind: 'all' }
  if (op !== 'create' && principal.userId !== null && allowed(map, 'self', op)) {
    return { kind: 'owner', message: `group "${principal.group}" may ${op} only its own records in table "${policy.tableName}" (self)`, details: { table: policy.tableName, operation: op, group: principal.group, permission: `self.${op}` } }
  }
  throw groupDenied(policy, principal, op, map)
}

/** The second half of an `owner` decision, once the record is loaded. */
export function assertOwner(access: RecordAccess, principal: Principal, record: { createdBy: string }): void {
  if (access.kind === 'owner' && (principal.userId === null || record.createdBy !== principal.userId)) {
    throw denied(access.message, 'self', {
      ...access.details,
      recordCreatedBy: record.createdBy === '' ? null : record.createdBy,
      callerUserId: principal.userId,
      allow: `sign in as the record's creator, or grant ${access.details.group as string}.${access.details.operation as string}${'expression' in access.details ? ' through the expression' : ''} in the permissions`,
    })
  }
}

/**
 * The rows a list may return (§8.3 self filter, §8.4 list reduction, §8.6 row filters), as a filter to AND with
 * the caller's own filters. When `trace` is given and the permission (`self`) or row filters narrow the list, what
 * narrowed it is noted there (without counts: the caller knows the rows).
 */
export function authorizeList(policy: TablePolicy, principal: Principal, types: TypeLookup, steps?: StepBudget, trace?: DecisionTrace): Filter {
  gate(policy, principal, 'list')
  if (principal.group === 'admin') return ALL
  const own = (): Filter => parseFilterParam({ createdBy: principal.userId }, 'and', types)
  let permission: Filter
  let selfRule: Record<string, unknown> | null = null
  const text = expressionFor(policy, 'list')
  if (text !== undefined) {
    const expr = parseExpression(text)
    const meaning = reduce(expr, principal)
    if (meaning === 'never') throw expressionDenied(policy, principal, 'list', text, expr, principal.userId !== null)
    permission = meaning === 'self' ? own() : ALL
    if (meaning === 'self') selfRule = { expression: text }
  } else {
    const map = effectivePermissions(policy)
    if (allowed(map, principal.group, 'list')) permission = ALL
    else if (principal.userId !== null && allowed(map, 'self', 'list')) {
      permission = own()
      selfRule = { permission: 'self.list' }
    } else throw groupDenied(policy, principal, 'list', map)
  }
  const rows = rowFilter(policy, principal, types, steps)
  if (trace && (selfRule || rows.entries.length > 0)) trace.denial = narrowedList(policy, principal, selfRule, rows.entries)
  return and(permission, rows.filter)
}

type RowFilterEntry = NonNullable<TablePolicy['rowFilters']>[number]

/** OR of the filters of matching row-filter entries; nothing matches → no rows (RD-D16). */
function rowFilter(policy: TablePolicy, principal: Principal, types: TypeLookup, steps: StepBudget | undefined): { filter: Filter; entries: Array<RowFilterEntry & { matched: boolean }> } {
  const entries = (policy.rowFilters ?? []).map((entry) => ({ ...entry, matched: evaluate(parseExpression(entry.expression), principal, principal.userId !== null) }))
  if (entries.length === 0) return { filter: ALL, entries }
  const matching = entries.filter((entry) => entry.matched)
  if (matching.length === 0) return { filter: NONE, entries }
  return { filter: or(...matching.map((entry) => parseFilterParam(substituteUserId(entry.filter, principal.userId), 'and', types, { steps }))), entries }
}

/** The note on a list that `self` or row filters narrowed: which rules applied to this caller. */
function narrowedList(policy: TablePolicy, principal: Principal, selfRule: Record<string, unknown> | null, entries: Array<RowFilterEntry & { matched: boolean }>): Denial {
  const matched = entries.filter((entry) => entry.matched)
  const parts = [
    ...(selfRule ? ['only the requester\'s own records (self)'] : []),
    ...(entries.length === 0 ? [] : matched.length === 0 ? ['no row filter matches this requester, so no rows'] : [`the row filter${matched.length > 1 ? 's' : ''} ${matched.map((e) => JSON.stringify(e.expression)).join(', ')}`]),
  ]
  return {
    check: entries.length > 0 ? 'row-filter' : 'self',
    message: `The list of table "${policy.tableName}" was narrowed for group "${principal.group}" to ${parts.join(' and ')}`,
    details: {
      table: policy.tableName,
      operation: 'list',
      caller: callerOf(principal),
      ...(selfRule ? { self: selfRule } : {}),
      ...(entries.length > 0 ? { rowFilters: entries.map((e) => ({ expression: e.expression, filter: e.filter, matched: e.matched })) } : {}),
    },
  }
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
  if (!ok) {
    if (text === undefined) throw groupDenied(policy, principal, 'read', map)
    throw expressionDenied(policy, principal, 'read', text, parseExpression(text), canOwn, `group "${principal.group}" has no "read" permission on table "${policy.tableName}"`)
  }
}

const isOwn = (principal: Principal, record: { createdBy?: unknown } | null) =>
  principal.userId !== null && (record === null || record.createdBy === principal.userId)

/** Removes the columns the requester may not read (§8.5), adding their names to `hidden`; system fields are always readable. */
export function stripColumns<T extends Record<string, unknown>>(policy: TablePolicy, principal: Principal, record: T, hidden?: Set<string>): T {
  const columns = policy.columnPermissions
  if (principal.group === 'admin' || !configured(columns)) return record
  let out: T | null = null
  for (const [column, rule] of Object.entries(columns ?? {})) {
    if (rule.read === undefined || !Object.hasOwn(record, column) || ['id', 'createdBy', 'createdAt', 'updatedAt'].includes(column)) continue
    if (!evaluate(parseExpression(rule.read), principal, isOwn(principal, record))) {
      out ??= { ...record }
      delete out[column]
      hidden?.add(column)
    }
  }
  return out ?? record
}

/** Whether a read by this requester can lose columns to read rules, i.e. whether `stripColumns` needs watching. */
export function hidesColumns(policy: TablePolicy, principal: Principal): boolean {
  return principal.group !== 'admin' && configured(policy.columnPermissions)
}

/** Notes on a read (answered 200) which columns their read rules hid, with the rules. */
export function noteHiddenColumns(trace: DecisionTrace, policy: TablePolicy, principal: Principal, hidden: ReadonlySet<string>): void {
  if (hidden.size === 0) return
  const fields = [...hidden].map((field) => ({ field, rule: 'read', expression: policy.columnPermissions?.[field]?.read }))
  if (trace.denial) {
    trace.denial.details = { ...trace.denial.details, hiddenColumns: fields }
    return
  }
  const names = [...hidden].map((name) => `"${name}"`).join(', ')
  trace.denial = {
    check: 'column',
    message: `The read rules of table "${policy.tableName}" hid ${hidden.size === 1 ? 'column' : 'columns'} ${names} from group "${principal.group}"`,
    details: { table: policy.tableName, fields, caller: callerOf(principal), allow: `change the read rule in columnPermissions of "${policy.tableName}", or read as a caller it allows` },
  }
}

/** A body may not carry a column the requester may not write (§8.5); `existing` is null on create. */
export function assertColumnsWritable(policy: TablePolicy, principal: Principal, body: Record<string, unknown>, existing: { createdBy: string } | null): void {
  const columns = policy.columnPermissions
  if (principal.group === 'admin' || !configured(columns)) return
  for (const key of Object.keys(body)) {
    const rule = columns?.[key]
    if (rule?.write === undefined) continue
    const expr = parseExpression(rule.write)
    const self = isOwn(principal, existing)
    if (!evaluate(expr, principal, self)) {
      throw denied(`group "${principal.group}" may not write column "${key}" of table "${policy.tableName}" (expression "${rule.write}")`, 'column', {
        table: policy.tableName,
        field: key,
        rule: 'write',
        expression: rule.write,
        values: conditionValues(expr, principal, self),
        caller: callerOf(principal),
        allow: `leave "${key}" out of the body, or change columnPermissions.${key}.write of "${policy.tableName}"`,
      })
    }
  }
}
