import { ManagementCommand } from '../../cli/management-command.js'
import { columnsFlag } from '../../cli/output.js'
import { printOrgs } from '../../cli/render.js'
import type { Organization } from '../../contract/tenancy.js'
import { fieldsFlag } from '../../cli/fields.js'

export interface OrgsListResult {
  organizations: Organization[]
}

export default class OrgsList extends ManagementCommand {
  static override summary = 'List the organizations you belong to'
  static override description = 'Shows every organization where your account is a member, with your role in it. Management commands act in the organization your login (or the local tenant token) is bound to.'
  static override examples = ['<%= config.bin %> orgs list', '<%= config.bin %> orgs list --target cloud --json']

  static override flags = { columns: columnsFlag, fields: fieldsFlag('organizations') }

  async run(): Promise<OrgsListResult> {
    const { flags } = await this.parse(OrgsList)
    const organizations = await (await this.management(flags)).listOrgs()
    if (!this.jsonEnabled()) await printOrgs(organizations, flags.columns)
    return { organizations }
  }
}
