import { jsonRow, type SourceRow } from './source-row.js'

/** Newline-delimited JSON: one object per line; blank lines are skipped, CRLF and a BOM are fine. Holds one line at a time. */
export async function* readNdjson(text: AsyncIterable<string>): AsyncGenerator<SourceRow> {
  let line = 0
  let rest = ''
  let first = true
  for await (const chunk of text) {
    const parts = ((first ? chunk.replace(/^\uFEFF/, '') : rest + chunk)).split('\n')
    first = false
    rest = parts.pop()!
    for (const part of parts) {
      line++
      if (part.trim()) yield jsonRow(line, part)
    }
  }
  line++
  if (rest.trim()) yield jsonRow(line, rest)
}
