import { Args, Flags } from '@oclif/core'
import { ControlCommand } from '../../cli/control-command.js'
import { CliError } from '../../cli/errors.js'

export interface OpenResult {
  /** The one-time sign-in URL (10 minutes, single use). */
  url: string
  expiresAt: string
  /** The console path it lands on. */
  path: string
  opened: boolean
}

export default class Open extends ControlCommand {
  static override summary = 'Open the local console in the browser, signed in'
  static override description = [
    'Asks the running bkend dev for a one-time sign-in URL (single use, 10 minutes) for the tenant the CLI acts as (the one of `bkend login --target local`, else the emulator’s first tenant), and opens it in the default browser: the browser gets a console session and lands on the console (`/_/`) or on the path given.',
    'With --print (or --json, or without a terminal) the URL is only printed, for scripts, tests and browsers on another profile. Other tenants sign in on the console’s sign-in page (magic link or the fake Google/GitHub).',
  ].join('\n\n')

  static override examples = ['<%= config.bin %> open', '<%= config.bin %> open /_/signin', '<%= config.bin %> open --print']
  static override args = { path: Args.string({ description: 'console path to land on (default /_/)' }) }
  static override flags = {
    print: Flags.boolean({ description: 'print the URL instead of opening a browser' }),
  }

  async run(): Promise<OpenResult> {
    const { args, flags } = await this.parse(Open)
    const path = args.path ?? '/_/'
    if (!path.startsWith('/') || path.startsWith('//')) throw new CliError(`"${path}" is not a console path`, 'give a path of the emulator such as /_/ (or leave it out)', 2, 'cli/usage')
    const controls = await this.controls(flags, 'the console', true)
    const { url, expiresAt } = await controls.consoleSignInUrl(path)
    const opened = !flags.print && !this.jsonEnabled() && process.stdout.isTTY === true
    if (!this.jsonEnabled()) this.log(url)
    if (opened) {
      process.stderr.write('Opening the console in your browser…\n')
      const { default: open } = await import('open')
      await open(url).catch(() => process.stderr.write('Could not start a browser; open the URL above yourself.\n'))
    }
    return { url, expiresAt, path, opened }
  }
}
