import { Args, Flags } from '@oclif/core'
import { ManagementCommand } from '../../cli/management-command.js'
import { printEnv } from '../../cli/render.js'
import type { Environment, EnvironmentType } from '../../contract/tenancy.js'

export type EnvsCreateResult = Environment

export default class EnvsCreate extends ManagementCommand {
  static override summary = 'Create an environment in a project'
  static override description = 'The new environment is empty: its own tables, users, files and keys. Names are lower case letters, digits and dashes, starting with a letter; the type defaults to the name when it is dev, staging or prod, else custom.'
  static override examples = ['<%= config.bin %> envs create staging', '<%= config.bin %> envs create preview-42 --type custom --project my-app']
  static override args = { name: Args.string({ description: 'environment name, e.g. staging', required: true }) }
  static override flags = { type: Flags.string({ description: 'environment type', options: ['dev', 'staging', 'prod', 'custom'] }) }

  async run(): Promise<EnvsCreateResult> {
    const { args, flags } = await this.parse(EnvsCreate)
    const type = (flags.type ?? (['dev', 'staging', 'prod'].includes(args.name) ? args.name : 'custom')) as EnvironmentType
    const env = await (await this.management(flags)).createEnv(args.name, type)
    if (!this.jsonEnabled()) {
      this.log(`Created environment ${env.environment}.`)
      printEnv(env)
    }
    return env
  }
}
