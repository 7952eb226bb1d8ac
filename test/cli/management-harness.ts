/* eslint-disable @typescript-eslint/no-explicit-any -- CLI --json output is checked by chai assertions, not typed */
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseJson, runCli, withoutMachineBkendEnv, type CliResult } from '../helpers/cli.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'

export interface CliRun extends CliResult {
  /** stdout parsed, when it is one JSON document. */
  json: any
  /** stderr parsed, when it is one JSON document (errors with --json). */
  errorJson: any
}

/** The management-command tests' setup: an in-process emulator, a scratch working dir and an isolated config dir. */
export interface ManagementHarness {
  emu: TestEmulator
  /** Working directory of every run (where bkend.json goes). */
  dir: string
  /** XDG_CONFIG_HOME of every run: `<configHome>/bkend/{config,credentials}.json`. */
  configHome: string
  /** Runs `bkend <args>` in-process; `--data-dir <emulator dir>` is added unless `dataDir: false`. */
  run(args: string[], options?: { env?: NodeJS.ProcessEnv; dataDir?: false; cwd?: string; input?: string }): Promise<CliRun>
  dispose(): Promise<void>
}

export async function startManagementHarness(): Promise<ManagementHarness> {
  const emu = await startEmulator()
  const dir = await mkdtemp(join(tmpdir(), 'bkend-mgmt-'))
  const configHome = join(dir, 'config')
  await mkdir(join(dir, 'work'))
  // isolation: no user config, linked project or BKEND_* variable of the machine running the tests may leak in
  const clean = withoutMachineBkendEnv()
  return {
    emu,
    dir: join(dir, 'work'),
    configHome,
    async run(args, options = {}) {
      const extra = options.dataDir === false ? [] : ['--data-dir', emu.dataDir]
      const result = await runCli([...args, ...extra], { cwd: options.cwd ?? join(dir, 'work'), env: { ...clean, XDG_CONFIG_HOME: configHome, ...options.env }, input: options.input })
      return { ...result, json: parseJson(result.stdout), errorJson: parseJson(result.stderr) }
    },
    async dispose() {
      await emu.dispose()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
