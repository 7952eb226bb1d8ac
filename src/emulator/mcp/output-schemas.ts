import type { JsonSchema } from './tool.js'

const string = { type: 'string' }
const nullableString = { type: ['string', 'null'] }
const integer = { type: 'integer' }
const object = { type: 'object' }
const nullableObject = { type: ['object', 'null'] }

const entity = (properties: Record<string, JsonSchema>, extra: Record<string, JsonSchema> = {}): JsonSchema => ({
  type: 'object',
  properties: { ...properties, ...extra },
  required: Object.keys(properties),
})

const ORGANIZATION = {
  id: string,
  name: string,
  slug: string,
  displayName: string,
  description: nullableString,
  plan: string,
  status: string,
  role: string,
  createdAt: string,
  updatedAt: string,
}
const PROJECT = {
  id: string,
  organizationId: string,
  name: string,
  slug: string,
  description: nullableString,
  primaryCloud: string,
  primaryRegion: string,
  settings: object,
  status: string,
  environmentCount: integer,
  createdAt: string,
  updatedAt: string,
}
const ENVIRONMENT = {
  id: string,
  projectId: string,
  organizationId: string,
  environment: string,
  environmentType: string,
  status: string,
  cloud: string,
  region: string,
  cluster: nullableString,
  createdAt: string,
  updatedAt: string,
}
const TABLE = {
  id: string,
  projectId: string,
  environmentId: string,
  environment: string,
  tableName: string,
  displayName: nullableString,
  description: nullableString,
  schema: object,
  indexes: { type: 'array', items: object },
  permissions: nullableObject,
  status: string,
  documentCount: integer,
  schemaVersion: integer,
  indexVersion: integer,
  createdAt: string,
  updatedAt: string,
}
// The key's value is never part of a listed or fetched token (MCP-D11).
const ACCESS_TOKEN = {
  id: string,
  organizationId: string,
  projectId: string,
  environmentId: string,
  environment: string,
  name: string,
  type: { type: 'string', enum: ['publishable', 'secret'] },
  maskedKey: string,
  scopes: { type: ['array', 'null'], items: string },
  expiresAt: nullableString,
  status: { type: 'string', enum: ['active', 'revoked', 'expired'] },
  createdAt: string,
}
const VERSION = { id: string, tableId: string, version: integer, isCurrent: { type: 'boolean' }, source: string, createdAt: string }

const PAGINATION = entity({
  total: integer,
  page: integer,
  limit: integer,
  totalPages: integer,
  hasNext: { type: 'boolean' },
  hasPrev: { type: 'boolean' },
  hasNextPage: { type: 'boolean' },
  hasPrevPage: { type: 'boolean' },
})
const list = (item: JsonSchema): JsonSchema => entity({ items: { type: 'array', items: item }, pagination: PAGINATION })
const withEnvironments = entity(PROJECT, { environments: { type: 'array', items: entity(ENVIRONMENT) } })

/**
 * The `outputSchema` of each documented tool (mcp.md §7, MCP-D20), advertised to sessions that get
 * `structuredContent` (2025-06-18 and newer). Extension tools declare none: their shapes are the emulator's own.
 */
export const OUTPUT_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  backend_org_list: list(entity(ORGANIZATION)),
  backend_org_get: entity(ORGANIZATION),
  backend_access_token_list: list(entity(ACCESS_TOKEN)),
  backend_access_token_get: entity(ACCESS_TOKEN),
  backend_project_list: list(entity(PROJECT)),
  backend_project_get: withEnvironments,
  backend_project_create: withEnvironments,
  backend_project_update: entity(PROJECT),
  backend_env_list: list(entity(ENVIRONMENT)),
  backend_env_get: entity(ENVIRONMENT),
  backend_env_create: entity(ENVIRONMENT),
  backend_table_list: list(entity(TABLE)),
  backend_table_get: entity(TABLE),
  backend_table_create: entity(TABLE),
  backend_table_update: entity(TABLE),
  backend_field_manage: entity(TABLE),
  backend_index_manage: entity(TABLE),
  backend_schema_version_list: list(entity(VERSION, { schema: object, createdBy: string })),
  backend_index_version_list: list(entity(VERSION, { indexes: { type: 'array', items: object }, createdBy: string })),
}
