import type { Principal } from '../principal.js'
import type { FieldDef, ObjectSchema, TableDoc } from './model.js'
import { authorizeSpec, effectivePermissions } from './permissions/policy.js'
import { checkScope } from './permissions/scopes.js'
import { policyOf } from './records.js'

/** `/spec` and `/openapi` (rest-data.md §5.6–5.7): what a client may learn about a table it can read. */

export function tableSpec(table: TableDoc, principal: Principal): Record<string, unknown> {
  checkScope(principal, table.tableName, 'read')
  authorizeSpec(policyOf(table), principal)
  const spec: Record<string, unknown> = {
    tableName: table.tableName,
    displayName: table.displayName,
    description: table.description,
    schema: table.schema,
    indexes: table.indexes.map((i) => ({ name: i.name, key: i.fields, fields: i.fields, unique: i.unique, sparse: i.sparse })),
    permissions: effectivePermissions(table),
  }
  for (const key of ['expressionPermissions', 'columnPermissions', 'rowFilters'] as const) if (table[key] !== null) spec[key] = table[key]
  return spec
}

type Json = Record<string, unknown>

const TYPES: Record<FieldDef['bsonType'], Json> = {
  string: { type: 'string' },
  int: { type: 'integer' },
  double: { type: 'number' },
  bool: { type: 'boolean' },
  date: { type: 'string', format: 'date-time' },
  object: { type: 'object' },
  array: { type: 'array' },
  objectId: { type: 'string', pattern: '^[0-9a-f]{24}$' },
}

function openApiField(def: FieldDef, nullable: boolean): Json {
  const out: Json = { ...TYPES[def.bsonType] }
  for (const key of ['pattern', 'minLength', 'maxLength', 'minimum', 'maximum', 'enum', 'default', 'description', 'title'] as const) if (def[key] !== undefined) out[key] = def[key]
  if (def.bsonType === 'object' && def.properties) Object.assign(out, openApiObject({ bsonType: 'object', properties: def.properties, required: def.required ?? [] }))
  if (def.bsonType === 'array' && def.items) out.items = openApiField(def.items, false)
  if (nullable) out.nullable = true
  return out
}

function openApiObject(schema: ObjectSchema): Json {
  const properties: Json = {}
  for (const [name, def] of Object.entries(schema.properties)) properties[name] = openApiField(def, !schema.required.includes(name))
  return { type: 'object', properties, ...(schema.required.length > 0 ? { required: schema.required } : {}), additionalProperties: true }
}

const capitalized = (name: string) => {
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean)
  const joined = words.map((w) => w[0]?.toUpperCase() + w.slice(1)).join('') || 'Table'
  // The envelope schema is called Error; a table named "error" must not overwrite it.
  return joined === 'Error' ? 'ErrorRecord' : joined
}

