import { Flags } from '@oclif/core'
import { resolve } from 'node:path'
import { relativeDataDir } from '../../cli/data-dir.js'
import { ManagementCommand } from '../../cli/management-command.js'
import { writeLinkedProject, type LinkedProject } from '../../cli/linked-project.js'

export type LinkResult = LinkedProject & { path: string }

export default class Link extends ManagementCommand {
  static override summary = 'Link this directory to a project and environment'
  static override description =
    'Writes bkend.json into the directory (default: the current one) with the target, project and environment, after checking they exist. Commands run in this directory or below use them unless flags or BKEND_* variables say otherwise. With the local target, a data dir given with --data-dir (or BKEND_DATA_DIR, or already in bkend.json) is remembered too, relative to the directory, so commands and `bkend dev` find the emulator from anywhere below it. bkend.json holds no secrets and can be committed.'

  static override examples = [
    '<%= config.bin %> link --project my-app --env dev',
    '<%= config.bin %> link --data-dir ./tmp/bkend --project local --env dev',
    '<%= config.bin %> link --target cloud --project my-app --env staging',
    '<%= config.bin %> link --dir ./web --project my-app',
  ]

  static override flags = { dir: Flags.string({ description: 'directory to link', default: '.' }) }

  async run(): Promise<LinkResult> {
    const { flags } = await this.parse(Link)
    const management = await this.management(flags)
    const project = await management.getProject()
    const env = await management.getEnv()
    const context = this.context!
    const link: LinkedProject = { target: context.target, organizationId: project.organizationId, projectId: project.id, projectSlug: project.slug, environment: env.environment }
    // A data dir found by looking around is found again the same way; only one the user chose is worth keeping.
    const chosen = context.sources.dataDir === 'flag' || context.sources.dataDir === 'env' || context.sources.dataDir === 'link'
    if (context.kind === 'local' && context.dataDir && chosen) link.dataDir = relativeDataDir(resolve(flags.dir), context.dataDir)
    const path = await writeLinkedProject(flags.dir, link)
    if (!this.jsonEnabled()) this.log(`Linked ${path} to project ${project.slug}, environment ${env.environment} (${link.target}${link.dataDir ? `, data dir ${link.dataDir}` : ''}).`)
    return { ...link, path }
  }
}
