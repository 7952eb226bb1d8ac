import type { Ajv as AjvInstance, ErrorObject, SchemaObject } from 'ajv'
import type * as AjvModule from 'ajv'
import { createRequire } from 'node:module'
import { invalid, type ErrorDetail } from '../../errors.js'
import { boundedRegExpEngine } from '../query/regex.js'
import { VALIDATION, type FieldDef, type ObjectSchema } from '../model.js'
import { dateMs } from './dates.js'

/**
 * Record validation: each schema version is translated once into JSON Schema, compiled by ajv, and cached by the
 * schema object (stored documents are immutable, so a new schema version is a new object).
 */
let instance: AjvInstance | undefined

/**
 * ajv, loaded on the first validation: most `bkend dev` starts serve no schema-validated write for a while, and
 * loading ajv is a tenth of the start-up. ajv is CommonJS, so `require` loads it synchronously where it is needed.
 */
function ajv(): AjvInstance {
  if (instance) return instance
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof AjvModule
  // ownProperties: a record without a field named like an Object.prototype member must not seem to hold it.
  instance = new Ajv({ allErrors: true, ownProperties: true, strict: false, verbose: true, unicodeRegExp: true, code: { regExp: boundedRegExpEngine } })
  instance.addKeyword({ keyword: 'bsonInt', schemaType: 'boolean', errors: false, validate: (_: boolean, data: unknown) => Number.isSafeInteger(data) })
  instance.addKeyword({ keyword: 'bsonDate', schemaType: 'boolean', errors: false, validate: (_: boolean, data: unknown) => dateMs(data) !== null })
  instance.addKeyword({ keyword: 'bsonObjectId', schemaType: 'boolean', errors: false, validate: (_: boolean, data: unknown) => typeof data === 'string' && /^[0-9a-f]{24}$/.test(data) })
  return instance
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  int: 'an integer in the safe-integer range',
  double: 'a number',
  bool: 'a boolean',
  date: 'a date (ISO 8601 string or epoch milliseconds)',
  object: 'an object',
  array: 'an array',
  objectId: 'an id of 24 hex characters',
}

function toJsonSchema(def: FieldDef, nullable: boolean): SchemaObject {
  const out: SchemaObject = { bsonTypeName: def.bsonType }
  switch (def.bsonType) {
    case 'string':
      out.type = 'string'
      break
    case 'int':
      Object.assign(out, { type: 'number', bsonInt: true })
      break
    case 'double':
      out.type = 'number'
      break
    case 'bool':
      out.type = 'boolean'
      break
    case 'date':
      out.bsonDate = true
      break
    case 'objectId':
      out.bsonObjectId = true
      break
    case 'object':
      Object.assign(out, objectSchema(def.properties ?? {}, def.required ?? []))
      break
    case 'array':
      out.type = 'array'
      if (def.items) out.items = toJsonSchema(def.items, false)
      break
  }
  for (const key of ['pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'enum'] as const) if (def[key] !== undefined) out[key] = def[key]
  // A non-required field also accepts null (§3.1); `if` keeps the inner errors precise when the value is not null.
  return nullable ? { if: { type: 'null' }, else: out } : out
}

function objectSchema(properties: Record<string, FieldDef>, required: string[]): SchemaObject {
  const props: Record<string, SchemaObject> = {}
  for (const [name, def] of Object.entries(properties)) props[name] = toJsonSchema(def, !required.includes(name))
  return { type: 'object', properties: props, required }
}

type Check = (record: unknown) => ErrorDetail[]
const cache = new WeakMap<object, Check>()

function compile(schema: SchemaObject): Check {
  const validate = ajv().compile(schema)
  return (record) => (validate(record) ? [] : toDetails(validate.errors ?? []))
}

/** Validates a whole record against a schema; the empty list means valid. */
export function validateRecord(schema: ObjectSchema, record: Record<string, unknown>): ErrorDetail[] {
  let check = cache.get(schema)
  if (!check) {
    check = compile(objectSchema(schema.properties, schema.required))
    cache.set(schema, check)
  }
  return check(record)
}

/** Throws `data/validation-error` with every failure when the record does not satisfy the schema. */
export function assertValidRecord(schema: ObjectSchema, record: Record<string, unknown>): void {
  const details = validateRecord(schema, record)
  if (details.length > 0) throw invalid(VALIDATION, `Validation failed: ${details.map((d) => `${d.field} ${d.message}`).join('; ')}`, details)
}

/** Every `default` must itself satisfy its field definition (§3.2). */
export function assertDefaultsValid(schema: ObjectSchema): void {
  const walk = (properties: Record<string, FieldDef>, path: string) => {
    for (const [name, def] of Object.entries(properties)) {
      const at = path ? `${path}.${name}` : name
      if (def.default !== undefined) {
        const details = compile(toJsonSchema(def, false))(def.default)
        if (details.length > 0) throw invalid(VALIDATION, `The default of ${at} is not valid: ${details[0]?.message}`, [{ field: at, rule: 'default', message: `default ${details[0]?.message}` }])
      }
      if (def.properties) walk(def.properties, at)
    }
  }
  walk(schema.properties, '')
}

function toDetails(errors: ErrorObject[]): ErrorDetail[] {
  const out = new Map<string, ErrorDetail>()
  for (const error of errors) {
    if (error.keyword === 'if') continue
    const segments = error.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    const arrayAt = segments.findIndex((s) => /^\d+$/.test(s))
    let detail: ErrorDetail
    if (error.keyword === 'required') {
      const field = [...segments, (error.params as { missingProperty: string }).missingProperty].join('.')
      detail = { field, rule: 'required', message: 'is required' }
    } else {
      const rule = ruleOf(error)
      const message = messageOf(rule, error)
      detail = { field: segments.join('.'), rule, message }
      if (arrayAt >= 0) {
        const inner = segments.slice(arrayAt + 1).join('.')
        detail = { field: segments.slice(0, arrayAt).join('.'), rule: 'items', message: `element ${segments[arrayAt]}${inner ? ` field ${inner}` : ''} ${message}` }
      }
    }
    out.set(`${detail.field}|${detail.rule}|${detail.message}`, detail)
  }
  // A required field sent as null fails its type too; report that once, as `required`.
  const requiredFields = new Set([...out.values()].filter((d) => d.rule === 'required').map((d) => d.field))
  return [...out.values()].filter((d) => d.rule === 'required' || !requiredFields.has(d.field))
}

function ruleOf(error: ErrorObject): string {
  // Null only fails where null is not allowed: a required field.
  if (error.data === null) return 'required'
  return ['type', 'bsonInt', 'bsonDate', 'bsonObjectId'].includes(error.keyword) ? 'type' : error.keyword
}

function messageOf(rule: string, error: ErrorObject): string {
  const limit = (error.params as { limit?: number }).limit
  switch (rule) {
    case 'required':
      return 'is required and cannot be null'
    case 'type':
      return `must be ${TYPE_WORDS[(error.parentSchema as SchemaObject | undefined)?.bsonTypeName as string] ?? 'of the declared type'}`
    case 'pattern':
      return `must match the pattern ${(error.params as { pattern: string }).pattern}`
    case 'minLength':
      return `must be at least ${limit} characters long`
    case 'maxLength':
      return `must be at most ${limit} characters long`
    case 'minimum':
      return `must be greater than or equal to ${limit}`
    case 'maximum':
      return `must be less than or equal to ${limit}`
    case 'enum':
      return `must be one of ${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)}`
    default:
      return error.message ?? 'is invalid'
  }
}
