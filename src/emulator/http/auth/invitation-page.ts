import type { FastifyInstance } from 'fastify'
import type { InvitationView } from '../../core/auth/invitations.js'
import type { Core } from '../../core/core.js'
import { DomainError } from '../../core/errors.js'
import { acceptFormBodies, stringFields } from '../middleware/body.js'
import { statusOf } from '../middleware/errors.js'
import { errorPage, escapeHtml, html, page } from '../pages/page.js'
import type { Surface } from '../surface.js'

/**
 * The emulator's invitation page (`/_emulator/invitations/:token`) for invitation e-mails without a callback URL:
 * server-rendered, no JavaScript.
 */
export async function registerInvitationPage({ app, core }: Surface): Promise<void> {
  await app.register(async (scope) => invitationPageRoutes(scope, core))
}

function summary(invitation: InvitationView): string {
  const inviter = invitation.inviterName ? `<strong>${escapeHtml(invitation.inviterName)}</strong> invited` : 'You are invited:'
  const resource = invitation.resourceName ?? invitation.resourceId
  return `<p id="summary">${inviter} <code>${escapeHtml(invitation.email)}</code> to join the ${escapeHtml(invitation.resourceType)} <strong>${escapeHtml(resource)}</strong> as <code>${escapeHtml(invitation.resourceRole)}</code>.</p>`
}

/**
 * The invitation with Accept / Decline buttons while it is pending. The buttons post back to the page itself, which
 * answers server-side with the token from its URL: the page needs no API key and no script.
 */
export function invitationPage(invitation: InvitationView, action: string): string {
  const answer =
    invitation.status === 'pending'
      ? `<form method="post" action="${escapeHtml(action)}">
<button class="approve" type="submit" name="action" value="accept" id="accept">Accept</button>
<button class="deny" type="submit" name="action" value="reject" id="decline">Decline</button>
</form><p class="who">Expires ${escapeHtml(invitation.expiresAt)}.</p>`
      : `<p id="status">This invitation is <strong>${escapeHtml(invitation.status)}</strong>.</p>`
  return page('Invitation', `<h1>Invitation</h1>${summary(invitation)}${answer}`)
}

/** What the page shows after an answer, or when an answer was refused. */
export function answeredPage(invitation: InvitationView, message: string, error = false): string {
  return page('Invitation', `<h1>Invitation</h1>${summary(invitation)}<p id="${error ? 'error' : 'status'}"${error ? ' class="error"' : ''}>${escapeHtml(message)}</p>`)
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
