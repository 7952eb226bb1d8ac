import { Args } from '@oclif/core'
import { confirm, yesFlag } from '../../../cli/confirm.js'
import { orgFlag, TeamsCommand } from '../../../cli/teams-command.js'
import type { OrgInvitation } from '../../../contract/tenancy.js'

export type OrgsInvitationsCancelResult = OrgInvitation

export default class OrgsInvitationsCancel extends TeamsCommand {
  static override summary = 'Cancel a pending invitation'
  static override description = "Its link stops working. Name the invitation by id or by the invitee's e-mail. Owners and admins may do this. Asks for confirmation on a terminal; without one, pass --yes."
  static override examples = ['<%= config.bin %> orgs invitations cancel colleague@example.com', '<%= config.bin %> orgs invitations cancel 65a4f3c2e4b0a1b2c3d4e5f6 --org acme --yes --json']
  static override args = { invitation: Args.string({ description: "invitation id or the invitee's e-mail", required: true }) }
  static override flags = { org: orgFlag, yes: yesFlag }

  async run(): Promise<OrgsInvitationsCancelResult> {
    const { args, flags } = await this.parse(OrgsInvitationsCancel)
    const teams = await this.teams(flags)
    const org = await teams.org(flags.org)
    const invitation = await teams.invitation(org, args.invitation)
    await confirm(`Cancel the invitation of ${invitation.email} to ${org.slug}?`, flags.yes)
    const cancelled = await teams.cancelInvitation(org, invitation)
    if (!this.jsonEnabled()) this.log(`Cancelled the invitation of ${cancelled.email}.`)
    return cancelled
  }
}
