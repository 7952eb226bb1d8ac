/* eslint-disable @typescript-eslint/no-explicit-any -- CLI --json output is checked by chai assertions, not typed */
import { join } from 'node:path'
import { parseJson, runCli, spawnDev, withoutMachineBkendEnv, type CliResult, type DevProcess } from './cli.js'
import { tempDir } from './tmp.js'

export interface DevRun extends CliResult {
  /** stdout parsed, when it is one JSON document. */
  json: any
  /** stderr parsed, when it is one JSON document (errors with --json). */
  errorJson: any
}

/** A spawned `bkend dev` on a free port and a temp data dir, and the CLI run in-process against it from that dir. */
export interface DevHarness {
  dev: DevProcess
  /** The emulator's data dir, also the working directory and home of the config dir of every run. */
  dir: string
  /** Runs `bkend <args> --data-dir <dir>` (unless `dataDir: false`) with no BKEND_* from the machine. */
  run(args: string[], options?: { env?: NodeJS.ProcessEnv; dataDir?: false; input?: string }): Promise<DevRun>
  dispose(): Promise<void>
}

export async function startDevHarness(): Promise<DevHarness> {
  const { dir, cleanup } = await tempDir('bkend-dev-cli-')
  const dev = await spawnDev(['--port', '0', '--data-dir', dir])
  const clean = withoutMachineBkendEnv()
  return {
    dev,
    dir,
    async run(args, options = {}) {
      const extra = options.dataDir === false ? [] : ['--data-dir', dir]
      const result = await runCli([...args, ...extra], { cwd: dir, input: options.input, env: { ...clean, XDG_CONFIG_HOME: join(dir, 'config'), ...options.env } })
      return { ...result, json: parseJson(result.stdout), errorJson: parseJson(result.stderr) }
    },
    async dispose() {
      await dev.stop()
      await cleanup()
    },
  }
}
