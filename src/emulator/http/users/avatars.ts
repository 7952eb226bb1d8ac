import type { Surface } from '../surface.js'
import { objectBody } from '../middleware/body.js'
import { principalHandler, scopeOf } from '../middleware/context.js'
import { keyScope } from '../middleware/key-scope.js'

const CODE = 'common/invalid-parameters'

/** `/v1/users/:userId/avatar*` (rest-auth.md §4.4): self or admin. */
export function registerAvatars({ app, core, limiter }: Surface): void {
  const guarded = { preHandler: [principalHandler(core, limiter), keyScope('users')] }
  const { avatars } = core.storage
  type WithId = { Params: { userId: string } }

  app.post<WithId>('/v1/users/:userId/avatar/upload-url', guarded, async (request) => {
    const { scope, principal } = scopeOf(request)
    return avatars.uploadUrl(scope, principal, request.params.userId, objectBody(request, CODE))
  })

  app.patch<WithId>('/v1/users/:userId/avatar', guarded, async (request) => {
    const { scope, principal } = scopeOf(request)
    return avatars.set(scope, principal, request.params.userId, objectBody(request, CODE))
  })

  app.delete<WithId>('/v1/users/:userId/avatar', guarded, async (request) => {
    const { scope, principal } = scopeOf(request)
    return avatars.remove(scope, principal, request.params.userId)
  })
}
