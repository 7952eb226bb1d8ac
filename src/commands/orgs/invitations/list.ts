import { Flags } from '@oclif/core'
import { columnsFlag } from '../../../cli/output.js'
import { printInvitations } from '../../../cli/teams-render.js'
import { orgFlag, TeamsCommand } from '../../../cli/teams-command.js'
import type { InvitationStatus, OrgInvitation } from '../../../contract/tenancy.js'
import { fieldsFlag } from '../../../cli/fields.js'

export interface OrgsInvitationsListResult {
  organizationId: string
  invitations: OrgInvitation[]
}

export default class OrgsInvitationsList extends TeamsCommand {
  static override summary = "List an organization's invitations"
  static override description = 'Pending invitations by default, newest first; --status shows accepted, cancelled or expired ones instead. Owners and admins may list them.'
  static override examples = ['<%= config.bin %> orgs invitations list', '<%= config.bin %> orgs invitations list --status expired --org acme --json']
  static override flags = {
    org: orgFlag,
    status: Flags.string({ description: 'which invitations', options: ['pending', 'accepted', 'cancelled', 'expired'], default: 'pending' }),
    columns: columnsFlag,
    fields: fieldsFlag('invitations'),
  }

  async run(): Promise<OrgsInvitationsListResult> {
    const { flags } = await this.parse(OrgsInvitationsList)
    const teams = await this.teams(flags)
    const org = await teams.org(flags.org)
    const invitations = await teams.invitations(org, flags.status as InvitationStatus)
    if (!this.jsonEnabled()) await printInvitations(invitations, flags.columns)
    return { organizationId: org.id, invitations }
  }
}
