import { cellText, plainTable, textRows, type Column } from './plain-table.js'

/** Prints records as a table: ink on a terminal, plain aligned text when piped. Never used with --json. */
export async function printTable(columns: Column[], records: Array<Record<string, unknown>>): Promise<void> {
  const rows = textRows(columns, records)
  if (process.stdout.isTTY) {
    // note: loaded lazily so the piped and --json paths never load React
    const { renderTable } = await import('../../ui/table.js')
    renderTable(columns, rows)
  } else process.stdout.write(plainTable(columns, rows))
}

/** Prints one record as a field/value table. */
export function printRecord(record: Record<string, unknown>): Promise<void> {
  const rows = Object.entries(record).map(([field, value]) => ({ field, value: cellText(value) }))
  return printTable([{ key: 'field', header: 'Field' }, { key: 'value', header: 'Value' }], rows)
}

/** Columns for records of unknown shape: `id` first, then every key in first-seen order, system fields last. */
export function recordColumns(records: Array<Record<string, unknown>>, select?: string[]): Column[] {
  const system = ['createdBy', 'createdAt', 'updatedAt']
  const keys = new Set<string>(['id'])
  if (select?.length) for (const key of select) keys.add(key)
  else for (const record of records) for (const key of Object.keys(record)) if (!system.includes(key)) keys.add(key)
  keys.add('createdAt')
  return [...keys].map((key) => ({ key, header: key }))
}
