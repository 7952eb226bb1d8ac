import type { TableIndexes } from '../indexes/table-indexes.js'

type Row = Record<string, unknown> & { id: string }

/**
 * One page, sorted by id, of a table's records passing `test` (all of them when null), and how many pass, walking
 * the table's id-ordered records from the end the page is at; null when the table is not kept in id order. The
 * total of the whole table is its size; the total of a filter (named by `key`) is remembered until the next write,
 * so a later page of the same filter stops walking once it is full, where the first one counts every record.
 */
export function walkPage<T extends Row>(
  indexes: TableIndexes<T>,
  test: ((record: T) => boolean) | null,
  key: string,
  size: number,
  direction: 'asc' | 'desc',
  start: number,
  limit: number,
): { items: T[]; total: number } | null {
  const known = test === null ? size : indexes.count(key)
  const end = start + limit
  const items: T[] = []
  let seen = 0
  const walked = indexes.walk(direction, (record) => {
    if (test !== null && !test(record)) return true
    if (seen >= start && seen < end) items.push(record)
    seen++
    return known === undefined || seen < end
  })
  if (!walked) return null
  if (known === undefined) indexes.remember(key, seen)
  return { items, total: known ?? seen }
}
