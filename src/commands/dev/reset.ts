import { Flags } from '@oclif/core'
import { confirm, yesFlag } from '../../cli/confirm.js'
import { ControlCommand } from '../../cli/control-command.js'
import { INTERRUPTED } from '../../cli/io/file-transfer.js'
import { planSeed, seedAfterReset } from '../../cli/reset-to-seed.js'
import { seedReport } from '../../cli/seed/seed-report.js'
import type { SeedResult } from '../../cli/seed/seed-service.js'
import { targetFlags } from '../../cli/target.js'
import type { ResetResponse } from '../../contract/emulator.js'
import { plural } from '../../ui/format.js'

export type DevResetResult = ResetResponse & { seed?: SeedResult }

export default class DevReset extends ControlCommand {
  static override summary = "Empty a local environment's data, keeping its tables, keys and settings"
  static override description = [
    'Removes every record, end user (with their sessions and linked accounts) and file of one environment of the running bkend dev, in milliseconds. Tables with their fields, indexes and permissions stay, and so do the API keys, the project settings and the captured e-mails.',
    '--to-seed then loads the seed folder (bkend/seed/, see docs/seed.md) as bkend seed does; the folder is read before anything is deleted, so a missing or invalid one changes nothing.',
    'Asks first on a terminal; without one, --yes is required. Tests can reset before each test with POST /_emulator/reset (docs/emulator.md).',
  ].join('\n\n')

  static override examples = ['<%= config.bin %> dev reset', '<%= config.bin %> dev reset --to-seed --yes', '<%= config.bin %> dev reset --env staging --yes --json']

  static override flags = {
    project: targetFlags.project,
    env: targetFlags.env,
    'to-seed': Flags.boolean({ description: 'load the seed folder again after the reset' }),
    yes: yesFlag,
  }

  async run(): Promise<DevResetResult> {
    const { flags } = await this.parse(DevReset)
    const controls = await this.controls(flags, 'Resetting an environment')
    const plan = flags['to-seed'] ? await planSeed(flags) : undefined
    const env = this.context!.env
    await confirm(`Delete every record, user and file of ${env} in the local emulator${plan ? ' and seed it again' : ''}?`, flags.yes)
    const reset = await controls.reset({ project: this.context!.project, environment: env })
    const { records, users, files } = reset.removed
    if (!this.jsonEnabled()) this.log(`Reset ${reset.environment}: removed ${plural(records, 'record')}, ${plural(users, 'user')}, ${plural(files, 'file')}; tables, keys and settings kept.`)
    if (!plan) return reset
    const seeded = await seedAfterReset(plan, reset, !this.jsonEnabled())
    if (!this.jsonEnabled()) {
      const report = seedReport({ ...seeded, reset: null })
      for (const line of report.out) this.log(line)
      for (const line of report.err) this.logToStderr(line)
    }
    if (seeded.parts.some((p) => p.status === 'interrupted')) process.exitCode = INTERRUPTED
    else if (seeded.rejected > 0 || seeded.stopped) process.exitCode = 1
    return { ...reset, seed: seeded }
  }
}
