import type { DomainError} from '../errors.js';
import { forbidden, notFound, refused } from '../errors.js'
import { callerOf } from '../data/permissions/explain.js'
import { isId } from '../ids.js'
import type { Principal } from '../principal.js'
import type { EnvScope } from './auth-service.js'
import type { UserDoc } from './model.js'
import type { UserPool } from './user-pool.js'

/**
 * Who may call which `/v1/users` endpoint (rest-auth.md §2.2, RA-D18): a user JWT or a secret key authenticates;
 * the admin group (secret key, or a user with role `admin`) may do everything; users act on themselves.
 */

/** Step 5 for users routes: a user JWT or a secret key. */
export function requireAuthenticated(principal: Principal): void {
  if (principal.group !== 'admin' && !principal.userId) {
    throw refused('unauthorized', 'user/unauthorized', 'Sign in first: send Authorization: Bearer <access token>, or use a secret key', {
      check: 'credential',
      details: { expected: 'a user access token or a secret key', header: 'Authorization: Bearer', caller: callerOf(principal), allow: 'sign in and send the access token, or call from a server with a secret key' },
    })
  }
}

export function requireAdmin(principal: Principal, action: string): void {
  requireAuthenticated(principal)
  if (principal.group !== 'admin') {
    throw refused('forbidden', 'user/forbidden', `Only admins may ${action}`, {
      check: 'role',
      details: { group: principal.group, needed: 'admin', action, caller: callerOf(principal), allow: 'use a secret key, or sign in as a user with role admin' },
    })
  }
}

export function isSelfOrAdmin(principal: Principal, userId: string): boolean {
  return principal.group === 'admin' || principal.userId === userId
}

/** Self or admin; checked before the target is looked up, so other users learn nothing about unknown ids. */
export function requireSelfOrAdmin(principal: Principal, userId: string): void {
  requireAuthenticated(principal)
  if (!isSelfOrAdmin(principal, userId)) {
    throw refused('forbidden', 'user/forbidden', 'You may only read or change your own account', {
      check: 'self',
      details: { userId, callerUserId: principal.userId, caller: callerOf(principal), allow: 'sign in as that user, or use a secret key (or a user with role admin)' },
    })
  }
}

/** The live user a path names; unknown, malformed or deleted ids → 404 `user/not-found`. */
export function targetUser(pool: UserPool, scope: EnvScope, userId: string): UserDoc {
  const user = isId(userId) ? pool.get(scope.environment.id, userId) : undefined
  if (!user) throw notFound('user/not-found', `User ${userId} not found`)
  return user
}

/** The user a self-or-admin route acts on: 401, 403 `user/forbidden` or 404 `user/not-found` otherwise. */
export function selfOrAdminTarget(pool: UserPool, scope: EnvScope, principal: Principal, userId: string): UserDoc {
  requireSelfOrAdmin(principal, userId)
  return targetUser(pool, scope, userId)
}

/** 403 `auth/account-banned` (RA-D25): sign-in, refresh and every request with the user's token. */
export function banned(): DomainError {
  return forbidden('auth/account-banned', 'This account has been banned: an admin of the app can lift the ban')
}
