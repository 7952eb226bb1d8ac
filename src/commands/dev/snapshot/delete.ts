import { confirm, yesFlag } from '../../../cli/confirm.js'
import { ControlCommand } from '../../../cli/control-command.js'
import { snapshotNameArg } from '../../../cli/snapshots.js'
import type { SnapshotSummary } from '../../../contract/emulator.js'

export type DevSnapshotDeleteResult = SnapshotSummary & { deleted: true }

export default class DevSnapshotDelete extends ControlCommand {
  static override summary = 'Delete a snapshot of the local emulator'
  static override description = 'Removes <data-dir>/snapshots/NAME; the running state is not touched. Asks first on a terminal; without one, --yes is required.'
  static override examples = ['<%= config.bin %> dev snapshot delete fixture', '<%= config.bin %> dev snapshot delete fixture --yes --json']
  static override args = { name: snapshotNameArg }
  static override flags = { yes: yesFlag }

  async run(): Promise<DevSnapshotDeleteResult> {
    const { args, flags } = await this.parse(DevSnapshotDelete)
    const controls = await this.controls(flags, 'Snapshots')
    await confirm(`Delete snapshot ${args.name}?`, flags.yes)
    const deleted = await controls.deleteSnapshot(args.name)
    if (!this.jsonEnabled()) this.log(`Deleted snapshot ${deleted.name}.`)
    return { ...deleted, deleted: true }
  }
}
