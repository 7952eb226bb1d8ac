import { Args } from '@oclif/core'
import { confirm, yesFlag } from '../../cli/confirm.js'
import { TeamsCommand } from '../../cli/teams-command.js'
import type { Organization } from '../../contract/tenancy.js'

export interface OrgsLeaveResult {
  left: Pick<Organization, 'id' | 'slug' | 'name'>
}

export default class OrgsLeave extends TeamsCommand {
  static override summary = 'Leave an organization'
  static override description = 'Your membership ends at once, and tokens bound to the organization stop working. The owner cannot leave: transfer ownership first (bkend orgs transfer). Asks for confirmation on a terminal; without one, pass --yes.'
  static override examples = ['<%= config.bin %> orgs leave acme', '<%= config.bin %> orgs leave acme --yes --json']
  static override args = { organization: Args.string({ description: 'organization id or slug', required: true }) }
  static override flags = { yes: yesFlag }

  async run(): Promise<OrgsLeaveResult> {
    const { args, flags } = await this.parse(OrgsLeave)
    const teams = await this.teams(flags)
    const org = await teams.org(args.organization)
    await confirm(`Leave ${org.slug}? Only an invitation brings you back.`, flags.yes)
    await teams.leaveOrg(org)
    if (!this.jsonEnabled()) this.log(`You left ${org.slug}.`)
    return { left: { id: org.id, slug: org.slug, name: org.name } }
  }
}
