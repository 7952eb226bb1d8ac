import { ControlCommand } from '../../../cli/control-command.js'
import { snapshotLine, snapshotNameArg } from '../../../cli/snapshots.js'
import type { SnapshotSummary } from '../../../contract/emulator.js'

export type DevSnapshotSaveResult = SnapshotSummary

export default class DevSnapshotSave extends ControlCommand {
  static override summary = 'Save the whole local emulator state under a name'
  static override description =
    'Copies every project, environment, table, record, user, key, setting and stored file of the running bkend dev into <data-dir>/snapshots/NAME. A snapshot of the same name is replaced only once the new one is complete: a save that is interrupted leaves the old one as it was.'

  static override examples = ['<%= config.bin %> dev snapshot save fixture', '<%= config.bin %> dev snapshot save before-migration --json']
  static override args = { name: snapshotNameArg }

  async run(): Promise<DevSnapshotSaveResult> {
    const { args, flags } = await this.parse(DevSnapshotSave)
    const controls = await this.controls(flags, 'Snapshots')
    const saved = await controls.saveSnapshot(args.name)
    if (!this.jsonEnabled()) this.log(`Saved snapshot ${saved.name}: ${snapshotLine(saved)}.`)
    return saved
  }
}
