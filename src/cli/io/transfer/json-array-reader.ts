import { CliError } from '../../errors.js'
import { jsonRow, type SourceRow } from './source-row.js'

const WS = new Set([' ', '\t', '\n', '\r', '\uFEFF'])

/**
 * A top-level JSON array, streamed: the scanner finds each element's boundaries (tracking strings, escapes and
 * nesting) and parses one element at a time, so memory holds a single record however long the file is. A malformed
 * element is a rejected row; a file that is not an array, or ends inside one, is an error.
 */
export async function* readJsonArray(text: AsyncIterable<string>): AsyncGenerator<SourceRow> {
  let state = 'before' as 'before' | 'between' | 'element' | 'after'
  let element = ''
  let depth = 0
  let inString = false
  let escaped = false
  let index = 0
  let sawComma = false

  for await (const chunk of text) {
    let start = 0
    for (let i = 0; i < chunk.length; i++) {
      const ch = chunk[i]!
      if (state === 'element') {
        if (inString) {
          if (escaped) escaped = false
          else if (ch === '\\') escaped = true
          else if (ch === '"') inString = false
          continue
        }
        if (ch === '"') inString = true
        else if (ch === '{' || ch === '[') depth++
        else if ((ch === '}' || ch === ']') && depth > 0) depth--
        else if (depth === 0 && (ch === ',' || ch === ']')) {
          yield jsonRow(++index, element + chunk.slice(start, i))
          element = ''
          state = ch === ',' ? 'between' : 'after'
          sawComma = ch === ','
        }
        continue
      }
      if (WS.has(ch)) continue
      if (state === 'before') {
        if (ch !== '[') throw notAnArray(`starts with "${ch}"`)
        state = 'between'
      } else if (state === 'between') {
        if (ch === ']' && !sawComma) state = 'after'
        else if (ch === ',' || ch === ']') throw notAnArray(`has an empty element after element ${index}`)
        else {
          state = 'element'
          start = i
          depth = ch === '{' || ch === '[' ? 1 : 0
          inString = ch === '"'
          sawComma = false
        }
      } else throw notAnArray(`has "${ch}" after the closing bracket`)
    }
    if (state === 'element') element += chunk.slice(start)
  }
  if (state === 'before') return
  if (state !== 'after') throw notAnArray('ends before its closing bracket')
}

function notAnArray(why: string): CliError {
  return new CliError(`the input is not a JSON array: it ${why}`, 'JSON input must be one array of objects ([{…},{…}]); use --format ndjson for one object per line', 1, 'import/bad-file')
}
