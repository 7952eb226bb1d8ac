import { compareStrings, compareValues } from './compare.js'
import { asDate } from './match.js'
import { splitPath, valuesAt } from './path.js'
import { sortRecords, type SortSpec } from './sort.js'

type Row = Record<string, unknown> & { id: string }

/**
 * One page of `rows` in sort order, and the total, without sorting more than the page needs: the result always
 * equals `sortRecords(rows, spec).slice(start, start + limit)`.
 * - By `id` (the default), rows usually arrive in id order already (records are stored in creation order and ids
 *   are time-ordered): the caller may know it (`knownIdOrdered`), else one pass checks it; the page is cut straight out.
 * - For a page near the front, a bounded insertion buffer keeps only the best `start + limit` rows.
 * - Otherwise, a full sort.
 */
export function pageWindow<T extends Row>(rows: T[], spec: SortSpec, start: number, limit: number, knownIdOrdered = false): T[] {
  const n = rows.length
  if (start >= n) return []
  const end = Math.min(n, start + limit)
  if (spec.sortBy === 'id' && (knownIdOrdered || idOrdered(rows))) {
    if (spec.direction === 'asc') return rows.slice(start, end)
    const out: T[] = []
    for (let i = n - 1 - start; i >= n - end; i--) out.push(rows[i] as T)
    return out
  }
  if (end * 8 < n) return bestOf(rows, spec, end).slice(start, end)
  return sortRecords(rows, spec).slice(start, end)
}

// note: record ids are ASCII hex, for which the native string order equals the code-point order.
function idOrdered(rows: readonly Row[]): boolean {
  for (let i = 1; i < rows.length; i++) if ((rows[i - 1] as Row).id >= (rows[i] as Row).id) return false
  return true
}

/** The first `k` rows in sort order, by binary insertion into a buffer that never grows past `k`. */
function bestOf<T extends Row>(rows: readonly T[], spec: SortSpec, k: number): T[] {
  const sign = spec.direction === 'asc' ? 1 : -1
  const segments = splitPath(spec.sortBy)
  const keyOf = (row: T): unknown => {
    if (spec.sortBy === 'id') return row.id
    const reached = valuesAt(row, segments)
    const value = reached.length === 0 ? null : reached[0]
    return spec.date ? asDate(value) : value
  }
  const compare = (a: { row: T; key: unknown }, b: { row: T; key: unknown }) => sign * (compareValues(a.key, b.key) || compareStrings(a.row.id, b.row.id))
  const best: Array<{ row: T; key: unknown }> = []
  for (const row of rows) {
    const entry = { row, key: keyOf(row) }
    if (best.length === k && compare(entry, best[k - 1]!) >= 0) continue
    let lo = 0
    let hi = best.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (compare(best[mid]!, entry) <= 0) lo = mid + 1
      else hi = mid
    }
    best.splice(lo, 0, entry)
    if (best.length > k) best.pop()
  }
  return best.map((entry) => entry.row)
}

/** The ids of one page, from ids already in id order, without loading any record: a cut from either end. */
export function pageOfIds(ids: readonly string[], direction: 'asc' | 'desc', start: number, limit: number): string[] {
  if (direction === 'asc') return ids.slice(start, start + limit)
  const out: string[] = []
  for (let i = ids.length - 1 - start; i >= 0 && out.length < limit; i--) out.push(ids[i]!)
  return out
}
