import { ControlCommand } from '../../../cli/control-command.js'
import { printFaults } from '../../../cli/dev-faults.js'
import { columnsFlag } from '../../../cli/output.js'
import type { FaultList } from '../../../contract/faults.js'

export type DevChaosListResult = FaultList

export default class DevChaosList extends ControlCommand {
  static override summary = 'List the fault rules of the local emulator'
  static override description = 'The rules in the order they are tried (the first that matches a request applies; "global" comes from the bkend dev --latency/--fail-rate flags and is tried last), with what each injects, how many requests it may still shape, when it expires and how many it has shaped.'
  static override examples = ['<%= config.bin %> dev chaos list', '<%= config.bin %> dev chaos list --json']
  static override flags = { columns: columnsFlag }

  async run(): Promise<DevChaosListResult> {
    const { flags } = await this.parse(DevChaosList)
    const controls = await this.controls(flags, 'Fault injection')
    const list = await controls.listFaults()
    if (!this.jsonEnabled()) {
      if (list.items.length === 0) this.log('No fault rules: requests run untouched. bkend dev chaos add adds one.')
      else await printFaults(list.items, flags.columns)
    }
    return list
  }
}
