import type { Page, Pagination } from '../../contract/common.js'

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
