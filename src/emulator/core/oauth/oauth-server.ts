import type { Database } from '../../store/store.js'
import type { Clock } from '../clock.js'
import type { Organizations } from '../tenancy/organizations.js'
import type { TenantTokens } from '../tenant-tokens.js'
import { Authorizations, sameResource } from './authorization.js'
import { OAuthClients, type ClientCredentials } from './clients.js'
import { OAuthError } from './errors.js'
import { Grants, type TokenResponse } from './grants.js'

/** Token-endpoint parameters (form or JSON body). */
export type TokenParams = Partial<Record<'grant_type' | 'code' | 'redirect_uri' | 'code_verifier' | 'refresh_token' | 'scope' | 'resource', string>>

/**
 * The OAuth 2.1 authorization server of `/mcp` (mcp.md §2), without HTTP: clients, authorization requests,
 * the token endpoint's grants and revocation. Access tokens are tenant tokens bound to a grant.
 */
export class OAuthServer {
  readonly clients: OAuthClients
  readonly grants: Grants
  readonly authorizations: Authorizations

  constructor(
    db: Database,
    orgs: Organizations,
    private readonly tokens: TenantTokens,
    clock: Clock,
  ) {
    this.clients = new OAuthClients(db, clock)
    this.grants = new Grants(db, orgs, tokens, clock)
    this.authorizations = new Authorizations(this.clients, this.grants, orgs, () => tokens.audience)
    tokens.grantAlive = (grantId) => this.grants.alive(grantId)
    orgs.onDelete((organizationId) => ({ ops: this.grants.removalOps(organizationId) }))
  }

  async token(params: TokenParams, credentials: ClientCredentials): Promise<TokenResponse> {
    if (!params.grant_type) throw new OAuthError('invalid_request', 'grant_type is required')
    if (params.grant_type !== 'authorization_code' && params.grant_type !== 'refresh_token') {
      throw new OAuthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token')
    }
    const client = this.clients.authenticate(credentials)
    // RFC 8707 §2.2 (MCP-D20): the only resource these tokens are good for is this server's /mcp.
    if (params.resource !== undefined && !sameResource(params.resource, this.tokens.audience)) {
      throw new OAuthError('invalid_target', `resource must be ${this.tokens.audience}, the only resource this server issues tokens for`)
    }
    if (!client.grantTypes.includes(params.grant_type)) throw new OAuthError('unauthorized_client', `This client is not registered for ${params.grant_type}`)
    if (params.grant_type === 'authorization_code') {
      return this.grants.exchangeCode(client, { code: params.code, redirectUri: params.redirect_uri, codeVerifier: params.code_verifier })
    }
    return this.grants.refresh(client, { refreshToken: params.refresh_token, scope: params.scope })
  }

  /**
   * RFC 7009 §2.1: the client authenticates as at the token endpoint (a public client by its client_id) and may
   * revoke only its own tokens; tokens of other clients and unknown tokens are a silent success (§2.2).
   */
  async revoke(token: string | undefined, credentials: ClientCredentials): Promise<void> {
    if (credentials.clientId === undefined) throw new OAuthError('invalid_client', 'Client authentication is required: send client_id (and the secret of a confidential client)', 401)
    const client = this.clients.authenticate(credentials)
    if (!token) throw new OAuthError('invalid_request', 'token is required')
    await this.grants.revoke(client, token)
  }
}
