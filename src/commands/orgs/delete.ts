import { Args } from '@oclif/core'
import { confirmByName, yesFlag } from '../../cli/confirm.js'
import { TeamsCommand } from '../../cli/teams-command.js'
import type { Organization } from '../../contract/tenancy.js'

export interface OrgsDeleteResult {
  deleted: Pick<Organization, 'id' | 'slug' | 'name'>
}

export default class OrgsDelete extends TeamsCommand {
  static override summary = 'Delete an organization and everything in it'
  static override description = "Removes the organization with its members, invitations, projects (and all their environments, tables, records, users and files), API keys, OAuth grants and activity log. Only the owner may. On a terminal it asks you to type the organization's slug; without one, pass --yes."
  static override examples = ['<%= config.bin %> orgs delete acme', '<%= config.bin %> orgs delete acme --yes --json']
  static override args = { organization: Args.string({ description: 'organization id or slug', required: true }) }
  static override flags = { yes: yesFlag }

  async run(): Promise<OrgsDeleteResult> {
    const { args, flags } = await this.parse(OrgsDelete)
    const teams = await this.teams(flags)
    const org = await teams.org(args.organization)
    await confirmByName(`Deleting organization ${org.slug} (${org.id}) with all its projects, members, API keys and activity`, org.slug, flags.yes)
    await teams.deleteOrg(org)
    if (!this.jsonEnabled()) this.log(`Deleted organization ${org.slug}.`)
    return { deleted: { id: org.id, slug: org.slug, name: org.name } }
  }
}
