import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { rename, stat, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { Writable } from 'node:stream'
import { CliError } from '../errors.js'
import { progressReporter } from './progress.js'

/** A file to upload: its size and the name it is stored under. Missing files and directories fail before any request. */
export async function uploadSource(path: string): Promise<{ size: number; name: string }> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`, 'pass the path of an existing file to upload', 1, 'files/no-file')
  })
  if (!info.isFile()) throw new CliError(`${path} is not a regular file`, 'pass the path of a file (directories are not uploaded)', 1, 'files/no-file')
  return { size: info.size, name: basename(path) }
}

export interface DownloadTarget {
  /** Where the bytes end up (`-` for standard output). */
  path: string
  stream: Writable
  /** Whether finishing the download should end the stream (not standard output). */
  end: boolean
  /** Moves the finished download into place. */
  commit(): Promise<void>
  /** Removes what an unfinished download wrote. */
  discard(): Promise<void>
}

/**
 * Where a download goes: standard output for `-`; a directory (or nothing: the current one) gets the file's own
 * name; any other path is the file. Bytes go to a hidden temporary file beside it first, renamed into place only
 * when complete, so a failed or interrupted download never leaves a truncated file under the real name.
 */
export async function downloadTarget(path: string | undefined, filename: string): Promise<DownloadTarget> {
  if (path === '-') return { path, stream: process.stdout, end: false, commit: async () => undefined, discard: async () => undefined }
  const isDirectory = path === undefined || (await stat(path).then((s) => s.isDirectory(), () => false))
  const target = isDirectory ? join(path ?? '.', basename(filename)) : path
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.part`)
  const stream = createWriteStream(temporary, { flags: 'wx' })
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve())
    stream.once('error', (error: NodeJS.ErrnoException) =>
      reject(new CliError(`cannot write ${target}: ${error.code === 'ENOENT' ? 'no such directory' : error.message}`, 'check that the directory exists and is writable', 1, 'cli/cannot-write')),
    )
  })
  return {
    path: target,
    stream,
    end: true,
    commit: () => rename(temporary, target),
    discard: async () => {
      stream.destroy()
      await unlink(temporary).catch(() => undefined)
    },
  }
}

/**
 * An abort signal that fires on Ctrl+C (SIGINT) or SIGTERM while a transfer runs, so it can clean up (abort the
 * multipart upload, remove a partial download, let an import's requests in flight finish) before the command ends.
 * A second signal calls `onRepeat` when given (stop without waiting any longer); without it, Node's default handling
 * ends the process at once. `dispose()` restores the default handling.
 */
export function interruptSignal(onRepeat?: () => void): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController()
  const dispose = () => {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
  const onSignal = () => {
    if (controller.signal.aborted) return onRepeat?.()
    controller.abort(new CliError('interrupted', undefined, 1, 'cli/interrupted'))
    if (!onRepeat) dispose()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return { signal: controller.signal, dispose }
}

/** A byte counter drawn as a progress line on a terminal (10 redraws a second at most); nothing elsewhere. */
export async function byteProgress(label: string, total: number | undefined, enabled: boolean): Promise<{ add(bytes: number): void; done(): void }> {
  const reporter = await progressReporter(label, enabled)
  const started = performance.now()
  let bytes = 0
  const draw = () => reporter?.update({ rows: bytes, unit: 'bytes', fraction: total ? bytes / total : undefined, elapsedMs: performance.now() - started })
  const timer = reporter ? setInterval(draw, 100) : undefined
  return {
    add: (n) => (bytes += n),
    done: () => {
      clearInterval(timer)
      draw()
      reporter?.done()
    },
  }
}
