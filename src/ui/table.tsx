import { Box, Text, render } from 'ink'

export interface TableColumn {
  key: string
  header: string
  /** A value people copy into the next command (an id, key, e-mail): never cut and never hidden. */
  identity?: boolean
}

export interface TableProps {
  columns: TableColumn[]
  /** Cells already formatted as text. */
  rows: Array<Record<string, string>>
  /** Widest another column may get before its cells are cut with an ellipsis. */
  maxColumnWidth?: number
  /** Terminal width: other columns narrow, then the rightmost of them are hidden, until a row fits. */
  width?: number
  /** Whether columns may be hidden to fit (not when the person chose the columns). */
  hide?: boolean
}

const GAP = 2
const MIN_COLUMN = 8

/** Which columns a terminal of `width` shows, how wide each is, and which had to be hidden. */
export interface TableLayout {
  columns: TableColumn[]
  widths: number[]
  hidden: TableColumn[]
}

const oneLine = (text: string) => text.replace(/\r?\n/g, ' ')
const rowWidth = (widths: number[]) => widths.reduce((sum, w) => sum + w, 0) + GAP * Math.max(0, widths.length - 1)

/**
 * The column policy: identity columns keep their full width; the others are capped at `maxColumnWidth`, then
 * narrowed widest first down to their header (or a few characters), then hidden rightmost first. When what is left
 * is still wider than the terminal, the line is written whole and the terminal wraps it: no value is cut.
 */
export function layoutTable(columns: TableColumn[], rows: Array<Record<string, string>>, width: number | undefined, maxColumnWidth = 40, hide = true): TableLayout {
  const natural = new Map(columns.map((c) => {
    const content = Math.max(c.header.length, ...rows.map((r) => oneLine(r[c.key] ?? '').length))
    return [c, c.identity ? content : Math.min(content, Math.max(maxColumnWidth, c.header.length))]
  }))
  const floor = (c: TableColumn) => (c.identity ? natural.get(c)! : Math.min(natural.get(c)!, Math.max(c.header.length, MIN_COLUMN)))
  let shown = [...columns]
  for (;;) {
    const widths = shown.map((c) => natural.get(c)!)
    while (width && rowWidth(widths) > width) {
      const narrowable = widths.map((w, i) => (w > floor(shown[i]!) ? w : -1))
      const widest = narrowable.indexOf(Math.max(...narrowable))
      if (narrowable[widest]! < 0) break
      widths[widest]!--
    }
    const drop = hide ? shown.findLastIndex((c) => !c.identity) : -1
    if (!width || rowWidth(widths) <= width || drop < 0) return { columns: shown, widths, hidden: columns.filter((c) => !shown.includes(c)) }
    shown = shown.filter((_, i) => i !== drop)
  }
}

const truncate = (text: string, width: number) => (text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text)

/** A terminal table: bold headers, columns sized to their content, identity values whole, a note on hidden columns. */
export function Table({ columns, rows, maxColumnWidth = 40, width, hide = true }: TableProps) {
  const layout = layoutTable(columns, rows, width, maxColumnWidth, hide)
  const cell = (i: number) => ({ width: layout.widths[i]! + (i === layout.columns.length - 1 ? 0 : GAP), flexShrink: 0 })
  const overflow = width !== undefined && rowWidth(layout.widths) > width
  return (
    // note: an explicit width lets ink write a line longer than the terminal instead of wrapping a value in its cell
    <Box flexDirection="column" width={overflow ? rowWidth(layout.widths) : undefined}>
      <Box>
        {layout.columns.map((c, i) => (
          <Box key={c.key} {...cell(i)}>
            <Text bold>{c.header}</Text>
          </Box>
        ))}
      </Box>
      {rows.map((row, r) => (
        <Box key={r}>
          {layout.columns.map((c, i) => (
            <Box key={c.key} {...cell(i)}>
              <Text wrap="truncate-end">{c.identity ? oneLine(row[c.key] ?? '') : truncate(oneLine(row[c.key] ?? ''), layout.widths[i]!)}</Text>
            </Box>
          ))}
        </Box>
      ))}
      {rows.length === 0 && <Text dimColor>(no rows)</Text>}
      {layout.hidden.length > 0 && <Text dimColor>{`Hidden to fit the terminal: ${layout.hidden.map((c) => c.header).join(', ')} (choose with --columns)`}</Text>}
    </Box>
  )
}

/** Prints a table once on the terminal and returns; `hide: false` when the person chose the columns. */
export function renderTable(columns: TableColumn[], rows: Array<Record<string, string>>, hide = true): void {
  const instance = render(<Table columns={columns} rows={rows} width={process.stdout.columns} hide={hide} />, { patchConsole: false, exitOnCtrlC: false })
  instance.unmount()
}
