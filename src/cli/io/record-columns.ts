import type { Column } from '../output.js'

/** System fields shown last (createdAt) or not at all in a table of records; `id` always leads. */
const SYSTEM = ['createdBy', 'createdAt', 'updatedAt']

/**
 * Columns for records of unknown shape: `id`, then the --select fields or every key in first-seen order, then
 * `createdAt`. With a `--columns` selection (`wanted`) the system fields are offered too, and on an empty page,
 * where no field can be known, the names wanted are taken as they are.
 */
export function recordColumns(records: Array<Record<string, unknown>>, select?: string[], wanted?: string): Column[] {
  const keys = new Set<string>(['id'])
  if (select?.length) for (const key of select) keys.add(key)
  else for (const record of records) for (const key of Object.keys(record)) if (wanted !== undefined || !SYSTEM.includes(key)) keys.add(key)
  keys.add('createdAt')
  if (wanted !== undefined && records.length === 0) for (const key of wanted.split(',')) if (key.trim()) keys.add(key.trim())
  return [...keys].map((key) => ({ key, header: key, identity: key === 'id' }))
}
