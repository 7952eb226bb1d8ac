import { Flags } from '@oclif/core'
import { confirm } from '../../cli/confirm.js'
import { ManagementCommand } from '../../cli/management-command.js'
import { configDirFlag, findConfigLayout, overlayKindOf } from '../../cli/project-config.js'
import { readProjectState, type SettingsPart } from '../../client/project-state.js'
import { shownPath } from '../../config/layout.js'
import type { OverlayKind } from '../../config/project-file.js'
import { applyConfigWrite, planConfigWrite, type FileChange } from '../../config/write.js'

export interface PullResult {
  /** The config folder, as given or found. */
  dir: string
  environment: string
  /** Whose overlay was written: overlays/<overlay>.json. */
  overlay: OverlayKind
  files: { path: string; change: FileChange }[]
  /** Settings this target's tools cannot read: the files keep what they said about them. */
  unread: SettingsPart[]
}

export default class Pull extends ManagementCommand {
  static override summary = 'Write the config folder from an environment'
  static override description =
    "Reads the tables and project settings of the environment (emulator or cloud, over MCP) and writes them as config files: bkend/tables/<table>.json, bkend/project.json and the target's overlay, bkend/overlays/<local|cloud>.json (docs/config.md). Files of tables the environment no longer has are removed; the seed folder is never touched. Secrets are never written: a provider secret reference already in the files is kept. When existing files would change or be removed it asks first on a terminal; without one, pass --yes. Pulling an unchanged environment writes nothing."
  static override examples = ['<%= config.bin %> pull', '<%= config.bin %> pull --env staging --yes', '<%= config.bin %> pull --target cloud --project my-app --env prod --dir ./bkend --json --yes']
  static override flags = { dir: configDirFlag, yes: Flags.boolean({ char: 'y', description: 'overwrite and remove files without asking' }) }

  async run(): Promise<PullResult> {
    const { flags } = await this.parse(Pull)
    const layout = await findConfigLayout(flags.dir)
    const management = await this.management(flags)
    const overlay = overlayKindOf(this.context!)
    const state = await readProjectState(management)
    const pending = await planConfigWrite(layout, state.model, overlay)
    const shown = (path: string) => shownPath(process.cwd(), path)
    const replaced = pending.filter((f) => f.change === 'changed' || f.change === 'removed')
    if (replaced.length) {
      const names = replaced.slice(0, 5).map((f) => `${f.change === 'removed' ? 'delete' : 'overwrite'} ${shown(f.path)}`)
      await confirm(`Pull ${this.context!.env}: ${names.join(', ')}${replaced.length > 5 ? ` and ${replaced.length - 5} more` : ''}?`, flags.yes)
    }
    const files = (await applyConfigWrite(pending)).map((f) => ({ path: shown(f.path), change: f.change }))
    const result: PullResult = { dir: shown(layout.dir), environment: this.context!.env, overlay, files, unread: state.unread }
    if (!this.jsonEnabled()) this.printResult(result)
    return result
  }

  private printResult(result: PullResult): void {
    const touched = result.files.filter((f) => f.change !== 'unchanged')
    for (const f of touched) this.log(`${f.change.padEnd(8)} ${f.path}`)
    const unchanged = result.files.length - touched.length
    this.log(touched.length ? `Pulled ${result.environment} into ${result.dir}${unchanged ? ` (${unchanged} files unchanged)` : ''}.` : `${result.dir} already matches ${result.environment}: nothing written.`)
    if (result.unread.length) this.log(`Not read: ${result.unread.join(', ')} settings (this target's tools cannot read them); the files keep what they said about them.`)
  }
}
