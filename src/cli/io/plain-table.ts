/** A column of a human-readable table: which row key it shows, under which header. */
export interface Column {
  key: string
  header: string
}

/** Table rows are already formatted: every cell is a string. */
export type TextRow = Record<string, string>

/** One cell as text: strings as they are, null/undefined empty, objects and arrays as compact JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** Formats raw records into text rows for the given columns. */
export function textRows(columns: Column[], records: Array<Record<string, unknown>>): TextRow[] {
  return records.map((record) => Object.fromEntries(columns.map((c) => [c.key, cellText(record[c.key])])))
}

/**
 * Plain aligned text for pipes and logs: a header line, then one line per row, columns separated by two spaces.
 * Cells are never truncated (scripts may cut them), only line breaks inside cells are escaped to keep one row a line.
 */
export function plainTable(columns: Column[], rows: TextRow[]): string {
  const clean = (text: string) => text.replace(/\r?\n/g, '\\n')
  const widths = columns.map((c) => Math.max(c.header.length, ...rows.map((r) => clean(r[c.key] ?? '').length)))
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()
  return [line(columns.map((c) => c.header.toUpperCase())), ...rows.map((r) => line(columns.map((c) => clean(r[c.key] ?? ''))))].join('\n') + '\n'
}
