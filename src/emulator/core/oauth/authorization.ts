import { MCP_SCOPES } from '../../../contract/scopes.js'
import type { Organization, Tenant } from '../../../contract/tenancy.js'
import type { Organizations } from '../tenancy/organizations.js'
import { isLoopbackHost, type OAuthClients } from './clients.js'
import type { Grants } from './grants.js'
import type { OAuthClientDoc } from './model.js'

/** The query (GET) or form (POST) parameters of an authorization request. */
export type AuthorizationParams = Partial<Record<
  'response_type' | 'client_id' | 'redirect_uri' | 'code_challenge' | 'code_challenge_method' | 'state' | 'scope' | 'resource' | 'organization_id',
  string
>>

/** A request that may be shown for consent. */
export interface ValidAuthorization {
  client: OAuthClientDoc
  redirectUri: string
  codeChallenge: string
  scopes: string[]
  state: string | undefined
  params: AuthorizationParams
}

/** What to do with an authorization request: show consent, show a 400 page (never redirect), or redirect. */
export type AuthorizationCheck =
  | { kind: 'ok'; request: ValidAuthorization }
  | { kind: 'page'; message: string }
  | { kind: 'redirect'; location: string }

/** What the consent page shows. */
export interface ConsentModel {
  tenant: { id: string; name: string; email: string }
  organizations: Organization[]
  scopes: string[]
  clientName: string
}

const CHALLENGE = /^[A-Za-z0-9_-]{43,128}$/

/** `<redirect_uri>` with extra query parameters, keeping any query it already has. */
export function redirectWith(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri)
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value)
  return url.toString()
}

/** The resource indicator names `/mcp`: exactly, or through a loopback alias of the same port (`localhost`). */
export function sameResource(given: string, canonical: string): boolean {
  if (given === canonical) return true
  try {
    const a = new URL(given)
    const b = new URL(canonical)
    return a.protocol === b.protocol && a.port === b.port && a.pathname === b.pathname && a.search === '' && isLoopbackHost(a.hostname) && isLoopbackHost(b.hostname)
  } catch {
    return false
  }
}

/** Authorization requests (mcp.md §2.3): validation, consent data, approval into a code, denial. */
export class Authorizations {
  constructor(
    private readonly clients: OAuthClients,
    private readonly grants: Grants,
    private readonly orgs: Organizations,
    private readonly resource: () => string,
  ) {}

  check(params: AuthorizationParams): AuthorizationCheck {
    const client = this.clients.get(params.client_id)
    if (!client) return { kind: 'page', message: `Unknown client_id ${JSON.stringify(params.client_id ?? '')}. Register the client first (POST /mcp/oauth/register).` }
    if (!this.clients.redirectAllowed(client, params.redirect_uri)) {
      return { kind: 'page', message: `redirect_uri ${JSON.stringify(params.redirect_uri ?? '')} is not registered for client ${client.id}.` }
    }
    const redirectUri = params.redirect_uri
    const fail = (error: string, description: string): AuthorizationCheck => ({
      kind: 'redirect',
      location: redirectWith(redirectUri, { error, error_description: description, state: params.state }),
    })
    if (params.response_type !== 'code') return fail('unsupported_response_type', 'response_type must be "code"')
    if (!params.code_challenge || !CHALLENGE.test(params.code_challenge)) return fail('invalid_request', 'code_challenge is required (PKCE)')
    if (params.code_challenge_method !== 'S256') return fail('invalid_request', 'code_challenge_method must be S256')
    const requested = params.scope?.split(' ').filter(Boolean) ?? []
    const unknown = requested.find((s) => !(MCP_SCOPES as readonly string[]).includes(s))
    if (unknown) return fail('invalid_scope', `unknown scope "${unknown}"`)
    if (params.resource !== undefined && !sameResource(params.resource, this.resource())) return fail('invalid_target', `resource must be ${this.resource()}`)
    const scopes = requested.length > 0 ? [...new Set(requested)] : [...MCP_SCOPES]
    return { kind: 'ok', request: { client, redirectUri, codeChallenge: params.code_challenge, scopes, state: params.state, params } }
  }

  /** What the consent page shows the signed-in tenant (the only one, or the console session's). */
  consent(request: ValidAuthorization, tenant: Tenant): ConsentModel {
    return {
      tenant: { id: tenant.id, name: tenant.name, email: tenant.email },
      organizations: this.orgs.list(tenant.id),
      scopes: request.scopes,
      clientName: request.client.clientName ?? request.client.id,
    }
  }

  /** Approves for an organization the tenant belongs to (default: their oldest); → redirect URL. */
  async approve(request: ValidAuthorization, tenantId: string, organizationId: string | undefined): Promise<string> {
    const orgId = organizationId || this.orgs.list(tenantId)[0]?.id
    if (!orgId || !this.orgs.roleOf(tenantId, orgId)) {
      return redirectWith(request.redirectUri, { error: 'invalid_request', error_description: 'organization_id is not an organization of the tenant', state: request.state })
    }
    const code = await this.grants.issueCode({
      clientId: request.client.id,
      redirectUri: request.redirectUri,
      codeChallenge: request.codeChallenge,
      scopes: request.scopes,
      tenantId,
      organizationId: orgId,
    })
    return redirectWith(request.redirectUri, { code, state: request.state })
  }

  deny(request: ValidAuthorization): string {
    return redirectWith(request.redirectUri, { error: 'access_denied', error_description: 'The tenant denied the request', state: request.state })
  }
}
