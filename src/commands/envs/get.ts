import { Args } from '@oclif/core'
import { ManagementCommand } from '../../cli/management-command.js'
import { printEnv } from '../../cli/render.js'
import type { Environment } from '../../contract/tenancy.js'
import { fieldsFlag } from '../../cli/fields.js'

export type EnvsGetResult = Environment

export default class EnvsGet extends ManagementCommand {
  static override summary = 'Show one environment'
  static override description = 'Looks the environment up by name (or id) in the selected project; without an argument, shows the selected environment (--env, BKEND_ENV, bkend.json, profile, else dev).'
  static override examples = ['<%= config.bin %> envs get staging', '<%= config.bin %> envs get --env prod --json']
  static override args = { environment: Args.string({ description: 'environment name or id (default: the selected one)' }) }

  static override flags = { fields: fieldsFlag() }

  async run(): Promise<EnvsGetResult> {
    const { args, flags } = await this.parse(EnvsGet)
    const env = await (await this.management(flags)).getEnv(args.environment)
    if (!this.jsonEnabled()) printEnv(env)
    return env
  }
}
