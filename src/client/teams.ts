import type { Page } from '../contract/common.js'
import type { ActivityClient, ActivityEntry, InvitationStatus, Member, Organization, OrgInvitation, OrgRole, OrgUsage } from '../contract/tenancy.js'
import { ClientError, notFound } from './errors.js'
import type { Management } from './management.js'

const ID = /^[0-9a-f]{24}$/

/** A role a member can be given; ownership moves only by transfer. */
export type MemberRole = Exclude<OrgRole, 'owner'>

export interface OrgInput {
  name?: string
  slug?: string
  displayName?: string | null
  description?: string | null
}

export interface ActivityQuery {
  action?: string
  actorEmail?: string
  resourceType?: string
  client?: ActivityClient
  since?: string
  until?: string
  page?: number
  limit?: number
}

/**
 * Organizations, members, invitations and the activity log over the teams tools (extensions: bkend's hosted MCP
 * server may lack them, which `require` reports from tools/list). Organizations by id or slug (default: the one the
 * session is bound to), members by e-mail or tenant id, invitations by id or the invitee's e-mail.
 */
export class Teams {
  constructor(private readonly management: Management) {}

  private get mcp() {
    return this.management.mcp
  }

  /** An organization by id or slug, or the session's. */
  async org(ref?: string): Promise<Organization> {
    const org = ref ? await this.management.getOrg(ref) : await this.management.currentOrganization()
    if (!org) throw new ClientError('target/no-organization', 'cannot tell which organization the session is bound to')
    return org
  }

  async createOrg(input: OrgInput & { name: string }): Promise<Organization> {
    await this.mcp.require('backend_org_create', 'create organizations')
    return this.mcp.call('backend_org_create', { body: input })
  }

  async updateOrg(ref: string | undefined, changes: OrgInput): Promise<Organization> {
    await this.mcp.require('backend_org_update', 'update organizations')
    const org = await this.org(ref)
    return this.mcp.call('backend_org_update', { organizationId: org.id, body: changes })
  }

  async deleteOrg(org: Organization): Promise<Organization> {
    await this.mcp.require('backend_org_delete', 'delete organizations')
    return this.mcp.call('backend_org_delete', { organizationId: org.id })
  }

  /** Hands ownership to a member; the caller becomes an admin. */
  async transferOrg(org: Organization, owner: Member): Promise<{ organization: Organization; owner: Member }> {
    await this.mcp.require('backend_org_transfer', 'transfer organizations')
    const organization = await this.mcp.call<Organization>('backend_org_transfer', { organizationId: org.id, tenantId: owner.tenantId })
    return { organization, owner: { ...owner, role: 'owner' } }
  }

  async leaveOrg(org: Organization): Promise<void> {
    await this.mcp.require('backend_org_leave', 'leave organizations')
    await this.mcp.call('backend_org_leave', { organizationId: org.id })
  }

  async usage(ref?: string): Promise<{ organization: Organization; usage: OrgUsage }> {
    await this.mcp.require('backend_org_usage', 'show usage')
    const organization = await this.org(ref)
    return { organization, usage: await this.mcp.call<OrgUsage>('backend_org_usage', { organizationId: organization.id }) }
  }

  /**
   * A page of the activity log, with the slugs of the projects it names where the session may list them (its own
   * organization's, for a role that reads projects), so people read `shop/dev` rather than an id.
   */
  async activity(ref: string | undefined, query: ActivityQuery): Promise<{ organization: Organization; page: Page<ActivityEntry>; projectSlugs: Map<string, string> }> {
    await this.mcp.require('backend_org_activity_list', 'show the activity log')
    const organization = await this.org(ref)
    const args = Object.fromEntries(Object.entries({ organizationId: organization.id, ...query }).filter(([, v]) => v !== undefined))
    const page = await this.mcp.call<Page<ActivityEntry>>('backend_org_activity_list', args)
    const session = await this.management.currentOrganization()
    const readable = session?.id === organization.id && organization.role !== 'billing' && page.items.some((e) => e.projectId)
    const projects = readable ? await this.management.listProjects() : []
    return { organization, page, projectSlugs: new Map(projects.map((p) => [p.id, p.slug])) }
  }

