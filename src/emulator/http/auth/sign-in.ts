import { invalid } from '../../core/errors.js'
import type { Surface } from '../surface.js'
import { objectBody } from '../middleware/body.js'
import { clientMeta, principalHandler, scopeOf, signedIn } from '../middleware/context.js'

const CODE = 'auth/invalid-request'

/** The sign-up/sign-in flow a body asks for; inferred when `method` is absent (RA-D7). */
function methodOf(body: Record<string, unknown>): 'password' | 'magiclink' {
  const value = body.method ?? (body.password !== undefined ? 'password' : body.callbackUrl !== undefined ? 'magiclink' : undefined)
  if (value === 'password' || value === 'magiclink') return value
  throw invalid(CODE, 'Send method "password" with email and password, or method "magiclink" with email and callbackUrl')
}

/** `/v1/auth/*`: email sign-up and sign-in (password or magic link), refresh, current user, sign-out (rest-auth.md §3). */
export function registerAuth({ app, core, limiter }: Surface): void {
  const guarded = { preHandler: principalHandler(core, limiter) }

  app.post('/v1/auth/email/signup', guarded, async (request, reply) => {
    const body = objectBody(request, CODE)
    const { scope } = scopeOf(request)
    const result = methodOf(body) === 'password' ? await core.emailFlows.signUpWithPassword(scope, body, clientMeta(request)) : await core.emailFlows.sendMagicLink(scope, body)
    return reply.status(201).send(result)
  })

  app.post('/v1/auth/email/signin', guarded, async (request) => {
    const body = objectBody(request, CODE)
    const { scope } = scopeOf(request)
    return methodOf(body) === 'password' ? core.auth.signInWithPassword(scope, body, clientMeta(request)) : core.emailFlows.sendMagicLink(scope, body)
  })

  app.post('/v1/auth/refresh', guarded, async (request) => core.auth.refresh(scopeOf(request).scope, objectBody(request, CODE).refreshToken))

  app.get('/v1/auth/me', guarded, async (request) => core.auth.me(scopeOf(request).scope, signedIn(request)))

  app.post('/v1/auth/signout', guarded, async (request) => {
    await core.auth.signOut(scopeOf(request).scope, signedIn(request))
    return { message: 'Signed out' }
  })
}
