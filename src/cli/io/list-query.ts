import { Flags } from '@oclif/core'
import type { Query } from '../../client/rest.js'
import { CliError } from '../errors.js'

/** `field[:asc|desc]` → the REST `sortBy`/`sortDirection` pair. */
export function parseSort(value: string | undefined): { sortBy?: string; sortDirection?: 'asc' | 'desc' } {
  if (!value) return {}
  const match = /^([^:]+)(?::(asc|desc))?$/i.exec(value.trim())
  if (!match) throw new CliError(`--sort "${value}" is not field[:asc|desc]`, 'for example --sort createdAt:desc', 2, 'cli/usage')
  return { sortBy: match[1], sortDirection: (match[2]?.toLowerCase() as 'asc' | 'desc' | undefined) ?? 'asc' }
}

/** A JSON flag value, parsed, or a usage error naming the flag. */
export function parseJsonFlag(flag: string, value: string | undefined, shape: 'object' | 'object-or-array'): unknown {
  if (value === undefined) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(value)
  } catch (error) {
    throw new CliError(`--${flag} is not valid JSON: ${(error as Error).message}`, `quote it for the shell, e.g. --${flag} '{"status":"published"}'`, 2, 'cli/usage')
  }
  const ok = parsed !== null && typeof parsed === 'object' && (shape === 'object-or-array' || !Array.isArray(parsed))
  if (!ok) throw new CliError(`--${flag} must be a JSON ${shape === 'object' ? 'object' : 'object or array of objects'}`, `for example --${flag} '{"age":{"$gte":18}}'`, 2, 'cli/usage')
  return parsed
}

/** Query flags shared by `data list` and `data export` (rest-data.md §6). */
export const dataQueryFlags = {
  filter: Flags.string({ description: 'conditions that must all hold, as JSON (REST andFilters), e.g. \'{"status":"published","views":{"$gte":10}}\'' }),
  or: Flags.string({ description: 'alternatives of which one must hold, as JSON (REST orFilters): an object or an array of objects' }),
  sort: Flags.string({ description: 'sort by field[:asc|desc] (default: newest first)' }),
  search: Flags.string({ description: 'case-insensitive substring to look for in string fields' }),
  'search-field': Flags.string({ description: 'restrict --search to this field', dependsOn: ['search'] }),
  select: Flags.string({ description: 'comma-separated fields to return (system fields always come back)' }),
}

export interface DataQueryFlagValues {
  filter?: string
  or?: string
  sort?: string
  search?: string
  'search-field'?: string
  select?: string
}

/** The `--select` list, trimmed, empty entries dropped. */
export function selectList(select: string | undefined): string[] | undefined {
  const fields = select?.split(',').map((s) => s.trim()).filter(Boolean)
  return fields?.length ? fields : undefined
}

/** Flags → the list endpoint's query parameters (filters JSON-encoded as the API expects). */
export function dataQuery(flags: DataQueryFlagValues): Query {
  const and = parseJsonFlag('filter', flags.filter, 'object-or-array')
  const or = parseJsonFlag('or', flags.or, 'object-or-array')
  return {
    ...parseSort(flags.sort),
    andFilters: and === undefined ? undefined : JSON.stringify(and),
    orFilters: or === undefined ? undefined : JSON.stringify(or),
    search: flags.search,
    searchType: flags['search-field'],
    select: selectList(flags.select)?.join(','),
  }
}
