import { ManagementCommand } from '../../../cli/management-command.js'

export interface ProjectsCorsResult {
  projectId: string
  allowedOrigins: string[]
}

export default class ProjectsCorsGet extends ManagementCommand {
  static override summary = "Show a project's allowed CORS origins"
  static override description = 'The origins browsers may call the REST API from (settings.allowedOrigins). An empty list allows every origin; a non-empty one is enforced, as on bkend.'
  static override examples = ['<%= config.bin %> projects cors get', '<%= config.bin %> projects cors get --project my-app --json']

  async run(): Promise<ProjectsCorsResult> {
    const { flags } = await this.parse(ProjectsCorsGet)
    const project = await (await this.management(flags)).getProject()
    const allowedOrigins = project.settings?.allowedOrigins ?? []
    if (!this.jsonEnabled()) this.log(allowedOrigins.length ? allowedOrigins.join('\n') : 'No allowed origins: every origin may call the API.')
    return { projectId: project.id, allowedOrigins }
  }
}
