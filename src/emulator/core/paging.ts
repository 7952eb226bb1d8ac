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
 * `page` (≥ 1, default 1) and `limit` (clamped to 1–100) from a query; a value that is not an integer is a 400
 * with the route family's code (default `common/invalid-parameters`).
 */
export function pageParams(query: Record<string, unknown>, defaultLimit: number, code = 'common/invalid-parameters'): { page: number; limit: number } {
  const int = (value: unknown, name: string, fallback: number, min: number) => {
    if (value === undefined || value === '') return fallback
    const n = typeof value === 'number' ? value : Number(value)
    if (!Number.isInteger(n) || n < min) throw invalid(code, `${name} must be an integer${min > Number.MIN_SAFE_INTEGER ? ` ≥ ${min}` : ''}`)
    return n
  }
  const page = int(query.page, 'page', 1, 1)
  const limit = Math.min(100, Math.max(1, int(query.limit, 'limit', defaultLimit, Number.MIN_SAFE_INTEGER)))
  return { page, limit }
}
