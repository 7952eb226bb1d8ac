import { Args } from '@oclif/core'
import { confirm, yesFlag } from '../../cli/confirm.js'
import { orgFlag, TeamsCommand } from '../../cli/teams-command.js'
import type { Member, Organization } from '../../contract/tenancy.js'

export interface OrgsTransferResult {
  organization: Organization
  owner: Member
}

export default class OrgsTransfer extends TeamsCommand {
  static override summary = 'Make another member the owner of an organization'
  static override description = 'The member (by e-mail or tenant id) becomes the owner and you become an admin; there is always exactly one owner. Only the owner may. Asks for confirmation on a terminal; without one, pass --yes.'
  static override examples = ['<%= config.bin %> orgs transfer colleague@example.com', '<%= config.bin %> orgs transfer colleague@example.com --org acme --yes --json']
  static override args = { member: Args.string({ description: "the new owner's e-mail or tenant id", required: true }) }
  static override flags = { org: orgFlag, yes: yesFlag }

  async run(): Promise<OrgsTransferResult> {
    const { args, flags } = await this.parse(OrgsTransfer)
    const teams = await this.teams(flags)
    const org = await teams.org(flags.org)
    const member = await teams.member(org, args.member)
    await confirm(`Make ${member.email} (now ${member.role}) the owner of ${org.slug}? You become an admin and cannot undo this yourself.`, flags.yes)
    const result = await teams.transferOrg(org, member)
    if (!this.jsonEnabled()) this.log(`${result.owner.email} now owns ${org.slug}; your role is ${result.organization.role}.`)
    return result
  }
}
