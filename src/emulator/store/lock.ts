import { open, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'

/** Raised when another live emulator holds the data directory. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`data directory ${dataDir} is in use by another bkend emulator (pid ${pid})`)
    this.name = 'DataDirLockedError'
  }
}

export interface DataDirLock {
  release(): Promise<void>
}

// Locks held by this process: a lock file naming our own pid is ours only if we took it.
const held = new Set<string>()

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes `<dataDir>/bkend.lock` so two emulators never share one data directory. A lock left by a process that no
 * longer runs (a crash, `kill -9`) is stale and taken over.
 */
export async function acquireLock(dataDir: string): Promise<DataDirLock> {
  const path = join(dataDir, 'bkend.lock')
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600)
      await handle.writeFile(`${process.pid}\n`)
      await handle.close()
      held.add(path)
      return {
        release: async () => {
          held.delete(path)
          await rm(path, { force: true })
        },
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10)
    const ours = owner === process.pid && held.has(path)
    if (Number.isInteger(owner) && owner > 0 && (ours || (owner !== process.pid && isAlive(owner)))) {
      throw new DataDirLockedError(dataDir, owner)
    }
    await rm(path, { force: true })
  }
  throw new Error(`could not take the lock ${path}`)
}
