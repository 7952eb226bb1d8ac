import { Args } from '@oclif/core'
import { orgFlag, TeamsCommand } from '../../../cli/teams-command.js'
import type { MemberRole } from '../../../client/teams.js'
import type { Member } from '../../../contract/tenancy.js'

export type OrgsMembersRoleResult = Member

export default class OrgsMembersRole extends TeamsCommand {
  static override summary = "Change a member's role"
  static override description = "Roles: admin, member, billing (console-model §2.1 says what each may do). The owner's role changes only by bkend orgs transfer. Owners and admins may do this."
  static override examples = ['<%= config.bin %> orgs members role colleague@example.com admin', '<%= config.bin %> orgs members role 65a4f3c2e4b0a1b2c3d4e5f6 billing --org acme --json']
  static override args = {
    member: Args.string({ description: "the member's e-mail or tenant id", required: true }),
    role: Args.string({ description: 'the new role', options: ['admin', 'member', 'billing'], required: true }),
  }
  static override flags = { org: orgFlag }

  async run(): Promise<OrgsMembersRoleResult> {
    const { args, flags } = await this.parse(OrgsMembersRole)
    const teams = await this.teams(flags)
    const org = await teams.org(flags.org)
    const member = await teams.setRole(org, args.member, args.role as MemberRole)
    if (!this.jsonEnabled()) this.log(`${member.email} is now ${member.role} in ${org.slug}.`)
    return member
  }
}