  /** Every member, every page. */
  async members(org: Organization): Promise<Member[]> {
    await this.mcp.require('backend_member_list', 'list members')
    return this.everyPage<Member>('backend_member_list', { organizationId: org.id })
  }

  /** A member by e-mail (any case) or tenant id. */
  async member(org: Organization, ref: string): Promise<Member> {
    const lower = ref.toLowerCase()
    const found = (await this.members(org)).find((m) => m.tenantId === ref || m.email.toLowerCase() === lower)
    if (!found) throw notFound('member/not-found', `no member "${ref}" in organization ${org.slug}`, { resource: 'member', ref })
    return found
  }

  async invite(org: Organization, input: { email: string; role: MemberRole; name?: string }): Promise<OrgInvitation> {
    await this.mcp.require('backend_member_invite', 'invite members')
    return this.mcp.call('backend_member_invite', { organizationId: org.id, body: input })
  }

  async setRole(org: Organization, memberRef: string, role: MemberRole): Promise<Member> {
    await this.mcp.require('backend_member_role_update', 'change member roles')
    const member = await this.member(org, memberRef)
    return this.mcp.call('backend_member_role_update', { organizationId: org.id, tenantId: member.tenantId, role })
  }

  async removeMember(org: Organization, member: Member): Promise<Member> {
    await this.mcp.require('backend_member_remove', 'remove members')
    return this.mcp.call('backend_member_remove', { organizationId: org.id, tenantId: member.tenantId })
  }

  async invitations(org: Organization, status?: InvitationStatus): Promise<OrgInvitation[]> {
    await this.mcp.require('backend_member_invitation_list', 'list invitations')
    return this.everyPage<OrgInvitation>('backend_member_invitation_list', { organizationId: org.id, ...(status ? { status } : {}) })
  }

  /** A pending (or expired) invitation by id, or by the invitee's e-mail. */
  async invitation(org: Organization, ref: string): Promise<OrgInvitation> {
    const lower = ref.toLowerCase()
    const open = [...(await this.invitations(org, 'pending')), ...(await this.invitations(org, 'expired'))]
    const found = ID.test(ref) ? open.find((i) => i.id === ref) : open.find((i) => i.email.toLowerCase() === lower)
    if (!found) throw notFound('member/invitation-not-found', `no pending invitation "${ref}" in organization ${org.slug}`, { resource: 'invitation', ref })
    return found
  }

  async resendInvitation(org: Organization, invitation: OrgInvitation): Promise<OrgInvitation> {
    await this.mcp.require('backend_member_invitation_resend', 'resend invitations')
    return this.mcp.call('backend_member_invitation_resend', { organizationId: org.id, invitationId: invitation.id })
  }

  async cancelInvitation(org: Organization, invitation: OrgInvitation): Promise<OrgInvitation> {
    await this.mcp.require('backend_member_invitation_cancel', 'cancel invitations')
    return this.mcp.call('backend_member_invitation_cancel', { organizationId: org.id, invitationId: invitation.id })
  }

  /** Accepts an invitation as the signed-in tenant, by the token or the whole link of its e-mail. */
  async acceptInvitation(tokenOrLink: string): Promise<{ organization: Organization; member: Member }> {
    await this.mcp.require('backend_member_invitation_accept', 'accept invitations')
    const token = /^https?:\/\//.test(tokenOrLink) ? (new URL(tokenOrLink).pathname.split('/').filter(Boolean).pop() ?? '') : tokenOrLink
    return this.mcp.call('backend_member_invitation_accept', { token })
  }

  private async everyPage<T>(tool: string, args: Record<string, unknown>): Promise<T[]> {
    const items: T[] = []
    for (let page = 1; ; page++) {
      const answer = await this.mcp.call<Page<T>>(tool, { ...args, page, limit: 100 })
      items.push(...answer.items)
      if (!answer.pagination?.hasNext || answer.items.length === 0) return items
    }
  }
}
