import type { Page } from '../../contract/common.js'
import { all, type ResourceDef } from './resources.js'
import type { ToolContext } from './tool.js'

/** Every version, page by page (the service caps a page at 100): resources are not paged. */
function allVersions<T>(read: (page: number) => Page<T>): Page<T> {
  const first = read(1)
  const items = [...first.items]
  for (let page = 2; page <= first.pagination.totalPages; page++) items.push(...read(page).items)
  return all(items)
}

/** Tables and their schema/index versions (mcp.md §9). */
export const tableResources: ResourceDef[] = [
  { name: 'Table', description: 'Tables of the organization, with schemas', uri: 'bkend://tables', scope: 'table:read', read: ({ core, actor }: ToolContext) => all(core.tables.list(actor)) },
  { name: 'Table', description: 'One table including its schema', uri: 'bkend://tables/{tableId}', scope: 'table:read', read: ({ core, actor }, id) => core.tables.get(actor, id!) },
  {
    name: 'Schema versions',
    description: 'Schema versions of a table, newest first',
    uri: 'bkend://tables/{tableId}/schema/versions',
    scope: 'table:read',
    read: ({ core, actor }, id) => allVersions((page) => core.tables.schemaVersions(actor, id!, { page, limit: 100 })),
  },
  {
    name: 'Index versions',
    description: 'Index versions of a table, newest first',
    uri: 'bkend://tables/{tableId}/indexes/versions',
    scope: 'table:read',
    read: ({ core, actor }, id) => allVersions((page) => core.tables.indexVersions(actor, id!, { page, limit: 100 })),
  },
]
