/** Table vocabulary on the wire: schemas, indexes and permissions, as MCP tools and `/spec` carry them (rest-data.md). Types only. */

export type BsonType = 'string' | 'int' | 'double' | 'bool' | 'date' | 'object' | 'array' | 'objectId'

/** One field definition in the stored bsonType form (rest-data.md §3). */
export interface FieldDef {
  bsonType: BsonType
  required?: string[]
  properties?: Record<string, FieldDef>
  items?: FieldDef
  pattern?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  enum?: unknown[]
  default?: unknown
  description?: string
  title?: string
  ref?: string
}

/** A table schema: the top-level object definition. */
export interface ObjectSchema {
  bsonType: 'object'
  required: string[]
  properties: Record<string, FieldDef>
}

export interface IndexDef {
  name: string
  fields: Record<string, 1 | -1>
  unique: boolean
  sparse: boolean
}

export type Operation = 'create' | 'read' | 'update' | 'delete' | 'list'

export type GroupPermissions = Partial<Record<Operation, boolean>>
/** The boolean permission map (§8.1); `self` has no `create`. */
export type PermissionMap = Partial<Record<'admin' | 'user' | 'guest' | 'self', GroupPermissions>>
export type ExpressionPermissions = Partial<Record<Operation, string>>
export type ColumnPermissions = Record<string, { read?: string; write?: string }>
export interface RowFilter {
  expression: string
  filter: Record<string, unknown> | Record<string, unknown>[]
}

/** The RLS configuration of a table, as stored and as `/spec` returns it. */
export interface TablePolicyConfig {
  permissions: PermissionMap | null
  expressionPermissions: ExpressionPermissions | null
  columnPermissions: ColumnPermissions | null
  rowFilters: RowFilter[] | null
}

/** An index as listed, with the system `_id_` index marked. */
export type TableIndex = IndexDef & { system?: boolean }

/** What a table is, as stored and as listed. */
export interface TableBase {
  id: string
  projectId: string
  environmentId: string
  environment: string
  tableName: string
  displayName: string | null
  description: string | null
  schema: ObjectSchema
  schemaVersion: number
  indexVersion: number
  createdAt: string
  updatedAt: string
}

/** A table as the MCP tools return it (mcp.md §5). */
export interface Table extends TableBase {
  indexes: TableIndex[]
  permissions: Record<string, unknown> | null
  expressionPermissions: Record<string, unknown> | null
  columnPermissions: Record<string, unknown> | null
  rowFilters: unknown
  status: string
  documentCount: number
}

/** A schema or index version; `schema` or `indexes` depending on the kind. */
export interface TableVersion {
  id: string
  tableId: string
  version: number
  isCurrent: boolean
  source: string
  createdBy: string
  createdAt: string
  schema?: ObjectSchema
  indexes?: TableIndex[]
}

/** The permission objects `tables permissions get|set` read and replace together. */
export interface TablePermissions {
  permissions: Record<string, unknown> | null
  expressionPermissions?: Record<string, unknown> | null
  columnPermissions?: Record<string, unknown> | null
  rowFilters?: unknown
}

/** A data record (rest-data.md): the system fields plus whatever the table holds. */
export type DataRecord = { id: string; createdBy: string; createdAt: string; updatedAt: string } & Record<string, unknown>
