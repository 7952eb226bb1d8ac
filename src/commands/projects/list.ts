import { columnsFlag } from '../../cli/output.js'
import { ManagementCommand } from '../../cli/management-command.js'
import { printProjects } from '../../cli/render.js'
import type { Project } from '../../contract/tenancy.js'
import { fieldsFlag } from '../../cli/fields.js'

export interface ProjectsListResult {
  projects: Project[]
}

export default class ProjectsList extends ManagementCommand {
  static override summary = 'List the projects of your organization'
  static override description = 'Shows every project of the organization your session is bound to, with its cloud, region and number of environments.'
  static override examples = ['<%= config.bin %> projects list', '<%= config.bin %> projects list --target cloud --json']

  static override flags = { columns: columnsFlag, fields: fieldsFlag('projects') }

  async run(): Promise<ProjectsListResult> {
    const { flags } = await this.parse(ProjectsList)
    const projects = await (await this.management(flags)).listProjects()
    if (!this.jsonEnabled()) await printProjects(projects, flags.columns)
    return { projects }
  }
}
