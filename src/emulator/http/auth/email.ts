import type { FastifyReply, FastifyRequest } from 'fastify'
import { optionalCallbackUrl, withQuery } from '../../core/auth/email-links.js'
import { DomainError } from '../../core/errors.js'
import type { Surface } from '../surface.js'
import { objectBody } from '../middleware/body.js'
import { clientMeta, principalHandler, scopeOf, signedIn } from '../middleware/context.js'

const CODE = 'auth/invalid-request'

/**
 * `/v1/auth/*` e-mail flows (rest-auth.md §3.3, 3.5–3.7, 3.11): magic-link exchange, sign-up confirmation,
 * contact-e-mail verification, password reset and change, sessions, account deletion.
 */
export function registerAuthEmail({ app, core, limiter }: Surface): void {
  const guarded = { preHandler: principalHandler(core, limiter) }
  const body = (request: FastifyRequest) => objectBody(request, CODE)
  const query = (request: FastifyRequest) => request.query as Record<string, unknown>

  // The magic-link exchange is the `email` case of `/v1/auth/:provider/callback` (RA-D9); a static route wins over
  // the parametric one.
  app.post('/v1/auth/email/callback', guarded, async (request) => core.emailFlows.exchangeMagicLink(scopeOf(request).scope, body(request).token, clientMeta(request)))
  app.get('/v1/auth/email/callback', guarded, async (request) => core.emailFlows.exchangeMagicLink(scopeOf(request).scope, query(request).token, clientMeta(request)))

  app.post('/v1/auth/signup/email/resend', guarded, async (request) => core.emailFlows.resendSignupConfirmation(scopeOf(request).scope, body(request)))

  // Reached by clicking the e-mail's link: no API key, the token names its environment (§1.1).
  const countByIp = (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    try {
      limiter.hit(`ip:${request.ip}`, request, reply)
      done()
    } catch (error) {
      done(error as Error)
    }
  }
  app.get('/v1/auth/signup/email/confirm', { preHandler: countByIp }, async (request, reply) => {
    const q = query(request)
    const callbackUrl = optionalCallbackUrl(q.callbackUrl)
    // The one documented wrapped body.
    if (!callbackUrl) return { success: true, data: await core.emailFlows.confirmSignup(q) }
    try {
      const { email } = await core.emailFlows.confirmSignup(q)
      return reply.redirect(withQuery(callbackUrl, { verified: 'true', email }))
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      return reply.redirect(withQuery(callbackUrl, { verified: 'false', email: typeof q.email === 'string' ? q.email : '', error: error.code }))
    }
  })

  app.post('/v1/auth/email/verify/send', guarded, async (request) => core.emailFlows.sendVerification(scopeOf(request).scope, request.user, body(request), false))
  app.post('/v1/auth/email/verify/resend', guarded, async (request) => core.emailFlows.sendVerification(scopeOf(request).scope, request.user, body(request), true))
  app.post('/v1/auth/email/verify/confirm', guarded, async (request) => core.emailFlows.confirmVerification(scopeOf(request).scope, body(request)))

  app.post('/v1/auth/password/reset/request', guarded, async (request) => core.passwords.requestReset(scopeOf(request).scope, body(request)))
  app.post('/v1/auth/password/reset/confirm', guarded, async (request) => core.passwords.confirmReset(scopeOf(request).scope, body(request)))
  app.post('/v1/auth/password/change', guarded, async (request) => core.passwords.change(scopeOf(request).scope, signedIn(request), body(request)))

  app.get('/v1/auth/sessions', guarded, async (request) => core.auth.listSessions(scopeOf(request).scope, signedIn(request), query(request)))
  app.delete<{ Params: { sessionId: string } }>('/v1/auth/sessions/:sessionId', guarded, async (request) => {
    await core.auth.deleteSession(scopeOf(request).scope, signedIn(request), request.params.sessionId)
    return { message: 'Session terminated' }
  })

  app.delete('/v1/auth/withdraw', guarded, async (request) => {
    const identity = signedIn(request)
    const { scope } = scopeOf(request)
    const user = core.auth.pool.get(scope.environment.id, identity.userId)
    if (user) await core.auth.deleteUser(scope.environment.id, user)
    return { message: 'Account deleted' }
  })
}
