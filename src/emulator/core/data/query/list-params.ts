import { invalid } from '../../errors.js'
import { SYSTEM_FIELDS, VALIDATION } from '../model.js'
import { isPlainObject } from './path.js'

/** The list parameters of rest-data.md §6, from a query string (strings) or an MCP call (numbers, objects). */
export interface ListParams {
  page: number
  limit: number
  /** Row offset when `offset` was given (it overrides `page`). */
  offset: number | null
  sortBy: string
  direction: 'asc' | 'desc'
  search: string | undefined
  searchType: string | undefined
  /** Field names to return besides the system fields; null = all. */
  select: string[] | null
}

export const DEFAULT_LIMIT = 20
export const MAX_LIMIT = 100

const bad = (field: string, message: string) => invalid(VALIDATION, `${field} ${message}`, [{ field, rule: 'type', message }])
const first = (v: unknown): unknown => (Array.isArray(v) ? v[v.length - 1] : v)

function integer(field: string, raw: unknown): number | undefined {
  const value = first(raw)
  if (value === undefined || value === '') return undefined
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : NaN
  if (!Number.isFinite(n)) throw bad(field, 'must be a number')
  return Math.floor(n)
}

function text(field: string, raw: unknown): string | undefined {
  const value = first(raw)
  if (value === undefined || value === '') return undefined
  if (typeof value !== 'string') throw bad(field, 'must be a string')
  return value
}

/**
 * Without `offset` (cloud-parity mode, README-D12), the `offset` alias is an unknown parameter and, like every
 * unknown parameter, ignored: the list pages by `page`, as the hosted service does.
 */
export function parseListParams(query: Record<string, unknown>, { offset: acceptOffset = true } = {}): ListParams {
  const limit = Math.min(MAX_LIMIT, Math.max(1, integer('limit', query.limit) ?? DEFAULT_LIMIT))
  const rawOffset = acceptOffset ? integer('offset', query.offset) : undefined
  const offset = rawOffset === undefined ? null : Math.max(0, rawOffset)
  const page = offset !== null ? Math.floor(offset / limit) + 1 : Math.max(1, integer('page', query.page) ?? 1)
  const direction = (text('sortDirection', query.sortDirection) ?? 'desc').toLowerCase()
  if (direction !== 'asc' && direction !== 'desc') throw bad('sortDirection', 'must be asc or desc')
  return {
    page,
    limit,
    offset,
    sortBy: text('sortBy', query.sortBy) ?? 'id',
    direction,
    search: text('search', query.search),
    searchType: text('searchType', query.searchType),
    select: selection(query.select ?? query.fields),
  }
}

function selection(raw: unknown): string[] | null {
  if (raw === undefined || raw === null || raw === '') return null
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => {
    if (typeof v !== 'string') throw bad('select', 'must be a comma-separated list of field names')
    return v.split(',')
  })
  const names = parts.map((p) => p.trim()).filter((p) => p !== '')
  return names.length > 0 ? names : null
}

/** Keeps the selected fields (dot paths allowed) plus the system fields, which are always returned. */
export function project(record: Record<string, unknown>, select: string[] | null): Record<string, unknown> {
  if (!select) return record
  const out: Record<string, unknown> = {}
  for (const field of SYSTEM_FIELDS) if (field in record) out[field] = record[field]
  for (const path of select) copyPath(record, out, path.split('.'))
  return out
}

function copyPath(from: Record<string, unknown>, to: Record<string, unknown>, segments: string[]): void {
  const [head, ...rest] = segments as [string, ...string[]]
  if (!Object.hasOwn(from, head)) return
  const value = from[head]
  if (rest.length === 0 || !isPlainObject(value)) {
    if (rest.length === 0) to[head] = value
    return
  }
  const target = isPlainObject(to[head]) ? (to[head] as Record<string, unknown>) : {}
  copyPath(value, target, rest)
  if (Object.keys(target).length > 0) to[head] = target
}
