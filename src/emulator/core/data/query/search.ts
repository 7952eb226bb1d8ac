import { SYSTEM_FIELDS } from '../model.js'
import { splitPath, valuesAt } from './path.js'

const SYSTEM = new Set<string>(SYSTEM_FIELDS)

/**
 * `search` (rest-data.md §6.2): case-insensitive literal substring, over every top-level string value (system
 * fields excluded) or over one field named by `searchType`.
 */
export function searchMatcher(term: string | undefined, searchType: string | undefined): ((record: Record<string, unknown>) => boolean) | null {
  if (term === undefined || term === '') return null
  const needle = term.toLowerCase()
  const hit = (v: unknown) => typeof v === 'string' && v.toLowerCase().includes(needle)
  if (searchType) {
    const segments = splitPath(searchType)
    return (record) => valuesAt(record, segments).some(hit)
  }
  // note: a key loop, not Object.entries, which allocated an array per field of every record a search scans.
  return (record) => {
    for (const key in record) if (Object.hasOwn(record, key) && !SYSTEM.has(key) && hit(record[key])) return true
    return false
  }
}
