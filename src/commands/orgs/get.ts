import { Args } from '@oclif/core'
import { CliError } from '../../cli/errors.js'
import { ManagementCommand } from '../../cli/management-command.js'
import { printFields } from '../../cli/output.js'
import type { Organization } from '../../contract/tenancy.js'
import { fieldsFlag } from '../../cli/fields.js'

export type OrgsGetResult = Organization

export default class OrgsGet extends ManagementCommand {
  static override summary = 'Show one organization'
  static override description = 'Looks the organization up by id or slug; without an argument, shows the organization your session is bound to.'
  static override examples = ['<%= config.bin %> orgs get', '<%= config.bin %> orgs get local --json']
  static override args = { organization: Args.string({ description: 'organization id or slug (default: the current one)' }) }

  static override flags = { fields: fieldsFlag() }

  async run(): Promise<OrgsGetResult> {
    const { args, flags } = await this.parse(OrgsGet)
    const management = await this.management(flags)
    const org = args.organization ? await management.getOrg(args.organization) : await management.currentOrganization()
    if (!org) throw new CliError('cannot tell which organization the session is bound to', 'pass the organization id or slug (bkend orgs list shows them)', 1, 'target/no-organization')
    if (!this.jsonEnabled()) {
      printFields([['Id', org.id], ['Slug', org.slug], ['Name', org.name], ['Description', org.description], ['Role', org.role], ['Plan', org.plan], ['Status', org.status], ['Created', org.createdAt]])
    }
    return org
  }
}
