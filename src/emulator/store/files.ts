import { chmod, lstat, open, readdir, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'

/** The journal's open file: appends only, cut back to a length when a batch failed half-way. */
export interface AppendFile {
  write(chunk: Buffer, offset: number, length: number): Promise<{ bytesWritten: number }>
  datasync(): Promise<void>
  truncate(length: number): Promise<void>
  close(): Promise<void>
}

/** A snapshot's temp file, written a chunk at a time. */
export interface WriteFile {
  write(chunk: Buffer, offset: number, length: number): Promise<{ bytesWritten: number }>
  sync(): Promise<void>
  close(): Promise<void>
}

/**
 * The store's file layer: every byte of a journal or snapshot goes through here, and so do the renames and
 * deletions of a compaction. It is a seam so tests can make the disk fail (full, read-only) at exactly one point,
 * without touching the process-wide `fs`.
 */
export interface StoreFiles {
  /** Opens a file for appending, creating it 0600 (an existing one keeps its mode: `tightenModes` sees to it). */
  openAppend(path: string): Promise<AppendFile>
  /** Creates `path` afresh, 0600, replacing whatever was there. */
  openWrite(path: string): Promise<WriteFile>
  rename(from: string, to: string): Promise<void>
  /** Removes a file; one that does not exist is no error. */
  remove(path: string): Promise<void>
  /** Makes renames and deletions in `dir` durable. */
  syncDirectory(dir: string): Promise<void>
}

/** Owner-only modes, whatever the process umask: the data directory holds keys, tokens and user data. */
export const FILE_MODE = 0o600
export const DIR_MODE = 0o700

/** The temp file a snapshot of `path` is written to; one left by a crash is removed when the database opens. */
export function tempPathOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp`)
}

export const nodeFiles: StoreFiles = {
  openAppend: (path) => open(path, 'a', FILE_MODE),
  async openWrite(path) {
    // A fresh file, so the mode given here (which the umask can only narrow) is the mode it gets.
    await rm(path, { force: true })
    return open(path, 'wx', FILE_MODE)
  },
  rename: (from, to) => rename(from, to),
  remove: (path) => rm(path, { force: true }),
  async syncDirectory(dir) {
    const handle = await open(dir, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
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
 * Tightens a data directory made under a looser umask (or by hand): it and every directory below it 0700, every
 * file 0600. Symbolic links below it are left alone, never followed. An entry whose mode cannot be changed (a
 * file system without Unix modes, a file of another user) goes to `failed` and does not stop the rest.
 */
export async function tightenModes(dir: string, failed: (path: string, code: string) => void): Promise<void> {
  const restrict = async (path: string, mode: number, current: number) => {
    if ((current & 0o777) === mode) return
    await chmod(path, mode).catch((error: NodeJS.ErrnoException) => failed(path, error.code ?? 'error'))
  }
  const walk = async (path: string, mode: number): Promise<void> => {
    await restrict(path, DIR_MODE, mode)
    for (const entry of await readdir(path, { withFileTypes: true })) {
      const child = join(path, entry.name)
      if (entry.isDirectory()) await walk(child, (await lstat(child)).mode)
      else if (entry.isFile()) await restrict(child, FILE_MODE, (await lstat(child)).mode)
    }
  }
  const info = await stat(dir)
  if (info.isDirectory()) await walk(dir, info.mode)
}
