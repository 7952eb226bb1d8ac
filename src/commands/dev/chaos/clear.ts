import { ControlCommand } from '../../../cli/control-command.js'
import type { FaultsRemoved } from '../../../contract/faults.js'

export type DevChaosClearResult = FaultsRemoved

export default class DevChaosClear extends ControlCommand {
  static override summary = 'Remove every fault rule from the local emulator'
  static override description = 'Every request runs untouched again, the rule of the bkend dev --latency/--fail-rate flags included.'
  static override examples = ['<%= config.bin %> dev chaos clear', '<%= config.bin %> dev chaos clear --json']

  async run(): Promise<DevChaosClearResult> {
    const { flags } = await this.parse(DevChaosClear)
    const controls = await this.controls(flags, 'Fault injection')
    const cleared = await controls.clearFaults()
    if (!this.jsonEnabled()) this.log(cleared.removed === 0 ? 'No fault rules to remove.' : `Removed ${cleared.removed} fault ${cleared.removed === 1 ? 'rule' : 'rules'}.`)
    return cleared
  }
}
