import { Flags } from '@oclif/core'
import { INTERRUPTED, interruptSignal } from '../../cli/io/file-transfer.js'
import { RuntimeCommand } from '../../cli/io/runtime-command.js'
import { configDirFlag } from '../../cli/project-config.js'
import { seedFolder } from '../../cli/seed/folder.js'
import { readSeedLayout } from '../../cli/seed/layout.js'
import { resetForSeed } from '../../cli/seed/reset.js'
import { seedReport } from '../../cli/seed/seed-report.js'
import { checkTables, seed, type SeedResult } from '../../cli/seed/seed-service.js'

export type SeedCommandResult = SeedResult


export default class Seed extends RuntimeCommand {
  static override summary = 'Load the seed data of the config folder into an environment'
  static override description = `Reads seed/ in the config folder (bkend/ beside bkend.json, or --dir): end users from users.json or users.ndjson, each table's records from data/<table>.ndjson, .json or .csv (streamed, like bkend data import), and the files listed in files.json. Users come first, then the tables by name, then the files.

Idempotent: a user whose e-mail exists, a record whose key field (seed.json "keys") already holds the row's value, and a file whose seed key is stored are left as they are, so a second run creates nothing. A table without a declared key is seeded only while it is empty.

Rejected rows are reported as bkend data import reports them, placed as file:line; the exit code is then 1. --strict: the first rejection stops that part and deletes what this run created in it, and the seed ends there.

--reset empties the local emulator's environment first (records, users and files; tables, keys and settings stay). On a remote environment it deletes every record of the tables the seed fills, the seed's users and its files, after a confirmation (--yes without a terminal).

Works against the local emulator and, with the environment's secret key (BKEND_SECRET_KEY), against the cloud; docs/seed.md says what only the emulator can seed.`

  static override examples = [
    '<%= config.bin %> seed',
    '<%= config.bin %> seed --strict --json',
    '<%= config.bin %> seed --reset',
    '<%= config.bin %> seed --dir infra/bkend --env staging',
    'BKEND_SECRET_KEY=sk_… <%= config.bin %> seed --target cloud --env staging',
  ]

  static override flags = {
    dir: configDirFlag,
    strict: Flags.boolean({ description: 'the first rejected row fails the seed, keeping nothing of that table' }),
    reset: Flags.boolean({ description: 'empty the environment first (local emulator); elsewhere delete the seeded tables\' records and the seed\'s users and files' }),
    yes: Flags.boolean({ description: 'do not ask before --reset deletes on a remote environment' }),
    concurrency: Flags.integer({ description: 'requests in flight at most, one record each (remote targets; the local emulator takes records 500 to a request)', min: 1, max: 128, default: 16 }),
  }

  async run(): Promise<SeedCommandResult> {
    const { flags } = await this.parse(Seed)
    const layout = await readSeedLayout(await seedFolder(flags.dir))
    const runtime = await this.runtime(flags, { connections: flags.concurrency })
    if (flags.reset) await checkTables(layout, runtime.data)
    const reset = flags.reset ? await resetForSeed(flags, this.target!, layout, runtime, flags.yes) : null
    // a second Ctrl+C ends at once; what was written stays, and a rerun counts it unchanged
    const interrupt = interruptSignal(() => process.exit(INTERRUPTED))
    interrupt.signal.addEventListener('abort', () => {
      // after the part's own listener has drawn its progress line stopped, or the redraw would erase this line
      if (!this.jsonEnabled()) setImmediate(() => this.logToStderr('Stopping: waiting for the records in flight (Ctrl+C again to stop at once)…'))
    })
    let result: SeedResult
    try {
      result = await seed({ runtime, target: this.target!, layout, reset, concurrency: flags.concurrency, strict: flags.strict, progress: !this.jsonEnabled(), signal: interrupt.signal })
    } finally {
      interrupt.dispose()
    }
    if (!this.jsonEnabled()) {
      const report = seedReport(result)
      for (const line of report.out) this.log(line)
      for (const line of report.err) this.logToStderr(line)
    }
    if (result.parts.some((p) => p.status === 'interrupted')) process.exitCode = INTERRUPTED
    else if (result.rejected > 0 || result.stopped) process.exitCode = 1
    return result
  }
}
