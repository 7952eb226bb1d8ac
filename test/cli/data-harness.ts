/* eslint-disable @typescript-eslint/no-explicit-any -- CLI --json output is checked by chai assertions, not typed */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseJson, runCli, withoutMachineBkendEnv, type CliResult } from '../helpers/cli.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'

/** The runtime-command tests' setup: an in-process emulator, and the CLI run in-process against it through --data-dir. */
export interface CliHarness {
  emu: TestEmulator
  /** A scratch directory for files the test reads and writes (also the CLI's working directory). */
  dir: string
  /** Runs `bkend <args> --data-dir <emulator dir, unless options.dataDir>`; `json` is stdout parsed when it is JSON. */
  run(args: string[], options?: { input?: string; env?: NodeJS.ProcessEnv; dataDir?: string }): Promise<CliResult & { json: any }>
  table(tableName: string, schema?: Record<string, unknown>): Promise<void>
  dispose(): Promise<void>
}

export async function startCliHarness(): Promise<CliHarness> {
  const emu = await startEmulator()
  const dir = await mkdtemp(join(tmpdir(), 'bkend-cli-'))
  // isolation: no user config, linked project or BKEND_* variable of the machine running the tests may leak in
  const clean = withoutMachineBkendEnv()
  const env = { ...clean, XDG_CONFIG_HOME: join(dir, 'config') }
  return {
    emu,
    dir,
    async run(args, options = {}) {
      const result = await runCli([...args, '--data-dir', options.dataDir ?? emu.dataDir], { cwd: dir, input: options.input, env: { ...env, ...options.env } })
      return { ...result, json: parseJson(result.stdout) }
    },
    async table(tableName, schema = { bsonType: 'object', properties: {} }) {
      await emu.core.tables.create(emu.actor, { projectId: emu.seed.projectId, environment: 'dev', tableName, schema })
    },
    async dispose() {
      await emu.dispose()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
