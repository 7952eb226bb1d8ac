import { Args } from '@oclif/core'
import { confirm, yesFlag } from '../../../cli/confirm.js'
import { orgFlag, TeamsCommand } from '../../../cli/teams-command.js'
import type { Member } from '../../../contract/tenancy.js'

export type OrgsMembersRemoveResult = Member

export default class OrgsMembersRemove extends TeamsCommand {
  static override summary = 'Remove a member from an organization'
  static override description = 'Their membership ends and their tokens for the organization stop working at once. The owner cannot be removed. Owners and admins may do this. Asks for confirmation on a terminal; without one, pass --yes.'
  static override examples = ['<%= config.bin %> orgs members remove colleague@example.com', '<%= config.bin %> orgs members remove colleague@example.com --org acme --yes --json']
  static override args = { member: Args.string({ description: "the member's e-mail or tenant id", required: true }) }
  static override flags = { org: orgFlag, yes: yesFlag }

  async run(): Promise<OrgsMembersRemoveResult> {
    const { args, flags } = await this.parse(OrgsMembersRemove)
    const teams = await this.teams(flags)
    const org = await teams.org(flags.org)
    const member = await teams.member(org, args.member)
    await confirm(`Remove ${member.email} (${member.role}) from ${org.slug}? Their access ends at once.`, flags.yes)
    const removed = await teams.removeMember(org, member)
    if (!this.jsonEnabled()) this.log(`Removed ${removed.email} from ${org.slug}.`)
    return removed
  }
}
