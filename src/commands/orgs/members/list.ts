import { columnsFlag } from '../../../cli/output.js'
import { printMembers } from '../../../cli/teams-render.js'
import { orgFlag, TeamsCommand } from '../../../cli/teams-command.js'
import type { Member } from '../../../contract/tenancy.js'
import { fieldsFlag } from '../../../cli/fields.js'

export interface OrgsMembersListResult {
  organizationId: string
  members: Member[]
}

export default class OrgsMembersList extends TeamsCommand {
  static override summary = 'List the members of an organization'
  static override description = 'Every member with e-mail, name, role (owner, admin, member, billing) and when they joined.'
  static override examples = ['<%= config.bin %> orgs members list', '<%= config.bin %> orgs members list --org acme --json']
  static override flags = { org: orgFlag, columns: columnsFlag, fields: fieldsFlag('members') }

  async run(): Promise<OrgsMembersListResult> {
    const { flags } = await this.parse(OrgsMembersList)
    const teams = await this.teams(flags)
    const org = await teams.org(flags.org)
    const members = await teams.members(org)
    if (!this.jsonEnabled()) await printMembers(members, flags.columns)
    return { organizationId: org.id, members }
  }
}
