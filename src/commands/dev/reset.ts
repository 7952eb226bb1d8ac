import { Flags } from '@oclif/core'
import { confirm } from '../../cli/confirm.js'
import { ControlCommand } from '../../cli/control-command.js'
import { targetFlags } from '../../cli/target.js'
import type { ResetResponse } from '../../contract/emulator.js'

export type DevResetResult = ResetResponse

export default class DevReset extends ControlCommand {
  static override summary = "Empty a local environment's data, keeping its tables, keys and settings"
  static override description = [
    'Removes every record, end user (with their sessions and linked accounts) and file of one environment of the running bkend dev, in milliseconds. Tables with their fields, indexes and permissions stay, and so do the API keys, the project settings and the captured e-mails.',
    'Asks first on a terminal; without one, --yes is required. Tests can do the same before each test with POST /_emulator/reset (docs/emulator.md).',
  ].join('\n\n')

  static override examples = ['<%= config.bin %> dev reset', '<%= config.bin %> dev reset --env staging --yes', '<%= config.bin %> dev reset --yes --json']

  static override flags = {
    project: targetFlags.project,
    env: targetFlags.env,
    yes: Flags.boolean({ char: 'y', description: 'do not ask for confirmation' }),
  }

  async run(): Promise<DevResetResult> {
    const { flags } = await this.parse(DevReset)
    const controls = await this.controls(flags, 'Resetting an environment')
    const env = this.context!.env
    await confirm(`Delete every record, user and file of ${env} in the local emulator?`, flags.yes)
    const result = await controls.reset({ project: this.context!.project, environment: env })
    const { records, users, files } = result.removed
    if (!this.jsonEnabled()) this.log(`Reset ${result.environment}: removed ${plural(records, 'record')}, ${plural(users, 'user')}, ${plural(files, 'file')}; tables, keys and settings kept.`)
    return result
  }
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}
