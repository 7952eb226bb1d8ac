import type { FastifyInstance, FastifyReply } from 'fastify'
import { identityFrom, isSocialProvider } from '../../core/auth/fake-idp.js'
import type { Core } from '../../core/core.js'
import { redirectWith } from '../../core/oauth/authorization.js'
import type { SocialProvider } from '../../core/project-settings/auth-config.js'
import type { Surface } from '../surface.js'
import { acceptFormBodies, stringFields } from '../middleware/body.js'
import { identityPage, type IdpQuery } from './fake-idp-page.js'
import { errorPage, html } from '../pages/page.js'

const QUERY_KEYS = ['client_id', 'redirect_uri', 'response_type', 'scope', 'state'] as const
const IDENTITY_KEYS = ['email', 'name', 'image', 'sub', 'action'] as const

/**
 * `/_emulator/oauth/:provider/*`: the fake Google and GitHub (rest-auth.md §3.4). Browser-facing, so no
 * credentials; form posts are accepted only inside this plugin.
 */
export async function registerFakeIdp({ app, core }: Surface): Promise<void> {
  await app.register(async (scope) => routes(scope, core))
}

async function routes(app: FastifyInstance, core: Core): Promise<void> {
  acceptFormBodies(app)

  /** The provider, and a reason to show a 400 page instead of redirecting, if any. */
  const check = (provider: string, query: IdpQuery): { provider?: SocialProvider; status?: number; message?: string } => {
    if (!isSocialProvider(provider)) return { status: 404, message: `Unknown identity provider "${provider}": use google or github.` }
    if (!query.client_id) return { status: 400, message: 'client_id is required (any value is accepted).' }
    if (!query.redirect_uri || !/^https?:\/\/\S+$/.test(query.redirect_uri)) return { status: 400, message: 'redirect_uri must be an absolute http(s) URL.' }
    if (query.response_type !== 'code') return { status: 400, message: `response_type must be "code" (got ${JSON.stringify(query.response_type ?? '')}).` }
    return { provider }
  }

  app.get<{ Params: { provider: string } }>('/_emulator/oauth/:provider/authorize', async (request, reply) => {
    const query = stringFields(request.query, QUERY_KEYS)
    const checked = check(request.params.provider, query)
    if (!checked.provider) return html(reply, checked.status as number, errorPage(checked.message as string))
    return html(reply, 200, identityPage(checked.provider, query, core.fakeIdp.recent(checked.provider)))
  })

  app.post<{ Params: { provider: string } }>('/_emulator/oauth/:provider/authorize', async (request, reply) => {
    // The query fields may come in the URL or the body; the body wins.
    const query = { ...stringFields(request.query, QUERY_KEYS), ...stringFields(request.body, QUERY_KEYS) }
    const checked = check(request.params.provider, query)
    if (!checked.provider) return html(reply, checked.status as number, errorPage(checked.message as string))
    const provider = checked.provider
    const body = typeof request.body === 'object' && request.body !== null ? (request.body as Record<string, unknown>) : {}
    const fields = stringFields(body, IDENTITY_KEYS)
    const redirectUri = query.redirect_uri as string
    if (fields.action === 'cancel') return reply.redirect(redirectWith(redirectUri, { error: 'access_denied', state: query.state }), 302)
    if (fields.action !== 'approve') return html(reply, 400, errorPage('action must be "approve" or "cancel".'))
    const identity = identityFrom(provider, body)
    if (!identity.ok) {
      const entered = { ...fields, ...(body.email_verified === undefined ? {} : { email_verified: String(body.email_verified) }) }
      return html(reply, 400, identityPage(provider, query, core.fakeIdp.recent(provider), entered, identity.message))
    }
    const code = await core.fakeIdp.approve(provider, { clientId: query.client_id as string, redirectUri, scope: query.scope ?? '' }, identity.identity)
    return reply.redirect(redirectWith(redirectUri, { code, state: query.state }), 302)
  })

  app.post<{ Params: { provider: string } }>('/_emulator/oauth/:provider/token', async (request, reply) => {
    const body = stringFields(request.body, ['grant_type', 'code', 'redirect_uri'])
    const provider = request.params.provider
    if (!isSocialProvider(provider)) return tokenError(reply, 404, 'invalid_request', `Unknown identity provider "${provider}"`)
    if (body.grant_type !== 'authorization_code') return tokenError(reply, 400, 'unsupported_grant_type', 'grant_type must be authorization_code')
    if (!body.code) return tokenError(reply, 400, 'invalid_request', 'code is required')
    const code = await core.fakeIdp.redeem(provider, body.code, body.redirect_uri)
    if (!code) return tokenError(reply, 400, 'invalid_grant', 'The code is unknown, used, expired, or was issued for another provider or redirect_uri')
    return reply.header('Cache-Control', 'no-store').header('Pragma', 'no-cache').send(await core.fakeIdp.tokens(code))
  })
}

/** An RFC 6749 §5.2 error body, as real providers answer. */
function tokenError(reply: FastifyReply, status: number, error: string, description: string) {
  return reply.status(status).header('Cache-Control', 'no-store').send({ error, error_description: description })
}
