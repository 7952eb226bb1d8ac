import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { InvitationCaller } from '../core/auth/invitations.js'
import type { Core } from '../core/core.js'
import { DomainError } from '../core/errors.js'
import type { Surface } from './app.js'
import { acceptFormBodies, objectBody, stringFields } from './body.js'
import { principalHandler, scopeOf, signedIn } from './context.js'
import { statusOf } from './errors.js'
import { answeredPage, invitationPage } from './invitation-pages.js'
import { errorPage, html } from './oauth-pages.js'

const CODE = 'auth/invalid-request'

/**
 * `/v1/auth/invitations*` and `/v1/auth/switch-organization` (rest-auth.md §3.10, §3.7), plus the emulator's
 * invitation page `/_emulator/invitations/:token` for e-mails without a callback URL.
 */
export async function registerAuthInvitations({ app, core, limiter }: Surface): Promise<void> {
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

  await app.register(async (scope) => invitationPageRoutes(scope, core))
}

/** The browser page: no API key (the token in the URL is the credential), forms instead of scripts. */
async function invitationPageRoutes(app: FastifyInstance, core: Core): Promise<void> {
  acceptFormBodies(app)
  type WithToken = { Params: { token: string } }
  const notFound = errorPage('This invitation link is not valid. Ask for a new invitation.')

  app.get<WithToken>('/_emulator/invitations/:token', async (request, reply) => {
    reply.header('Referrer-Policy', 'no-referrer')
    const found = core.invitations.byToken(request.params.token)
    if (!found) return html(reply, 404, notFound)
    return html(reply, 200, invitationPage(found.invitation, `/_emulator/invitations/${request.params.token}`))
  })

  app.post<WithToken>('/_emulator/invitations/:token', async (request, reply) => {
    reply.header('Referrer-Policy', 'no-referrer')
    const { token } = request.params
    const found = core.invitations.byToken(token)
    if (!found) return html(reply, 404, notFound)
    const { action } = stringFields(request.body, ['action'])
    if (action !== 'accept' && action !== 'reject') return html(reply, 400, answeredPage(found.invitation, 'Choose Accept or Decline.', true))
    const answer = { token, email: found.invitation.email }
    try {
      if (action === 'accept') {
        const accepted = await core.invitations.accept(found.scope, answer, null)
        return html(reply, 200, answeredPage(accepted, 'Invitation accepted.'))
      }
      await core.invitations.reject(found.scope, answer)
      return html(reply, 200, answeredPage({ ...found.invitation, status: 'rejected' }, 'Invitation declined.'))
    } catch (error) {
      if (!(error instanceof DomainError)) throw error
      return html(reply, statusOf(error), answeredPage(found.invitation, error.message, true))
    }
  })
}
