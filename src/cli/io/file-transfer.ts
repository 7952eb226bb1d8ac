import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, rename, stat, unlink } from 'node:fs/promises'
import { basename, dirname, join, sep } from 'node:path'
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
 * Where a download goes: standard output for `-`; into a directory (an existing one, or one given with a trailing
 * slash, created when missing; none: the current one) under the file's own name, made safe; any other path is the
 * file. It is all decided before a byte moves: an existing file is refused without `force`, and so is a parent that
 * is not a directory. Bytes go to a hidden temporary file beside the target first, renamed into place only when
 * complete, so a failed or interrupted download never leaves a truncated file under the real name.
 */
export async function downloadTarget(path: string | undefined, filename: string, force: boolean): Promise<DownloadTarget> {
  if (path === '-') return { path, stream: process.stdout, end: false, commit: async () => undefined, discard: async () => undefined }
  const target = await targetPath(path, safeFileName(filename))
  const existing = await stat(target).catch(() => undefined)
  if (existing?.isDirectory()) throw new CliError(`${target} is a directory`, 'pass a file path, or a directory to download into', 1, 'cli/cannot-write')
  if (existing && !force) throw new CliError(`${target} already exists`, 'pass --force to replace it, or give another path', 1, 'cli/file-exists')
  const temporary = join(dirname(target), `.${basename(target)}.${randomBytes(4).toString('hex')}.part`)
  const stream = createWriteStream(temporary, { flags: 'wx' })
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve())
    stream.once('error', (error: NodeJS.ErrnoException) => reject(cannotWrite(target, error)))
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

/** A stored file name as one path segment: no separators to climb out of the directory, never `.` or `..`. */
export function safeFileName(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters have no business in a file name on disk
  const cleaned = name.replace(/[/\\]/g, '_').replace(/[\u0000-\u001f]/g, '').trim()
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'download' : cleaned
}

async function targetPath(path: string | undefined, name: string): Promise<string> {
  if (path === undefined) return name
  const info = await stat(path).catch(() => undefined)
  if (info?.isDirectory()) return join(path, name)
  if (!path.endsWith('/') && !path.endsWith(sep)) return path
  // `file.txt/` fails to stat (ENOTDIR); the name without the slash says what is in the way
  if (await stat(path.slice(0, -1)).then(() => true, () => false)) throw new CliError(`${path} is not a directory`, 'drop the trailing slash to write to that file, or pass a directory', 1, 'cli/cannot-write')
  await mkdir(path, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw cannotWrite(path, error)
  })
  return join(path, name)
}

function cannotWrite(path: string, error: NodeJS.ErrnoException): CliError {
  const why = error.code === 'ENOENT' ? 'no such directory' : error.code === 'ENOTDIR' ? 'a parent is not a directory' : error.message
  return new CliError(`cannot write ${path}: ${why}`, 'check that the directory exists and is writable', 1, 'cli/cannot-write')
}

/** The exit code of a command stopped by Ctrl+C, as shells report it (128 + SIGINT). */
export const INTERRUPTED = 130

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
    // note: not during this signal's dispatch: a listener registered after ours (ink's signal-exit, once a progress
    // line was drawn) that finds itself alone re-raises the signal and kills the process before the clean-up
    if (!onRepeat) setImmediate(dispose)
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
