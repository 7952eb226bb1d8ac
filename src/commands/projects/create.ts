import { Args, Flags } from '@oclif/core'
import { ManagementCommand } from '../../cli/management-command.js'
import { printProject } from '../../cli/render.js'
import type { Environment, PrimaryCloud, Project } from '../../contract/tenancy.js'

export type ProjectsCreateResult = Project & { environments?: Environment[] }

export default class ProjectsCreate extends ManagementCommand {
  static override summary = 'Create a project (with its dev environment)'
  static override description = 'Creates a project in the organization your session is bound to. The slug defaults to one derived from the name; cloud and region cannot be changed later. The project starts with one environment, dev.'
  static override examples = [
    '<%= config.bin %> projects create "My App"',
    '<%= config.bin %> projects create "My App" --slug my-app --cloud aws --region ap-northeast-2 --description "Storefront backend"',
  ]
  static override args = { name: Args.string({ description: 'project name (1–100 characters)', required: true }) }
  static override flags = {
    slug: Flags.string({ description: 'URL-safe identifier, unique in the organization (default: derived from the name)' }),
    cloud: Flags.string({ description: 'primary cloud', options: ['aws', 'gcp', 'azu'], default: 'aws' }),
    region: Flags.string({ description: 'primary region', default: 'ap-northeast-2' }),
    description: Flags.string({ description: 'what the project is for' }),
  }

  async run(): Promise<ProjectsCreateResult> {
    const { args, flags } = await this.parse(ProjectsCreate)
    const management = await this.management(flags)
    const project = await management.createProject({
      name: args.name,
      slug: flags.slug ?? slugify(args.name),
      primaryCloud: flags.cloud as PrimaryCloud,
      primaryRegion: flags.region,
      ...(flags.description ? { description: flags.description } : {}),
    })
    if (!this.jsonEnabled()) {
      this.log(`Created project ${project.slug}.`)
      printProject(project)
    }
    return project
  }
}

/** "My App!" → "my-app": the slug pattern of console-model.md §3. */
function slugify(name: string): string {
  return name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64).replace(/-+$/, '') || 'project'
}
