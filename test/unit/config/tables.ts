import type { TableModel } from '../../../src/config/model.js'

/** A table model with nothing configured beyond what `extra` sets (two fields, `title` required, by default). */
export const tableModel = (name: string, extra: Partial<TableModel> = {}): TableModel => ({
  name,
  displayName: null,
  description: null,
  schema: { bsonType: 'object', required: ['title'], properties: { title: { bsonType: 'string' }, n: { bsonType: 'int' } } },
  indexes: [],
  permissions: null,
  expressionPermissions: null,
  columnPermissions: null,
  rowFilters: null,
  ...extra,
})
