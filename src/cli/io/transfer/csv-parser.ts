/** One CSV record: its cells and the line it starts on. */
export interface CsvRecord {
  line: number
  cells: string[]
  /** Set when the record cannot be trusted (a quoted field never closed). */
  error?: string
}

/**
 * RFC 4180 CSV, streamed chunk by chunk: comma-separated, fields optionally in double quotes, `""` inside quotes is
 * a quote, quoted fields may hold commas and line breaks; CRLF, LF and lone CR end records. Blank lines are skipped.
 * Lenient where RFC 4180 is strict: a quote inside an unquoted field, or text after a closing quote, is kept as text.
 */
export async function* parseCsv(text: AsyncIterable<string>): AsyncGenerator<CsvRecord> {
  let cells: string[] = []
  let field = ''
  let quoted = false
  /** In a quoted field, the previous character was a quote (end of field, or the first half of `""`). */
  let quoteSeen = false
  let afterCR = false
  let line = 1
  let startLine = 1
  let first = true

  const endRecord = (): CsvRecord | undefined => {
    cells.push(field)
    const record = cells.length === 1 && cells[0] === '' ? undefined : { line: startLine, cells }
    cells = []
    field = ''
    return record
  }

  for await (let chunk of text) {
    if (first) {
      chunk = chunk.replace(/^\uFEFF/, '')
      first = false
    }
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i]!
      if (afterCR) {
        afterCR = false
        if (ch === '\n') continue
      }
      if (quoted) {
        if (quoteSeen) {
          quoteSeen = false
          if (ch === '"') {
            field += '"'
            continue
          }
          quoted = false
          // fall through: the quote closed the field; this character is handled as outside quotes
        } else {
          if (ch === '"') quoteSeen = true
          else {
            if (ch === '\n') line++
            field += ch
          }
          continue
        }
      }
      if (ch === ',') {
        cells.push(field)
        field = ''
      } else if (ch === '\n' || ch === '\r') {
        afterCR = ch === '\r'
        const record = endRecord()
        line++
        startLine = line
        if (record) yield record
      } else if (ch === '"' && field === '' && !quoteSeen) {
        quoted = true
      } else field += ch
    }
  }
  if (quoted && !quoteSeen) {
    cells.push(field)
    yield { line: startLine, cells, error: `a quoted field starting on line ${startLine} is never closed` }
    return
  }
  const record = endRecord()
  if (record) yield record
}
