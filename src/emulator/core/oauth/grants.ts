import { createHash, timingSafeEqual } from 'node:crypto'
import type { Database, Op } from '../../store/store.js'
import type { Clock } from '../clock.js'
import { newId, randomHex } from '../ids.js'
import type { Organizations } from '../tenancy/organizations.js'
import type { TenantTokens } from '../tenant-tokens.js'
import { OAuthError } from './errors.js'
import { ACCESS_LIFETIME_SECONDS, CODE_LIFETIME_MS, OC, REFRESH_LIFETIME_MS, sha256, type AuthCodeDoc, type GrantDoc, type OAuthClientDoc } from './model.js'

/** The token endpoint's success body (RFC 6749 §5.1). */
export interface TokenResponse {
  access_token: string
  token_type: 'Bearer'
  expires_in: number
  refresh_token: string
  scope: string
}

/** What an approved authorization request turns into a code for. */
export type CodeRequest = Pick<AuthCodeDoc, 'clientId' | 'redirectUri' | 'codeChallenge' | 'scopes' | 'tenantId' | 'organizationId'>

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/
/** Used codes are kept this long past their expiry so a late replay still revokes what they produced. */
const CODE_RETENTION_MS = 60 * 60 * 1000

/**
 * Authorization codes, grants and refresh tokens (mcp.md §2.4–2.6). A grant is one consent; its access tokens
 * carry its id, so revoking the grant (refresh-token revocation, code replay) ends all of them at once.
 */
export class Grants {
  constructor(
    private readonly db: Database,
    private readonly orgs: Organizations,
    private readonly tokens: TenantTokens,
    private readonly clock: Clock,
  ) {}

  /** Whether a grant still stands: the tenant-token verifier asks this for every token that names one. */
  alive(grantId: string): boolean {
    const grant = this.db.collection<GrantDoc>(OC.grants).get(grantId)
    return grant !== undefined && grant.revokedAt === null
  }

  /** Operations that remove the grants and codes bound to an organization, committed with its deletion. */
  removalOps(organizationId: string): Op[] {
    const ops: Op[] = []
    for (const grant of this.db.collection<GrantDoc>(OC.grants).values()) if (grant.organizationId === organizationId) ops.push({ c: OC.grants, d: grant.id })
    for (const code of this.db.collection<AuthCodeDoc>(OC.codes).values()) if (code.organizationId === organizationId) ops.push({ c: OC.codes, d: code.id })
    return ops
  }

  /** Issues a single-use code (32 hex), valid 10 minutes; only its hash is stored. */
  async issueCode(request: CodeRequest): Promise<string> {
    const code = randomHex(16)
    const now = this.clock.nowMs()
    const ops: Op[] = []
    for (const old of this.db.collection<AuthCodeDoc>(OC.codes).values()) {
      if (old.expiresAt + CODE_RETENTION_MS < now) ops.push({ c: OC.codes, d: old.id })
    }
    const doc: AuthCodeDoc = { id: sha256(code), ...request, expiresAt: now + CODE_LIFETIME_MS, usedAt: null, grantId: null }
    ops.push({ c: OC.codes, p: doc })
    await this.db.commit(ops)
    return code
  }

  /** `grant_type=authorization_code` with PKCE S256. A replayed code revokes the grant it produced. */
  async exchangeCode(client: OAuthClientDoc, params: { code?: string; redirectUri?: string; codeVerifier?: string }): Promise<TokenResponse> {
    if (!params.code) throw new OAuthError('invalid_request', 'code is required')
    if (!params.codeVerifier) throw new OAuthError('invalid_request', 'code_verifier is required (PKCE)')
    if (!params.redirectUri) throw new OAuthError('invalid_request', 'redirect_uri is required')
    const doc = this.db.collection<AuthCodeDoc>(OC.codes).get(sha256(params.code))
    if (!doc || doc.clientId !== client.id) throw new OAuthError('invalid_grant', 'The authorization code is not valid')
    if (doc.usedAt !== null) {
      if (doc.grantId) await this.revokeGrant(doc.grantId)
      throw new OAuthError('invalid_grant', 'The authorization code has already been used; the tokens issued for it are revoked')
    }
    if (doc.expiresAt <= this.clock.nowMs()) throw new OAuthError('invalid_grant', 'The authorization code has expired')
    if (doc.redirectUri !== params.redirectUri) throw new OAuthError('invalid_grant', 'redirect_uri does not match the authorization request')
    if (!VERIFIER.test(params.codeVerifier) || !sameText(s256(params.codeVerifier), doc.codeChallenge)) {
      throw new OAuthError('invalid_grant', 'code_verifier does not match the code_challenge')
    }
    if (!this.orgs.roleOf(doc.tenantId, doc.organizationId)) throw new OAuthError('invalid_grant', 'The organization of this authorization no longer exists')

    const refresh = randomHex(32)
    const now = this.clock.nowMs()
    const grant: GrantDoc = {
      id: newId(now),
      clientId: client.id,
      tenantId: doc.tenantId,
      organizationId: doc.organizationId,
      scopes: doc.scopes,
      refreshHash: sha256(refresh),
      refreshExpiresAt: now + REFRESH_LIFETIME_MS,
      revokedAt: null,
      createdAt: now,
    }
    // The code is spent in the same journal line that creates the grant: no window for a double redemption.
    await this.db.commit([
      { c: OC.grants, p: grant },
      { c: OC.codes, p: { ...doc, usedAt: now, grantId: grant.id } },
    ])
    return this.respond(grant, grant.scopes, refresh)
  }

