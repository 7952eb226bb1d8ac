import { Args } from '@oclif/core'
import { TeamsCommand } from '../../../cli/teams-command.js'
import type { Member, Organization } from '../../../contract/tenancy.js'

export interface OrgsInvitationsAcceptResult {
  organization: Organization
  member: Member
}

export default class OrgsInvitationsAccept extends TeamsCommand {
  static override summary = 'Accept an invitation to an organization'
  static override description = "Pass the link from the invitation e-mail, or its token (the last part of the link). You join as the account you are signed in with, whose e-mail must be the invitation's."
  static override examples = ['<%= config.bin %> orgs invitations accept http://127.0.0.1:4100/_/invitations/3f1c…', '<%= config.bin %> orgs invitations accept 3f1c… --json']
  static override args = { invitation: Args.string({ description: 'the invitation link or its token', required: true }) }

  async run(): Promise<OrgsInvitationsAcceptResult> {
    const { args, flags } = await this.parse(OrgsInvitationsAccept)
    const result = await (await this.teams(flags)).acceptInvitation(args.invitation)
    if (!this.jsonEnabled()) this.log(`You joined ${result.organization.slug} as ${result.member.role}.`)
    return result
  }
}
