import type { Surface } from '../surface.js'
import { objectBody } from '../middleware/body.js'
import { principalHandler, scopeOf } from '../middleware/context.js'
import { keyScope } from '../middleware/key-scope.js'

const CODE = 'common/invalid-parameters'

/** `/v1/users` management (rest-auth.md §4.1–4.2). */
export function registerUsers({ app, core, limiter }: Surface): void {
  const guarded = { preHandler: [principalHandler(core, limiter), keyScope('users')] }
  type WithId = { Params: { userId: string } }

  // note: reads are synchronous handlers: fastify sends their value without a promise round trip.
  app.get('/v1/users', guarded, (request) => {
    const { scope, principal } = scopeOf(request)
    return core.users.list(scope, principal, request.query as Record<string, unknown>)
  })

  app.post('/v1/users', guarded, async (request, reply) => {
    const { scope, principal } = scopeOf(request)
    return reply.status(201).send(await core.users.create(scope, principal, objectBody(request, CODE)))
  })

  app.get<WithId>('/v1/users/:userId', guarded, (request) => {
    const { scope, principal } = scopeOf(request)
    return core.users.get(scope, principal, request.params.userId)
  })

  app.patch<WithId>('/v1/users/:userId', guarded, async (request) => {
    const { scope, principal } = scopeOf(request)
    return core.users.update(scope, principal, request.params.userId, objectBody(request, CODE))
  })

  app.delete<WithId>('/v1/users/:userId', guarded, async (request) => {
    const { scope, principal } = scopeOf(request)
    return core.users.delete(scope, principal, request.params.userId)
  })

  app.patch<WithId>('/v1/users/:userId/role', guarded, async (request) => {
    const { scope, principal } = scopeOf(request)
    return core.users.setRole(scope, principal, request.params.userId, objectBody(request, CODE))
  })
}
