import { Flags } from '@oclif/core'
import { BaseCommand } from '../../cli/base-command.js'
import { DEFAULT_WAIT_SECONDS } from '../../cli/data-dir.js'
import { resolveTargetContext, targetFlags } from '../../cli/target.js'

export interface DevWaitResult {
  url: string
  mcpUrl: string
  dataDir: string
  pid: number
}

export default class DevWait extends BaseCommand {
  static override summary = 'Wait until a starting bkend dev is ready'
  static override description =
    'Polls until the emulator of the data dir has written its runtime.json, its process is alive and /_emulator/health answers, then prints its URL. For scripts that start `bkend dev` in the background; every command that acts on the local emulator also takes --wait[=seconds] for the same.'

  static override examples = ['<%= config.bin %> dev --data-dir ./tmp/bkend & <%= config.bin %> dev wait --data-dir ./tmp/bkend', '<%= config.bin %> dev wait --timeout 60 --json']
  static override enableJsonFlag = true
  static override flags = {
    'data-dir': targetFlags['data-dir'],
    profile: targetFlags.profile,
    timeout: Flags.integer({ description: 'seconds to wait before giving up', default: DEFAULT_WAIT_SECONDS, min: 0 }),
  }

  async run(): Promise<DevWaitResult> {
    const { flags } = await this.parse(DevWait)
    const context = await resolveTargetContext({ target: 'local', 'data-dir': flags['data-dir'], profile: flags.profile, wait: flags.timeout })
    const runtime = context.runtime!
    if (!this.jsonEnabled()) this.log(`bkend dev is ready on ${runtime.url} (data dir ${context.dataDir}, pid ${runtime.pid}).`)
    return { url: runtime.url, mcpUrl: runtime.mcpUrl, dataDir: context.dataDir!, pid: runtime.pid }
  }
}
