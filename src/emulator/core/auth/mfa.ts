import { randomInt } from 'node:crypto'
import { Secret, TOTP } from 'otpauth'
import type { Clock } from '../clock.js'
import { conflict, forbidden, invalid, unauthorized } from '../errors.js'
import { sha256 } from '../ids.js'
import type { UserIdentity } from '../principal.js'
import type { EnvScope } from './auth-service.js'
import { U, type UserDoc } from './model.js'
import { verifyPassword } from './passwords.js'
import type { UserPool } from './user-pool.js'

/**
 * A user's TOTP state, in the environment's database only (never in views, system tables or logs). The secret is
 * kept as is because verifying needs it; backup codes only as SHA-256. A pending setup keeps its codes in clear
 * for its 10 minutes, because confirming returns them again (rest-auth.md §3.8).
 */
interface MfaDoc {
  [key: string]: unknown
  /** The user id. */
  id: string
  secret: string | null
  backupCodes: Array<{ hash: string; usedAt: string | null }>
  pending: { secret: string; backupCodes: string[]; expiresAt: number } | null
}

export const MFA_SETUP_LIFETIME_MS = 10 * 60 * 1000
const BACKUP_CODE_COUNT = 10
const BACKUP_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'
const CODE = 'auth/invalid-request'

/** RFC 6238 with the parameters of §3.8: SHA-1, 6 digits, 30 s, ±1 step, at the emulator clock's time. */
function totpMatches(secret: string, code: string, nowMs: number): boolean {
  if (!/^\d{6}$/.test(code)) return false
  return TOTP.validate({ token: code, secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: nowMs, window: 1 }) !== null
}

function backupCode(): string {
  let code = ''
  for (let i = 0; i < 8; i++) code += BACKUP_ALPHABET[randomInt(BACKUP_ALPHABET.length)]
  return code
}

const badCode = () => unauthorized('auth/invalid-mfa-code', 'The MFA code is not valid')

/** TOTP multi-factor authentication (rest-auth.md §3.8): enable → confirm, disable, and the sign-in check. */
export class Mfa {
  constructor(
    private readonly pool: UserPool,
    private readonly clock: Clock,
  ) {}

  private doc(environmentId: string, userId: string): MfaDoc | undefined {
    return this.pool.db(environmentId).collection<MfaDoc>(U.mfa).get(userId)
  }

  /** The signed-in user, after checking their password (401 `auth/invalid-credentials`, also without one). */
  private async withPassword(scope: EnvScope, identity: UserIdentity, password: unknown): Promise<UserDoc> {
    if (typeof password !== 'string') throw invalid(CODE, 'password is required')
    const user = this.pool.current(scope.environment.id, identity.userId)
    if (!(await verifyPassword(password, user.passwordHash))) throw unauthorized('auth/invalid-credentials', 'The password is not correct')
    return user
  }

  /** `POST /v1/auth/mfa/enable`: a new pending setup (replacing any earlier one). */
  async enable(scope: EnvScope, identity: UserIdentity, body: Record<string, unknown>): Promise<{ secret: string; qrCodeUrl: string; backupCodes: string[] }> {
    const user = await this.withPassword(scope, identity, body.password)
    if (user.mfaEnabled) throw conflict('auth/mfa-already-enabled', 'MFA is already enabled')
    const secret = new Secret({ size: 20 }).base32
    const backupCodes = Array.from({ length: BACKUP_CODE_COUNT }, backupCode)
    const pending = { secret, backupCodes, expiresAt: this.clock.nowMs() + MFA_SETUP_LIFETIME_MS }
    await this.pool.db(scope.environment.id).put(U.mfa, { id: user.id, secret: null, backupCodes: [], pending } satisfies MfaDoc)
    const qrCodeUrl = `otpauth://totp/bkend:${encodeURIComponent(user.email)}?secret=${secret}&issuer=bkend`
    return { secret, qrCodeUrl, backupCodes }
  }

  /** `POST /v1/auth/mfa/confirm`: a code of the pending secret turns MFA on. */
  async confirm(scope: EnvScope, identity: UserIdentity, body: Record<string, unknown>): Promise<{ backupCodes: string[] }> {
    if (typeof body.code !== 'string') throw invalid(CODE, 'code is required')
    const envId = scope.environment.id
    const user = this.pool.current(envId, identity.userId)
    if (user.mfaEnabled) throw conflict('auth/mfa-already-enabled', 'MFA is already enabled')
    const pending = this.doc(envId, user.id)?.pending
    if (!pending || pending.expiresAt <= this.clock.nowMs()) throw invalid('auth/mfa-setup-expired', 'No MFA setup is pending (or it is older than 10 minutes): call POST /v1/auth/mfa/enable again')
    if (!totpMatches(pending.secret, body.code.trim(), this.clock.nowMs())) throw badCode()
    const doc: MfaDoc = { id: user.id, secret: pending.secret, backupCodes: pending.backupCodes.map((c) => ({ hash: sha256(c), usedAt: null })), pending: null }
    const updated: UserDoc = { ...user, mfaEnabled: true, updatedAt: this.clock.iso() }
    await this.pool.save(envId, user, updated, [{ c: U.mfa, p: doc }])
    return { backupCodes: pending.backupCodes }
  }

  /** `POST /v1/auth/mfa/disable`: the password, and a valid code when one is sent. */
  async disable(scope: EnvScope, identity: UserIdentity, body: Record<string, unknown>): Promise<Record<string, never>> {
    const user = await this.withPassword(scope, identity, body.password)
    if (!user.mfaEnabled) throw invalid('auth/mfa-not-enabled', 'MFA is not enabled')
    if (body.code !== undefined && body.code !== null) {
      if (typeof body.code !== 'string') throw invalid(CODE, 'code must be a string')
      await this.verify(scope.environment.id, user, body.code)
    }
    const updated: UserDoc = { ...user, mfaEnabled: false, updatedAt: this.clock.iso() }
    await this.pool.save(scope.environment.id, user, updated, [{ c: U.mfa, d: user.id }])
    return {}
  }

  /** The sign-in check for a user with MFA on: absent → 403, wrong → 401; a matching backup code is used up. */
  async checkSignIn(environmentId: string, user: UserDoc, mfaCode: unknown): Promise<void> {
    if (mfaCode === undefined || mfaCode === null || mfaCode === '') throw forbidden('auth/mfa-required', 'MFA is enabled for this account: send mfaCode with a code of your authenticator app or a backup code')
    if (typeof mfaCode !== 'string') throw badCode()
    await this.verify(environmentId, user, mfaCode)
  }

  /** A current TOTP code or an unused backup code (consumed), else 401. */
  private async verify(environmentId: string, user: UserDoc, input: string): Promise<void> {
    const doc = this.doc(environmentId, user.id)
    const code = input.trim().toLowerCase()
    if (!doc?.secret) throw badCode()
    if (totpMatches(doc.secret, code, this.clock.nowMs())) return
    if (!/^[a-z0-9]{8}$/.test(code)) throw badCode()
    if (doc.backupCodes.every((c) => c.usedAt !== null)) throw unauthorized('auth/mfa-backup-codes-exhausted', 'Every backup code has been used: sign in with your authenticator app')
    const hash = sha256(code)
    const index = doc.backupCodes.findIndex((c) => c.hash === hash && c.usedAt === null)
    if (index < 0) throw badCode()
    const backupCodes = doc.backupCodes.map((c, i) => (i === index ? { ...c, usedAt: this.clock.iso() } : c))
    await this.pool.db(environmentId).put(U.mfa, { ...doc, backupCodes })
  }
}
