import { JWTExpired } from 'jose/errors'
import { SignJWT } from 'jose/jwt/sign'
import { jwtVerify } from 'jose/jwt/verify'
import { MCP_SCOPES } from '../../contract/scopes.js'
import type { Database } from '../store/store.js'
import type { Clock } from './clock.js'
import { DomainError, unauthorized } from './errors.js'
import { newId, randomHex } from './ids.js'
import { explainCredential, TENANT_CREDENTIAL } from './observe/credential.js'
import { C } from './tenancy/model.js'
import type { Organizations } from './tenancy/organizations.js'

const ALG = 'HS256'
const SECRET_ID = 'tenant-jwt'
const REVOKED = 'revokedTokens'

/** A verified tenant access token. */
export interface TenantPrincipal {
  tenantId: string
  organizationId: string
  scopes: string[]
  clientId: string
  jti: string
  /** The OAuth grant the token belongs to, when it came from one. */
  grantId: string | null
  expiresAt: number
}

export interface MintOptions {
  tenantId: string
  organizationId: string
  scopes: readonly string[]
  clientId: string
  lifetimeSeconds: number
  grantId?: string
}

/**
 * Tenant OAuth access tokens (HS256 JWTs, mcp.md §2.6): accepted on `/mcp` and the emulator controls, never on
 * `/v1`. The signing secret is generated once per data directory.
 */
export class TenantTokens {
  private readonly secret: Uint8Array
  /** Asked for each token that names a grant: is that grant still alive? Set by the OAuth server. */
  grantAlive: (grantId: string) => boolean = () => true

  constructor(
    private readonly db: Database,
    private readonly orgs: Organizations,
    private readonly clock: Clock,
    private readonly issuerOf: () => string,
  ) {
    const stored = db.collection(C.secrets).get(SECRET_ID)
    if (!stored) throw new Error('tenant token secret missing: call TenantTokens.ensureSecret first')
    this.secret = Buffer.from(stored.value as string, 'hex')
  }

  /** Creates the signing secret on first start. */
  static async ensureSecret(db: Database): Promise<void> {
    if (!db.collection(C.secrets).has(SECRET_ID)) await db.put(C.secrets, { id: SECRET_ID, value: randomHex(32) })
  }

  /** Issuer and audience: `<origin>/mcp`. */
  get issuer(): string {
    return this.issuerOf()
  }

  get audience(): string {
    return this.issuerOf()
  }

  async mint(options: MintOptions): Promise<{ token: string; jti: string; expiresAt: number }> {
    const iat = Math.floor(this.clock.nowMs() / 1000)
    const exp = iat + options.lifetimeSeconds
    const jti = newId(this.clock.nowMs())
    const claims: Record<string, unknown> = { org: options.organizationId, scope: options.scopes.join(' '), client_id: options.clientId }
    if (options.grantId) claims.gid = options.grantId
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: ALG, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(this.audience)
      .setSubject(options.tenantId)
      .setJti(jti)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.secret)
    return { token, jti, expiresAt: exp * 1000 }
  }

  /** Every scope, for the local tenant token. */
  static allScopes(): readonly string[] {
    return MCP_SCOPES
  }

  /** Verifies signature (HS256 only), audience, expiry (by the emulator clock), revocation and membership. */
  async verify(token: string | undefined): Promise<TenantPrincipal> {
    try {
      return await this.check(token)
    } catch (error) {
      throw error instanceof DomainError ? explainCredential(error, TENANT_CREDENTIAL, token) : error
    }
  }

  private async check(token: string | undefined): Promise<TenantPrincipal> {
    if (!token) throw unauthorized('auth/unauthorized', 'A tenant access token is required: send Authorization: Bearer <token>')
    let payload: Record<string, unknown>
    try {
      ;({ payload } = await jwtVerify(token, this.secret, {
        algorithms: [ALG],
        issuer: this.issuer,
        audience: this.audience,
        currentDate: this.clock.now(),
      }))
    } catch (error) {
      if (error instanceof JWTExpired) throw unauthorized('auth/token-expired', 'The tenant access token has expired')
      throw unauthorized('auth/invalid-token', 'The tenant access token is not valid')
    }
    const principal: TenantPrincipal = {
      tenantId: String(payload.sub),
      organizationId: String(payload.org),
      scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [],
      clientId: String(payload.client_id),
      jti: String(payload.jti),
      grantId: typeof payload.gid === 'string' ? payload.gid : null,
      expiresAt: Number(payload.exp) * 1000,
    }
    if (this.db.collection(REVOKED).has(principal.jti)) throw unauthorized('auth/token-revoked', 'The tenant access token has been revoked')
    if (principal.grantId && !this.grantAlive(principal.grantId)) throw unauthorized('auth/token-revoked', 'The authorization behind this token has been revoked')
    if (!this.orgs.roleOf(principal.tenantId, principal.organizationId)) throw unauthorized('auth/invalid-token', 'The tenant is no longer a member of the organization of this token')
    return principal
  }

  /** Revokes one access token until it would have expired anyway. */
  async revoke(jti: string, expiresAt: number): Promise<void> {
    await this.db.put(REVOKED, { id: jti, expiresAt })
  }
}
