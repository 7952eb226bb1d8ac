import { confirm, yesFlag } from '../../../cli/confirm.js'
import { ControlCommand } from '../../../cli/control-command.js'
import { snapshotLine, snapshotNameArg } from '../../../cli/snapshots.js'
import type { SnapshotSummary } from '../../../contract/emulator.js'

export type DevSnapshotRestoreResult = SnapshotSummary

export default class DevSnapshotRestore extends ControlCommand {
  static override summary = 'Replace the local emulator state with a snapshot'
  static override description =
    'Replaces everything in the running bkend dev (projects, environments, tables, records, users, keys, settings, files) with the snapshot, without restarting it. What was written since is lost. Asks first on a terminal; without one, --yes is required.'

  static override examples = ['<%= config.bin %> dev snapshot restore fixture', '<%= config.bin %> dev snapshot restore fixture --yes --json']
  static override args = { name: snapshotNameArg }
  static override flags = { yes: yesFlag }

  async run(): Promise<DevSnapshotRestoreResult> {
    const { args, flags } = await this.parse(DevSnapshotRestore)
    const controls = await this.controls(flags, 'Snapshots')
    await confirm(`Replace the whole local emulator state with snapshot ${args.name}?`, flags.yes)
    const restored = await controls.restoreSnapshot(args.name)
    if (!this.jsonEnabled()) this.log(`Restored snapshot ${restored.name}: ${snapshotLine(restored)}.`)
    return restored
  }
}
