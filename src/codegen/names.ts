/**
 * Type names for tables. Each table owns four names (record, create input, update input, id); a table whose names
 * are taken by a table that sorts before it, by the fixed types of the generated file or by a global the file uses,
 * gets the first free numbered variant (`UserProfiles2`), so the same tables always get the same names.
 */

/** What a table's types are called in the generated file. */
export interface TableTypeNames {
  record: string
  create: string
  update: string
  id: string
}

/** The fixed types and values every generated file declares. */
export const FIXED_NAMES = [
  'BkendClient',
  'BkendClientOptions',
  'BkendError',
  'BkendErrorBody',
  'BkendFile',
  'FileMetadata',
  'FilterDocument',
  'ListParams',
  'Page',
  'Pagination',
  'TableClient',
  'Tables',
  'User',
  'UserId',
  'createClient',
] as const

// Globals the generated code refers to, and the everyday ones a reader would not expect to see shadowed.
const GLOBALS = ['Array', 'Awaited', 'Boolean', 'Date', 'Error', 'File', 'Function', 'JSON', 'Map', 'Number', 'Object', 'Omit', 'Partial', 'Pick', 'Promise', 'Readonly', 'Record', 'Required', 'ReturnType', 'Set', 'String', 'Symbol', 'URLSearchParams']

/** `user-profiles`, `user_profiles` and `userProfiles` → `UserProfiles`; `_audit` → `Audit`; `_1x` → `T1x`. */
export function pascalCase(name: string): string {
  const joined = name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('')
  return /^[A-Za-z]/.test(joined) ? joined : `T${joined}`
}

/** Names for every table, decided in code-point order of the table names. */
export function tableTypeNames(tableNames: string[]): Map<string, TableTypeNames> {
  const taken = new Set<string>([...FIXED_NAMES, ...GLOBALS])
  const out = new Map<string, TableTypeNames>()
  for (const table of [...tableNames].sort(byCodePoint)) {
    const base = pascalCase(table)
    for (let n = 1; ; n++) {
      const stem = n === 1 ? base : `${base}${n}`
      const names = { record: stem, create: `${stem}Create`, update: `${stem}Update`, id: `${stem}Id` }
      const all = Object.values(names)
      if (all.some((name) => taken.has(name))) continue
      for (const name of all) taken.add(name)
      out.set(table, names)
      break
    }
  }
  return out
}

/** Code-point order: the same in every locale, unlike localeCompare. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
