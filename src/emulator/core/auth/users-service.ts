import type { Page } from '../../../contract/common.js'
import type { Clock } from '../clock.js'
import { cloudOnly, forbidden, invalid } from '../errors.js'
import { queryText } from '../input.js'
import { pageOf, pageParams } from '../paging.js'
import type { Principal } from '../principal.js'
import type { AuthService, EnvScope } from './auth-service.js'
import { accountView, fullView, requireEmail, publicView, type AccountView, type PublicUserView, type UserDoc, type UserView } from './model.js'
import { checkName, checkRole, patchProfile } from './profile-fields.js'
import { requireAdmin, requireAuthenticated, requireSelfOrAdmin, selfOrAdminTarget, targetUser } from './user-access.js'

const SORTS = ['createdAt', 'updatedAt', 'name', 'email', 'role'] as const
const SEARCH_FIELDS = ['name', 'nickname', 'email'] as const
const DIRECTIONS = ['asc', 'desc'] as const
const BOOLEANS = ['true', 'false'] as const
const COLLATOR = new Intl.Collator('en')

export type UserListItem = (UserView & { accounts?: AccountView[] }) | PublicUserView

const param = (message: string) => invalid('common/invalid-parameters', message)

/** `/v1/users` management (rest-auth.md §4.1–4.2): admins see and change everything, users themselves. */
export class UsersService {
  constructor(
    private readonly auth: AuthService,
    private readonly clock: Clock,
    /** The emulator-only extensions of this API (custom role names, RA-D19; `password` and `emailVerified` on create, §4.2) are
     * accepted; cloud-parity mode refuses them (README-D12). */
    private readonly extensions: boolean,
  ) {}

  private get pool() {
    return this.auth.pool
  }

  /** The user a self-or-admin route acts on (rest-auth.md §4): 401, 403 `user/forbidden` or 404 otherwise. */
  selfOrAdminTarget(scope: EnvScope, principal: Principal, userId: string): UserDoc {
    return selfOrAdminTarget(this.pool, scope, principal, userId)
  }

  private target(scope: EnvScope, userId: string): UserDoc {
    return targetUser(this.pool, scope, userId)
  }

  list(scope: EnvScope, principal: Principal, query: Record<string, unknown>): Page<UserListItem> {
    requireAuthenticated(principal)
    const admin = principal.group === 'admin'
    const { page, limit } = pageParams(query, 20)
    const sortBy = oneOf(query, 'sortBy', SORTS, 'createdAt')
    const direction = oneOf(query, 'sortDirection', DIRECTIONS, 'desc', true)
    const searchType = oneOf(query, 'searchType', SEARCH_FIELDS, undefined)
    const term = (queryText(query, 'search') ?? '').toLowerCase()
    const withAccounts = oneOf(query, 'includeAccounts', BOOLEANS, 'false') === 'true'
    if (withAccounts && !admin) throw forbidden('user/forbidden', 'Only admins may list users with includeAccounts=true')
    let users = this.pool.all(scope.environment.id)
    if (term) {
      // Non-admins never match on email: they cannot see it.
      const fields = (searchType ? [searchType] : [...SEARCH_FIELDS]).filter((f) => admin || f !== 'email')
      users = users.filter((u) => fields.some((f) => typeof u[f] === 'string' && (u[f] as string).toLowerCase().includes(term)))
    }
    if (users.length > 1) users.sort(userOrder(sortBy, direction))
    const slice = pageOf(users, page, limit)
    if (!admin) return { items: slice.items.map(publicView), pagination: slice.pagination }
    const accounts = withAccounts ? this.accountsOf(scope, new Set(slice.items.map((u) => u.id))) : undefined
    return {
      items: slice.items.map((u) => (accounts ? { ...fullView(u), accounts: accounts.get(u.id) ?? [] } : fullView(u))),
      pagination: slice.pagination,
    }
  }

  /** The linked accounts of some users, by user id. */
  private accountsOf(scope: EnvScope, userIds: Set<string>): Map<string, AccountView[]> {
    const byUser = new Map<string, AccountView[]>()
    for (const account of this.auth.accounts.all(scope.environment.id)) {
      if (!userIds.has(account.userId)) continue
      const list = byUser.get(account.userId) ?? []
      list.push(accountView(account))
      byUser.set(account.userId, list)
    }
    return byUser
  }

