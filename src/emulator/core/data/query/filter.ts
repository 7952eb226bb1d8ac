import { invalid } from '../../errors.js'
import { VALIDATION, type BsonType, type FieldDef, type ObjectSchema } from '../model.js'
import { dateMs } from '../schema/dates.js'
import { isPlainObject, splitPath } from './path.js'
import { BoundedRegExp, DEFAULT_STEP_BUDGET, MATCH_TIME_MS, StepBudget } from './regex.js'

/** Parsed filter documents (rest-data.md §6.1): a small tree the matcher and the planner walk. */
export type Condition =
  | { op: '$eq' | '$ne' | '$gt' | '$gte' | '$lt' | '$lte' | '$exists'; value: unknown }
  | { op: '$in' | '$nin'; value: unknown[] }
  | { op: '$regex'; regex: BoundedRegExp }

export type Filter =
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'and'; items: Filter[] }
  | { kind: 'or'; items: Filter[] }
  | { kind: 'field'; path: string; segments: string[]; date: boolean; conditions: Condition[] }

/** The declared type at a dot path, system fields included. */
export type TypeLookup = (path: string) => BsonType | undefined

const SYSTEM_TYPES: Record<string, BsonType> = { id: 'objectId', createdBy: 'string', createdAt: 'date', updatedAt: 'date' }
const OPERATORS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$regex', '$options', '$exists'])

export function schemaTypes(schema: ObjectSchema): TypeLookup {
  return (path) => {
    if (Object.hasOwn(SYSTEM_TYPES, path)) return SYSTEM_TYPES[path]
    let def: FieldDef | undefined = { bsonType: 'object', properties: schema.properties }
    for (const segment of splitPath(path)) {
      while (def?.bsonType === 'array') def = def.items
      def = def?.properties && Object.hasOwn(def.properties, segment) ? def.properties[segment] : undefined
    }
    return def?.bsonType
  }
}

const bad = (message: string, field = 'filter') => invalid(VALIDATION, message, [{ field, rule: 'filter', message }])

/** Conditions (one per operator or equality) the filters of one request may hold together. */
export const MAX_FILTER_CLAUSES = 100
/** Characters of one filter parameter's JSON. */
export const MAX_FILTER_LENGTH = 16 * 1024

/**
 * What the filters a client sends in one request may cost together: a cap on their conditions and size, and one
 * regex step budget shared by all their regexes over all rows, so no single query can hold the event loop.
 */
export class QueryBudget {
  readonly steps = new StepBudget(DEFAULT_STEP_BUDGET, MATCH_TIME_MS)
  private clauses = 0

  /** Counts a field's conditions against the request's cap. */
  spend(conditions: number, field: string): void {
    this.clauses += conditions
    if (this.clauses > MAX_FILTER_CLAUSES) throw bad(`A query may hold at most ${MAX_FILTER_CLAUSES} filter conditions in all; split it or use $in`, field)
  }
}

interface ParseContext {
  types: TypeLookup
  bracket: boolean
  budget: QueryBudget | undefined
  steps: StepBudget | undefined
}

export const ALL: Filter = { kind: 'all' }
export const NONE: Filter = { kind: 'none' }

/** Conjunction that drops trivially true parts and short-circuits on false ones. */
export function and(...items: Filter[]): Filter {
  const kept = items.filter((f) => f.kind !== 'all')
  if (kept.some((f) => f.kind === 'none')) return NONE
  if (kept.length === 0) return ALL
  return kept.length === 1 ? (kept[0] as Filter) : { kind: 'and', items: kept }
}

export function or(...items: Filter[]): Filter {
  const kept = items.filter((f) => f.kind !== 'none')
  if (kept.some((f) => f.kind === 'all')) return ALL
  if (kept.length === 0) return NONE
  return kept.length === 1 ? (kept[0] as Filter) : { kind: 'or', items: kept }
}

/**
 * An `andFilters`/`orFilters` parameter: a JSON string (query string), an object or an array (MCP, row filters).
 * `combine` says how the entries of one object combine; array elements combine the same way (§6.1).
 */
export function parseFilterParam(value: unknown, combine: 'and' | 'or', types: TypeLookup, options: { bracket?: boolean; budget?: QueryBudget; steps?: StepBudget } = {}): Filter {
  if (value === undefined || value === null || value === '') return ALL
  const ctx: ParseContext = { types, bracket: options.bracket ?? false, budget: options.budget, steps: options.budget?.steps ?? options.steps }
  if (ctx.budget && (typeof value === 'string' ? value : JSON.stringify(value)).length > MAX_FILTER_LENGTH) {
    throw bad(`${combine}Filters is longer than ${MAX_FILTER_LENGTH} characters of JSON; narrow the filter`, `${combine}Filters`)
  }
  let doc = value
  if (typeof value === 'string') {
    try {
      doc = JSON.parse(value)
    } catch {
      throw bad(`${combine}Filters is not valid JSON`, `${combine}Filters`)
    }
  }
  if (Array.isArray(doc)) {
    const parts = doc.map((element) => {
      if (!isPlainObject(element)) throw bad(`${combine}Filters array elements must be objects`, `${combine}Filters`)
      return and(...entries(element, ctx))
    })
    return combine === 'and' ? and(...parts) : or(...parts)
  }
  if (!isPlainObject(doc)) throw bad(`${combine}Filters must be a JSON object or an array of objects`, `${combine}Filters`)
  const parts = entries(doc, ctx)
  return combine === 'and' ? and(...parts) : or(...parts)
}

