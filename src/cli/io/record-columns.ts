import type { Column } from '../output.js'

/** System fields shown last (createdAt) or not at all in a table of records; `id` always leads. */
const SYSTEM = ['createdBy', 'createdAt', 'updatedAt']

/** Columns for records of unknown shape: `id`, then the --select fields or every key in first-seen order, then `createdAt`. */
export function recordColumns(records: Array<Record<string, unknown>>, select?: string[]): Column[] {
  const keys = new Set<string>(['id'])
  if (select?.length) for (const key of select) keys.add(key)
  else for (const record of records) for (const key of Object.keys(record)) if (!SYSTEM.includes(key)) keys.add(key)
  keys.add('createdAt')
  return [...keys].map((key) => ({ key, header: key }))
}
