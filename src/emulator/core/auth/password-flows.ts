import type { Clock } from '../clock.js'
import { invalid, notFound, unauthorized } from '../errors.js'
import type { UserIdentity } from '../principal.js'
import type { AuthService, EnvScope } from './auth-service.js'
import type { AuthSettingsSource } from './auth-settings.js'
import { optionalCallbackUrl, withQuery } from './email-links.js'
import { U, requireEmail, requiredText, type UserDoc } from './model.js'
import { checkPassword, verifyPassword } from './passwords.js'
import { VERIFICATION_TTL_SECONDS, verificationFailure, type TokenMailer } from './token-mail.js'

const samePassword = () => invalid('auth/same-as-previous-password', 'The new password must differ from the current one')

/** Password reset by e-mail and password change (rest-auth.md §3.5); both end every session of the user. */
export class PasswordFlows {
  constructor(
    private readonly auth: AuthService,
    private readonly mailer: TokenMailer,
    private readonly clock: Clock,
    private readonly settings: () => AuthSettingsSource,
    /** The emulator's extensions (`callbackUrl` on the reset request, RA-D16); off in cloud-parity mode. */
    private readonly extensions = true,
  ) {}

  private get pool() {
    return this.auth.pool
  }

  /** Always the same answer, so the endpoint does not reveal which e-mails are registered. */
  async requestReset(scope: EnvScope, body: Record<string, unknown>): Promise<{ message: string }> {
    const email = requireEmail(body.email)
    // In cloud-parity mode `callbackUrl` is an unknown field, ignored as the cloud ignores it: the e-mail then has no
    // link to the app, only its token, as without one.
    const callbackUrl = this.extensions ? optionalCallbackUrl(body.callbackUrl) : null
    const user = this.pool.byEmailAddress(scope.environment.id, email)
    if (user) {
      await this.mailer.send(scope, {
        type: 'password_reset',
        to: email,
        userName: user.name,
        userId: user.id,
        ttlSeconds: VERIFICATION_TTL_SECONDS,
        link: (token) => (callbackUrl ? withQuery(callbackUrl, { token, email }) : null),
      })
    }
    return { message: 'If the email is registered, a reset link has been sent' }
  }

  /**
   * Sets a new password from a reset token: gives social-only users an e-mail credential, verifies the address
   * (the token came through it) and signs the user out everywhere. The token stays usable until a valid password
   * is accepted.
   */
  async confirmReset(scope: EnvScope, body: Record<string, unknown>): Promise<{ message: string }> {
    const email = requireEmail(body.email)
    const token = requiredText(body.token, 'token')
    const password = requiredText(body.newPassword, 'newPassword')
    const envId = scope.environment.id
    const db = this.pool.db(envId)
    const doc = this.mailer.tokens.peek(db, 'password_reset', token, { email, fail: verificationFailure })
    const user = this.liveUser(envId, email, doc.userId)
    checkPassword(password, this.settings().passwordPolicy(scope.project.id))
    if (await verifyPassword(password, user.passwordHash)) throw samePassword()
    const passwordHash = await this.auth.hashPassword(password)
    await this.mailer.tokens.consume(db, 'password_reset', token, { email, fail: verificationFailure })
    const current = this.liveUser(envId, email, doc.userId)
    const now = this.clock.iso()
    const next: UserDoc = { ...current, passwordHash, emailVerified: current.emailVerified ?? now, updatedAt: now }
    const hasCredential = this.auth.accounts.ofUser(envId, current.id).some((a) => a.provider === 'email')
    await this.pool.save(envId, current, next, hasCredential ? [] : [{ c: U.accounts, p: this.auth.accounts.build(next, 'email') }])
    await this.auth.revokeSessions(envId, current.id)
    return { message: 'Password has been reset' }
  }

  /** `POST /v1/auth/password/change`: needs the current password; every session ends, the current one too. */
  async change(scope: EnvScope, identity: UserIdentity, body: Record<string, unknown>): Promise<{ message: string }> {
    const currentPassword = requiredText(body.currentPassword, 'currentPassword')
    const newPassword = requiredText(body.newPassword, 'newPassword')
    const envId = scope.environment.id
    const user = this.pool.current(envId, identity.userId)
    if (!(await verifyPassword(currentPassword, user.passwordHash))) throw unauthorized('auth/invalid-password', 'The current password is not correct')
    checkPassword(newPassword, this.settings().passwordPolicy(scope.project.id))
    if (newPassword === currentPassword) throw samePassword()
    const passwordHash = await this.auth.hashPassword(newPassword)
    const current = this.pool.get(envId, user.id) ?? user
    const now = this.clock.iso()
    await this.pool.save(envId, current, { ...current, passwordHash, updatedAt: now })
    await this.auth.revokeSessions(envId, user.id)
    return { message: 'Password changed successfully' }
  }

  /** The live user a reset token was issued for; gone meanwhile → 404 `auth/account-not-found`. */
  private liveUser(environmentId: string, email: string, userId: string | null): UserDoc {
    const user = this.pool.byEmailAddress(environmentId, email)
    if (!user || (userId !== null && user.id !== userId)) throw notFound('auth/account-not-found', 'The account of this e-mail no longer exists')
    return user
  }
}
