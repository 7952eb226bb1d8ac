/** A column of a human-readable table: which row key it shows, under which header. */
export interface Column {
  key: string
  header: string
}

/** One cell as text: strings as they are, null/undefined empty, objects and arrays as compact JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/**
 * Plain aligned text (pipes, logs, and terminals when the ink table is unavailable): an upper-case header line,
 * then one line per row, columns separated by two spaces. Cells are never cut, so scripts can rely on them.
 */
export function formatTable(columns: Column[], records: Array<Record<string, unknown>>): string {
  const clean = (value: unknown) => cellText(value).replace(/\r?\n/g, '\\n')
  const rows = records.map((r) => columns.map((c) => clean(r[c.key])))
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()
  return [line(columns.map((c) => c.header.toUpperCase())), ...rows.map(line)].join('\n') + '\n'
}

/** Key/value lines (`Name   posts`), for one object. */
export function formatFields(fields: Array<[string, unknown]>): string {
  const width = Math.max(...fields.map(([k]) => k.length))
  return fields.map(([k, v]) => `${k.padEnd(width)}  ${cellText(v)}`.trimEnd()).join('\n') + '\n'
}

/** Prints a table: the ink table on a terminal, plain aligned text otherwise (never used with --json). */
export async function printTable(columns: Column[], records: Array<Record<string, unknown>>): Promise<void> {
  if (process.stdout.isTTY) {
    // note: loaded lazily so pipes and --json never load React
    const { renderTable } = await import('../ui/table.js')
    renderTable(columns, records.map((r) => Object.fromEntries(columns.map((c) => [c.key, cellText(r[c.key])]))))
    return
  }
  process.stdout.write(formatTable(columns, records))
}

/** Prints key/value lines for one object. */
export function printFields(fields: Array<[string, unknown]>): void {
  process.stdout.write(formatFields(fields))
}

/** The line under a paged table: `page 2 of 5, 93 users`. */
export function pageLine(pagination: { page: number; totalPages: number; total: number }, noun: string): string {
  const { page, totalPages, total } = pagination
  return `page ${page} of ${Math.max(totalPages, 1)}, ${total} ${noun}${total === 1 ? '' : 's'}`
}
