import type { InvitationView } from '../core/auth/invitations.js'
import { escapeHtml, page } from './oauth-pages.js'

/** The invitation page of the emulator (`/_emulator/invitations/:token`): server-rendered, no JavaScript. */

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
