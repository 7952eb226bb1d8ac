import { pageOf } from '../../core/paging.js'
import type { MemberRef } from '../../core/tenancy/members.js'
import { optionalParam, param, str, type ToolArgs, type ToolDef } from '../tool.js'
import { orgParam } from './organizations.js'

const ROLE = str('admin, member or billing (ownership moves only by transfer)', { enum: ['admin', 'member', 'billing'] })
const who = { tenantId: str("the member's tenant id"), email: str("the member's e-mail (instead of tenantId)") }
const invitationId = { invitationId: str('invitation id (24 hex)') }

const memberRef = (args: ToolArgs): MemberRef => ({ tenantId: optionalParam(args, 'tenantId'), email: optionalParam(args, 'email') })

/** Members and invitations of an organization the tenant belongs to (extensions: bkend's console does this). */
export const memberTools: ToolDef[] = [
  {
    name: 'backend_member_list',
    description: '(extension) List the members of an organization with e-mail, name, role and joinedAt.',
    scope: 'member:read',
    params: orgParam,
    list: { defaultLimit: 100 },
    readOnly: true,
    run: ({ core, actor }, args) => pageOf(core.members.list(core.orgs.within(actor, optionalParam(args, 'organizationId'))), args.page, args.limit),
  },
  {
    name: 'backend_member_role_update',
    description: "(extension) Change a member's role to admin, member or billing. Not the owner's: ownership moves only by backend_org_transfer. Owner or admin.",
    scope: 'member:update',
    params: { ...orgParam, ...who, role: ROLE },
    required: ['role'],
    run: ({ core, actor }, args) => core.members.updateRole(core.orgs.within(actor, optionalParam(args, 'organizationId')), memberRef(args), args.params.role),
  },
  {
    name: 'backend_member_remove',
    description: '(extension) Remove a member (not the owner); their tokens stop working at once. Owner or admin.',
    scope: 'member:delete',
    params: { ...orgParam, ...who },
    destructive: true,
    run: ({ core, actor }, args) => core.members.remove(core.orgs.within(actor, optionalParam(args, 'organizationId')), memberRef(args)),
  },
  {
    name: 'backend_member_invite',
    description: '(extension) Invite someone by e-mail with a role; the invitation e-mail (link valid 7 days) lands in the mailbox. Owner or admin.',
    scope: 'member:create',
    params: orgParam,
    body: {
      properties: { email: str('e-mail address of the person to invite'), role: ROLE, name: str('their name, for the e-mail (optional)') },
      required: ['email', 'role'],
      mandatory: true,
    },
    run: ({ core, actor }, args) => core.orgInvitations.invite(core.orgs.within(actor, optionalParam(args, 'organizationId')), args.body),
  },
  {
    name: 'backend_member_invitation_list',
    description: "(extension) List an organization's invitations, newest first: pending ones, or those of another status.",
    scope: 'member:read',
    params: { ...orgParam, status: str('pending (default), accepted, cancelled or expired', { enum: ['pending', 'accepted', 'cancelled', 'expired'] }) },
    list: { defaultLimit: 100 },
    readOnly: true,
    run: ({ core, actor }, args) => pageOf(core.orgInvitations.list(core.orgs.within(actor, optionalParam(args, 'organizationId')), optionalParam(args, 'status')), args.page, args.limit),
  },
  {
    name: 'backend_member_invitation_resend',
    description: '(extension) Resend a pending (or expired) invitation: a new e-mail with a new link, valid 7 days; the old link stops working. Owner or admin.',
    scope: 'member:create',
    params: { ...orgParam, ...invitationId },
    required: ['invitationId'],
    run: ({ core, actor }, args) => core.orgInvitations.resend(core.orgs.within(actor, optionalParam(args, 'organizationId')), param(args, 'invitationId')),
  },
  {
    name: 'backend_member_invitation_cancel',
    description: '(extension) Cancel a pending invitation; its link stops working. Owner or admin.',
    scope: 'member:delete',
    params: { ...orgParam, ...invitationId },
    required: ['invitationId'],
    destructive: true,
    run: ({ core, actor }, args) => core.orgInvitations.cancel(core.orgs.within(actor, optionalParam(args, 'organizationId')), param(args, 'invitationId')),
  },
  {
    name: 'backend_member_invitation_accept',
    description: "(extension) Accept an invitation by the token of its link, as the signed-in tenant (whose e-mail must be the invitation's).",
    scope: 'member:create',
    params: { token: str("the token from the invitation link (the last part of /_/invitations/<token>)") },
    required: ['token'],
    run: ({ core, actor }, args) => core.orgInvitations.accept(actor.tenantId, param(args, 'token')),
  },
]
