import { Flags } from '@oclif/core'
import { CliError } from './errors.js'

/**
 * A column of a human-readable table: which row key it shows, under which header. Identity columns hold the values
 * a person copies into the next command (ids, slugs, key values, e-mail addresses): a terminal never cuts or hides
 * them; other columns are cut with … or hidden, rightmost first, when the terminal is too narrow.
 */
export interface Column {
  key: string
  header: string
  identity?: boolean
}

/** `--columns`, on every command that prints a table. */
export const columnsFlag = Flags.string({
  description: 'table columns to show, in order, comma-separated, by header name (any case): e.g. id,name',
  helpValue: 'col,col',
})

/** One cell as text: strings as they are, null/undefined empty, objects and arrays as compact JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'string') return value
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/**
 * The columns `--columns` names, in its order, matched by header or row key without regard to case; a name that is
 * not a column is a usage error listing the ones there are.
 */
export function selectColumns(columns: Column[], wanted: string | undefined): Column[] {
  if (wanted === undefined) return columns
  const names = wanted.split(',').map((name) => name.trim()).filter(Boolean)
  if (names.length === 0) throw new CliError('--columns is empty', `name one or more of: ${columns.map((c) => c.header).join(', ')}`, 2, 'cli/usage')
  return names.map((name) => {
    const lower = name.toLowerCase()
    const column = columns.find((c) => c.header.toLowerCase() === lower || c.key.toLowerCase() === lower)
    if (!column) throw new CliError(`unknown column "${name}"`, `the columns are: ${columns.map((c) => c.header).join(', ')}`, 2, 'cli/usage')
    return column
  })
}

/**
 * Plain aligned text (pipes, logs): the header line with the same names the terminal table shows, then one line per
 * row, columns separated by two spaces. Cells are never cut and no column is hidden, so scripts can rely on them.
 */
export function formatTable(columns: Column[], records: Array<Record<string, unknown>>): string {
  const clean = (value: unknown) => cellText(value).replace(/\r?\n/g, '\\n')
  const rows = records.map((r) => columns.map((c) => clean(r[c.key])))
  const widths = columns.map((c, i) => Math.max(c.header.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ').trimEnd()
  return [line(columns.map((c) => c.header)), ...rows.map(line)].join('\n') + '\n'
}

/** Key/value lines (`Name   posts`), for one object. */
export function formatFields(fields: Array<[string, unknown]>): string {
  const width = Math.max(...fields.map(([k]) => k.length))
  return fields.map(([k, v]) => `${k.padEnd(width)}  ${cellText(v)}`.trimEnd()).join('\n') + '\n'
}

/**
 * Prints a table, limited to the `--columns` selection when given (then no column is hidden to fit the terminal):
 * the ink table on a terminal, plain aligned text otherwise (never used with --json).
 */
export async function printTable(columns: Column[], records: Array<Record<string, unknown>>, wanted?: string): Promise<void> {
  const shown = selectColumns(columns, wanted)
  if (process.stdout.isTTY) {
    // note: loaded lazily so pipes and --json never load React
    const { renderTable } = await import('../ui/table.js')
    renderTable(shown, records.map((r) => Object.fromEntries(shown.map((c) => [c.key, cellText(r[c.key])]))), wanted === undefined)
    return
  }
  process.stdout.write(formatTable(shown, records))
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
