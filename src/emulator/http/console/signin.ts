import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { CONSOLE_SIGNIN_URL_PATH, type ConsoleSignInUrl } from '../../../contract/emulator.js'
import type { Tenant } from '../../../contract/tenancy.js'
import { isSocialProvider } from '../../core/auth/fake-idp.js'
import type { Core } from '../../core/core.js'
import { DomainError } from '../../core/errors.js'
import { acceptFormBodies, stringFields } from '../middleware/body.js'
import { verifyTenant } from '../middleware/tenant.js'
import { html } from '../pages/page.js'
import type { Surface } from '../surface.js'
import { consoleSession, requireSameOrigin, safeNext, signOut, startConsoleSession } from './session.js'
import { continuePage, linkSentPage, signInPage } from './signin-page.js'

/**
 * The console's sign-in (CM-D6, docs/emulator.md "Console sign-in"): `/_/signin` with a magic link or the fake
 * Google/GitHub, the one-time URL `bkend dev` and `bkend open` print, and sign-out. Pages, so failures are shown
 * on the sign-in page rather than as JSON.
 */
export async function registerConsoleSignIn({ app, core }: Surface): Promise<void> {
  await app.register(async (scope) => routes(scope, core))
}

async function routes(app: FastifyInstance, core: Core): Promise<void> {
  acceptFormBodies(app)
  const sameOrigin = { preHandler: requireSameOrigin() }
  const nextOf = (source: unknown) => safeNext(stringFields(source, ['next']).next)
  const failed = (reply: FastifyReply, request: FastifyRequest, error: unknown, next = '/_/') => {
    if (!(error instanceof DomainError)) throw error
    return html(reply, error.kind === 'invalid' ? 400 : 401, signInPage({ next, tenant: consoleSession(core, request)?.tenant, error: error.message }))
  }
  const signedIn = async (reply: FastifyReply, tenant: Tenant, next: string) => {
    await startConsoleSession(core, reply, tenant.id)
    return html(reply, 200, continuePage(tenant, next))
  }

  app.get('/_/signin', async (request, reply) => html(reply, 200, signInPage({ next: nextOf(request.query), tenant: consoleSession(core, request)?.tenant })))

  app.post('/_/signin/magic', sameOrigin, async (request, reply) => {
    const next = nextOf(request.body)
    const email = stringFields(request.body, ['email']).email ?? ''
    try {
      await core.consoleSessions.sendMagicLink(email, next)
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      return html(reply, 400, signInPage({ next, email, error: error.message }))
    }
    return html(reply, 200, linkSentPage(email.trim().toLowerCase()))
  })

  app.get<{ Params: { token: string } }>('/_/signin/magic/:token', async (request, reply) => {
    try {
      const { tenant, next } = await core.consoleSessions.redeemMagicLink(request.params.token)
      return await signedIn(reply, tenant, safeNext(next))
    } catch (error) {
      return failed(reply, request, error)
    }
  })

  app.get<{ Params: { token: string } }>('/_/signin/once/:token', async (request, reply) => {
    const next = nextOf(request.query)
    try {
      return await signedIn(reply, await core.consoleSessions.redeemSignIn(request.params.token), next)
    } catch (error) {
      return failed(reply, request, error, next)
    }
  })

  app.get<{ Params: { provider: string } }>('/_/signin/:provider', async (request, reply) => {
    const { provider } = request.params
    if (!isSocialProvider(provider)) return html(reply, 404, signInPage({ next: nextOf(request.query), error: `Unknown sign-in provider "${provider}": use google or github.` }))
    return reply.redirect(await core.consoleSessions.startSocial(provider, nextOf(request.query)), 302)
  })

  app.get<{ Params: { provider: string } }>('/_/signin/:provider/callback', async (request, reply) => {
    const { provider } = request.params
    if (!isSocialProvider(provider)) return html(reply, 404, signInPage({ next: '/_/', error: `Unknown sign-in provider "${provider}": use google or github.` }))
    try {
      const { tenant, next } = await core.consoleSessions.finishSocial(provider, stringFields(request.query, ['code', 'state', 'error']))
      return await signedIn(reply, tenant, safeNext(next))
    } catch (error) {
      return failed(reply, request, error)
    }
  })

  // A control, for `bkend open`: the tenant token's tenant gets a fresh one-time URL (the token itself never opens the console).
  app.post(CONSOLE_SIGNIN_URL_PATH, async (request): Promise<ConsoleSignInUrl> => {
    const { tenantId } = await verifyTenant(core, request)
    return core.consoleSessions.signInUrl(tenantId, nextOf(request.body ?? {}))
  })

  app.post('/_/signout', sameOrigin, async (request, reply) => {
    await signOut(core, request, reply)
    return reply.header('Cache-Control', 'no-store').redirect(`/_/signin?next=${encodeURIComponent(nextOf(request.body))}`, 303)
  })
}