function entries(doc: Record<string, unknown>, ctx: ParseContext): Filter[] {
  return Object.entries(doc).map(([path, condition]) => {
    const filter = fieldFilter(path, condition, ctx)
    ctx.budget?.spend(filter.conditions.length, path)
    return filter
  })
}

function fieldFilter(path: string, condition: unknown, { types, bracket, steps }: ParseContext): Filter & { kind: 'field' } {
  if (path === '' || path.startsWith('$') || splitPath(path).some((s) => s === '')) throw bad(`"${path}" is not a field name or dot path (unknown operator?)`, path)
  const type = types(path)
  const date = type === 'date'
  const coerce = (v: unknown): unknown => {
    if (bracket && typeof v === 'string') v = fromBracket(v, type)
    if (date && typeof v === 'string') {
      const ms = dateMs(v)
      return ms === null ? v : new Date(ms)
    }
    return v
  }
  const segments = splitPath(path)
  const isOperatorObject = isPlainObject(condition) && Object.keys(condition).length > 0 && Object.keys(condition).every((k) => k.startsWith('$'))
  if (!isOperatorObject) {
    if (isPlainObject(condition) && Object.keys(condition).some((k) => k.startsWith('$'))) throw bad(`condition on ${path} mixes operators and field names`, path)
    return { kind: 'field', path, segments, date, conditions: [{ op: '$eq', value: coerce(condition) }] }
  }
  const ops = condition as Record<string, unknown>
  const conditions: Condition[] = []
  for (const [op, operand] of Object.entries(ops)) {
    if (!OPERATORS.has(op)) throw bad(`unknown operator ${op} on ${path}`, path)
    switch (op) {
      case '$in':
      case '$nin':
        if (!Array.isArray(operand)) throw bad(`${op} on ${path} needs an array`, path)
        conditions.push({ op, value: operand.map(coerce) })
        break
      case '$exists':
        if (typeof operand !== 'boolean') throw bad(`$exists on ${path} needs true or false`, path)
        conditions.push({ op, value: operand })
        break
      case '$regex': {
        const options = ops.$options ?? ''
        if (typeof operand !== 'string') throw bad(`$regex on ${path} needs a string pattern`, path)
        if (typeof options !== 'string' || !/^[ims]*$/.test(options)) throw bad(`$options on ${path} accepts only the flags i, m and s`, path)
        conditions.push({ op, regex: new BoundedRegExp(operand, [...new Set(options)].join(''), steps) })
        break
      }
      case '$options':
        if (!('$regex' in ops)) throw bad(`$options on ${path} needs a sibling $regex`, path)
        break
      default:
        conditions.push({ op: op as '$eq', value: coerce(operand) })
    }
  }
  return { kind: 'field', path, segments, date, conditions }
}

/** Bracket-form values are strings; declared scalar types convert them (§6.1 "Coercion"). */
function fromBracket(value: string, type: BsonType | undefined): unknown {
  switch (type) {
    case 'int':
      return /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : value
    case 'double':
      return value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value
    case 'bool':
      return value === 'true' ? true : value === 'false' ? false : value
    default:
      return value
  }
}

/** Collects `andFilters[field]=v` and `andFilters[field][$op]=v` query keys into filter objects (RD-D8). */
export function bracketFilters(query: Record<string, unknown>, name: 'andFilters' | 'orFilters'): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {}
  const pattern = new RegExp(`^${name}\\[([^\\]]+)\\](?:\\[(\\$[a-z]+)\\])?$`)
  for (const [key, raw] of Object.entries(query)) {
    const match = pattern.exec(key)
    if (!match) continue
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw
    const field = match[1] as string
    if (match[2]) out[field] = { ...(isPlainObject(out[field]) ? out[field] : {}), [match[2]]: bracketOperand(match[2], value) }
    else out[field] = value
  }
  return Object.keys(out).length > 0 ? out : undefined
}

function bracketOperand(op: string, value: unknown): unknown {
  if (op === '$in' || op === '$nin') return String(value).split(',')
  if (op === '$exists') return value === 'true' ? true : value === 'false' ? false : value
  return value
}

/** A text that is equal for filters of equal meaning, to remember what a filter matched by. */
export function filterKey(filter: Filter): string {
  return JSON.stringify(filter, function (this: Record<string, unknown>, key: string, value: unknown) {
    const raw = this[key]
    if (raw instanceof BoundedRegExp) return { $regex: raw.source, $options: raw.flags }
    if (raw instanceof Date) return { $date: raw.getTime() }
    return value
  })
}
