import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { EmulatorControls } from '../client/emulator-controls.js'
import { Management } from '../client/management.js'
import { applyPlanAtomically } from '../client/plan-apply.js'
import { readProjectState } from '../client/project-state.js'
import { RuntimeClient } from '../client/runtime.js'
import { OVERLAYS_DIR, PROJECT_FILE, SEED_DIR, shownPath, TABLES_DIR, type ConfigLayout } from '../config/layout.js'
import { loadConfig } from '../config/load.js'
import type { ProjectModel } from '../config/model.js'
import { plan } from '../config/planner.js'
import { describeStep } from '../config/step-calls.js'
import type { ReadyEvent } from '../contract/emulator.js'
import { holdsData } from '../emulator/server.js'
import { openMcp } from './connect.js'
import { CliError } from './errors.js'
import { findConfigLayout } from './project-config.js'
import { readSeedLayout, type SeedLayout } from './seed/layout.js'
import { seedReport } from './seed/seed-report.js'
import { seed } from './seed/seed-service.js'
import type { TargetContext } from './target.js'

/** Requests in flight while seeding, as `bkend seed` keeps by default. */
const SEED_CONCURRENCY = 16

/** The config folder's tables and settings and its seed folder, read and checked before an emulator starts. */
export interface ProjectFiles {
  /** The config folder as messages show it. */
  dir: string
  model: ProjectModel
  seed?: SeedLayout
}

/** What applying the project files did, for the lines and events `bkend dev` and `dev exec` print. */
export interface AppliedFiles {
  dir: string
  /** Config steps applied (tables, fields, indexes, permissions, settings). */
  steps: number
  seed?: { created: number; rejected: number; lines: string[] }
}

/**
 * The project files a fresh data dir gets, or undefined without a config folder. Read before the emulator starts,
 * so a mistake in them stops the start with the data dir untouched (and still fresh for the next try).
 */
export async function readProjectFiles(layout: ConfigLayout, cwd = process.cwd()): Promise<ProjectFiles | undefined> {
  // note: a `bkend/` folder holding none of the config's entries is some other folder of that name (the app's own
  // code, say), and must not stop `bkend dev` from starting
  const entries = await readdir(layout.dir).catch(() => [] as string[])
  if (![PROJECT_FILE, TABLES_DIR, OVERLAYS_DIR, SEED_DIR].some((name) => entries.includes(name))) return undefined
  const model = await loadConfig(layout, { kind: 'local', secrets: (name) => process.env[name], cwd })
  const seedDir = join(layout.dir, SEED_DIR)
  const seedLayout = (await isDirectory(seedDir)) ? await readSeedLayout(seedDir) : undefined
  return { dir: shownPath(cwd, layout.dir), model, seed: seedLayout }
}

/**
 * Pushes the config to the emulator that `ready` describes, in one transaction, then loads the seed: the same
 * client calls as `bkend push` and `bkend seed`. Rejected seed rows fail it when `strictSeed`.
 */
export async function applyProjectFiles(ready: ReadyEvent, dataDir: string, files: ProjectFiles, version: string, strictSeed: boolean): Promise<AppliedFiles> {
  const steps = await pushConfig(ready, dataDir, files, version)
  if (!files.seed) return { dir: files.dir, steps }
  const environment = ready.environments[0]!
  const runtime = new RuntimeClient({ restUrl: ready.url, secretKey: environment.secretKey, environment: environment.name, connections: SEED_CONCURRENCY, bulk: true })
  try {
    const target = { restUrl: ready.url, secretKey: environment.secretKey, environment: environment.name, checked: true, source: 'local' as const, kind: 'local' as const }
    const result = await seed({ runtime, target, layout: files.seed, concurrency: SEED_CONCURRENCY, strict: false, progress: false, reset: null })
    const report = seedReport(result)
    if (strictSeed && (result.rejected > 0 || result.stopped)) {
      throw new CliError(`the seed in ${files.dir}/${SEED_DIR} was not loaded whole:\n${[...report.err, ...report.out].join('\n')}`, 'fix the rows named above and run again', 1, 'seed/rejected')
    }
    return { dir: files.dir, steps, seed: { created: result.created, rejected: result.rejected, lines: [...report.out, ...report.err] } }
  } finally {
    await runtime.close()
  }
}

