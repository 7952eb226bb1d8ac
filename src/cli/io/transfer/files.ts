import { createReadStream, type ReadStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { extname } from 'node:path'
import type { Writable } from 'node:stream'
import { CliError } from '../../errors.js'

export const FORMATS = ['ndjson', 'json', 'csv'] as const
export type Format = (typeof FORMATS)[number]

/** The format a file name implies: .ndjson/.jsonl, .json, .csv; undefined for anything else (and for `-`). */
export function formatFromPath(path: string): Format | undefined {
  const ext = extname(path).toLowerCase()
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson'
  if (ext === '.json') return 'json'
  if (ext === '.csv') return 'csv'
  return undefined
}

export interface Input {
  /** The text, chunk by chunk (UTF-8 decoded across chunk boundaries). */
  text: AsyncIterable<string>
  /** File size in bytes, when reading a file. */
  size?: number
  /** Bytes consumed so far, for progress. */
  bytesRead(): number
  /** Stops reading (an import ended early) so the open file does not outlive the command. */
  close(): void
}

/** A file, or standard input for `-`, as a text stream. Missing or unreadable files fail before anything is sent. */
export async function openInput(path: string): Promise<Input> {
  if (path === '-') {
    if (process.stdin.isTTY) throw new CliError('standard input is a terminal, not a file', 'pipe the data in (bkend data import posts - < posts.ndjson), or pass the file path', 2, 'cli/usage')
    process.stdin.setEncoding('utf8')
    return { text: process.stdin, bytesRead: () => 0, close: () => process.stdin.destroy() }
  }
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(`cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`, 'pass the path of an NDJSON, JSON or CSV file, or - for standard input', 1, 'import/no-file')
  })
  if (info.isDirectory()) throw new CliError(`${path} is a directory`, 'pass a file', 1, 'import/no-file')
  const stream: ReadStream = createReadStream(path, { encoding: 'utf8', highWaterMark: 256 * 1024 })
  return { text: stream, size: info.size, bytesRead: () => stream.bytesRead, close: () => stream.destroy() }
}

/**
 * Decides the format of an input whose name says nothing (stdin, unknown extension) from its first character:
 * `[` is a JSON array, `{` NDJSON. CSV cannot be told apart from text, so it needs --format.
 */
export async function sniffFormat(text: AsyncIterable<string>): Promise<{ format: Format | undefined; text: AsyncIterable<string> }> {
  const iterator = text[Symbol.asyncIterator]()
  const seen: string[] = []
  let first: string | undefined
  while (first === undefined) {
    const next = await iterator.next()
    if (next.done) break
    seen.push(next.value)
    first = /\S/.exec(next.value.replace(/^\uFEFF/, ''))?.[0]
  }
  const format = first === '[' ? 'json' : first === '{' ? 'ndjson' : first === undefined ? 'ndjson' : undefined
  async function* replay(): AsyncGenerator<string> {
    yield* seen
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value
  }
  return { format, text: replay() }
}

/** What opening an output does to a file already there: replace it, refuse (no --force), or add to its end. */
export type ExistingFile = 'replace' | 'refuse' | 'append'

/** An open export or rejects file. */
export interface Output {
  stream: Writable
  done(): Promise<void>
}

const OPEN_FLAGS: Record<ExistingFile, string> = { replace: 'w', refuse: 'wx', append: 'a' }

/**
 * A file (or standard output for `-`) to write an export or a rejects list to; `done()` resolves once everything is
 * flushed. The file is opened before any request is made, so a bad path (or one that exists, with `refuse`) fails
 * at once.
 */
export async function openOutput(path: string, existing: ExistingFile = 'replace'): Promise<Output> {
  if (path === '-') return { stream: process.stdout, done: async () => undefined }
  const cannotWrite = (error: NodeJS.ErrnoException) => new CliError(`cannot write ${path}: ${error.code === 'ENOENT' ? 'no such directory' : error.message}`, 'check that the directory exists and is writable', 1, 'cli/cannot-write')
  const handle = await open(path, OPEN_FLAGS[existing]).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') throw new CliError(`${path} already exists`, 'pass --force to replace it, or choose another file', 1, 'cli/file-exists')
    throw cannotWrite(error)
  })
  const stream = handle.createWriteStream()
  const finished = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve)
    stream.on('error', (error: NodeJS.ErrnoException) => reject(cannotWrite(error)))
  })
  finished.catch(() => undefined)
  return {
    stream,
    done: () => {
      stream.end()
      return finished
    },
  }
}
