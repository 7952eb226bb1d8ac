import { forbidden } from '../../errors.js'
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
  if (!granted) throw forbidden('data/scope-insufficient', `API key scope does not include ${tableName}:${op}`)
}
