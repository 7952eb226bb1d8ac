import type { EnvScope } from '../../core/auth/auth-service.js'
import type { Principal } from '../../core/principal.js'
import type { Surface } from '../surface.js'
import { objectBody } from '../middleware/body.js'
import { principalHandler, scopeOf } from '../middleware/context.js'
import { keyScope } from '../middleware/key-scope.js'

const CODE = 'common/invalid-parameters'

type Read = (scope: EnvScope, principal: Principal, userId: string) => unknown
type Write = (scope: EnvScope, principal: Principal, userId: string, body: Record<string, unknown>) => Promise<unknown>

/**
 * `/v1/users/:userId/*` (rest-auth.md §4.3, §4.5): profile, preferences, notification settings, onboarding and
 * public settings. Each resource answers its whole object to GET and to PATCH.
 */
export function registerUserProfile({ app, core, limiter }: Surface): void {
  const guarded = { preHandler: [principalHandler(core, limiter), keyScope('users')] }
  const s = core.userSettings
  const resources: Record<string, [Read, Write]> = {
    profile: [s.profile, s.updateProfile],
    preferences: [s.preferences, s.updatePreferences],
    notifications: [s.notifications, s.updateNotifications],
    onboarding: [s.onboarding, s.updateOnboarding],
    'public-settings': [s.publicSettings, s.updatePublicSettings],
  }
  type WithId = { Params: { userId: string } }
  for (const [name, [read, write]] of Object.entries(resources)) {
    app.get<WithId>(`/v1/users/:userId/${name}`, guarded, (request) => {
      const { scope, principal } = scopeOf(request)
      return read.call(s, scope, principal, request.params.userId)
    })
    app.patch<WithId>(`/v1/users/:userId/${name}`, guarded, async (request) => {
      const { scope, principal } = scopeOf(request)
      return write.call(s, scope, principal, request.params.userId, objectBody(request, CODE))
    })
  }
}
