import type { MailType } from '../../../contract/mailbox.js'
import { notFound, unauthorized } from '../errors.js'
import type { Mailbox } from '../mail/mailbox.js'
import type { OneTimeTokenFailure, OneTimeTokens } from '../one-time-tokens.js'
import type { AuthLimits } from './auth-limits.js'
import type { EnvScope } from './auth-service.js'
import type { UserPool } from './user-pool.js'

/** Reset and verification tokens live 24 hours (rest-auth.md §1.4). */
export const VERIFICATION_TTL_SECONDS = 24 * 3600

/** The refusals of reset and verification tokens (RA-D5): unknown/used/other e-mail → 404, expired → 401. */
export function verificationFailure(failure: OneTimeTokenFailure): Error {
  return failure === 'expired'
    ? unauthorized('auth/verification-token-expired', 'The token has expired: request a new e-mail')
    : notFound('auth/verification-token-not-found', 'The token is not valid for this e-mail, or was already used')
}

export interface TokenMail {
  type: MailType
  to: string
  userName: string
  ttlSeconds: number
  userId?: string | null
  /** Replace the unused tokens of this type for this address (default true). */
  replacePrevious?: boolean
  /** The e-mail's link for the new raw token, or null when the flow has no URL. */
  link: (token: string) => string | null
}

/** Issues a one-time token in the environment's pool and captures the e-mail that carries it. */
export class TokenMailer {
  constructor(
    private readonly pool: UserPool,
    readonly tokens: OneTimeTokens,
    private readonly mailbox: Mailbox,
    private readonly limits: AuthLimits,
  ) {}

  async send(scope: EnvScope, mail: TokenMail): Promise<void> {
    this.limits.countMail(scope.environment.id, mail.to)
    const db = this.pool.db(scope.environment.id)
    const { token } = await this.tokens.issue(db, { purpose: mail.type, email: mail.to, userId: mail.userId ?? null, ttlSeconds: mail.ttlSeconds, replacePrevious: mail.replacePrevious ?? true })
    await this.mailbox.capture({ projectId: scope.project.id, environmentId: scope.environment.id, type: mail.type, to: mail.to, token, link: mail.link(token), values: { userName: mail.userName } })
  }
}
