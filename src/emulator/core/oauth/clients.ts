import { timingSafeEqual } from 'node:crypto'
import { MCP_SCOPES } from '../../../contract/scopes.js'
import type { Database } from '../../store/store.js'
import type { Clock } from '../clock.js'
import { randomHex } from '../ids.js'
import { CLI_CLIENT_ID } from '../seed.js'
import { OAuthError } from './errors.js'
import { CLIENT_AUTH_METHODS, OC, sha256, type ClientAuthMethod, type OAuthClientDoc } from './model.js'

/** RFC 7591 metadata after syntactic validation by the transport. */
export interface RegistrationInput {
  redirect_uris: string[]
  client_name?: string
  grant_types?: string[]
  response_types?: string[]
  token_endpoint_auth_method?: string
  scope?: string
}

/** The registration response (RFC 7591 §3.2.1); `client_secret` appears once, for secret-based methods. */
export interface RegisteredClient {
  client_id: string
  client_id_issued_at: number
  client_name?: string
  redirect_uris: string[]
  grant_types: string[]
  response_types: string[]
  token_endpoint_auth_method: ClientAuthMethod
  scope?: string
  client_secret?: string
  client_secret_expires_at?: number
}

/** How a token or revocation request authenticated its client (from the body or a Basic header). */
export interface ClientCredentials {
  clientId?: string
  clientSecret?: string
  method: 'body' | 'basic'
}

const GRANT_TYPES = ['authorization_code', 'refresh_token']
const FORBIDDEN_SCHEMES = new Set(['javascript:', 'data:', 'vbscript:', 'file:', 'about:', 'blob:'])
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]'])

/** Loopback hosts, for redirect URIs and the MCP Origin check. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(?:\.\d{1,3}){3}$/.test(hostname)
}

/** An http(s) URI on a loopback host, any port: a callback that only a program on this machine can receive. */
export function isLoopbackUri(uri: string): boolean {
  try {
    const url = new URL(uri)
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHost(url.hostname)
  } catch {
    return false
  }
}

/**
 * OAuth clients: dynamically registered ones (persisted), plus the built-in public client `bkend-cli`, which the
 * CLI uses with a loopback redirect on whatever port it could bind (RFC 8252 §7.3).
 */
export class OAuthClients {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async register(input: RegistrationInput): Promise<RegisteredClient> {
    if (input.redirect_uris.length === 0) throw new OAuthError('invalid_redirect_uri', 'redirect_uris must contain at least one URI')
    for (const uri of input.redirect_uris) checkRedirectUri(uri)
    const grantTypes = input.grant_types ?? GRANT_TYPES
    const unknownGrant = grantTypes.find((g) => !GRANT_TYPES.includes(g))
    if (unknownGrant || !grantTypes.includes('authorization_code')) {
      throw new OAuthError('invalid_client_metadata', `grant_types must include authorization_code and may only contain ${GRANT_TYPES.join(', ')}`)
    }
    const responseTypes = input.response_types ?? ['code']
    if (responseTypes.some((r) => r !== 'code')) throw new OAuthError('invalid_client_metadata', 'response_types may only contain "code"')
    const method = (input.token_endpoint_auth_method ?? 'none') as ClientAuthMethod
    if (!CLIENT_AUTH_METHODS.includes(method)) {
      throw new OAuthError('invalid_client_metadata', `token_endpoint_auth_method must be one of ${CLIENT_AUTH_METHODS.join(', ')}`)
    }
    const unknownScope = input.scope?.split(' ').find((s) => s !== '' && !(MCP_SCOPES as readonly string[]).includes(s))
    if (unknownScope) throw new OAuthError('invalid_client_metadata', `unknown scope "${unknownScope}"`)

    const secret = method === 'none' ? undefined : randomHex(32)
    const doc: OAuthClientDoc = {
      id: `dyn-${randomHex(12)}`,
      clientName: input.client_name ?? null,
      redirectUris: [...input.redirect_uris],
      grantTypes: [...grantTypes],
      responseTypes: [...responseTypes],
      tokenEndpointAuthMethod: method,
      scope: input.scope ?? null,
      secretHash: secret ? sha256(secret) : null,
      issuedAt: Math.floor(this.clock.nowMs() / 1000),
    }
    await this.db.put(OC.clients, doc)
    const out: RegisteredClient = {
      client_id: doc.id,
      client_id_issued_at: doc.issuedAt,
      redirect_uris: doc.redirectUris,
      grant_types: doc.grantTypes,
      response_types: doc.responseTypes,
      token_endpoint_auth_method: method,
    }
    if (doc.clientName !== null) out.client_name = doc.clientName
    if (doc.scope !== null) out.scope = doc.scope
    if (secret) Object.assign(out, { client_secret: secret, client_secret_expires_at: 0 })
    return out
  }

  /** A client by id, or undefined. */
  get(clientId: string | undefined): OAuthClientDoc | undefined {
    if (!clientId) return undefined
    if (clientId === CLI_CLIENT_ID) return CLI_CLIENT
    return this.db.collection<OAuthClientDoc>(OC.clients).get(clientId)
  }

  /** Exact match (MCP-D4); the built-in CLI client accepts any loopback http callback instead. */
  redirectAllowed(client: OAuthClientDoc, uri: string | undefined): uri is string {
    if (!uri) return false
    if (client.id !== CLI_CLIENT_ID) return client.redirectUris.includes(uri)
    try {
      const url = new URL(uri)
      return url.protocol === 'http:' && isLoopbackHost(url.hostname) && url.hash === ''
    } catch {
      return false
    }
  }

  /** Authenticates the client of a token or revocation request by its registered method (401 invalid_client). */
  authenticate(credentials: ClientCredentials): OAuthClientDoc {
    const client = this.get(credentials.clientId)
    if (!client) throw new OAuthError('invalid_client', 'Unknown client_id', 401)
    const expected = client.tokenEndpointAuthMethod
    if (expected === 'none') return client
    const methodMatches = expected === 'client_secret_basic' ? credentials.method === 'basic' : credentials.method === 'body'
    if (!methodMatches || !credentials.clientSecret || !client.secretHash || !sameHash(sha256(credentials.clientSecret), client.secretHash)) {
      throw new OAuthError('invalid_client', `Client authentication failed (registered method: ${expected})`, 401)
    }
    return client
  }
}

const CLI_CLIENT: OAuthClientDoc = {
  id: CLI_CLIENT_ID,
  clientName: 'bkend CLI',
  redirectUris: [],
  grantTypes: GRANT_TYPES,
  responseTypes: ['code'],
  tokenEndpointAuthMethod: 'none',
  scope: null,
  secretHash: null,
  issuedAt: 0,
}

function checkRedirectUri(uri: string): void {
  let url: URL
  try {
    url = new URL(uri)
  } catch {
    throw new OAuthError('invalid_redirect_uri', `${uri} is not an absolute URI`)
  }
  if (url.hash !== '' || uri.includes('#')) throw new OAuthError('invalid_redirect_uri', `${uri} must not contain a fragment`)
  if (FORBIDDEN_SCHEMES.has(url.protocol)) throw new OAuthError('invalid_redirect_uri', `${url.protocol} redirect URIs are not allowed`)
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new OAuthError('invalid_redirect_uri', `${uri}: plain http is only allowed for loopback hosts; use https or a custom scheme`)
  }
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b))
}
