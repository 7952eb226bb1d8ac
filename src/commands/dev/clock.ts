import { Args, Flags } from '@oclif/core'
import { ControlCommand } from '../../cli/control-command.js'
import { formatDuration, parseDuration } from '../../cli/duration.js'
import { CliError } from '../../cli/errors.js'
import { printFields } from '../../cli/output.js'
import type { ClockState } from '../../contract/emulator.js'

export type DevClockResult = ClockState & { offset: string }

export default class DevClock extends ControlCommand {
  static override summary = "Show or shift the local emulator's clock"
  static override description = [
    'Every expiry in bkend dev (access tokens, sessions, magic links, reset tokens, invitations, signed URLs) reads the emulator clock. Shifting it lets you test expiry without waiting.',
    'Without arguments, prints the emulator\'s now and its offset from real time. A signed duration moves the clock by that much (+1h, -30m, +2d, +90s, 1h30m); --set-offset sets the total offset and --reset goes back to real time. The offset lasts until bkend dev stops.',
  ].join('\n\n')

  static override examples = [
    '<%= config.bin %> dev clock',
    '<%= config.bin %> dev clock +2h',
    '<%= config.bin %> dev clock -30m',
    '<%= config.bin %> dev clock --set-offset 7d --json',
    '<%= config.bin %> dev clock --reset',
  ]

  static override args = { shift: Args.string({ description: 'how far to move the clock: a signed duration such as +1h, -30m, +2d, +90s' }) }
  static override flags = {
    reset: Flags.boolean({ description: 'go back to real time (offset 0)', exclusive: ['set-offset'] }),
    'set-offset': Flags.string({ description: 'set the total offset from real time, e.g. 2h or -1d' }),
  }

  async run(): Promise<DevClockResult> {
    const { args, flags } = await this.parse(DevClock)
    if (args.shift !== undefined && (flags.reset || flags['set-offset'] !== undefined)) {
      throw new CliError('give either a shift or --reset/--set-offset, not both', 'e.g. bkend dev clock +1h, or bkend dev clock --set-offset 1h', 2, 'cli/usage')
    }
    // parse before connecting, so a typo is a usage error even when no emulator runs
    const shift = args.shift === undefined ? undefined : parseDuration(args.shift)
    const offset = flags.reset ? 0 : flags['set-offset'] === undefined ? undefined : parseDuration(flags['set-offset'])
    const controls = await this.controls(flags, "the emulator's clock")
    const state = shift !== undefined ? await controls.advanceClock(shift) : offset !== undefined ? await controls.setClockOffset(offset) : await controls.clock()
    const result = { ...state, offset: formatDuration(state.offsetSeconds) }
    if (!this.jsonEnabled()) printFields([['Now', state.now], ['Offset', state.offsetSeconds === 0 ? '0s (real time)' : `${result.offset} from real time`]])
    return result
  }
}
