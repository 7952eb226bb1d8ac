import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { OAuthMetadata, OAuthProtectedResourceMetadata } from '@modelcontextprotocol/sdk/shared/auth.js'
import { offeredScopes } from '../../../contract/scopes.js'
import type { Core } from '../../core/core.js'
import { DomainError } from '../../core/errors.js'
import { isLoopbackUri, type ClientCredentials } from '../../core/oauth/clients.js'
import { OAuthError } from '../../core/oauth/errors.js'
import type { TokenParams } from '../../core/oauth/oauth-server.js'
import type { Logger } from '../../logger.js'
import type { Surface } from '../surface.js'
import { publicOrigin, trustedOrigin } from '../mcp/origin.js'
import { acceptFormBodies, stringFields } from '../middleware/body.js'
import { errorPage, html } from '../pages/page.js'
import { consentPage } from './consent-page.js'
import { consoleSession, signInUrl } from '../console/session.js'
import type { Tenant } from '../../../contract/tenancy.js'

const AUTHORIZATION_KEYS = ['response_type', 'client_id', 'redirect_uri', 'code_challenge', 'code_challenge_method', 'state', 'scope', 'resource', 'organization_id'] as const
const TOKEN_KEYS = ['grant_type', 'code', 'redirect_uri', 'code_verifier', 'refresh_token', 'scope', 'resource'] as const
const AUTH_METHODS = ['none', 'client_secret_post', 'client_secret_basic']

/** RFC 9728 protected-resource metadata of `/mcp`. */
export function resourceMetadata(origin: string, cloudParity = false): OAuthProtectedResourceMetadata {
  return { resource: `${origin}/mcp`, authorization_servers: [`${origin}/mcp`], bearer_methods_supported: ['header'], scopes_supported: offeredScopes(cloudParity), resource_name: 'bkend (local emulator)' }
}

/** RFC 8414 authorization-server metadata; the issuer is `<origin>/mcp` (MCP-D3). */
export function authorizationServerMetadata(origin: string, cloudParity = false): OAuthMetadata {
  const base = `${origin}/mcp`
  return {
    issuer: base,
    authorization_endpoint: `${base}/oauth/authorize`,
    token_endpoint: `${base}/oauth/token`,
    registration_endpoint: `${base}/oauth/register`,
    revocation_endpoint: `${base}/oauth/revoke`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    revocation_endpoint_auth_methods_supported: AUTH_METHODS,
    scopes_supported: offeredScopes(cloudParity),
  }
}

/**
 * The OAuth 2.1 authorization server's HTTP side (mcp.md §2): metadata, registration, authorize, token, revoke.
 * With `oauthAutoApprove`, GET /mcp/oauth/authorize redirects with a code at once instead of showing consent, but only
 * to a loopback redirect URI: registration is open, so a code sent to any other host could go to any web page.
 */
export async function registerOAuth({ app, core, options }: Surface): Promise<void> {
  for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
    app.get(path, async (request) => resourceMetadata(publicOrigin(request.headers.host, core.origin()), options.cloudParity))
  }
  for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/oauth-authorization-server/mcp']) {
    app.get(path, async (request) => authorizationServerMetadata(publicOrigin(request.headers.host, core.origin()), options.cloudParity))
  }
  // An encapsulated scope: only these routes accept form bodies and answer errors in RFC 6749 form.
  await app.register(async (scope) => routes(scope, core, options.oauthAutoApprove, options.logger))
}

