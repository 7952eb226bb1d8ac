import { Args, Flags } from '@oclif/core'
import { orgFlag, TeamsCommand } from '../../../cli/teams-command.js'
import type { MemberRole } from '../../../client/teams.js'
import type { OrgInvitation } from '../../../contract/tenancy.js'

export type OrgsMembersInviteResult = OrgInvitation

export default class OrgsMembersInvite extends TeamsCommand {
  static override summary = 'Invite someone to an organization by e-mail'
  static override description = 'Sends an invitation e-mail (on the emulator it lands in the mailbox: bkend mail list) whose link, valid 7 days, signs them in and adds them with the role. Owners and admins may invite.'
  static override examples = ['<%= config.bin %> orgs members invite colleague@example.com', '<%= config.bin %> orgs members invite colleague@example.com --role admin --name "Kim Lee" --org acme --json']
  static override args = { email: Args.string({ description: "the invitee's e-mail", required: true }) }
  static override flags = {
    org: orgFlag,
    role: Flags.string({ description: 'the role they get', options: ['admin', 'member', 'billing'], default: 'member' }),
    name: Flags.string({ description: 'their name, for the e-mail' }),
  }

  async run(): Promise<OrgsMembersInviteResult> {
    const { args, flags } = await this.parse(OrgsMembersInvite)
    const teams = await this.teams(flags)
    const org = await teams.org(flags.org)
    const invitation = await teams.invite(org, { email: args.email, role: flags.role as MemberRole, ...(flags.name ? { name: flags.name } : {}) })
    if (!this.jsonEnabled()) this.log(`Invited ${invitation.email} to ${org.slug} as ${invitation.role} (invitation ${invitation.id}, expires ${invitation.expiresAt}).`)
    return invitation
  }
}
