import type { Clock } from '../clock.js'
import { conflict, invalid, unauthorized } from '../errors.js'
import { banned } from './user-access.js'
import type { OneTimeTokenFailure } from '../one-time-tokens.js'
import type { UserIdentity } from '../principal.js'
import type { Environments } from '../tenancy/environments.js'
import type { Projects } from '../tenancy/projects.js'
import type { AuthService, ClientMeta, EnvScope } from './auth-service.js'
import type { AuthSettingsSource } from './auth-settings.js'
import { optionalCallbackUrl, requiredCallbackUrl, withQuery } from './email-links.js'
import { U, fullView, localPart, normalizeEmail, requireEmail, requiredText, type NewUserTokenResponse, type TokenResponse, type UserDoc } from './model.js'
import { VERIFICATION_TTL_SECONDS, verificationFailure, type TokenMailer } from './token-mail.js'

/** Magic-link refusals have their own codes (RA-D6). */
function magicFailure(failure: OneTimeTokenFailure): Error {
  return failure === 'expired'
    ? unauthorized('auth/token-expired', 'The magic link has expired: request a new one')
    : unauthorized('auth/invalid-token', 'The magic link is not valid or was already used')
}

/**
 * The e-mail flows of rest-auth.md §3.1–3.3 and §3.6: sign-up confirmation, magic links and contact-e-mail
 * verification. Every e-mail is captured in the mailbox with its one-time token.
 */
export class EmailFlows {
  constructor(
    private readonly auth: AuthService,
    private readonly mailer: TokenMailer,
    private readonly envs: Environments,
    private readonly projects: Projects,
    private readonly clock: Clock,
    private readonly settings: () => AuthSettingsSource,
    private readonly origin: () => string,
  ) {}

  private get pool() {
    return this.auth.pool
  }

  // ── sign-up confirmation ──

  /** Password sign-up (§3.1): the user, tokens, and a captured `signup_confirmation` e-mail. */
  async signUpWithPassword(scope: EnvScope, body: Record<string, unknown>, meta: ClientMeta): Promise<TokenResponse> {
    const callbackUrl = optionalCallbackUrl(body.callbackUrl)
    const response = await this.auth.signUpWithPassword(scope, body, meta)
    await this.sendSignupConfirmation(scope, response.user as { id: string; email: string; name: string }, callbackUrl)
    return response
  }

  private sendSignupConfirmation(scope: EnvScope, user: { id: string; email: string; name: string }, callbackUrl: string | null): Promise<void> {
    const confirm = `${this.origin()}/v1/auth/signup/email/confirm`
    return this.mailer.send(scope, {
      type: 'signup_confirmation',
      to: user.email,
      userName: user.name,
      userId: user.id,
      ttlSeconds: VERIFICATION_TTL_SECONDS,
      link: (token) => withQuery(confirm, { token, email: user.email, ...(callbackUrl ? { callbackUrl } : {}) }),
    })
  }

  /** `POST /v1/auth/signup/email/resend`: unknown e-mails get the same answer with nothing sent. */
  async resendSignupConfirmation(scope: EnvScope, body: Record<string, unknown>): Promise<{ message: string; email: string }> {
    const email = requireEmail(body.email)
    const callbackUrl = optionalCallbackUrl(body.callbackUrl)
    const user = this.pool.byEmailAddress(scope.environment.id, email)
    if (user?.emailVerified) throw invalid('auth/already-verified', 'This e-mail address is already verified')
    if (user) await this.sendSignupConfirmation(scope, user, callbackUrl)
    return { message: 'Confirmation email sent', email }
  }

  /**
   * `GET /v1/auth/signup/email/confirm`: no API key, so the environment is the one whose pool holds the token.
   * Marks the user's e-mail verified.
   */
  async confirmSignup(query: Record<string, unknown>): Promise<{ verified: true; email: string }> {
    const token = typeof query.token === 'string' ? query.token : ''
    const email = query.email === undefined ? null : (normalizeEmail(query.email) ?? '')
    const env = token ? this.envs.all().find((e) => {
      const db = this.envs.database(e.id)
      return db !== undefined && this.mailer.tokens.holds(db, token)
    }) : undefined
    const project = env && this.projects.doc(env.projectId)
    if (!env || !project) throw verificationFailure('unknown')
    const doc = await this.mailer.tokens.consume(this.pool.db(env.id), 'signup_confirmation', token, { email, fail: verificationFailure })
    const user = doc.userId ? this.pool.get(env.id, doc.userId) : undefined
    if (!user || user.email !== doc.email) throw verificationFailure('unknown')
    await this.markVerified(env.id, user)
    return { verified: true, email: user.email }
  }

  // ── magic links ──