/** What a start on `dataDir` does with the project files: nothing unless the data dir is fresh (holds no databases). */
export interface FreshStart {
  /** For `startEmulator`: applies the files before the emulator counts as ready. */
  beforeReady?: (ready: ReadyEvent) => Promise<void>
  /** What was applied, once the emulator has started. */
  applied(): AppliedFiles | undefined
}

/**
 * Reads the project files when `dataDir` is fresh, before the start touches it, so a mistake in them leaves it
 * fresh. A `temporary` data dir is thrown away after a failure anyway: the files are read while the emulator starts.
 */
export async function freshStart(dataDir: string, options: { configDir: string | undefined; version: string; strictSeed: boolean; temporary: boolean }): Promise<FreshStart> {
  if (await holdsData(dataDir)) return { applied: () => undefined }
  const reading = findConfigLayout(options.configDir).then((layout) => readProjectFiles(layout))
  // note: a start that fails before beforeReady never awaits the read; its failure is not one of its own
  reading.catch(() => undefined)
  if (!options.temporary && !(await reading)) return { applied: () => undefined }
  let applied: AppliedFiles | undefined
  return {
    beforeReady: async (ready) => {
      const files = await reading
      if (files) applied = await applyProjectFiles(ready, dataDir, files, options.version, options.strictSeed)
    },
    applied: () => applied,
  }
}

/** `bkend dev --json`'s events for a fresh start, after the ready event. */
export function appliedEvent(applied: AppliedFiles): object[] {
  const config = { event: 'config', status: 'applied', dir: applied.dir, steps: applied.steps }
  return applied.seed ? [config, { event: 'seed', ...applied.seed }] : [config]
}

/** A line for the config, then the seed's report, as `bkend dev` prints them on stderr. */
export function appliedLines(applied: AppliedFiles): string[] {
  return [`config: ${applied.steps} step${applied.steps === 1 ? '' : 's'} applied from ${applied.dir}`, ...(applied.seed?.lines.map((line) => `seed: ${line}`) ?? [])]
}

async function pushConfig(ready: ReadyEvent, dataDir: string, files: ProjectFiles, version: string): Promise<number> {
  const connection = await openMcp(localContext(ready, dataDir), version)
  try {
    const management = new Management(connection)
    const live = await readProjectState(management)
    const steps = plan(files.model, live.model)
    const controls = new EmulatorControls(ready.url, ready.tenantToken)
    const report = await applyPlanAtomically(management, controls, steps).finally(() => controls.close())
    if (report.failed) {
      const { step, error } = report.failed
      throw new CliError(`${files.dir}: ${describeStep(step)} was refused: ${error.message}; nothing of the config was applied`, `fix ${files.dir}, remove the data dir and start again (or run 'bkend push' against this emulator)`, 1, 'config/apply-failed')
    }
    return report.applied.length
  } finally {
    await connection.close()
  }
}

/** The target context of an emulator this process runs, without reading runtime.json (not written yet). */
export function localContext(ready: ReadyEvent, dataDir: string): TargetContext {
  const { event: _event, ...rest } = ready
  return {
    kind: 'local',
    target: 'local',
    mcpUrl: ready.mcpUrl,
    restUrl: ready.url,
    profile: 'default',
    project: ready.projectId,
    env: ready.environments[0]!.name,
    organizationId: ready.organizationId,
    sources: { target: 'flag', project: 'emulator', env: 'default', dataDir: 'flag' },
    runtime: { version: 1, pid: process.pid, startedAt: new Date().toISOString(), ...rest },
    dataDir,
  }
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  )
}
