import { Args } from '@oclif/core'
import { confirmByName, yesFlag } from '../../cli/confirm.js'
import { ManagementCommand } from '../../cli/management-command.js'
import type { Project } from '../../contract/tenancy.js'

export interface ProjectsDeleteResult {
  deleted: Pick<Project, 'id' | 'slug' | 'name'>
}

export default class ProjectsDelete extends ManagementCommand {
  static override summary = 'Delete a project and everything in it'
  static override description = 'Removes the project with all its environments, tables, records, users, files and API keys. On a terminal it asks you to type the project\'s slug; without one, pass --yes.'
  static override examples = ['<%= config.bin %> projects delete my-app', '<%= config.bin %> projects delete my-app --yes --json']
  static override args = { project: Args.string({ description: 'project id, slug or name', required: true }) }
  static override flags = { yes: yesFlag }

  async run(): Promise<ProjectsDeleteResult> {
    const { args, flags } = await this.parse(ProjectsDelete)
    const management = await this.management(flags)
    const project = await management.getProject(args.project)
    const names = project.environments?.map((e) => e.environment) ?? []
    const envs = `${project.environmentCount} environment${project.environmentCount === 1 ? '' : 's'}${names.length ? ` (${names.join(', ')})` : ''}`
    await confirmByName(`Deleting project ${project.slug} (${project.id}) with its ${envs} and all their tables, records, users, files and API keys`, project.slug, flags.yes)
    await management.deleteProject(project.id)
    if (!this.jsonEnabled()) this.log(`Deleted project ${project.slug}.`)
    return { deleted: { id: project.id, slug: project.slug, name: project.name } }
  }
}
