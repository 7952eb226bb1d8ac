import { Args, Flags } from '@oclif/core'
import { CliError } from '../../cli/errors.js'
import { ManagementCommand } from '../../cli/management-command.js'
import { printProject } from '../../cli/render.js'
import type { Project } from '../../contract/tenancy.js'

export type ProjectsUpdateResult = Project

export default class ProjectsUpdate extends ManagementCommand {
  static override summary = 'Change a project’s name, slug, description or allowed origins'
  static override description = 'Only the given fields change. --allowed-origin replaces the CORS list (at most 3 absolute URLs; http://localhost is allowed); pass it several times for several origins, or --clear-allowed-origins for none.'
  static override examples = [
    '<%= config.bin %> projects update my-app --name "My Store"',
    '<%= config.bin %> projects update my-app --allowed-origin https://my-app.com --allowed-origin http://localhost:3000',
  ]
  static override args = { project: Args.string({ description: 'project id, slug or name (default: the selected project)' }) }
  static override flags = {
    name: Flags.string({ description: 'new name' }),
    slug: Flags.string({ description: 'new slug' }),
    description: Flags.string({ description: 'new description' }),
    'allowed-origin': Flags.string({ description: 'an allowed CORS origin (repeatable; replaces the list)', multiple: true, multipleNonGreedy: true }),
    'clear-allowed-origins': Flags.boolean({ description: 'remove every allowed origin', exclusive: ['allowed-origin'] }),
  }

  async run(): Promise<ProjectsUpdateResult> {
    const { args, flags } = await this.parse(ProjectsUpdate)
    const body: Record<string, unknown> = {}
    if (flags.name !== undefined) body.name = flags.name
    if (flags.slug !== undefined) body.slug = flags.slug
    if (flags.description !== undefined) body.description = flags.description
    if (flags['allowed-origin'] || flags['clear-allowed-origins']) body.settings = { allowedOrigins: flags['allowed-origin'] ?? [] }
    if (Object.keys(body).length === 0) throw new CliError('nothing to change', 'pass at least one of --name, --slug, --description, --allowed-origin, --clear-allowed-origins', 2, 'cli/usage')
    const project = await (await this.management(flags)).updateProject(args.project, body)
    if (!this.jsonEnabled()) printProject(project)
    return project
  }
}
