import { Args, Flags } from '@oclif/core'
import { CliError } from '../../cli/errors.js'
import { printOrg } from '../../cli/teams-render.js'
import { TeamsCommand } from '../../cli/teams-command.js'
import type { OrgInput } from '../../client/teams.js'
import type { Organization } from '../../contract/tenancy.js'

export type OrgsUpdateResult = Organization

export default class OrgsUpdate extends TeamsCommand {
  static override summary = "Change an organization's name, display name, description or slug"
  static override description = 'Only the given fields change; an empty --display-name or --description clears it. Owners and admins may do this.'
  static override examples = ['<%= config.bin %> orgs update --display-name "Acme"', '<%= config.bin %> orgs update acme --slug acme-inc --description "" --json']
  static override args = { organization: Args.string({ description: 'organization id or slug (default: the current one)' }) }
  static override flags = {
    name: Flags.string({ description: 'new name, 1–100 characters' }),
    'display-name': Flags.string({ description: 'new display name ("" clears it)' }),
    description: Flags.string({ description: 'new description ("" clears it)' }),
    slug: Flags.string({ description: 'new unique slug' }),
  }

  async run(): Promise<OrgsUpdateResult> {
    const { args, flags } = await this.parse(OrgsUpdate)
    const changes: OrgInput = {}
    if (flags.name !== undefined) changes.name = flags.name
    if (flags.slug !== undefined) changes.slug = flags.slug
    if (flags['display-name'] !== undefined) changes.displayName = flags['display-name'] === '' ? null : flags['display-name']
    if (flags.description !== undefined) changes.description = flags.description === '' ? null : flags.description
    if (Object.keys(changes).length === 0) throw new CliError('nothing to change', 'pass at least one of --name, --display-name, --description, --slug', 2, 'cli/usage')
    const org = await (await this.teams(flags)).updateOrg(args.organization, changes)
    if (!this.jsonEnabled()) printOrg(org)
    return org
  }
}
