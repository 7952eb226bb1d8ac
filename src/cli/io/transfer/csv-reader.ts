import { CliError } from '../../errors.js'
import { parseCsv } from './csv-parser.js'
import type { SourceRow } from './source-row.js'

/** Declared field types from the table's `/spec` (`bsonType` by field name). */
export type FieldTypes = Record<string, string>

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/

/**
 * CSV rows as records: the first record is the header (field names); empty cells are left out so defaults and
 * `required` apply. Declared fields are converted to their schema type; undeclared ones stay strings unless
 * `inferTypes` turns numbers, booleans, null and JSON objects/arrays into values.
 */
export function csvReader(types: FieldTypes, inferTypes: boolean) {
  return async function* readCsv(text: AsyncIterable<string>): AsyncGenerator<SourceRow> {
    let header: string[] | undefined
    for await (const { line, cells, error } of parseCsv(text)) {
      if (!header) {
        header = checkHeader(cells)
        continue
      }
      if (error) yield { row: line, error }
      else if (cells.length !== header.length) yield { row: line, error: `has ${cells.length} fields, the header has ${header.length}` }
      else yield toRow(line, header, cells, types, inferTypes)
    }
  }
}

function checkHeader(cells: string[]): string[] {
  const names = cells.map((c) => c.trim())
  const empty = names.findIndex((n) => !n)
  if (empty >= 0) throw new CliError(`CSV header column ${empty + 1} has no name`, 'the first line must name every column', 1, 'import/bad-file')
  const duplicate = names.find((n, i) => names.indexOf(n) !== i)
  if (duplicate) throw new CliError(`CSV header names "${duplicate}" twice`, 'every column needs its own name', 1, 'import/bad-file')
  return names
}

function toRow(row: number, header: string[], cells: string[], types: FieldTypes, inferTypes: boolean): SourceRow {
  const record: Record<string, unknown> = {}
  for (let i = 0; i < header.length; i++) {
    const name = header[i]!
    const cell = cells[i]!
    if (cell === '') continue
    const type = types[name]
    try {
      record[name] = type ? typed(cell, type) : inferTypes ? inferred(cell) : cell
    } catch (error) {
      return { row, error: `field "${name}": ${(error as Error).message}` }
    }
  }
  return { row, record }
}

/** A cell converted to a declared bsonType; throws with the reason when it cannot be. */
function typed(cell: string, type: string): unknown {
  switch (type) {
    case 'int':
    case 'long':
    case 'double':
    case 'decimal': {
      const value = Number(cell.trim())
      if (!NUMBER.test(cell.trim()) || !Number.isFinite(value)) throw new Error(`"${cell}" is not a number`)
      return value
    }
    case 'bool': {
      const value = cell.trim().toLowerCase()
      if (value === 'true' || value === '1') return true
      if (value === 'false' || value === '0') return false
      throw new Error(`"${cell}" is not true or false`)
    }
    case 'object':
    case 'array': {
      let value: unknown
      try {
        value = JSON.parse(cell)
      } catch {
        throw new Error(`is not a JSON ${type}`)
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value) !== (type === 'array')) throw new Error(`is not a JSON ${type}`)
      return value
    }
    default:
      return cell
  }
}

function inferred(cell: string): unknown {
  const text = cell.trim()
  if (NUMBER.test(text)) return Number(text)
  if (text === 'true' || text === 'false') return text === 'true'
  if (text === 'null') return null
  if (text.startsWith('{') || text.startsWith('[')) {
    try {
      return JSON.parse(text)
    } catch {
      return cell
    }
  }
  return cell
}