/** An OpenAPI 3.0.0 document for one table's CRUD routes, generated from its current schema. */
export function tableOpenApi(table: TableDoc, principal: Principal, origin: string): Json {
  checkScope(principal, table.tableName, 'read')
  authorizeSpec(policyOf(table), principal)
  const name = capitalized(table.tableName)
  const ref = (schema: string) => ({ $ref: `#/components/schemas/${schema}` })
  const json = (schema: Json) => ({ 'application/json': { schema } })
  const error = (description: string) => ({ description, content: json(ref('Error')) })
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{24}$' } }
  const query = (param: string, schema: Json, description: string) => ({ name: param, in: 'query', required: false, schema, description })
  const input = openApiObject(table.schema)
  const system = {
    id: { type: 'string', pattern: '^[0-9a-f]{24}$' },
    createdBy: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  }
  const base = `/v1/data/${table.tableName}`
  const common = { '401': error('Missing or invalid API key or user token'), '403': error('Permission denied, scope insufficient or system table'), '404': error('Table or record not found') }
  return {
    openapi: '3.0.0',
    info: { title: `${table.tableName} API`, version: '1.0.0', description: `CRUD API for ${table.tableName} table` },
    servers: [{ url: origin }],
    security: [{ ApiKeyAuth: [] }, { ApiKeyAuth: [], BearerAuth: [] }],
    paths: {
      [base]: {
        get: {
          operationId: `list${name}`,
          summary: `List ${table.tableName} records`,
          parameters: [
            query('page', { type: 'integer', minimum: 1, default: 1 }, 'Page number'),
            query('limit', { type: 'integer', minimum: 1, maximum: 100, default: 20 }, 'Page size (clamped to 1–100)'),
            query('offset', { type: 'integer', minimum: 0 }, 'Row offset; overrides page'),
            query('sortBy', { type: 'string', default: 'id' }, 'Field or dot path to sort by'),
            query('sortDirection', { type: 'string', enum: ['asc', 'desc'], default: 'desc' }, 'Sort direction'),
            query('search', { type: 'string' }, 'Case-insensitive substring search'),
            query('searchType', { type: 'string' }, 'Field to search in'),
            query('andFilters', { type: 'string' }, 'JSON filter document: all conditions must hold'),
            query('orFilters', { type: 'string' }, 'JSON filter document: at least one condition must hold'),
            query('select', { type: 'string' }, 'Comma-separated fields to return'),
          ],
          responses: { '200': { description: 'A page of records', content: json(ref(`${name}List`)) }, '400': error('Invalid query'), ...common },
        },
        post: {
          operationId: `create${name}`,
          summary: `Create a ${table.tableName} record`,
          requestBody: { required: true, content: json(ref(`${name}Input`)) },
          responses: { '201': { description: 'The created record', content: json(ref(name)) }, '400': error('Validation failed'), '409': error('Duplicate value'), ...common },
        },
      },
      [`${base}/{id}`]: {
        parameters: [idParam],
        get: { operationId: `get${name}`, summary: `Get a ${table.tableName} record`, responses: { '200': { description: 'The record', content: json(ref(name)) }, ...common } },
        patch: {
          operationId: `update${name}`,
          summary: `Update a ${table.tableName} record (partial)`,
          requestBody: { required: true, content: json({ ...ref(`${name}Input`) }) },
          responses: { '200': { description: 'The updated record', content: json(ref(name)) }, '400': error('Validation failed'), '409': error('Duplicate value'), ...common },
        },
        delete: {
          operationId: `delete${name}`,
          summary: `Delete a ${table.tableName} record`,
          responses: { '200': { description: 'Deleted', content: json({ type: 'object', properties: { success: { type: 'boolean' } }, required: ['success'] }) }, ...common },
        },
      },
    },
    components: {
      schemas: {
        [name]: { ...input, properties: { ...system, ...(input.properties as Json) }, required: [...new Set(['id', 'createdBy', 'createdAt', 'updatedAt', ...table.schema.required])] },
        [`${name}Input`]: input,
        [`${name}List`]: {
          type: 'object',
          required: ['items', 'pagination'],
          properties: {
            items: { type: 'array', items: ref(name) },
            pagination: {
              type: 'object',
              properties: Object.fromEntries(['total', 'page', 'limit', 'totalPages'].map((k) => [k, { type: 'integer' }]).concat(['hasNext', 'hasPrev', 'hasNextPage', 'hasPrevPage'].map((k) => [k, { type: 'boolean' }]))),
            },
          },
        },
        Error: {
          type: 'object',
          required: ['success', 'statusCode', 'error', 'message'],
          properties: {
            success: { type: 'boolean', enum: [false] },
            statusCode: { type: 'integer' },
            message: { type: 'string' },
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string' },
                message: { type: 'string' },
                details: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, rule: { type: 'string' }, message: { type: 'string' } } } },
              },
            },
          },
        },
      },
      securitySchemes: {
        ApiKeyAuth: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        BearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
      },
    },
  }
}
