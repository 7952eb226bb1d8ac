import { Args } from '@oclif/core'
import { columnsFlag } from '../../cli/output.js'
import { printUsage } from '../../cli/teams-render.js'
import { TeamsCommand } from '../../cli/teams-command.js'
import type { OrgUsage } from '../../contract/tenancy.js'

export type OrgsUsageResult = OrgUsage

export default class OrgsUsage extends TeamsCommand {
  static override summary = "Show an organization's plan and usage per environment"
  static override description = 'Records, users, files, storage bytes and requests today (UTC; on the emulator, counted since it started) for every environment of every project, as the console dashboard shows them.'
  static override examples = ['<%= config.bin %> orgs usage', '<%= config.bin %> orgs usage acme --json']
  static override args = { organization: Args.string({ description: 'organization id or slug (default: the current one)' }) }
  static override flags = { columns: columnsFlag }

  async run(): Promise<OrgsUsageResult> {
    const { args, flags } = await this.parse(OrgsUsage)
    const { organization, usage } = await (await this.teams(flags)).usage(args.organization)
    if (!this.jsonEnabled()) await printUsage(organization, usage, flags.columns)
    return usage
  }
}
