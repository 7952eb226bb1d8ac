import type { KeyType } from '../../contract/tenancy.js'

/** RLS groups (spec README "Group determination"). */
export type Group = 'admin' | 'user' | 'guest'

/** Built-in user roles; any other role name is a custom role (maps to the `user` group). */
export const BUILT_IN_ROLES = ['admin', 'user', 'guest'] as const

/** A verified end user behind a request (from a user access JWT). */
export interface UserIdentity {
  userId: string
  role: string
  sessionId: string
  email: string
}

/**
 * Who is asking, for every runtime permission decision (data RLS, users, files): the REST API builds it from the
 * API key and the optional user JWT; MCP data tools use `tenantPrincipal()`.
 */
export interface Principal {
  group: Group
  /** The requester's user id for `self`, or null (guest without JWT, secret key without JWT, tenant). */
  userId: string | null
  /** The user's role (`admin`, `user`, `guest` or a custom one), or null without a user. */
  role: string | null
  /** API-key scopes (`table:op` patterns); null when unrestricted. Checked before RLS, even for admin. */
  scopes: string[] | null
  /** Which credential opened the door. */
  via: KeyType | 'tenant'
}

/** The group table of spec README: a secret key is admin; a publishable key takes the user's role group. */
export function principalFor(keyType: KeyType, scopes: string[] | null, user: UserIdentity | null): Principal {
  const group: Group = keyType === 'secret' ? 'admin' : !user ? 'guest' : user.role === 'admin' ? 'admin' : user.role === 'guest' ? 'guest' : 'user'
  return { group, userId: user?.userId ?? null, role: user?.role ?? null, scopes, via: keyType }
}

/** Management surfaces (MCP data tools) act with tenant rights: admin, no user, no key scopes. */
export function tenantPrincipal(): Principal {
  return { group: 'admin', userId: null, role: null, scopes: null, via: 'tenant' }
}
