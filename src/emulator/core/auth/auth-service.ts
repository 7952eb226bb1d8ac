import type { Clock } from '../clock.js'
import type { Page } from '../../../contract/common.js'
import type { Op } from '../../store/store.js'
import { DomainError, conflict, forbidden, invalid, notFound, unauthorized } from '../errors.js'
import { banned } from './user-access.js'
import { isId, newId } from '../ids.js'
import { pageOf, pageParams } from '../paging.js'
import type { UserIdentity } from '../principal.js'
import type { EnvironmentDoc, ProjectDoc } from '../tenancy/model.js'
import type { Accounts } from './accounts.js'
import type { AuthLimits } from './auth-limits.js'
import type { AuthSettingsSource } from './auth-settings.js'
import type { Mfa } from './mfa.js'
import { U, deviceInfo, fullView, localPart, requireEmail, sessionView, type SessionDoc, type SessionView, type TokenResponse, type UserDoc, type UserView } from './model.js'
import { checkPassword, hashPassword, verifyPassword, type ScryptCost } from './passwords.js'
import type { UserPool } from './user-pool.js'
import { ACCESS_TTL_SECONDS, JwtError, accessJwtError, type UserTokens } from './user-tokens.js'

export const SESSION_TTL_SECONDS = 7 * 24 * 3600

/** The environment (and its project) a request's API key selected. */
export interface EnvScope {
  environment: EnvironmentDoc
  project: ProjectDoc
}

/** Where a sign-in came from, for the session list. */
export interface ClientMeta {
  userAgent?: string | null
  ip?: string | null
}

export interface NewUserInput {
  email: string
  name: string
  role?: string
  password?: string | null
  emailVerified?: string | null
  image?: string | null
  /** The first way to sign in: a social identity; without it the `email` credential. */
  oauth?: { provider: 'google' | 'github'; providerAccountId: string }
}

export type UserDeletedHook = (environmentId: string, userId: string) => Promise<void> | void

/** End-user authentication for one environment's user pool: sign-up, sign-in, sessions, refresh rotation. */
export class AuthService {
  private readonly deleteHooks: UserDeletedHook[] = []

  constructor(
    readonly pool: UserPool,
    readonly accounts: Accounts,
    private readonly mfa: Mfa,
    private readonly tokens: UserTokens,
    private readonly clock: Clock,
    private readonly settings: () => AuthSettingsSource,
    readonly limits: AuthLimits,
    private readonly passwordCost: ScryptCost,
  ) {}

  /** A new password's stored hash, at the emulator's password-hash cost. */
  hashPassword(password: string): Promise<string> {
    return hashPassword(password, this.passwordCost)
  }

  /** Creates a user with its first account (credentials unless `oauth`); the caller has validated name and role. */
  async createUser(scope: EnvScope, input: NewUserInput): Promise<UserDoc> {
    const envId = scope.environment.id
    if (this.pool.byEmailAddress(envId, input.email)) throw conflict('auth/email-already-exists', `A user with email ${input.email} already exists`)
    const passwordHash = input.password == null ? null : await this.hashPassword(checkPassword(input.password, this.settings().passwordPolicy(scope.project.id)))
    // note: re-check after the hash, which yields the event loop, so two racing sign-ups cannot both pass.
    if (this.pool.byEmailAddress(envId, input.email)) throw conflict('auth/email-already-exists', `A user with email ${input.email} already exists`)
    const now = this.clock.iso()
    const user: UserDoc = {
      id: newId(this.clock.nowMs()),
      email: input.email,
      name: input.name,
      nickname: null,
      role: input.role ?? 'user',
      emailVerified: input.emailVerified ?? null,
      image: input.image ?? null,
      mobile: null,
      gender: null,
      bio: null,
      socialLinks: null,
      onboardingStatus: 'not_started',
      mfaEnabled: false,
      passwordHash,
      banned: false,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    }
    const account = input.oauth ? this.accounts.build(user, input.oauth.provider, input.oauth.providerAccountId) : this.accounts.build(user, 'email')
    await this.pool.save(envId, undefined, user, [{ c: U.accounts, p: account }])
    return user
  }

  /** `POST /v1/auth/email/signup` with a password: the user, a session and tokens (rest-auth.md §3.1). */
  async signUpWithPassword(scope: EnvScope, body: Record<string, unknown>, meta: ClientMeta): Promise<TokenResponse> {
    const email = requireEmail(body.email)
    const rawName = body.name ?? body.displayName
    let name = localPart(email)
    if (rawName !== undefined && rawName !== null) {
      if (typeof rawName !== 'string' || rawName.trim().length === 0 || [...rawName].length > 100) throw invalid('auth/invalid-request', 'name must be a string of 1 to 100 characters')
      name = rawName.trim()
    }
    if (typeof body.password !== 'string') throw invalid('auth/invalid-request', 'password is required')
    const user = await this.createUser(scope, { email, name, password: body.password })
    return { ...(await this.startSession(scope, user, meta)), user: fullView(user) }
  }

