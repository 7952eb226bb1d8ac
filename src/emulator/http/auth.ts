import { invalid } from '../core/errors.js'
import type { Surface } from './app.js'
import { objectBody } from './body.js'
import { clientMeta, principalHandler, scopeOf, signedIn } from './context.js'

const CODE = 'auth/invalid-request'

/** `/v1/auth/*`: email/password sign-up and sign-in, refresh, current user, sign-out (rest-auth.md §3). */
export function registerAuth({ app, core, limiter }: Surface): void {
  const guarded = { preHandler: principalHandler(core, limiter) }
  const method = (body: Record<string, unknown>) => {
    const value = body.method ?? (body.password !== undefined ? 'password' : body.callbackUrl !== undefined ? 'magiclink' : undefined)
    if (value === 'password') return value
    if (value === 'magiclink') throw invalid(CODE, 'Magic-link sign-in is not available in this emulator version; use method "password"')
    throw invalid(CODE, 'Send method "password" with email and password')
  }

  app.post('/v1/auth/email/signup', guarded, async (request, reply) => {
    const body = objectBody(request, CODE)
    method(body)
    const { scope } = scopeOf(request)
    return reply.status(201).send(await core.auth.signUpWithPassword(scope, body, clientMeta(request)))
  })

  app.post('/v1/auth/email/signin', guarded, async (request) => {
    const body = objectBody(request, CODE)
    method(body)
    return core.auth.signInWithPassword(scopeOf(request).scope, body, clientMeta(request))
  })

  app.post('/v1/auth/refresh', guarded, async (request) => core.auth.refresh(scopeOf(request).scope, objectBody(request, CODE).refreshToken))

  app.get('/v1/auth/me', guarded, async (request) => core.auth.me(scopeOf(request).scope, signedIn(request)))

  app.post('/v1/auth/signout', guarded, async (request) => {
    await core.auth.signOut(scopeOf(request).scope, signedIn(request))
    return { message: 'Signed out' }
  })
}
