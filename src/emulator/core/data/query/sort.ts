import { compareStrings, compareValues } from './compare.js'
import { asDate } from './match.js'
import { splitPath, valuesAt } from './path.js'

export interface SortSpec {
  sortBy: string
  direction: 'asc' | 'desc'
  /** Whether `sortBy` holds dates (declared `date`, `createdAt`, `updatedAt`). */
  date: boolean
}

/** Sorts in MongoDB type order, ties broken by `id` in the same direction (rest-data.md §6.3, RD-D17). */
export function sortRecords<T extends Record<string, unknown> & { id: string }>(records: T[], spec: SortSpec): T[] {
  const sign = spec.direction === 'asc' ? 1 : -1
  const segments = splitPath(spec.sortBy)
  const keyOf = (record: T): unknown => {
    const reached = valuesAt(record, segments)
    const value = reached.length === 0 ? null : reached[0]
    return spec.date ? asDate(value) : value
  }
  const keyed = records.map((record) => ({ record, key: spec.sortBy === 'id' ? record.id : keyOf(record) }))
  keyed.sort((a, b) => sign * (compareValues(a.key, b.key) || compareStrings(a.record.id, b.record.id)))
  return keyed.map((k) => k.record)
}
