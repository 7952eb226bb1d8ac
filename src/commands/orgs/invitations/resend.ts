import { Args } from '@oclif/core'
import { orgFlag, TeamsCommand } from '../../../cli/teams-command.js'
import type { OrgInvitation } from '../../../contract/tenancy.js'

export type OrgsInvitationsResendResult = OrgInvitation

export default class OrgsInvitationsResend extends TeamsCommand {
  static override summary = 'Send a pending or expired invitation again'
  static override description = 'A new e-mail with a new link, valid 7 days; the old link stops working. Name the invitation by id or by the invitee\'s e-mail. Owners and admins may do this.'
  static override examples = ['<%= config.bin %> orgs invitations resend colleague@example.com', '<%= config.bin %> orgs invitations resend 65a4f3c2e4b0a1b2c3d4e5f6 --org acme --json']
  static override args = { invitation: Args.string({ description: "invitation id or the invitee's e-mail", required: true }) }
  static override flags = { org: orgFlag }

  async run(): Promise<OrgsInvitationsResendResult> {
    const { args, flags } = await this.parse(OrgsInvitationsResend)
    const teams = await this.teams(flags)
    const org = await teams.org(flags.org)
    const invitation = await teams.resendInvitation(org, await teams.invitation(org, args.invitation))
    if (!this.jsonEnabled()) this.log(`Sent the invitation to ${invitation.email} again (${invitation.sentCount} sent; expires ${invitation.expiresAt}).`)
    return invitation
  }
}
