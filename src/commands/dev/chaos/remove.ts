import { Args } from '@oclif/core'
import { ControlCommand } from '../../../cli/control-command.js'
import type { FaultsRemoved } from '../../../contract/faults.js'

export type DevChaosRemoveResult = FaultsRemoved & { id: string }

export default class DevChaosRemove extends ControlCommand {
  static override summary = 'Remove one fault rule from the local emulator'
  static override description = 'Matching requests run untouched again at once. "global" removes the rule of the bkend dev --latency/--fail-rate flags.'
  static override examples = ['<%= config.bin %> dev chaos remove f1', '<%= config.bin %> dev chaos remove global --json']
  static override args = { id: Args.string({ description: 'rule id, as bkend dev chaos list shows it', required: true }) }

  async run(): Promise<DevChaosRemoveResult> {
    const { args, flags } = await this.parse(DevChaosRemove)
    const controls = await this.controls(flags, 'Fault injection')
    const removed = await controls.removeFault(args.id)
    if (!this.jsonEnabled()) this.log(`Removed fault rule ${args.id}.`)
    return { ...removed, id: args.id }
  }
}
