import { Flags } from '@oclif/core'
import { BaseCommand } from '../../cli/base-command.js'
import { devExec } from '../../cli/dev-exec.js'
import { emulatorFlags } from '../../cli/emulator-start.js'
import { CliError } from '../../cli/errors.js'
import { configDirFlag } from '../../cli/project-config.js'

export default class DevExec extends BaseCommand {
  static override summary = 'Run a command against a fresh emulator, then stop it'
  static override description = `Starts an emulator in this process on a free loopback port with a temporary data dir (or --data-dir, which is kept), runs the command after -- with the emulator's URLs and keys in its environment, stops the emulator, removes the temporary data dir and exits with the command's exit status: a CI job needs nothing but \`npx bkend dev exec -- npm test\`.

On a fresh data dir (always, unless --data-dir names one that holds data) the project's config folder (bkend/, see docs/config.md) is pushed to the emulator in one transaction and its seed loaded before the command starts; an invalid file, a refused step or a rejected seed row stops here with exit 1 and the command does not run.

--snapshot NAME starts from a snapshot saved with \`bkend dev snapshot save NAME\`: one of --data-dir when given, else of the data dir \`bkend dev\` uses here (the dataDir of bkend.json, else ./.bkend), which is only read.

The command gets BKEND_URL, BKEND_API_URL, BKEND_MCP_URL, BKEND_PUBLISHABLE_KEY, BKEND_SECRET_KEY, BKEND_TENANT_TOKEN, BKEND_ORGANIZATION, BKEND_PROJECT, BKEND_ENV, BKEND_ENV_ID, and BKEND_TARGET=local with BKEND_DATA_DIR, so \`bkend\` commands inside it act on this emulator.

The command runs as given, without a shell (--shell runs it with /bin/sh -c, for && and pipes). SIGTERM and SIGHUP are passed on to it, and SIGINT too unless stdin is a terminal (there Ctrl+C already reaches the command, once); a command killed by a signal exits 128 + the signal's number, one that does not exist 127, one that is not executable 126. stdout belongs to the command: bkend dev exec writes nothing there, and on stderr only the emulator's warnings, plus status lines with --verbose.`

  static override examples = [
    '<%= config.bin %> dev exec -- npm test',
    '<%= config.bin %> dev exec --shell -- "npm run migrate && npm test"',
    '<%= config.bin %> dev exec --data-dir ./tmp/bkend --port 4200 -- node server.js',
    '<%= config.bin %> dev exec --snapshot checkout-fixtures -- npm run e2e',
    '<%= config.bin %> dev exec --cloud-parity --verbose -- npx playwright test',
  ]

  static override usage = ['dev exec [FLAGS] -- <command>...']
  static override strict = false
  static override flags = {
    ...emulatorFlags,
    // note: neither reads BKEND_PORT nor BKEND_DATA_DIR, which this command exports to its child: a `dev exec` inside
    // one (or a job that sets them for `bkend dev`) still gets its own emulator on a free port and a fresh data dir
    port: Flags.integer({ description: 'port to listen on (default 0: a free one)', default: 0, min: 0, max: 65535 }),
    'data-dir': Flags.string({ description: 'data dir to use and keep (default: a temporary one, removed afterwards)' }),
    dir: configDirFlag,
    snapshot: Flags.string({ description: "start from this snapshot ('bkend dev snapshot save') of the data dir bkend dev uses here: --data-dir, else bkend.json's dataDir, else ./.bkend" }),
    shell: Flags.boolean({ description: 'run the command with /bin/sh -c (its words joined by spaces), for &&, pipes and variables' }),
    verbose: Flags.boolean({ description: 'write status lines (emulator URL, data dir, exit status) on stderr' }),
  }

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(DevExec)
    const dashes = this.argv.indexOf('--')
    if (dashes === -1 && argv.length > 0) throw new CliError('the command must come after --', `bkend dev exec -- ${argv.join(' ')}`, 2, 'cli/usage')
    const command = this.argv.slice(dashes + 1)
    if (dashes === -1 || command.length === 0) throw new CliError('no command to run', 'put it after --: bkend dev exec -- npm test', 2, 'cli/usage')
    const status = flags.verbose ? (line: string) => process.stderr.write(`bkend dev exec: ${line}\n`) : () => undefined
    const code = await devExec({ emulator: flags, dataDir: flags['data-dir'], snapshot: flags.snapshot, configDir: flags.dir, version: this.config.version, command, shell: flags.shell, status })
    if (code !== 0) this.exit(code)
  }
}
