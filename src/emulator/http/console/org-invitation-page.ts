import type { FastifyInstance } from 'fastify'
import { MCP_SCOPES } from '../../../contract/scopes.js'
import type { Member, Organization, OrgInvitation, Tenant } from '../../../contract/tenancy.js'
import type { Core } from '../../core/core.js'
import { DomainError, type ErrorKind } from '../../core/errors.js'
import { invoke } from '../../mcp/dispatch.js'
import { TOOLS } from '../../mcp/registry.js'
import { acceptFormBodies } from '../middleware/body.js'
import { escapeHtml, html, page } from '../pages/page.js'
import type { Surface } from '../surface.js'
import { consoleActor, requireConsolePage, requireSameOrigin, signedIn } from './session.js'
import { signedInAs } from './signin-page.js'

const STATUS: Partial<Record<ErrorKind, number>> = { invalid: 400, forbidden: 403, 'not-found': 404, conflict: 409 }
const NOT_VALID = 'This invitation link is not valid: it was replaced by a newer e-mail (resent) or never existed. Use the newest invitation e-mail.'
// Accepting runs the MCP tool, so the activity log records it as the console's, like every console change.
const ACCEPT = TOOLS.find((tool) => tool.name === 'backend_member_invitation_accept')!

/**
 * The page an organization invitation's link opens (`/_/invitations/<token>`, docs/emulator.md "Teams"): behind
 * the console sign-in, it shows the organization, role and inviter, and accepts with a button (a same-origin POST
 * to the page's own URL). No JavaScript, like every emulator page.
 */
export async function registerOrgInvitationPage({ app, core }: Surface): Promise<void> {
  await app.register(async (scope) => routes(scope, core))
}

async function routes(app: FastifyInstance, core: Core): Promise<void> {
  acceptFormBodies(app)
  const guard = requireConsolePage(core)

  app.get<{ Params: { token: string } }>('/_/invitations/:token', { preHandler: guard }, async (request, reply) => {
    const session = signedIn(request)
    const found = core.orgInvitations.preview(request.params.token)
    if (!found) return html(reply, 404, refusedPage(session.tenant, request.url, NOT_VALID))
    return html(reply, 200, invitationPage(session.tenant, request.url, found.invitation, found.organization.displayName ?? found.organization.name, found.inviterName))
  })

  app.post<{ Params: { token: string } }>('/_/invitations/:token', { preHandler: [requireSameOrigin(), guard] }, async (request, reply) => {
    const session = signedIn(request)
    const found = core.orgInvitations.preview(request.params.token)
    if (!found) return html(reply, 404, refusedPage(session.tenant, request.url, NOT_VALID))
    try {
      const ctx = { core, actor: consoleActor(session, found.invitation.organizationId), scopes: MCP_SCOPES }
      const { organization, member } = (await invoke(ACCEPT, ctx, { token: request.params.token })) as { organization: Organization; member: Member }
      return html(reply, 200, page('Invitation accepted', `<h1>Welcome to ${escapeHtml(organization.displayName ?? organization.name)}</h1>
<p id="accepted">You joined as <strong>${escapeHtml(member.role)}</strong>. <a href="/_/">Open the console</a></p>`))
    } catch (error) {
      if (!(error instanceof DomainError) || !STATUS[error.kind]) throw error
      return html(reply, STATUS[error.kind]!, refusedPage(session.tenant, request.url, error.message))
    }
  })
}

function invitationPage(tenant: Tenant, here: string, invitation: OrgInvitation, organization: string, inviter: string): string {
  const foreign = tenant.email.toLowerCase() !== invitation.email
  const action =
    invitation.status !== 'pending'
      ? `<p class="error" id="status">This invitation is ${escapeHtml(invitation.status)}.</p>`
      : foreign
        ? `<p class="error" id="foreign">This invitation is for ${escapeHtml(invitation.email)}: sign out and sign in as that tenant to accept it.</p>`
        : `<form method="post" action="${escapeHtml(here)}"><button class="approve" type="submit" id="accept">Accept and join</button></form>`
  return page(
    'Invitation',
    `<h1>Join ${escapeHtml(organization)}</h1>
${signedInAs(tenant, here)}
<ul id="invitation"><li>Organization: <strong id="organization">${escapeHtml(organization)}</strong></li>
<li>Role: <strong id="role">${escapeHtml(invitation.role)}</strong></li>
<li>Invited by: <span id="inviter">${escapeHtml(inviter)}</span></li>
<li>For: ${escapeHtml(invitation.email)}, until ${escapeHtml(invitation.expiresAt)}</li></ul>
${action}`,
  )
}

function refusedPage(tenant: Tenant, here: string, message: string): string {
  return page('Invitation', `<h1>Invitation</h1>${signedInAs(tenant, here)}<p class="error" id="error">${escapeHtml(message)}</p>`)
}
