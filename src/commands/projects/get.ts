import { Args } from '@oclif/core'
import { ManagementCommand } from '../../cli/management-command.js'
import { printProject } from '../../cli/render.js'
import type { Environment, Project } from '../../contract/tenancy.js'
import { fieldsFlag } from '../../cli/fields.js'

export type ProjectsGetResult = Project & { environments?: Environment[] }

export default class ProjectsGet extends ManagementCommand {
  static override summary = 'Show one project and its environments'
  static override description = 'Looks the project up by id, slug or name; without an argument, shows the project selected by --project, BKEND_PROJECT, bkend.json or your profile.'
  static override examples = ['<%= config.bin %> projects get', '<%= config.bin %> projects get my-app --json']
  static override args = { project: Args.string({ description: 'project id, slug or name (default: the selected project)' }) }

  static override flags = { fields: fieldsFlag() }

  async run(): Promise<ProjectsGetResult> {
    const { args, flags } = await this.parse(ProjectsGet)
    const project = await (await this.management(flags)).getProject(args.project)
    if (!this.jsonEnabled()) printProject(project)
    return project
  }
}
