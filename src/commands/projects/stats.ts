import { Args } from '@oclif/core'
import { fieldsFlag } from '../../cli/fields.js'
import { ManagementCommand } from '../../cli/management-command.js'
import { columnsFlag, printTable } from '../../cli/output.js'
import { projectStats, type ProjectStats } from '../../client/project-stats.js'
import { formatBytes } from '../../ui/format.js'

export type ProjectsStatsResult = ProjectStats

export default class ProjectsStats extends ManagementCommand {
  static override summary = 'Show a project’s usage per environment'
  static override description = "The console dashboard's figures: per environment the records in all tables, users, files, storage bytes and requests today (UTC; the local emulator counts since it started), and the organization's plan. --json gives storage in bytes."
  static override examples = ['<%= config.bin %> projects stats', '<%= config.bin %> projects stats my-app --json']
  static override args = { project: Args.string({ description: 'project id, slug or name (default: the selected project)' }) }
  static override flags = { columns: columnsFlag, fields: fieldsFlag('environments') }

  async run(): Promise<ProjectsStatsResult> {
    const { args, flags } = await this.parse(ProjectsStats)
    const stats = await projectStats(await this.management(flags), args.project)
    if (!this.jsonEnabled()) {
      this.log(`Project ${stats.projectSlug}, plan ${stats.plan}`)
      await printTable(
        [{ key: 'environment', header: 'Environment', identity: true }, { key: 'records', header: 'Records' }, { key: 'users', header: 'Users' }, { key: 'files', header: 'Files' }, { key: 'storage', header: 'Storage' }, { key: 'requestsToday', header: 'Requests today' }],
        stats.environments.map((e) => ({ ...e, storage: formatBytes(e.storageBytes) })),
        flags.columns,
      )
    }
    return stats
  }
}
