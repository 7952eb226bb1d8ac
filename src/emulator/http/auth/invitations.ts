import type { FastifyRequest } from 'fastify'
import type { InvitationCaller } from '../../core/auth/invitations.js'
import type { Surface } from '../surface.js'
import { objectBody } from '../middleware/body.js'
import { principalHandler, scopeOf, signedIn } from '../middleware/context.js'

const CODE = 'auth/invalid-request'

/** `/v1/auth/invitations*` and `/v1/auth/switch-organization` (rest-auth.md §3.10, §3.7). */
export function registerAuthInvitations({ app, core, limiter }: Surface): void {
  const guarded = { preHandler: principalHandler(core, limiter) }
  const invitations = core.invitations
  const caller = (request: FastifyRequest): InvitationCaller => ({ identity: signedIn(request), principal: scopeOf(request).principal })
  type WithId = { Params: { invitationId: string } }

  app.post('/v1/auth/invitations', guarded, async (request, reply) => {
    const who = caller(request)
    return reply.status(201).send(await invitations.create(scopeOf(request).scope, who, objectBody(request, CODE)))
  })
  app.get('/v1/auth/invitations', guarded, (request) => invitations.list(scopeOf(request).scope, caller(request), request.query as Record<string, unknown>))
  app.get<WithId>('/v1/auth/invitations/:invitationId', guarded, (request) => invitations.get(scopeOf(request).scope, caller(request), request.params.invitationId))
  app.delete<WithId>('/v1/auth/invitations/:invitationId', guarded, async (request) => invitations.revoke(scopeOf(request).scope, caller(request), request.params.invitationId))
  app.post('/v1/auth/invitations/accept', guarded, async (request) => invitations.accept(scopeOf(request).scope, objectBody(request, CODE), request.user))
  app.post('/v1/auth/invitations/reject', guarded, async (request) => invitations.reject(scopeOf(request).scope, objectBody(request, CODE)))
  app.post('/v1/auth/switch-organization', guarded, async (request) => invitations.switchOrganization(scopeOf(request).scope, signedIn(request), objectBody(request, CODE)))
}
