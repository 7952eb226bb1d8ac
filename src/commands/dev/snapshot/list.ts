import { ControlCommand } from '../../../cli/control-command.js'
import { columnsFlag } from '../../../cli/output.js'
import { printSnapshots } from '../../../cli/snapshots.js'
import type { SnapshotList } from '../../../contract/emulator.js'

export type DevSnapshotListResult = SnapshotList

export default class DevSnapshotList extends ControlCommand {
  static override summary = 'List the snapshots of the local emulator'
  static override description = 'Every snapshot in <data-dir>/snapshots, by name, with when it was saved, its size on disk and how many records, users and files it holds (over all environments).'
  static override examples = ['<%= config.bin %> dev snapshot list', '<%= config.bin %> dev snapshot list --json']
  static override flags = { columns: columnsFlag }

  async run(): Promise<DevSnapshotListResult> {
    const { flags } = await this.parse(DevSnapshotList)
    const controls = await this.controls(flags, 'Snapshots')
    const list = await controls.listSnapshots()
    if (!this.jsonEnabled()) {
      if (list.items.length === 0) this.log('No snapshots yet: bkend dev snapshot save NAME makes one.')
      else await printSnapshots(list.items, flags.columns)
    }
    return list
  }
}
