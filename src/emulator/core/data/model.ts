/** Stored table documents, their versions and the vocabulary shared by the data modules (rest-data.md). */

import type { BsonType, FieldDef, ObjectSchema, IndexDef, Operation, GroupPermissions, PermissionMap, ExpressionPermissions, ColumnPermissions, RowFilter, TablePolicyConfig, DataRecord, TableBase } from '../../../contract/tables.js'

export type { BsonType, FieldDef, ObjectSchema, IndexDef, Operation, GroupPermissions, PermissionMap, ExpressionPermissions, ColumnPermissions, RowFilter, TablePolicyConfig }
export const OPERATIONS: readonly Operation[] = ['create', 'read', 'update', 'delete', 'list']

/** What every table starts with: no permissions configured (defaults apply), deployed, version 1 of both. */
export const NEW_TABLE_STATE = {
  permissions: null,
  expressionPermissions: null,
  columnPermissions: null,
  rowFilters: null,
  status: 'deployed',
  schemaVersion: 1,
  indexVersion: 1,
} as const

/** A table's own fields (without the store's index signature, so `Omit` and `Pick` keep working on it). */
export interface TableFields extends TablePolicyConfig, TableBase {
  /** Declared indexes, without the system `_id_` index. */
  indexes: IndexDef[]
  status: 'deployed'
}

/** A stored table document. */
export interface TableDoc extends TableFields {
  [key: string]: unknown
  organizationId: string
}

export interface SchemaVersionDoc {
  [key: string]: unknown
  id: string
  tableId: string
  version: number
  schema: ObjectSchema
  isCurrent: boolean
  source: 'create' | 'field_manage' | 'rollback'
  createdBy: string
  createdAt: string
}

export interface IndexVersionDoc {
  [key: string]: unknown
  id: string
  tableId: string
  version: number
  indexes: IndexDef[]
  isCurrent: boolean
  source: 'create' | 'index_manage'
  createdBy: string
  createdAt: string
}

/** A stored record: system fields plus whatever the body carried. */
export type RecordDoc = DataRecord

/** Collections of an environment database. */
export const DC = {
  tables: 'tables',
  schemaVersions: 'schemaVersions',
  indexVersions: 'indexVersions',
  records: (tableId: string) => `records:${tableId}`,
} as const

export const SYSTEM_FIELDS = ['id', 'createdBy', 'createdAt', 'updatedAt'] as const
/** Names a schema may not declare (§3.3). */
export const RESERVED_FIELDS = new Set(['id', '_id', 'createdBy', 'createdAt', 'updatedAt'])
/** Built-in system tables present in every environment (§4). */
export const BUILT_IN_TABLES = ['users', 'accounts', 'sessions', 'files'] as const
export type BuiltInTable = (typeof BUILT_IN_TABLES)[number]

/** The system index every table has; it cannot be changed or removed (§7). */
export const ID_INDEX: IndexDef = { name: '_id_', fields: { _id: 1 }, unique: true, sparse: false }

export const VALIDATION = 'data/validation-error'
