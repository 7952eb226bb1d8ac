import { Args, Flags } from '@oclif/core'
import { printOrg } from '../../cli/teams-render.js'
import { TeamsCommand } from '../../cli/teams-command.js'
import type { Organization } from '../../contract/tenancy.js'

export type OrgsCreateResult = Organization

export default class OrgsCreate extends TeamsCommand {
  static override summary = 'Create an organization with you as its owner'
  static override description = 'The slug is derived from the name unless given; slugs are unique. Your session stays bound to its current organization: pass --org or the new slug to the other orgs commands to act in the new one.'
  static override examples = ['<%= config.bin %> orgs create "Acme Inc"', '<%= config.bin %> orgs create "Acme Inc" --slug acme --description "Our team" --json']
  static override args = { name: Args.string({ description: 'name, 1–100 characters', required: true }) }
  static override flags = {
    slug: Flags.string({ description: 'unique slug (lowercase letters, digits, hyphens)' }),
    description: Flags.string({ description: 'up to 1000 characters' }),
  }

  async run(): Promise<OrgsCreateResult> {
    const { args, flags } = await this.parse(OrgsCreate)
    const org = await (await this.teams(flags)).createOrg({ name: args.name, ...(flags.slug ? { slug: flags.slug } : {}), ...(flags.description ? { description: flags.description } : {}) })
    if (!this.jsonEnabled()) printOrg(org)
    return org
  }
}
