import { tenantPrincipal } from '../../core/principal.js'
import { param, str, type JsonSchema, type ToolContext, type ToolDef } from '../tool.js'

const target = { tableId: str('table id (24 hex)') }
const recordId = { id: str('record id (24 hex)') }
const filter = (description: string): JsonSchema => ({ description: `${description}; an object, an array of objects, or the same as a JSON string` })
const QUERY_KEYS = ['sortBy', 'sortDirection', 'search', 'searchType', 'andFilters', 'orFilters', 'select'] as const

/** The table behind a tool call, found inside the session's organization. */
const tableOf = ({ core, actor }: ToolContext, tableId: string) => core.tables.locate(actor, tableId).table

/**
 * (extension, inferred) Record CRUD with tenant rights (mcp.md §8): admin group, no RLS and no key scopes, but
 * schema validation and unique indexes apply; `createdBy` is "".
 */
export const dataTools: ToolDef[] = [
  {
    name: 'backend_data_list',
    description: '(extension) List records of a table, with the REST list options: sortBy, sortDirection, search, searchType, andFilters, orFilters, select.',
    scope: 'table:data:read',
    params: {
      ...target,
      sortBy: str('field to sort by (default id)'),
      sortDirection: str('asc or desc (default desc)', { enum: ['asc', 'desc'] }),
      search: str('case-insensitive substring'),
      searchType: str('limit search to this field'),
      andFilters: filter('conditions that must all hold, e.g. { "status": "published", "age": { "$gte": 18 } }'),
      orFilters: filter('alternatives, at least one must hold'),
      select: str('comma-separated field names'),
    },
    required: ['tableId'],
    list: { defaultLimit: 100 },
    readOnly: true,
    run: (ctx, args) => {
      const query: Record<string, unknown> = { page: args.page, limit: args.limit }
      for (const key of QUERY_KEYS) if (args.params[key] !== undefined) query[key] = args.params[key]
      const table = tableOf(ctx, param(args, 'tableId'))
      const list = () => ctx.core.records.list(table, tenantPrincipal(), query)
      return ctx.core.records.loading(table)?.then(list) ?? list()
    },
  },
  {
    name: 'backend_data_get',
    description: '(extension) Get one record.',
    scope: 'table:data:read',
    params: { ...target, ...recordId },
    required: ['tableId', 'id'],
    readOnly: true,
    run: (ctx, args) => ctx.core.records.get(tableOf(ctx, param(args, 'tableId')), tenantPrincipal(), param(args, 'id')),
  },
  {
    name: 'backend_data_create',
    description: '(extension) Create a record; body holds its fields.',
    scope: 'table:data:create',
    params: target,
    required: ['tableId'],
    body: { properties: {}, open: true, mandatory: true },
    run: (ctx, args) => ctx.core.records.create(tableOf(ctx, param(args, 'tableId')), tenantPrincipal(), args.body),
  },
  {
    name: 'backend_data_update',
    description: '(extension) Partially update a record: top-level keys of body replace the stored values.',
    scope: 'table:data:update',
    params: { ...target, ...recordId },
    required: ['tableId', 'id'],
    body: { properties: {}, open: true, mandatory: true },
    run: (ctx, args) => ctx.core.records.update(tableOf(ctx, param(args, 'tableId')), tenantPrincipal(), param(args, 'id'), args.body),
  },
  {
    name: 'backend_data_delete',
    description: '(extension) Delete a record.',
    scope: 'table:data:delete',
    params: { ...target, ...recordId },
    required: ['tableId', 'id'],
    destructive: true,
    run: (ctx, args) => ctx.core.records.delete(tableOf(ctx, param(args, 'tableId')), tenantPrincipal(), param(args, 'id')),
  },
]

