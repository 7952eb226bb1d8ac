import { invalid, notFound } from '../errors.js'
import { isPlainObject } from './query/path.js'
import { normalizeIndex, uniqueFieldIndex, MAX_INDEXES } from './indexes/index-defs.js'
import { ID_INDEX, RESERVED_FIELDS, VALIDATION, type IndexDef, type ObjectSchema } from './model.js'
import { assertFieldName, normalizeFields } from './schema/normalize.js'
import { assertDefaultsValid } from './schema/validator.js'

/** The pure halves of `backend_field_manage` and `backend_index_manage` (mcp.md §7): new state from old + input. */

const fail = (field: string, rule: string, message: string) => invalid(VALIDATION, message, [{ field, rule, message }])

function names(body: Record<string, unknown>, key: string): string[] {
  const value = body[key]
  if (value === undefined) return []
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw fail(key, 'type', `${key} must be an array of names`)
  return [...new Set(value as string[])]
}

export interface FieldChange {
  schema: ObjectSchema
  /** Fields whose values must be removed from every record. */
  removed: string[]
  /** `<field>_unique` indexes created by `unique: true` definitions. */
  newIndexes: IndexDef[]
}

/** Applies remove → addOrUpdate → requiredRemove → requiredAdd, in that order. */
export function applyFieldChanges(schema: ObjectSchema, indexes: readonly IndexDef[], input: unknown): FieldChange {
  if (!isPlainObject(input)) throw fail('body', 'type', 'body must be an object')
  const allowed = ['fieldsToAddOrUpdate', 'fieldsToRemove', 'requiredFieldsToAdd', 'requiredFieldsToRemove']
  for (const key of Object.keys(input)) if (!allowed.includes(key)) throw fail(key, 'unknown', `unknown key ${key}; allowed: ${allowed.join(', ')}`)
  const toRemove = names(input, 'fieldsToRemove')
  const requiredToAdd = names(input, 'requiredFieldsToAdd')
  const requiredToRemove = names(input, 'requiredFieldsToRemove')
  const addOrUpdate = input.fieldsToAddOrUpdate ?? {}
  if (!isPlainObject(addOrUpdate)) throw fail('fieldsToAddOrUpdate', 'type', 'fieldsToAddOrUpdate must be an object { field: definition }')
  if (toRemove.length + requiredToAdd.length + requiredToRemove.length + Object.keys(addOrUpdate).length === 0) {
    throw fail('body', 'required', 'at least one of fieldsToAddOrUpdate, fieldsToRemove, requiredFieldsToAdd, requiredFieldsToRemove is needed')
  }
  const properties = { ...schema.properties }
  const required = new Set(schema.required)
  for (const name of toRemove) {
    if (RESERVED_FIELDS.has(name)) throw fail(name, 'reserved', `"${name}" is a system field and cannot be removed`)
    if (!(name in properties)) throw notFound('data/field-not-found', `Field "${name}" does not exist in the schema`)
    delete properties[name]
    required.delete(name)
  }
  const added = normalizeFields(addOrUpdate, '', true)
  Object.assign(properties, added.properties)
  for (const name of added.required) required.add(name)
  // A replacing definition that says `required: false` unticks Required, as the console's editor does.
  for (const name of added.optional) required.delete(name)
  for (const name of requiredToRemove) {
    assertFieldName(name, name, true)
    required.delete(name)
  }
  for (const name of requiredToAdd) {
    if (!(name in properties)) throw fail(name, 'required', `required field "${name}" is not declared in the schema`)
    required.add(name)
  }
  const next: ObjectSchema = { bsonType: 'object', required: [...required], properties }
  assertDefaultsValid(next)
  const existing = new Set(indexes.map((i) => i.name))
  const newIndexes = added.unique.map(uniqueFieldIndex).filter((i) => !existing.has(i.name))
  return { schema: next, removed: toRemove, newIndexes }
}

export interface IndexChange {
  indexes: IndexDef[]
  /** Added or replaced unique indexes that existing records must not violate. */
  uniqueToCheck: IndexDef[]
}

export function applyIndexChanges(indexes: readonly IndexDef[], input: unknown): IndexChange {
  if (!isPlainObject(input)) throw fail('body', 'type', 'body must be an object')
  for (const key of Object.keys(input)) if (key !== 'indexesToAddOrUpdate' && key !== 'indexesToRemove') throw fail(key, 'unknown', `unknown key ${key}; allowed: indexesToAddOrUpdate, indexesToRemove`)
  const toRemove = names(input, 'indexesToRemove')
  const rawAdds = input.indexesToAddOrUpdate ?? []
  if (!Array.isArray(rawAdds)) throw fail('indexesToAddOrUpdate', 'type', 'indexesToAddOrUpdate must be an array of { name, fields, unique, sparse }')
  if (toRemove.length + rawAdds.length === 0) throw fail('body', 'required', 'at least one of indexesToAddOrUpdate, indexesToRemove is needed')
  const byName = new Map(indexes.map((i) => [i.name, i]))
  for (const name of toRemove) {
    if (name === ID_INDEX.name || name.startsWith('_')) throw fail(name, 'reserved', `the system index ${name} cannot be removed`)
    if (!byName.delete(name)) throw notFound('data/index-not-found', `Index "${name}" does not exist`)
  }
  const uniqueToCheck: IndexDef[] = []
  for (const raw of rawAdds) {
    const def = normalizeIndex(raw)
    byName.set(def.name, def)
    if (def.unique) uniqueToCheck.push(def)
  }
  if (byName.size + 1 > MAX_INDEXES) throw fail('indexesToAddOrUpdate', 'size', `a table has at most ${MAX_INDEXES} indexes (including _id_)`)
  return { indexes: [...byName.values()], uniqueToCheck }
}