  async create(scope: EnvScope, principal: Principal, body: Record<string, unknown>): Promise<UserView> {
    requireAdmin(principal, 'create users')
    const name = checkName(body.name)
    const email = requireEmail(body.email)
    const role = body.role === undefined ? 'user' : checkRole(body.role, this.extensions)
    if (body.password !== undefined && !this.extensions) throw cloudOnly(invalid('common/invalid-parameters', 'Unknown field password; allowed: name, email, role. The hosted service takes no password here: the user sets one through a password reset', [{ field: 'password', rule: 'unknown', message: 'allowed: name, email, role' }]), 'password on user create')
    if (body.password !== undefined && typeof body.password !== 'string') throw invalid('auth/invalid-password-format', 'password must be a string')
    // `emailVerified: true` is an extension too: seed data can hold users who have confirmed their address
    if (body.emailVerified !== undefined && !this.extensions) throw cloudOnly(invalid('common/invalid-parameters', 'Unknown field emailVerified; allowed: name, email, role. The hosted service verifies an e-mail only through its confirmation link', [{ field: 'emailVerified', rule: 'unknown', message: 'allowed: name, email, role' }]), 'emailVerified on user create')
    if (body.emailVerified !== undefined && typeof body.emailVerified !== 'boolean') throw invalid('common/invalid-parameters', 'emailVerified must be true or false', [{ field: 'emailVerified', rule: 'type', message: 'boolean' }])
    const emailVerified = body.emailVerified === true ? this.clock.iso() : null
    const user = await this.auth.createUser(scope, { email, name, role, password: (body.password as string | undefined) ?? null, emailVerified })
    return fullView(user)
  }

  get(scope: EnvScope, principal: Principal, userId: string): UserView | PublicUserView {
    requireAuthenticated(principal)
    const user = this.target(scope, userId)
    return principal.group === 'admin' || principal.userId === user.id ? fullView(user) : publicView(user)
  }

  /** A profile patch; `banned` is the admin-only flag of RA-D25, and banning ends every session of the user. */
  async update(scope: EnvScope, principal: Principal, userId: string, body: Record<string, unknown>): Promise<UserView> {
    requireSelfOrAdmin(principal, userId)
    const { banned, ...profile } = body
    if (banned !== undefined) {
      requireAdmin(principal, 'ban or unban users')
      if (typeof banned !== 'boolean') throw invalid('common/invalid-parameters', 'banned must be true or false', [{ field: 'banned', rule: 'type', message: 'boolean' }])
    }
    const user = this.target(scope, userId)
    const view = await this.save(scope, user, { ...patchProfile(user, profile), banned: banned ?? user.banned, updatedAt: this.clock.iso() })
    if (banned === true) await this.auth.revokeSessions(scope.environment.id, user.id)
    return view
  }

  async setRole(scope: EnvScope, principal: Principal, userId: string, body: Record<string, unknown>): Promise<UserView> {
    requireAdmin(principal, 'change roles')
    const user = this.target(scope, userId)
    return this.save(scope, user, { ...user, role: checkRole(body.role, this.extensions), updatedAt: this.clock.iso() })
  }

  /** Soft delete with the same effects as withdraw (rest-auth.md §4.2, §3.11), by an admin or the user themself. */
  async delete(scope: EnvScope, principal: Principal, userId: string): Promise<{ message: string }> {
    // Self or admin (RA-D18 revised): bkend's example apps delete the signed-in account this way.
    requireSelfOrAdmin(principal, userId)
    await this.auth.deleteUser(scope.environment.id, this.target(scope, userId))
    return { message: 'User deleted' }
  }

  private async save(scope: EnvScope, before: UserDoc, after: UserDoc): Promise<UserView> {
    await this.pool.save(scope.environment.id, before, after)
    return fullView(after)
  }
}

/** The list order: by a field (timestamps compare as ISO strings, text by collation), then by id for a stable page. */
function userOrder(sortBy: (typeof SORTS)[number], direction: (typeof DIRECTIONS)[number]): (a: UserDoc, b: UserDoc) => number {
  const sign = direction === 'asc' ? 1 : -1
  const compare = sortBy === 'createdAt' || sortBy === 'updatedAt' ? (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0) : COLLATOR.compare
  return (a, b) => sign * (compare(String(a[sortBy] ?? ''), String(b[sortBy] ?? '')) || (a.id < b.id ? -1 : 1))
}

/** A query parameter from a fixed set of values; `caseless` also accepts `ASC`/`DESC`. */
function oneOf<T extends string, D extends T | undefined>(query: Record<string, unknown>, name: string, allowed: readonly T[], fallback: D, caseless = false): T | D {
  const raw = queryText(query, name)
  if (raw === undefined) return fallback
  const value = caseless ? raw.toLowerCase() : raw
  if (!(allowed as readonly string[]).includes(value)) throw param(`${name} must be one of ${allowed.join(', ')}`)
  return value as T
}
