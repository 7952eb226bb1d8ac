import { Args } from '@oclif/core'
import { confirmByName, yesFlag } from '../../cli/confirm.js'
import { ManagementCommand } from '../../cli/management-command.js'

export interface EnvsDeleteResult {
  deleted: { id: string; environment: string; projectId: string }
}

export default class EnvsDelete extends ManagementCommand {
  static override summary = 'Delete an environment and everything in it'
  static override description = 'Removes the environment with its tables, records, users, files and API keys. On a terminal it asks you to type the environment\'s name; without one, pass --yes.'
  static override examples = ['<%= config.bin %> envs delete staging', '<%= config.bin %> envs delete preview-42 --project my-app --yes']
  static override args = { environment: Args.string({ description: 'environment name or id', required: true }) }
  static override flags = { yes: yesFlag }

  async run(): Promise<EnvsDeleteResult> {
    const { args, flags } = await this.parse(EnvsDelete)
    const management = await this.management(flags)
    const env = await management.getEnv(args.environment)
    const project = await management.getProject(env.projectId)
    await confirmByName(`Deleting environment ${env.environment} of project ${project.slug} with all its tables, records, users, files and API keys`, env.environment, flags.yes)
    await management.deleteEnv(env.id)
    if (!this.jsonEnabled()) this.log(`Deleted environment ${env.environment}.`)
    return { deleted: { id: env.id, environment: env.environment, projectId: env.projectId } }
  }
}
