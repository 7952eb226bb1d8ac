import type { SystemTableSource } from '../data/system-tables.js'
import type { RecordDoc } from '../data/model.js'
import { U, accountView, fullView, type AccountDoc, type SessionDoc } from './model.js'
import type { UserPool } from './user-pool.js'

/**
 * The built-in `users`, `accounts` and `sessions` tables as admins read them through the data API
 * (rest-data.md §4): the objects of the auth APIs, secrets removed (no password hashes, no refresh-token ids).
 */
export function authSystemTables(pool: UserPool, nowMs: () => number): SystemTableSource {
  return {
    rows(environmentId, table): RecordDoc[] {
      const db = pool.db(environmentId)
      switch (table) {
        case 'users':
          return pool.all(environmentId).map((user) => ({ ...fullView(user), createdBy: '' }))
        case 'accounts':
          return [...db.collection<AccountDoc>(U.accounts).values()].map((a) => ({ ...accountView(a), createdBy: '', createdAt: a.connectedAt, updatedAt: a.connectedAt }))
        case 'sessions':
          return [...db.collection<SessionDoc>(U.sessions).values()]
            .filter((s) => Date.parse(s.expiresAt) > nowMs())
            .map(({ refreshJti: _secret, ...s }) => ({ ...s, createdBy: '', updatedAt: s.lastActivityAt }))
        default:
          return []
      }
    },
  }
}
