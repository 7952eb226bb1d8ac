import { JWTExpired } from 'jose/errors'
import { decodeJwt } from 'jose/jwt/decode'
import { jwtVerify } from 'jose/jwt/verify'
import { createHmac } from 'node:crypto'
import type { Database } from '../../store/store.js'
import type { Clock } from '../clock.js'
import { forbidden, unauthorized } from '../errors.js'
import { newId, randomHex } from '../ids.js'
import type { EnvironmentDoc } from '../tenancy/model.js'
import { U } from './model.js'

const ALG = 'HS256'
const SECRET_ID = 'user-jwt'
export const ACCESS_TTL_SECONDS = 3600
export const REFRESH_TTL_SECONDS = 30 * 24 * 3600

export interface AccessClaims {
  sub: string
  sid: string
  pid: string
  eid: string
  env: string
  role: string
  email: string
  exp: number
}

export interface RefreshClaims {
  sub: string
  sid: string
  jti: string
  exp: number
}

/** What went wrong verifying a JWT, before mapping to route-specific codes. */
export type JwtFailure = 'format' | 'invalid' | 'expired'

export class JwtError extends Error {
  constructor(readonly failure: JwtFailure) {
    super(failure)
  }
}

const HEADER = Buffer.from(JSON.stringify({ alg: ALG, typ: 'JWT' })).toString('base64url')

// note: an HMAC over the encoded header and payload, as jose signs them, but with node's synchronous HMAC: jose's
// WebCrypto path (a job promise per signature) cost ~80 µs a token against ~6 µs, two tokens per sign-in and sign-up
function signHs256(payload: Record<string, unknown>, secret: Uint8Array): string {
  const input = `${HEADER}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`
}

/**
 * User JWTs (rest-auth.md §1.4): HS256 only, signed with a secret of the environment, so a token of one
 * environment never verifies in another.
 */
export class UserTokens {
  private readonly secrets = new Map<string, Uint8Array>()

  constructor(
    private readonly clock: Clock,
    private readonly issuer: () => string,
  ) {}

  private async secret(db: Database, environmentId: string): Promise<Uint8Array> {
    const cached = this.secrets.get(environmentId)
    if (cached) return cached
    let stored = db.collection(U.meta).get(SECRET_ID)
    if (!stored) {
      stored = { id: SECRET_ID, value: randomHex(32) }
      await db.put(U.meta, stored)
    }
    const secret = Buffer.from(stored.value as string, 'hex')
    this.secrets.set(environmentId, secret)
    return secret
  }

  forget(environmentId: string): void {
    this.secrets.delete(environmentId)
  }

  /** A token pair for a session; `organizationId` (after an organization switch) rides in the access JWT. */
  async issue(db: Database, env: EnvironmentDoc, user: { id: string; role: string; email: string }, sessionId: string, refreshJti: string, organizationId: string | null = null): Promise<{ accessToken: string; refreshToken: string }> {
    const secret = await this.secret(db, env.id)
    const iat = Math.floor(this.clock.nowMs() / 1000)
    const claims = { sid: sessionId, typ: 'access', pid: env.projectId, eid: env.id, env: env.environment, role: user.role, email: user.email }
    const iss = this.issuer()
    const accessToken = signHs256({ ...claims, ...(organizationId ? { organizationId } : {}), sub: user.id, iss, iat, exp: iat + ACCESS_TTL_SECONDS, jti: newId(this.clock.nowMs()) }, secret)
    const refreshToken = signHs256({ sid: sessionId, typ: 'refresh', sub: user.id, iss, iat, exp: iat + REFRESH_TTL_SECONDS, jti: refreshJti }, secret)
    return { accessToken, refreshToken }
  }

  /**
   * Verifies an access JWT for the key's environment (README order of checks, step 4): malformed → format,
   * another project → 403, another environment or bad signature/type → invalid, past `exp` → expired.
   */
  async verifyAccess(db: Database, env: EnvironmentDoc, token: string): Promise<AccessClaims> {
    let unverified: Record<string, unknown>
    try {
      unverified = decodeJwt(token)
    } catch {
      throw new JwtError('format')
    }
    if (typeof unverified.pid === 'string' && unverified.pid !== env.projectId) {
      throw forbidden('data/project-access-denied', 'This user token was issued for another project')
    }
    if (unverified.eid !== env.id) throw new JwtError('invalid')
    const payload = await this.verify(db, env, token)
    if (payload.typ !== 'access') throw new JwtError('invalid')
    return payload as unknown as AccessClaims
  }

  async verifyRefresh(db: Database, env: EnvironmentDoc, token: string): Promise<RefreshClaims> {
    try {
      decodeJwt(token)
    } catch {
      throw new JwtError('invalid')
    }
    const payload = await this.verify(db, env, token)
    if (payload.typ !== 'refresh') throw new JwtError('invalid')
    return payload as unknown as RefreshClaims
  }

  private async verify(db: Database, env: EnvironmentDoc, token: string): Promise<Record<string, unknown>> {
    try {
      const { payload } = await jwtVerify(token, await this.secret(db, env.id), { algorithms: [ALG], currentDate: this.clock.now() })
      return payload
    } catch (error) {
      if (error instanceof JWTExpired) throw new JwtError('expired')
      throw new JwtError('invalid')
    }
  }
}

/** The step-4 errors for an access JWT on `/v1`. */
export function accessJwtError(failure: JwtFailure) {
  if (failure === 'format') return unauthorized('auth/invalid-token-format', 'The bearer token is not a well-formed JWT')
  if (failure === 'expired') return unauthorized('auth/token-expired', 'The access token has expired: refresh it with POST /v1/auth/refresh')
  return unauthorized('auth/invalid-token', 'The access token is not valid for this environment')
}
