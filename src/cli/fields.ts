import { Flags } from '@oclif/core'
import { CliError } from './errors.js'

/**
 * `--fields a,b` on list and get commands: the JSON result narrowed to those fields. `list` names the result's
 * array (`projects`, `items`) whose items are narrowed, keeping the rest of the envelope (pagination); without it
 * the result object itself is.
 */
export interface FieldSelection {
  names: string[]
  list?: string
}

/** The `--fields` flag of a list command (`list`: the result's array) or a get command. It implies --json. */
export const fieldsFlag = (list?: string) =>
  Flags.custom<FieldSelection>({
    description: `JSON fields to print${list ? ' for each item' : ''}, comma-separated (implies --json), e.g. id,name`,
    helpValue: 'field,field',
    async parse(input) {
      const names = input.split(',').map((name) => name.trim()).filter(Boolean)
      if (names.length === 0) throw new CliError('--fields is empty', 'name one or more fields, e.g. --fields id,name', 2, 'cli/usage')
      return { names, list }
    },
  })()

type Json = Record<string, unknown>

function pick(object: Json, names: string[]): Json {
  return Object.fromEntries(names.map((name) => [name, object[name] ?? null]))
}

/** A field no item has is a usage error naming the ones there are; an empty list has none to check against. */
function check(objects: Json[], names: string[]): void {
  if (objects.length === 0) return
  const available = [...new Set(objects.flatMap((o) => Object.keys(o)))]
  const unknown = names.filter((name) => !available.includes(name))
  if (unknown.length) throw new CliError(`unknown field${unknown.length === 1 ? '' : 's'} ${unknown.map((n) => `"${n}"`).join(', ')} for --fields`, `the fields are: ${available.join(', ')}`, 2, 'cli/usage')
}

/** The result with only the selected fields (each item of the selection's list, or the object itself). */
export function selectFields(result: unknown, selection: FieldSelection): unknown {
  const object = result as Json
  if (!selection.list) {
    check([object], selection.names)
    return pick(object, selection.names)
  }
  const items = object[selection.list] as Json[]
  check(items, selection.names)
  return { ...object, [selection.list]: items.map((item) => pick(item, selection.names)) }
}
