import type { Page } from '../../../contract/common.js'
import type { Clock } from '../clock.js'
import { DomainError, forbidden, invalid, notFound } from '../errors.js'
import { isId } from '../ids.js'
import { pageOf, pageParams } from '../paging.js'
import type { Principal } from '../principal.js'
import type { AuthService, EnvScope } from './auth-service.js'
import { U, accountView, fullView, normalizeEmail, publicView, type AccountView, type PublicUserView, type UserDoc, type UserView } from './model.js'
import { applyProfile, checkName, checkRole } from './profile-fields.js'

const SORTS = ['createdAt', 'updatedAt', 'name', 'email', 'role'] as const
const SEARCH_FIELDS = ['name', 'nickname', 'email'] as const
const PROFILE_KEYS = ['name', 'nickname', 'mobile', 'gender', 'bio', 'socialLinks']

export type UserListItem = (UserView & { accounts?: AccountView[] }) | PublicUserView

const param = (message: string) => invalid('common/invalid-parameters', message)

/** `/v1/users` management (rest-auth.md §4.1–4.2): admins see and change everything, users themselves. */
export class UsersService {
  constructor(
    private readonly auth: AuthService,
    private readonly clock: Clock,
  ) {}

  private get pool() {
    return this.auth.pool
  }

  /** Step 5 for users routes: a user JWT or a secret key. */
  requireAuthenticated(principal: Principal): void {
    if (principal.group !== 'admin' && !principal.userId) throw new DomainError('user/unauthorized', 'unauthorized', 'Sign in first: send Authorization: Bearer <access token>, or use a secret key')
  }

  private requireAdmin(principal: Principal, action: string): void {
    this.requireAuthenticated(principal)
    if (principal.group !== 'admin') throw forbidden('user/forbidden', `Only admins may ${action}`)
  }

  private requireSelfOrAdmin(principal: Principal, userId: string): void {
    this.requireAuthenticated(principal)
    if (principal.group !== 'admin' && principal.userId !== userId) throw forbidden('user/forbidden', 'You may only change your own account')
  }

  /** The user a self-or-admin route acts on (rest-auth.md §4): 401, 403 `user/forbidden` or 404 otherwise. */
  selfOrAdminTarget(scope: EnvScope, principal: Principal, userId: string): UserDoc {
    this.requireSelfOrAdmin(principal, userId)
    return this.target(scope, userId)
  }

  private target(scope: EnvScope, userId: string): UserDoc {
    const user = isId(userId) ? this.pool.get(scope.environment.id, userId) : undefined
    if (!user) throw notFound('user/not-found', `User ${userId} not found`)
    return user
  }

  list(scope: EnvScope, principal: Principal, query: Record<string, unknown>): Page<UserListItem> {
    this.requireAuthenticated(principal)
    const admin = principal.group === 'admin'
    const { page, limit } = pageParams(query, 20)
    const sortBy = (query.sortBy ?? 'createdAt') as string
    if (!(SORTS as readonly string[]).includes(sortBy)) throw param(`sortBy must be one of ${SORTS.join(', ')}`)
    const direction = (query.sortDirection ?? 'desc') as string
    if (direction !== 'asc' && direction !== 'desc') throw param('sortDirection must be asc or desc')
    const searchType = query.searchType as string | undefined
    if (searchType !== undefined && !(SEARCH_FIELDS as readonly string[]).includes(searchType)) throw param(`searchType must be one of ${SEARCH_FIELDS.join(', ')}`)
    const term = typeof query.search === 'string' ? query.search.toLowerCase() : ''
    const fields = (searchType ? [searchType] : [...SEARCH_FIELDS]).filter((f) => admin || f !== 'email')
    let users = this.pool.all(scope.environment.id)
    if (term) users = users.filter((u) => fields.some((f) => typeof u[f] === 'string' && (u[f] as string).toLowerCase().includes(term)))
    const sign = direction === 'asc' ? 1 : -1
    users.sort((a, b) => sign * (String(a[sortBy] ?? '').localeCompare(String(b[sortBy] ?? '')) || a.id.localeCompare(b.id)))
    const slice = pageOf(users, page, limit)
    const withAccounts = admin && query.includeAccounts === 'true'
    const accounts = withAccounts ? this.auth.accounts.all(scope.environment.id).map(accountView) : []
    return {
      items: slice.items.map((u) => (admin ? (withAccounts ? { ...fullView(u), accounts: accounts.filter((a) => a.userId === u.id) } : fullView(u)) : publicView(u))),
      pagination: slice.pagination,
    }
  }

  async create(scope: EnvScope, principal: Principal, body: Record<string, unknown>): Promise<UserView> {
    this.requireAdmin(principal, 'create users')
    const name = checkName(body.name)
    const email = normalizeEmail(body.email)
    if (!email) throw invalid('auth/invalid-email', 'email must be a valid email address')
    const role = body.role === undefined ? 'user' : checkRole(body.role)
    if (body.password !== undefined && typeof body.password !== 'string') throw invalid('auth/invalid-password-format', 'password must be a string')
    const user = await this.auth.createUser(scope, { email, name, role, password: (body.password as string | undefined) ?? null })
    return fullView(user)
  }

  get(scope: EnvScope, principal: Principal, userId: string): UserView | PublicUserView {
    this.requireAuthenticated(principal)
    const user = this.target(scope, userId)
    return principal.group === 'admin' || principal.userId === user.id ? fullView(user) : publicView(user)
  }

  async update(scope: EnvScope, principal: Principal, userId: string, body: Record<string, unknown>): Promise<UserView> {
    this.requireSelfOrAdmin(principal, userId)
    const user = this.target(scope, userId)
    const unknown = Object.keys(body).filter((k) => !PROFILE_KEYS.includes(k))
    if (unknown.length > 0) throw param(`Unknown fields ${unknown.join(', ')}; allowed: ${PROFILE_KEYS.join(', ')}`)
    return this.save(scope, user, { ...applyProfile(user, body), updatedAt: this.clock.iso() })
  }

  async setRole(scope: EnvScope, principal: Principal, userId: string, body: Record<string, unknown>): Promise<UserView> {
    this.requireAdmin(principal, 'change roles')
    const user = this.target(scope, userId)
    return this.save(scope, user, { ...user, role: checkRole(body.role), updatedAt: this.clock.iso() })
  }

  /** Soft delete: the user disappears, sessions, linked accounts and MFA data go, the email becomes free again. */
  async delete(scope: EnvScope, principal: Principal, userId: string): Promise<{ message: string }> {
    this.requireAdmin(principal, 'delete users')
    await this.remove(scope, this.target(scope, userId))
    return { message: 'User deleted' }
  }

  async remove(scope: EnvScope, user: UserDoc): Promise<void> {
    const db = this.pool.db(scope.environment.id)
    const now = this.clock.iso()
    const deleted: UserDoc = { ...user, deletedAt: now, updatedAt: now, passwordHash: null }
    const accounts = this.auth.accounts.ofUser(scope.environment.id, user.id).map((a) => ({ c: U.accounts, d: a.id }))
    await db.commit([{ c: U.users, p: deleted }, ...accounts, { c: U.mfa, d: user.id }])
    this.pool.track(scope.environment.id, user, deleted)
    await this.auth.revokeSessions(scope.environment.id, user.id)
  }

  private async save(scope: EnvScope, before: UserDoc, after: UserDoc): Promise<UserView> {
    await this.pool.db(scope.environment.id).put(U.users, after)
    this.pool.track(scope.environment.id, before, after)
    return fullView(after)
  }
}