  /** Magic-link sign-up or sign-in (§3.1, §3.2): one link whether or not the e-mail is registered. */
  async sendMagicLink(scope: EnvScope, body: Record<string, unknown>): Promise<{ message: string; email: string }> {
    const magic = this.settings().magicLink(scope.project.id)
    if (!magic.enabled) throw invalid('auth/magiclink-disabled', 'Magic links are disabled for this project')
    const email = requireEmail(body.email)
    const callbackUrl = requiredCallbackUrl(body.callbackUrl)
    const user = this.pool.byEmailAddress(scope.environment.id, email)
    if (user && this.auth.accounts.onlySocial(scope.environment.id, user.id)) {
      throw invalid('auth/magiclink-not-available-for-social', 'This e-mail signs in with a social provider (Google or GitHub): use that provider')
    }
    await this.mailer.send(scope, {
      type: 'magic_link',
      to: email,
      userName: user?.name ?? localPart(email),
      userId: user?.id ?? null,
      ttlSeconds: magic.expirationMinutes * 60,
      link: (token) => withQuery(callbackUrl, { token }),
    })
    return { message: 'Magic link sent', email }
  }

  /** The magic-link exchange (§3.3): consumes the token, creates the user on first use, opens a session. */
  async exchangeMagicLink(scope: EnvScope, token: unknown, meta: ClientMeta): Promise<NewUserTokenResponse> {
    if (token === undefined || token === null || token === '') throw invalid('auth/magic-token-missing', 'token is required: the token from the magic link')
    if (!this.settings().magicLink(scope.project.id).enabled) throw invalid('auth/magiclink-disabled', 'Magic links are disabled for this project')
    const envId = scope.environment.id
    const doc = await this.mailer.tokens.consume(this.pool.db(envId), 'magic_link', token, { fail: magicFailure })
    const email = doc.email as string
    let user = this.pool.byEmailAddress(envId, email)
    const isNew = !user
    if (!user) user = await this.auth.createUser(scope, { email, name: localPart(email), emailVerified: this.clock.iso() })
    else if (user.banned) throw banned()
    else user = await this.markVerified(envId, user)
    return { ...(await this.auth.startSession(scope, user, meta)), user: fullView(user), is_new_user: isNew, isNewUser: isNew }
  }

  // ── contact e-mail verification ──

  /**
   * `POST /v1/auth/email/verify/send` and `/resend` (§3.6). With a signed-in user the token is bound to them, so
   * confirming it can change their e-mail (RA-D17). Resend replaces earlier tokens for the address.
   */
  async sendVerification(scope: EnvScope, identity: UserIdentity | null, body: Record<string, unknown>, resend: boolean): Promise<{ message: string; email: string }> {
    const email = requireEmail(body.email)
    const callbackUrl = optionalCallbackUrl(body.callbackUrl)
    const envId = scope.environment.id
    const bound = identity ? this.pool.get(envId, identity.userId) : undefined
    const owner = this.pool.byEmailAddress(envId, email)
    const target = bound ?? owner
    if (target?.email === email && target.emailVerified) throw invalid('auth/already-verified', 'This e-mail address is already verified')
    await this.mailer.send(scope, {
      type: 'email_verification',
      to: email,
      userName: target?.name ?? localPart(email),
      userId: bound?.id ?? null,
      ttlSeconds: VERIFICATION_TTL_SECONDS,
      replacePrevious: resend,
      link: (token) => (callbackUrl ? withQuery(callbackUrl, { token, email }) : null),
    })
    return { message: 'Verification email sent', email }
  }

  /** `POST /v1/auth/email/verify/confirm`: verifies the address, or moves a bound user to it. */
  async confirmVerification(scope: EnvScope, body: Record<string, unknown>): Promise<{ message: string; verified: true }> {
    const email = requireEmail(body.email)
    const token = requiredText(body.token, 'token')
    const envId = scope.environment.id
    const db = this.pool.db(envId)
    const doc = this.mailer.tokens.peek(db, 'email_verification', token, { email, fail: verificationFailure })
    const bound = doc.userId ? this.pool.get(envId, doc.userId) : undefined
    if (doc.userId && !bound) throw verificationFailure('unknown')
    const owner = this.pool.byEmailAddress(envId, email)
    if (bound && owner && owner.id !== bound.id) throw conflict('auth/email-already-exists', `Another user already uses ${email}`)
    await this.mailer.tokens.consume(db, 'email_verification', token, { email, fail: verificationFailure })
    if (bound && bound.email !== email) await this.changeEmail(envId, bound, email)
    else if (bound ?? owner) await this.markVerified(envId, (bound ?? owner) as UserDoc)
    return { message: 'Email verified successfully', verified: true }
  }

  // ── helpers ──

  private async markVerified(environmentId: string, user: UserDoc): Promise<UserDoc> {
    if (user.emailVerified) return user
    const now = this.clock.iso()
    const next: UserDoc = { ...user, emailVerified: now, updatedAt: now }
    await this.pool.save(environmentId, user, next)
    return next
  }

  /** Moves a user to a verified new address; their e-mail credential follows. */
  private async changeEmail(environmentId: string, user: UserDoc, email: string): Promise<void> {
    const now = this.clock.iso()
    const next: UserDoc = { ...user, email, emailVerified: now, updatedAt: now }
    const credential = this.auth.accounts.ofUser(environmentId, user.id).find((a) => a.provider === 'email')
    await this.pool.save(environmentId, user, next, credential ? [{ c: U.accounts, p: { ...credential, providerAccountId: email, email } }] : [])
  }
}