  /** `POST /v1/auth/email/signin` with a password (rest-auth.md §3.2). */
  async signInWithPassword(scope: EnvScope, body: Record<string, unknown>, meta: ClientMeta): Promise<TokenResponse> {
    if (typeof body.email !== 'string' || typeof body.password !== 'string') throw invalid('auth/invalid-request', 'email and password are required')
    // A malformed address is the caller's typo, told apart before any credential check (RA-D24).
    const email = requireEmail(body.email)
    const envId = scope.environment.id
    this.limits.checkSignIn(envId, email)
    const user = this.pool.byEmailAddress(envId, email)
    // Same answer for an unknown email, a user without password and a wrong password.
    if (!user || !(await verifyPassword(body.password, user.passwordHash))) {
      this.limits.signInFailed(envId, email)
      throw unauthorized('auth/invalid-credentials', 'Invalid email or password')
    }
    this.limits.signInSucceeded(envId, user.email)
    if (user.banned) throw banned()
    if (!user.emailVerified && this.settings().emailVerificationRequired(scope.project.id)) {
      throw forbidden('auth/email-not-verified', 'Verify your email address before signing in')
    }
    if (user.mfaEnabled) await this.mfa.checkSignIn(scope.environment.id, user, body.mfaCode)
    return { ...(await this.startSession(scope, user, meta)), user: fullView(user) }
  }

  /** Opens a session and issues its first token pair. */
  async startSession(scope: EnvScope, user: UserDoc, meta: ClientMeta): Promise<TokenResponse> {
    const now = this.clock.nowMs()
    const session: SessionDoc = {
      id: newId(now),
      userId: user.id,
      userAgent: meta.userAgent ?? null,
      ipAddress: meta.ip ?? null,
      deviceInfo: deviceInfo(meta.userAgent),
      refreshJti: newId(now),
      lastActivityAt: new Date(now).toISOString(),
      createdAt: new Date(now).toISOString(),
      expiresAt: new Date(now + SESSION_TTL_SECONDS * 1000).toISOString(),
    }
    const db = this.pool.db(scope.environment.id)
    await db.put(U.sessions, session)
    const pair = await this.tokens.issue(db, scope.environment, user, session.id, session.refreshJti)
    return { ...pair, tokenType: 'Bearer', expiresIn: ACCESS_TTL_SECONDS }
  }

  /** Rotates a refresh token; presenting an already-rotated one revokes every session of its user. */
  async refresh(scope: EnvScope, refreshToken: unknown): Promise<TokenResponse> {
    if (typeof refreshToken !== 'string' || refreshToken === '') throw invalid('auth/invalid-request', 'refreshToken is required')
    const db = this.pool.db(scope.environment.id)
    let claims
    try {
      claims = await this.tokens.verifyRefresh(db, scope.environment, refreshToken)
    } catch (error) {
      if (error instanceof JwtError && error.failure === 'expired') throw unauthorized('auth/token-expired', 'The refresh token has expired: sign in again')
      throw unauthorized('auth/invalid-refresh-token', 'The refresh token is not valid')
    }
    const session = db.collection<SessionDoc>(U.sessions).get(claims.sid)
    const user = this.pool.get(scope.environment.id, claims.sub)
    if (user?.banned) throw banned()
    if (!session || !user || session.userId !== user.id) throw unauthorized('auth/invalid-refresh-token', 'The refresh token is not valid')
    if (session.refreshJti !== claims.jti) {
      await this.revokeSessions(scope.environment.id, user.id)
      throw unauthorized('auth/invalid-refresh-token', 'This refresh token was already used; every session of the user has been signed out')
    }
    if (Date.parse(session.expiresAt) <= this.clock.nowMs()) throw unauthorized('auth/session-expired', 'The session has expired: sign in again')
    return this.rotate(scope, session, user)
  }

  /**
   * `POST /v1/auth/switch-organization` once the caller may (RA-D20): a new pair for the same session whose access
   * JWTs carry `organizationId`, also after later refreshes.
   */
  async switchOrganization(scope: EnvScope, identity: UserIdentity, organizationId: string): Promise<TokenResponse> {
    const session = this.pool.db(scope.environment.id).collection<SessionDoc>(U.sessions).get(identity.sessionId)
    const user = this.pool.get(scope.environment.id, identity.userId)
    if (!session || !user) throw unauthorized('auth/invalid-token', 'The session of this access token has ended')
    return this.rotate(scope, { ...session, organizationId }, user)
  }

  /** Slides a session and issues its next token pair; the previous refresh token stops working. */
  private async rotate(scope: EnvScope, session: SessionDoc, user: UserDoc): Promise<TokenResponse> {
    const now = this.clock.nowMs()
    const next: SessionDoc = {
      ...session,
      refreshJti: newId(now),
      lastActivityAt: new Date(now).toISOString(),
      expiresAt: new Date(now + SESSION_TTL_SECONDS * 1000).toISOString(),
    }
    const db = this.pool.db(scope.environment.id)
    await db.put(U.sessions, next)
    const pair = await this.tokens.issue(db, scope.environment, user, next.id, next.refreshJti, next.organizationId ?? null)
    return { ...pair, tokenType: 'Bearer', expiresIn: ACCESS_TTL_SECONDS }
  }

