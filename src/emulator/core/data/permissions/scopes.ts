import { refused } from '../../errors.js'
import type { Principal } from '../../principal.js'
import type { Operation } from '../model.js'

/**
 * API-key scopes (rest-data.md §9): checked before RLS and binding on admin too. `list` is satisfied by a `list`
 * or a `read` scope. Table names match exactly.
 */
export function checkScope(principal: Principal, tableName: string, op: Operation): void {
  if (!principal.scopes || principal.scopes.length === 0) return
  const accepted = op === 'list' ? ['list', 'read'] : [op]
  const granted = principal.scopes.some((scope) => {
    const at = scope.lastIndexOf(':')
    const table = scope.slice(0, at)
    const action = scope.slice(at + 1)
    return (table === '*' || table === tableName) && (action === '*' || accepted.includes(action))
  })
  if (!granted) {
    throw refused('forbidden', 'data/scope-insufficient', `API key scope does not include ${tableName}:${op}`, {
      check: 'key-scope',
      details: { scopes: principal.scopes, needed: `${tableName}:${op}`, ...(op === 'list' ? { accepted: [`${tableName}:list`, `${tableName}:read`] } : {}), allow: `use a key whose scopes include ${tableName}:${op} (or ${tableName}:*), or an unscoped key` },
    })
  }
}

/**
 * The Users and Files APIs are scoped like tables, under the resource names `users` and `files` (`users:read`,
 * `files:create`, `*:list`): a scoped key reaches only what its scopes name on every runtime route, not just data.
 * The data API's built-in `users` and `files` tables answer to the same names, so `users:read` means one thing.
 */
export type RuntimeResource = 'users' | 'files'

/** The lists of each resource; every other GET reads one thing. */
const LISTS: Record<RuntimeResource, readonly string[]> = { users: ['/v1/users'], files: ['/v1/files', '/v1/files/buckets'] }

/**
 * The scope operation a users or files route needs, from its method and route pattern: GET reads (lists list),
 * PATCH updates, DELETE of the resource itself deletes. A POST creates (`/v1/users`, uploads and their URLs),
 * except asking for a download URL (a read) and the writes below a user (avatar upload URL: an update).
 */
export function routeOperation(resource: RuntimeResource, method: string, route: string): Operation {
  switch (method) {
    case 'GET':
    case 'HEAD':
      return LISTS[resource].includes(route) ? 'list' : 'read'
    case 'DELETE':
      return route === `/v1/${resource}/:${resource === 'users' ? 'userId' : 'fileId'}` ? 'delete' : 'update'
    case 'POST':
      if (route.endsWith('/download-url')) return 'read'
      return resource === 'users' && route !== '/v1/users' ? 'update' : 'create'
    default:
      return 'update'
  }
}
