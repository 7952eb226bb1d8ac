import type { Page, Pagination } from '../../contract/common.js'
import { invalid } from './errors.js'

/** The pagination object every list returns (spec README "Paginated lists"). */
export function pagination(total: number, page: number, limit: number): Pagination {
  const totalPages = total === 0 ? 0 : Math.ceil(total / limit)
  const hasNext = page < totalPages
  const hasPrev = page > 1
  return { total, page, limit, totalPages, hasNext, hasPrev, hasNextPage: hasNext, hasPrevPage: hasPrev }
}

/** Cuts one page out of an already ordered array. */
export function pageOf<T>(all: readonly T[], page: number, limit: number): Page<T> {
  const start = (page - 1) * limit
  return { items: all.slice(start, start + limit), pagination: pagination(all.length, page, limit) }
}

/**
 * `page` and `limit` of a list query: `page` an integer ≥ 1 (default 1), `limit` an integer clamped to 1–100
 * (default `defaultLimit`); anything else → 400 `common/invalid-parameters`.
 */
export function pageParams(query: Record<string, unknown>, defaultLimit: number): { page: number; limit: number } {
  const page = integer(query.page, 'page') ?? 1
  if (page < 1) throw invalid('common/invalid-parameters', 'page must be an integer ≥ 1')
  return { page, limit: Math.min(MAX_LIMIT, Math.max(1, integer(query.limit, 'limit') ?? defaultLimit)) }
}

const MAX_LIMIT = 100

function integer(value: unknown, name: string): number | undefined {
  if (value === undefined || value === '') return undefined
  const n = typeof value === 'number' ? value : Number(value)
  if (!Number.isSafeInteger(n)) throw invalid('common/invalid-parameters', `${name} must be an integer`)
  return n
}
