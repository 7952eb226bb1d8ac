import { Box, Text, render } from 'ink'

export interface TableColumn {
  key: string
  header: string
}

export interface TableProps {
  columns: TableColumn[]
  /** Cells already formatted as text. */
  rows: Array<Record<string, string>>
  /** Widest a column may get before its cells are cut with an ellipsis. */
  maxColumnWidth?: number
  /** Terminal width: the widest columns give way until a row fits. */
  width?: number
}

const GAP = 2
const MIN_COLUMN = 6

/** Narrows the widest column, one character at a time, until the row fits `width` or every column is at its minimum. */
function fit(widths: number[], width: number | undefined): number[] {
  if (!width) return widths
  const out = [...widths]
  const total = () => out.reduce((sum, w) => sum + w + GAP, 0)
  while (total() > width) {
    const widest = out.indexOf(Math.max(...out))
    if (out[widest]! <= MIN_COLUMN) break
    out[widest]!--
  }
  return out
}

const truncate = (text: string, width: number) => (text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text)

/** A terminal table: bold headers, columns sized to their content, long cells cut to keep one row a line. */
export function Table({ columns, rows, maxColumnWidth = 40, width }: TableProps) {
  const oneLine = (text: string) => text.replace(/\r?\n/g, ' ')
  const natural = columns.map((c) => Math.min(maxColumnWidth, Math.max(c.header.length, ...rows.map((r) => oneLine(r[c.key] ?? '').length))))
  const widths = fit(natural, width)
  return (
    <Box flexDirection="column">
      <Box>
        {columns.map((c, i) => (
          <Box key={c.key} width={widths[i]! + GAP} flexShrink={0}>
            <Text bold>{c.header}</Text>
          </Box>
        ))}
      </Box>
      {rows.map((row, r) => (
        <Box key={r}>
          {columns.map((c, i) => (
            <Box key={c.key} width={widths[i]! + GAP} flexShrink={0}>
              <Text wrap="truncate-end">{truncate(oneLine(row[c.key] ?? ''), widths[i]!)}</Text>
            </Box>
          ))}
        </Box>
      ))}
      {rows.length === 0 && <Text dimColor>(no rows)</Text>}
    </Box>
  )
}

/** Prints a table once on the terminal and returns. */
export function renderTable(columns: TableColumn[], rows: Array<Record<string, string>>): void {
  const instance = render(<Table columns={columns} rows={rows} width={process.stdout.columns} />, { patchConsole: false, exitOnCtrlC: false })
  instance.unmount()
}
