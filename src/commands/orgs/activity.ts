import { Args, Flags } from '@oclif/core'
import { columnsFlag, pageLine } from '../../cli/output.js'
import { printActivity } from '../../cli/teams-render.js'
import { TeamsCommand } from '../../cli/teams-command.js'
import type { Page } from '../../contract/common.js'
import type { ActivityEntry } from '../../contract/tenancy.js'

export type OrgsActivityResult = Page<ActivityEntry>

export default class OrgsActivity extends TeamsCommand {
  static override summary = "Show an organization's activity log"
  static override description =
    'Every design-time change, newest first: when, who (e-mail), what (<resource>.<verb>), which resource, in which project and environment, and through which client (cli, mcp, console). Filters combine; --action table matches every table.* action. Key values and secrets are never recorded.'
  static override examples = ['<%= config.bin %> orgs activity', '<%= config.bin %> orgs activity --action api-key --client mcp --since 2026-12-01T00:00:00Z', '<%= config.bin %> orgs activity acme --actor colleague@example.com --limit 100 --page 2 --json']
  static override args = { organization: Args.string({ description: 'organization id or slug (default: the current one)' }) }
  static override flags = {
    action: Flags.string({ description: 'an action (table.create) or a resource type (table) for all its actions' }),
    actor: Flags.string({ description: 'only changes by the tenant with this e-mail' }),
    'resource-type': Flags.string({ description: 'only changes of this resource type (table, api-key, member, …)' }),
    client: Flags.string({ description: 'only changes made through this client', options: ['cli', 'mcp', 'console'] }),
    since: Flags.string({ description: 'only changes at or after this ISO 8601 time' }),
    until: Flags.string({ description: 'only changes at or before this ISO 8601 time' }),
    page: Flags.integer({ description: 'page number, from 1', min: 1, default: 1 }),
    limit: Flags.integer({ description: 'entries per page, 1–100', min: 1, max: 100, default: 50 }),
    columns: columnsFlag,
  }

  async run(): Promise<OrgsActivityResult> {
    const { args, flags } = await this.parse(OrgsActivity)
    const query = { action: flags.action, actorEmail: flags.actor, resourceType: flags['resource-type'], client: flags.client as 'cli' | 'mcp' | 'console' | undefined, since: flags.since, until: flags.until, page: flags.page, limit: flags.limit }
    const { page, projectSlugs } = await (await this.teams(flags)).activity(args.organization, query)
    if (!this.jsonEnabled()) {
      await printActivity(page.items, projectSlugs, flags.columns)
      this.log(pageLine(page.pagination, 'change'))
    }
    return page
  }
}
