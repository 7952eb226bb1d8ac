import { Flags } from '@oclif/core'
import { ManagementCommand } from '../../cli/management-command.js'
import { writeLinkedProject, type LinkedProject } from '../../cli/linked-project.js'

export type LinkResult = LinkedProject & { path: string }

export default class Link extends ManagementCommand {
  static override summary = 'Link this directory to a project and environment'
  static override description = 'Writes bkend.json into the directory (default: the current one) with the target, project and environment, after checking they exist. Commands run in this directory or below use them unless flags or BKEND_* variables say otherwise. bkend.json holds no secrets and can be committed.'
  static override examples = ['<%= config.bin %> link --project my-app --env dev', '<%= config.bin %> link --target cloud --project my-app --env staging', '<%= config.bin %> link --dir ./web --project my-app']
  static override flags = { dir: Flags.string({ description: 'directory to link', default: '.' }) }

  async run(): Promise<LinkResult> {
    const { flags } = await this.parse(Link)
    const management = await this.management(flags)
    const project = await management.getProject()
    const env = await management.getEnv()
    const link: LinkedProject = { target: management.mcp.context.target, organizationId: project.organizationId, projectId: project.id, projectSlug: project.slug, environment: env.environment }
    const path = await writeLinkedProject(flags.dir, link)
    if (!this.jsonEnabled()) this.log(`Linked ${path} to project ${project.slug}, environment ${env.environment} (${link.target}).`)
    return { ...link, path }
  }
}
