import type { TablePermissions } from '../contract/tables.js'

/** What a permission change newly allows, compared in the boolean model (rest-data.md §8.1–8.2). */

const OPERATIONS = ['create', 'read', 'update', 'delete', 'list'] as const
const GROUPS = ['user', 'guest', 'self'] as const
type Group = (typeof GROUPS)[number]
type Grants = Record<Group, Set<string>>

const DEFAULTS: Record<Group, string[]> = { user: ['create', 'read', 'list'], guest: ['read', 'list'], self: [] }

/** The effective grants: the defaults when nothing is configured; else a group left out has none, and a missing `list` follows `read`. */
function effective(permissions: Record<string, unknown> | null | undefined): Grants {
  const configured = permissions && Object.keys(permissions).length > 0 ? permissions : undefined
  const grants = (group: Group): string[] => {
    if (!configured) return DEFAULTS[group]
    const map = configured[group] as Record<string, unknown> | undefined
    if (!map) return []
    return OPERATIONS.filter((op) => !(group === 'self' && op === 'create') && (op === 'list' && !('list' in map) ? map.read === true : map[op] === true))
  }
  return Object.fromEntries(GROUPS.map((g) => [g, new Set(grants(g))])) as Grants
}

const RESTRICTIONS = [
  ['expressionPermissions', 'expression permissions are removed (the boolean map decides alone)'],
  ['columnPermissions', 'column permissions are removed (every column follows the table permissions)'],
  ['rowFilters', 'row filters are removed (lists are no longer narrowed by them)'],
] as const

/**
 * Each thing `next` allows that `current` does not, as a line for a person: `guest may now create, update` (`self`
 * reads as "the record's owner"), and any expression, column or row-filter restriction that goes away.
 */
export function wideningOf(current: TablePermissions, next: TablePermissions): string[] {
  const before = effective(current.permissions)
  const after = effective(next.permissions)
  const lines = GROUPS.flatMap((group) => {
    const added = OPERATIONS.filter((op) => after[group].has(op) && !before[group].has(op))
    const who = group === 'self' ? 'the record\'s owner (self)' : group === 'user' ? 'any signed-in user' : 'guests (anyone, signed in or not)'
    return added.length ? [`${who} may now ${added.join(', ')}`] : []
  })
  const present = (value: unknown) => value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0) && !(typeof value === 'object' && Object.keys(value as object).length === 0)
  for (const [key, line] of RESTRICTIONS) if (present(current[key]) && !present(next[key])) lines.push(line)
  return lines
}
