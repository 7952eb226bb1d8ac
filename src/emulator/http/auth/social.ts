import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Surface } from '../surface.js'
import { objectBody, stringFields } from '../middleware/body.js'
import { clientMeta, presentedKey, principalHandler, scopeOf, signedIn } from '../middleware/context.js'

const CODE = 'auth/invalid-request'
type ProviderRoute = { Params: { provider: string } }

/**
 * Social sign-in (rest-auth.md §3.4) and account linking (§3.9). `/v1/auth/email/callback` is a static route of
 * the magic-link surface, so `:provider` here never sees `email` once that is registered.
 */
export function registerAuthSocial({ app, core, limiter }: Surface): void {
  const guard = principalHandler(core, limiter)
  const guarded = { preHandler: guard }
  // The redirect leg of Flow B is a browser navigation: no API key, the server state names the environment.
  const keyUnlessRedirect = (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    if (presentedKey(request) === undefined && typeof (request.query as Record<string, unknown>).state === 'string') return done()
    guard(request, reply, done)
  }

  app.post<ProviderRoute>('/v1/auth/:provider/callback', guarded, async (request) =>
    core.social.signIn(scopeOf(request).scope, request.params.provider, objectBody(request, CODE), clientMeta(request)),
  )

  app.get<ProviderRoute>('/v1/auth/:provider/callback', { preHandler: keyUnlessRedirect }, async (request, reply) => {
    const query = stringFields(request.query, ['code', 'idToken', 'accessToken', 'redirectUri', 'state', 'error'])
    if (request.keyContext) return core.social.signIn(request.keyContext, request.params.provider, query, clientMeta(request))
    return reply.redirect(await core.social.completeRedirect(request.params.provider, query, clientMeta(request)), 302)
  })

  app.get<ProviderRoute>('/v1/auth/:provider/authorize', guarded, async (request) =>
    core.social.authorize(scopeOf(request).scope, request.params.provider, (request.query as Record<string, unknown>).redirect),
  )

  app.post('/v1/auth/accounts', guarded, async (request, reply) => {
    const result = await core.accountLinks.link(scopeOf(request).scope, signedIn(request), objectBody(request, CODE))
    return reply.status(201).send(result)
  })

  app.get('/v1/auth/accounts', guarded, async (request) => core.accountLinks.list(scopeOf(request).scope, signedIn(request), request.query as Record<string, unknown>))

  app.delete<ProviderRoute>('/v1/auth/accounts/:provider', guarded, async (request) => core.accountLinks.unlink(scopeOf(request).scope, signedIn(request), request.params.provider))

  app.post('/v1/auth/accounts/check', guarded, async (request) => core.accountLinks.check(scopeOf(request).scope, objectBody(request, CODE)))
}
