import { chmod, lstat, open, readdir, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** The journal's open file: appends only, cut back to a length when a batch failed half-way. */
export interface AppendFile {
  write(chunk: Buffer, offset: number, length: number): Promise<{ bytesWritten: number }>
  datasync(): Promise<void>
  truncate(length: number): Promise<void>
  close(): Promise<void>
}

/**
 * The store's file layer: every byte of a journal or snapshot goes through here. It is a seam so tests can make
 * the disk fail (full, read-only) at exactly one point, without touching the process-wide `fs`.
 */
export interface StoreFiles {
  /** Opens (creating it 0600) a file for appending. */
  openAppend(path: string): Promise<AppendFile>
  /** Replaces `path` with `text` in one step (temp file + rename); a failure removes the temp file and rethrows. */
  writeAtomic(path: string, text: string, options: { sync: boolean }): Promise<void>
}

/** Owner-only modes, whatever the process umask: the data directory holds keys, tokens and user data. */
export const FILE_MODE = 0o600
export const DIR_MODE = 0o700

/** The temp file `writeAtomic` uses for `path`; one left by a crash is removed when the database opens. */
export function tempPathOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp`)
}

export const nodeFiles: StoreFiles = {
  async openAppend(path) {
    const handle = await open(path, 'a', FILE_MODE)
    await handle.chmod(FILE_MODE)
    return handle
  },
  async writeAtomic(path, text, { sync }) {
    const temp = tempPathOf(path)
    try {
      const handle = await open(temp, 'w', FILE_MODE)
      try {
        await handle.chmod(FILE_MODE)
        await handle.writeFile(text, 'utf8')
        if (sync) await handle.sync()
      } finally {
        await handle.close()
      }
      await rename(temp, path)
    } catch (error) {
      await rm(temp, { force: true })
      throw error
    }
  },
}

/** A write the disk refused; `full` when it ran out of space or quota, the case a client can wait out. */
export class StoreWriteError extends Error {
  readonly full: boolean
  constructor(
    readonly code: string,
    what: string,
  ) {
    super(`${what} failed: ${code}`)
    this.name = 'StoreWriteError'
    this.full = code === 'ENOSPC' || code === 'EDQUOT'
  }

  static of(error: unknown, what: string): StoreWriteError {
    return error instanceof StoreWriteError ? error : new StoreWriteError((error as NodeJS.ErrnoException).code ?? 'EIO', what)
  }
}

/**
 * Tightens a data directory made under a looser umask (or by hand): every directory below it 0700, every file
 * 0600. Symbolic links are left alone, never followed.
 */
export async function tightenModes(dir: string): Promise<void> {
  const info = await lstat(dir)
  if (!info.isDirectory()) return
  if ((info.mode & 0o777) !== DIR_MODE) await chmod(dir, DIR_MODE)
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) await tightenModes(path)
    else if (entry.isFile() && ((await lstat(path)).mode & 0o777) !== FILE_MODE) await chmod(path, FILE_MODE)
  }
}