async function routes(app: FastifyInstance, core: Core, autoApprove: boolean, logger: Logger): Promise<void> {
  acceptFormBodies(app)
  app.setErrorHandler((error, request, reply) => {
    const status = (error as { statusCode?: unknown }).statusCode
    const clientError = error instanceof DomainError || (typeof status === 'number' && status >= 400 && status < 500)
    if (!(error instanceof OAuthError) && !clientError) {
      logger.error(`${request.method} ${request.url.split('?')[0]} failed: ${(error as Error).stack ?? String(error)}`)
      return reply.status(500).header('Cache-Control', 'no-store').send({ error: 'server_error', error_description: 'An unexpected error occurred' })
    }
    const oauth = error instanceof OAuthError ? error : new OAuthError('invalid_request', 'The request body could not be parsed')
    if (oauth.status === 401) reply.header('WWW-Authenticate', 'Basic realm="bkend"')
    return reply.status(oauth.status).header('Cache-Control', 'no-store').send(oauth.body())
  })

  app.post('/mcp/oauth/register', async (request, reply) => {
    // The SDK's schemas (and zod) load on the first registration rather than at start-up.
    const { OAuthClientMetadataSchema } = await import('@modelcontextprotocol/sdk/shared/auth.js')
    const parsed = OAuthClientMetadataSchema.safeParse(request.body ?? {})
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const field = issue?.path.join('.') ?? ''
      const error = field.startsWith('redirect_uris') ? 'invalid_redirect_uri' : 'invalid_client_metadata'
      throw new OAuthError(error, `${field || 'body'}: ${issue?.message ?? 'invalid client metadata'}`)
    }
    const client = await core.oauth.clients.register(parsed.data)
    return reply.status(201).header('Cache-Control', 'no-store').send(client)
  })

  app.get('/mcp/oauth/authorize', async (request, reply) => {
    const params = stringFields(request.query, AUTHORIZATION_KEYS)
    const check = core.oauth.authorizations.check(params)
    if (check.kind === 'page') return html(reply, 400, errorPage(check.message))
    if (check.kind === 'redirect') return reply.redirect(check.location, 302)
    const who = consenting(core, request)
    if (autoApprove && isLoopbackUri(check.request.redirectUri)) {
      const tenant = who?.tenant ?? (core.tenants.first() as Tenant)
      return reply.redirect(await core.oauth.authorizations.approve(check.request, tenant.id, params.organization_id), 302)
    }
    if (!who) return reply.header('Cache-Control', 'no-store').redirect(signInUrl(request.url), 302)
    return html(reply, 200, consentPage(core.oauth.authorizations.consent(check.request, who.tenant), params, who.session))
  })

  app.post('/mcp/oauth/authorize', async (request, reply) => {
    // The consent form may only be submitted from the emulator's own pages (no cross-site approval).
    if (!trustedOrigin(request.headers.origin, core.origin())) return html(reply, 403, errorPage('The consent form was submitted from a foreign origin.'))
    const form = stringFields(request.body, [...AUTHORIZATION_KEYS, 'action'])
    const check = core.oauth.authorizations.check(form)
    if (check.kind === 'page') return html(reply, 400, errorPage(check.message))
    if (check.kind === 'redirect') return reply.redirect(check.location, 302)
    const who = consenting(core, request)
    if (!who) return reply.header('Cache-Control', 'no-store').redirect(signInUrl(authorizePath(form)), 303)
    if (form.action === 'approve') return reply.redirect(await core.oauth.authorizations.approve(check.request, who.tenant.id, form.organization_id), 302)
    if (form.action === 'deny') return reply.redirect(core.oauth.authorizations.deny(check.request), 302)
    return html(reply, 400, errorPage('action must be "approve" or "deny".'))
  })

  app.post('/mcp/oauth/token', async (request, reply) => {
    const body = stringFields(request.body, [...TOKEN_KEYS, 'client_id', 'client_secret'])
    const tokens = await core.oauth.token(body as TokenParams, credentials(request, body))
    return reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send(tokens)
  })

  app.post('/mcp/oauth/revoke', async (request, reply) => {
    const body = stringFields(request.body, ['token', 'token_type_hint', 'client_id', 'client_secret'])
    await core.oauth.revoke(body.token, credentials(request, body))
    return reply.status(200).header('Cache-Control', 'no-store').send('')
  })
}

/**
 * Who consents: with a single tenant, that tenant, implicitly (as before tenants could sign in); with several, the
 * tenant of the console session, or nobody yet (sign in first). `session` says which.
 */
function consenting(core: Core, request: FastifyRequest): { tenant: Tenant; session: boolean } | undefined {
  const session = consoleSession(core, request)
  if (session) return { tenant: session.tenant, session: true }
  const only = core.tenants.count() === 1 ? core.tenants.first() : undefined
  return only && { tenant: only, session: false }
}

/** The GET form of an authorization request, to come back to after signing in. */
function authorizePath(params: Partial<Record<string, string>>): string {
  const query = new URLSearchParams()
  for (const key of AUTHORIZATION_KEYS) if (params[key] !== undefined) query.set(key, params[key] as string)
  return `/mcp/oauth/authorize?${query.toString()}`
}

/** Client credentials from `Authorization: Basic` (RFC 6749 §2.3.1, form-encoded parts) or the body. */
function credentials(request: FastifyRequest, body: Partial<Record<string, string>>): ClientCredentials {
  const match = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '')
  if (match) {
    const decoded = Buffer.from(match[1] as string, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon < 0) throw new OAuthError('invalid_client', 'Malformed Basic credentials', 401)
    const unescape = (part: string) => decodeURIComponent(part.replace(/\+/g, ' '))
    return { clientId: unescape(decoded.slice(0, colon)), clientSecret: unescape(decoded.slice(colon + 1)), method: 'basic' }
  }
  return { clientId: body.client_id, clientSecret: body.client_secret, method: 'body' }
}
