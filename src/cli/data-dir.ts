import { access, readFile } from 'node:fs/promises'
import { dirname, join, relative, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { EmulatorControls } from '../client/emulator-controls.js'
import { DEFAULT_DATA_DIR, RUNTIME_FILE, type RuntimeFile } from '../contract/emulator.js'
import { CliError } from './errors.js'
import { findLinkedProject, type FoundLink } from './linked-project.js'

/** Where the local emulator's data dir came from: `found` is a `.bkend/runtime.json` in the cwd or a parent. */
export type DataDirSource = 'flag' | 'env' | 'link' | 'profile' | 'found' | 'default'

export interface DataDirChoice {
  dir: string
  source: DataDirSource
}

/** `--wait` without a value waits this long for a starting emulator. */
export const DEFAULT_WAIT_SECONDS = 30
const POLL_MS = 100

/**
 * The data dir of the local emulator: --data-dir / BKEND_DATA_DIR, then bkend.json's `dataDir`, then the profile's,
 * then the nearest `.bkend/runtime.json` from cwd upwards (as git finds its repository), then `./.bkend`.
 */
export async function chooseDataDir(given: { dir: string; source: 'flag' | 'env' } | undefined, link: FoundLink | undefined, profileDir: string | undefined): Promise<DataDirChoice> {
  if (given) return { dir: resolve(given.dir), source: given.source }
  const linked = link && linkedDataDir(link)
  if (linked) return { dir: linked, source: 'link' }
  if (profileDir) return { dir: resolve(profileDir), source: 'profile' }
  const found = await runtimeUpwards(process.cwd())
  return found ? { dir: found, source: 'found' } : { dir: resolve(DEFAULT_DATA_DIR), source: 'default' }
}

/** `bkend dev` starts where the user expects: the flag, else the nearest bkend.json's `dataDir`, else `./.bkend`. */
export async function devDataDir(flag: string | undefined): Promise<string> {
  if (flag !== undefined) return resolve(flag)
  const found = await findLinkedProject()
  const linked = found && (found.link.target === undefined || found.link.target === 'local') ? linkedDataDir(found) : undefined
  return linked ?? resolve(DEFAULT_DATA_DIR)
}

/** bkend.json keeps `dataDir` relative to its own directory, so the project can be moved or committed. */
export function linkedDataDir(found: FoundLink): string | undefined {
  return found.link.dataDir === undefined ? undefined : resolve(dirname(found.path), found.link.dataDir)
}

/** `dataDir` as bkend.json in `linkDir` stores it. */
export function relativeDataDir(linkDir: string, dataDir: string): string {
  return relative(resolve(linkDir), dataDir) || '.'
}

/**
 * The running emulator's runtime file. No file, or one left by an emulator whose process is gone, means no
 * emulator runs there: said at once rather than as a refused connection later.
 */
export async function readRuntimeFile(choice: DataDirChoice): Promise<RuntimeFile> {
  const path = join(choice.dir, RUNTIME_FILE)
  let runtime: RuntimeFile
  try {
    runtime = JSON.parse(await readFile(path, 'utf8')) as RuntimeFile
  } catch {
    const where = choice.source === 'default' ? `${choice.dir} (nor in a .bkend of a parent directory)` : `${choice.dir} (data dir from ${describeDataDirSource(choice.source)})`
    throw new CliError(`no running bkend dev found in ${where}`, `start one with 'bkend dev', or pass --data-dir <dir>, or --wait to wait for one that is starting, or --target <url> with --secret-key`, 1, 'target/no-emulator')
  }
  if (!processAlive(runtime.pid)) {
    throw new CliError(`no running bkend dev: ${path} was written by pid ${runtime.pid}, which is no longer running`, `start it again with 'bkend dev' (data dir ${choice.dir}), or pass --wait to wait for one that is starting`, 1, 'target/no-emulator')
  }
  return runtime
}

/**
 * Polls until the emulator of the data dir `locate` picks has written its runtime file, its process is alive and
 * `/_emulator/health` answers; `locate` runs on every poll because a starting emulator may create the dir it finds.
 */
export async function waitForEmulator(locate: () => Promise<DataDirChoice>, seconds: number): Promise<{ choice: DataDirChoice; runtime: RuntimeFile }> {
  const deadline = Date.now() + seconds * 1000
  for (;;) {
    const choice = await locate()
    let reason: string
    try {
      const runtime = await readRuntimeFile(choice)
      const controls = new EmulatorControls(runtime.url, runtime.tenantToken)
      try {
        await controls.health()
      } finally {
        await controls.close()
      }
      return { choice, runtime }
    } catch (error) {
      if (error instanceof CliError && error.code !== 'target/no-emulator') throw error
      reason = (error as Error).message
    }
    if (Date.now() >= deadline) {
      throw new CliError(`no bkend dev became ready within ${seconds}s in ${choice.dir}: ${reason}`, `start it with 'bkend dev --data-dir ${choice.dir}', or wait longer with --wait=<seconds>`, 1, 'target/wait-timeout')
    }
    await sleep(POLL_MS)
  }
}

/** For messages and `bkend status`. */
export function describeDataDirSource(source: DataDirSource): string {
  return { flag: '--data-dir', env: 'BKEND_DATA_DIR', link: 'bkend.json', profile: 'the profile', found: 'the nearest .bkend', default: 'the default ./.bkend' }[source]
}

async function runtimeUpwards(cwd: string): Promise<string | undefined> {
  let dir = resolve(cwd)
  for (;;) {
    const candidate = join(dir, DEFAULT_DATA_DIR)
    if (await access(join(candidate, RUNTIME_FILE)).then(() => true, () => false)) return candidate
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}

/** Signal 0 checks existence only; EPERM means the process exists under another user. */
function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
