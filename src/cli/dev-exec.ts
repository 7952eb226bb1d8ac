import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { ReadyEvent } from '../contract/emulator.js'
import type { Logger } from '../emulator/logger.js'
import { SignalRelay, signalExitCode } from './child-command.js'
import { devDataDir } from './data-dir.js'
import { CliError } from './errors.js'
import { appliedLines, freshStart } from './project-files.js'
import { startEmulator, type EmulatorFlagValues } from './emulator-start.js'

export interface DevExecOptions {
  emulator: EmulatorFlagValues
  /** Kept afterwards; without it a temporary data dir is made and removed. */
  dataDir?: string
  /** Start from this snapshot of the data dir `bkend dev` uses here (--data-dir, else bkend.json's, else ./.bkend). */
  snapshot?: string
  /** The config folder (--dir), else the one bkend.json names, else bkend/ beside it, else ./bkend. */
  configDir?: string
  /** This CLI's version, for its MCP session with the emulator. */
  version: string
  command: string[]
  shell: boolean
  /** Where status lines go (stderr with --verbose); the emulator's warnings and errors go to stderr always. */
  status: (line: string) => void
}

/**
 * `bkend dev exec`: an emulator in this process, the command as a child that holds the terminal, then the
 * emulator stopped and a temporary data dir removed, whatever happened. Resolves with the command's exit status.
 */
export async function devExec(options: DevExecOptions): Promise<number> {
  const relay = new SignalRelay()
  const temporary = options.dataDir === undefined
  const dataDir = options.dataDir === undefined ? await temporaryDataDir() : resolve(options.dataDir)
  const logger: Logger = { info: options.status, warn: (message) => process.stderr.write(`warning: ${message}\n`), error: (message) => process.stderr.write(`error: ${message}\n`) }
  try {
    const snapshot = options.snapshot === undefined ? undefined : { dataDir: options.dataDir === undefined ? await devDataDir(undefined) : dataDir, name: options.snapshot }
    // A snapshot is the whole starting state; otherwise a fresh data dir gets the project's config and seed.
    const fresh = snapshot === undefined ? await freshStart(dataDir, { configDir: options.configDir, version: options.version, strictSeed: true, temporary }) : undefined
    const emulator = await startEmulator(options.emulator, dataDir, logger, { snapshot, beforeReady: fresh?.beforeReady })
    try {
      const from = snapshot ? `, from snapshot ${snapshot.name} of ${snapshot.dataDir}` : ''
      options.status(`emulator ready on ${emulator.url} (data dir ${dataDir}${temporary ? ', removed afterwards' : ''}${from})`)
      const applied = fresh?.applied()
      if (applied) for (const line of appliedLines(applied)) options.status(line)
      if (relay.pending) return signalExitCode(relay.pending)
      const code = await relay.run(options.command, { ...process.env, ...emulatorEnvironment(emulator.ready, dataDir) }, options.shell)
      options.status(`${options.command[0]} exited with status ${code}; stopping the emulator`)
      return code
    } finally {
      await emulator.stop()
    }
  } finally {
    try {
      if (temporary) await rm(dataDir, { recursive: true, force: true })
    } finally {
      relay.dispose()
    }
  }
}

/**
 * What the command's environment gets: where the emulator is and its keys for an app, and the target variables so
 * `bkend` commands inside act on this emulator (they find its runtime.json through BKEND_DATA_DIR).
 */
export function emulatorEnvironment(ready: ReadyEvent, dataDir: string): Record<string, string> {
  const environment = ready.environments[0]!
  return {
    BKEND_URL: ready.url,
    BKEND_API_URL: ready.url,
    BKEND_MCP_URL: ready.mcpUrl,
    BKEND_PUBLISHABLE_KEY: environment.publishableKey,
    BKEND_SECRET_KEY: environment.secretKey,
    BKEND_TENANT_TOKEN: ready.tenantToken,
    BKEND_TARGET: 'local',
    BKEND_DATA_DIR: dataDir,
    BKEND_ORGANIZATION: ready.organizationId,
    BKEND_PROJECT: ready.projectId,
    BKEND_ENV: environment.name,
    BKEND_ENV_ID: environment.id,
  }
}

async function temporaryDataDir(): Promise<string> {
  try {
    return await mkdtemp(join(tmpdir(), 'bkend-exec-'))
  } catch (error) {
    throw new CliError(`cannot make a temporary data dir in ${tmpdir()}: ${(error as Error).message}`, 'point TMPDIR at a writable directory, or pass --data-dir <dir>', 1, 'exec/no-temp-dir')
  }
}

