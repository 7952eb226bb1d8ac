import type { Surface } from '../surface.js'
import { objectBody } from '../middleware/body.js'
import { principalHandler, scopeOf, signedIn } from '../middleware/context.js'

const CODE = 'auth/invalid-request'

/** `/v1/auth/mfa/*`: TOTP enable, confirm, disable (rest-auth.md §3.8); the sign-in check lives in the core. */
export function registerAuthMfa({ app, core, limiter }: Surface): void {
  const guarded = { preHandler: principalHandler(core, limiter) }
  app.post('/v1/auth/mfa/enable', guarded, async (request) => core.mfa.enable(scopeOf(request).scope, signedIn(request), objectBody(request, CODE)))
  app.post('/v1/auth/mfa/confirm', guarded, async (request) => core.mfa.confirm(scopeOf(request).scope, signedIn(request), objectBody(request, CODE)))
  app.post('/v1/auth/mfa/disable', guarded, async (request) => core.mfa.disable(scopeOf(request).scope, signedIn(request), objectBody(request, CODE)))
}