  /** README order of checks, step 4: the user behind a Bearer access JWT, with a live session. */
  async authenticate(scope: EnvScope, bearer: string): Promise<UserIdentity> {
    const db = this.pool.db(scope.environment.id)
    let claims
    try {
      claims = await this.tokens.verifyAccess(db, scope.environment, bearer)
    } catch (error) {
      if (error instanceof DomainError) throw error
      throw accessJwtError(error instanceof JwtError ? error.failure : 'invalid')
    }
    const user = this.pool.get(scope.environment.id, claims.sub)
    // Before the session check: banning ended the sessions, yet the caller should learn why (RA-D25).
    if (user?.banned) throw banned()
    const session = db.collection<SessionDoc>(U.sessions).get(claims.sid)
    if (!session || session.userId !== claims.sub) throw unauthorized('auth/invalid-token', 'The session of this access token has ended')
    if (Date.parse(session.expiresAt) <= this.clock.nowMs()) throw unauthorized('auth/session-expired', 'The session has expired: sign in again')
    if (!user) throw unauthorized('auth/invalid-token', 'The user of this access token no longer exists')
    // The role is re-read from the user record on every request, so role changes apply at once.
    return { userId: user.id, role: user.role, sessionId: session.id, email: user.email }
  }

  me(scope: EnvScope, identity: UserIdentity): UserView {
    return fullView(this.pool.current(scope.environment.id, identity.userId))
  }

  async signOut(scope: EnvScope, identity: UserIdentity): Promise<void> {
    await this.pool.db(scope.environment.id).delete(U.sessions, identity.sessionId)
  }

  /** Ends every session of a user (refresh reuse, deletion, password change). */
  async revokeSessions(environmentId: string, userId: string): Promise<void> {
    await this.pool.db(environmentId).commit(this.sessionDeletes(environmentId, userId))
  }

  /** The operations that delete every session of a user. */
  private sessionDeletes(environmentId: string, userId: string): Op[] {
    return [...this.pool.db(environmentId).collection<SessionDoc>(U.sessions).values()].filter((s) => s.userId === userId).map((s) => ({ c: U.sessions, d: s.id }))
  }

  /** `GET /v1/auth/sessions`: the caller's live sessions, most recent activity first, `current` marked. */
  listSessions(scope: EnvScope, identity: UserIdentity, query: Record<string, unknown>): Page<SessionView> {
    const { page, limit } = pageParams(query, 10, 'auth/invalid-request')
    const now = this.clock.nowMs()
    const sessions = [...this.pool.db(scope.environment.id).collection<SessionDoc>(U.sessions).values()]
      .filter((s) => s.userId === identity.userId && Date.parse(s.expiresAt) > now)
      .sort((a, b) => b.lastActivityAt.localeCompare(a.lastActivityAt) || b.id.localeCompare(a.id))
    const slice = pageOf(sessions, page, limit)
    return { items: slice.items.map((s) => sessionView(s, identity.sessionId)), pagination: slice.pagination }
  }

  /** `DELETE /v1/auth/sessions/:sessionId`: only the caller's own live sessions exist for them. */
  async deleteSession(scope: EnvScope, identity: UserIdentity, sessionId: string): Promise<void> {
    const db = this.pool.db(scope.environment.id)
    const session = isId(sessionId) ? db.collection<SessionDoc>(U.sessions).get(sessionId) : undefined
    if (!session || session.userId !== identity.userId || Date.parse(session.expiresAt) <= this.clock.nowMs()) {
      throw notFound('auth/session-not-found', `Session ${sessionId} not found`)
    }
    await db.delete(U.sessions, session.id)
  }

  /**
   * Deletes a user (withdraw and admin delete, rest-auth.md §3.11): a soft delete that hides the user from every
   * API and frees the e-mail, removes linked accounts and MFA data and ends every session. Records the user created
   * keep their `createdBy`. E-mail tokens issued to the user stay bound to their id, so they cannot act on a later
   * account with the same address.
   */
  async deleteUser(environmentId: string, user: UserDoc): Promise<void> {
    const now = this.clock.iso()
    const deleted: UserDoc = { ...user, deletedAt: now, updatedAt: now, passwordHash: null, mfaEnabled: false }
    const accounts = this.accounts.ofUser(environmentId, user.id).map((a) => ({ c: U.accounts, d: a.id }))
    await this.pool.save(environmentId, user, deleted, [...accounts, { c: U.mfa, d: user.id }, ...this.sessionDeletes(environmentId, user.id)])
    for (const hook of this.deleteHooks) await hook(environmentId, user.id)
  }

  /** Runs after a user is deleted, so other concerns (the avatar object) go with the account. */
  onUserDeleted(hook: UserDeletedHook): void {
    this.deleteHooks.push(hook)
  }
}
