/** Table objects as the MCP tools return them (mcp.md §5). */
import type { FieldDef, IndexDef, ObjectSchema } from '../contract/tables.js'

export type FieldSchema = FieldDef
export type TableSchema = ObjectSchema
/** An index as listed, with the system `_id_` index marked. */
export type TableIndex = IndexDef & { system?: boolean }

export interface Table {
  id: string
  projectId: string
  environmentId: string
  environment: string
  tableName: string
  displayName: string | null
  description: string | null
  schema: TableSchema
  indexes: TableIndex[]
  permissions: Record<string, unknown> | null
  expressionPermissions: Record<string, unknown> | null
  columnPermissions: Record<string, unknown> | null
  rowFilters: unknown
  status: string
  documentCount: number
  schemaVersion: number
  indexVersion: number
  createdAt: string
  updatedAt: string
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
  schema?: TableSchema
  indexes?: TableIndex[]
}

/** The permission objects `tables permissions get|set` read and replace together. */
export interface TablePermissions {
  permissions: Record<string, unknown> | null
  expressionPermissions?: Record<string, unknown> | null
  columnPermissions?: Record<string, unknown> | null
  rowFilters?: unknown
}
