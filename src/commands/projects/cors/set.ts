import { Args, Flags } from '@oclif/core'
import { checkCorsChange, nextOrigins } from '../../../cli/cors.js'
import { ManagementCommand } from '../../../cli/management-command.js'
import type { ProjectsCorsResult } from './get.js'

export type { ProjectsCorsResult }

export default class ProjectsCorsSet extends ManagementCommand {
  static override summary = "Set a project's allowed CORS origins"
  static override description = 'Replaces the list with the origins given, or changes it with --add and --remove, or empties it with --clear. At most 3 origins, each a URL with its protocol (https://my-app.com), no wildcards; http://localhost[:port] is allowed for development.'
  static override examples = [
    '<%= config.bin %> projects cors set https://my-app.com http://localhost:3000',
    '<%= config.bin %> projects cors set --add https://admin.my-app.com',
    '<%= config.bin %> projects cors set --remove http://localhost:3000 --json',
    '<%= config.bin %> projects cors set --clear',
  ]
  static override strict = false
  static override args = { origins: Args.string({ description: 'the allowed origins, replacing the list' }) }
  static override flags = {
    add: Flags.string({ description: 'an origin to add (repeatable)', multiple: true, multipleNonGreedy: true }),
    remove: Flags.string({ description: 'an origin to remove (repeatable)', multiple: true, multipleNonGreedy: true }),
    clear: Flags.boolean({ description: 'remove every allowed origin' }),
  }

  async run(): Promise<ProjectsCorsResult> {
    const { argv, flags } = await this.parse(ProjectsCorsSet)
    const change = { origins: argv as string[], add: flags.add ?? [], remove: flags.remove ?? [], clear: flags.clear }
    checkCorsChange(change)
    const management = await this.management(flags)
    const allowedOrigins = nextOrigins((await management.getProject()).settings?.allowedOrigins ?? [], change)
    const project = await management.updateProject(undefined, { settings: { allowedOrigins } })
    const saved = project.settings?.allowedOrigins ?? []
    if (!this.jsonEnabled()) this.log(saved.length ? `Allowed origins: ${saved.join(', ')}` : 'No allowed origins: every origin may call the API.')
    return { projectId: project.id, allowedOrigins: saved }
  }
}
