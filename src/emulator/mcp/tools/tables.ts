import { pageOf } from '../../core/paging.js'
import { int, obj, optionalParam, param, str, strings, type ToolDef } from '../tool.js'

const tableId = { tableId: str('table id (24 hex)') }

/** Tables of an environment: schema, fields, indexes, permissions and their versions (mcp.md §7–§8). */
export const tableTools: ToolDef[] = [
  {
    name: 'backend_table_list',
    description: 'List tables with their schema and documentCount, optionally of one project and environment.',
    scope: 'table:read',
    params: { projectId: str('optional project id'), environment: str('optional environment name, e.g. dev'), environmentId: str('optional environment id') },
    list: { defaultLimit: 100 },
    readOnly: true,
    run: ({ core, actor }, args) => {
      const projectId = optionalParam(args, 'projectId')
      if (projectId) core.projects.owned(actor, projectId)
      const tables = core.tables.list(actor, { projectId, environment: optionalParam(args, 'environment'), environmentId: optionalParam(args, 'environmentId') })
      return pageOf(tables, args.page, args.limit)
    },
  },
  {
    name: 'backend_table_get',
    description: 'Get a table: full schema, indexes, permissions and documentCount.',
    scope: 'table:read',
    params: tableId,
    required: ['tableId'],
    readOnly: true,
    run: ({ core, actor }, args) => core.tables.get(actor, param(args, 'tableId')),
  },
  {
    name: 'backend_table_create',
    description:
      'Create a table in an environment. schema is a map { field: { type | bsonType, required, unique, default, constraints } } or the stored form { bsonType: "object", required, properties }; {} is an empty schema.',
    scope: 'table:create',
    body: {
      properties: {
        projectId: str('project id'),
        environment: str('environment name, e.g. dev'),
        tableName: str('letters, digits, _ and -, starting with a letter; at most 64'),
        schema: obj('field definitions'),
        displayName: str('up to 100 characters'),
        description: str('up to 1000 characters'),
      },
      required: ['projectId', 'environment', 'tableName', 'schema'],
      mandatory: true,
    },
    run: ({ core, actor }, args) => core.tables.create(actor, args.body),
  },
  {
    name: 'backend_table_update',
    description: 'Update displayName, description and permissions (permissions, expressionPermissions, columnPermissions, rowFilters are replaced whole; null clears). Fields change through backend_field_manage.',
    scope: 'table:update',
    params: tableId,
    required: ['tableId'],
    // note: open, so core can answer `schema`/`fields` keys with a pointer to backend_field_manage.
    body: {
      properties: {
        displayName: str('up to 100 characters'),
        description: str('up to 1000 characters'),
        permissions: obj('{ admin|user|guest|self: { create, read, update, delete, list } } or null'),
        expressionPermissions: obj('{ operation: expression } or null'),
        columnPermissions: obj('{ field: { read, write } } or null'),
        rowFilters: { type: 'array', description: '[{ expression, filter }] or null' },
      },
      open: true,
    },
    run: ({ core, actor }, args) => core.tables.update(actor, param(args, 'tableId'), args.body),
  },
  {
    name: 'backend_field_manage',
    description: 'Change fields, applied in order: fieldsToRemove, fieldsToAddOrUpdate, requiredFieldsToRemove, requiredFieldsToAdd. Creates a new schema version. Removing a field deletes its values.',
    scope: 'table:update',
    params: tableId,
    required: ['tableId'],
    body: {
      properties: {
        fieldsToAddOrUpdate: obj('{ field: definition }'),
        fieldsToRemove: strings('field names'),
        requiredFieldsToAdd: strings('field names'),
        requiredFieldsToRemove: strings('field names'),
      },
    },
    run: ({ core, actor }, args) => core.tables.fieldManage(actor, param(args, 'tableId'), args.body),
  },
  {
    name: 'backend_index_manage',
    description: 'Add, replace (by name) or remove indexes; creates a new index version. A unique index that existing records violate fails with CONFLICT.',
    scope: 'table:update',
    params: tableId,
    required: ['tableId'],
    body: {
      properties: {
        indexesToAddOrUpdate: { type: 'array', description: '[{ name, fields: { field: 1 | -1 }, unique, sparse }]', items: { type: 'object' } },
        indexesToRemove: strings('index names'),
      },
    },
    run: ({ core, actor }, args) => core.tables.indexManage(actor, param(args, 'tableId'), args.body),
  },
  {
    name: 'backend_schema_version_list',
    description: 'List the schema versions of a table, newest first.',
    scope: 'table:read',
    params: tableId,
    required: ['tableId'],
    list: { defaultLimit: 20 },
    readOnly: true,
    run: ({ core, actor }, args) => core.tables.schemaVersions(actor, param(args, 'tableId'), { page: args.page, limit: args.limit }),
  },
  {
    name: 'backend_index_version_list',
    description: 'List the index versions of a table, newest first.',
    scope: 'table:read',
    params: tableId,
    required: ['tableId'],
    list: { defaultLimit: 20 },
    readOnly: true,
    run: ({ core, actor }, args) => core.tables.indexVersions(actor, param(args, 'tableId'), { page: args.page, limit: args.limit }),
  },
  {
    name: 'backend_schema_version_rollback',
    description: '(extension) Make an earlier schema version current again by copying it into a new version; records are not changed.',
    scope: 'table:update',
    params: { ...tableId, version: int('the version to restore', { minimum: 1 }) },
    required: ['tableId', 'version'],
    run: ({ core, actor }, args) => core.tables.rollbackSchema(actor, param(args, 'tableId'), args.params.version as number),
  },
  {
    name: 'backend_table_delete',
    description: '(extension) Delete a table with all its records and versions.',
    scope: 'table:delete',
    params: tableId,
    required: ['tableId'],
    destructive: true,
    run: ({ core, actor }, args) => core.tables.delete(actor, param(args, 'tableId')),
  },
]