  /** `grant_type=refresh_token`: rotates the refresh token; `scope` may narrow the access token's scopes. */
  async refresh(client: OAuthClientDoc, params: { refreshToken?: string; scope?: string }): Promise<TokenResponse> {
    if (!params.refreshToken) throw new OAuthError('invalid_request', 'refresh_token is required')
    const grant = this.byRefresh(params.refreshToken)
    if (!grant || grant.clientId !== client.id || grant.revokedAt !== null) throw new OAuthError('invalid_grant', 'The refresh token is not valid')
    if (grant.refreshExpiresAt <= this.clock.nowMs()) throw new OAuthError('invalid_grant', 'The refresh token has expired')
    if (!this.orgs.roleOf(grant.tenantId, grant.organizationId)) throw new OAuthError('invalid_grant', 'The organization of this grant no longer exists')
    let scopes = grant.scopes
    if (params.scope !== undefined) {
      const requested = params.scope.split(' ').filter(Boolean)
      const extra = requested.find((s) => !grant.scopes.includes(s))
      if (extra) throw new OAuthError('invalid_scope', `scope "${extra}" was not part of the original grant`)
      scopes = requested
    }
    const refresh = randomHex(32)
    const next: GrantDoc = { ...grant, refreshHash: sha256(refresh), refreshExpiresAt: this.clock.nowMs() + REFRESH_LIFETIME_MS }
    await this.db.put(OC.grants, next)
    return this.respond(next, scopes, refresh)
  }

  /**
   * RFC 7009: a refresh token ends its grant; an access token ends itself. Unknown tokens, and tokens of another
   * client than the authenticated one, are silently ignored (the endpoint answers 200 either way).
   */
  async revoke(client: OAuthClientDoc, token: string): Promise<void> {
    const ownedBy = (clientId: string) => client.id === clientId
    const grant = this.byRefresh(token)
    if (grant) {
      if (ownedBy(grant.clientId)) await this.revokeGrant(grant.id)
      return
    }
    const principal = await this.tokens.verify(token).catch(() => undefined)
    if (principal && ownedBy(principal.clientId)) await this.tokens.revoke(principal.jti, principal.expiresAt)
  }

  private async revokeGrant(grantId: string): Promise<void> {
    const grant = this.db.collection<GrantDoc>(OC.grants).get(grantId)
    if (grant && grant.revokedAt === null) await this.db.put(OC.grants, { ...grant, revokedAt: this.clock.nowMs() })
  }

  private byRefresh(token: string): GrantDoc | undefined {
    if (!/^[0-9a-f]{64}$/.test(token)) return undefined
    const hash = sha256(token)
    for (const grant of this.db.collection<GrantDoc>(OC.grants).values()) if (grant.refreshHash === hash) return grant
    return undefined
  }

  private async respond(grant: GrantDoc, scopes: string[], refresh: string): Promise<TokenResponse> {
    const { token } = await this.tokens.mint({
      tenantId: grant.tenantId,
      organizationId: grant.organizationId,
      scopes,
      clientId: grant.clientId,
      lifetimeSeconds: ACCESS_LIFETIME_SECONDS,
      grantId: grant.id,
    })
    return { access_token: token, token_type: 'Bearer', expires_in: ACCESS_LIFETIME_SECONDS, refresh_token: refresh, scope: scopes.join(' ') }
  }
}

/** BASE64URL(SHA-256(verifier)), RFC 7636 §4.6. */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url')
}

function sameText(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))
}
