import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { CliError } from './errors.js'

/** How a file on disk stands against the text a generator would write. */
export type GeneratedState = 'same' | 'differs' | 'missing'

/**
 * Compares byte for byte, but for line endings: a checkout with CRLF line endings (git's autocrlf on Windows) holds
 * the same file, and a CI check must not fail on it.
 */
export async function compareGenerated(path: string, text: string): Promise<GeneratedState> {
  try {
    return (await readFile(path, 'utf8')).replace(/\r\n/g, '\n') === text ? 'same' : 'differs'
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing'
    throw unwritable(path, error)
  }
}

/**
 * Writes a generated file, creating its folder. An unchanged file is left alone, so watchers and build caches see
 * no change; a changed one is replaced by rename, so a reader (an editor, a running compiler) never sees half of it.
 */
export async function writeGenerated(path: string, text: string): Promise<'written' | 'unchanged'> {
  if ((await compareGenerated(path, text)) === 'same') return 'unchanged'
  const temp = `${path}.${process.pid}.tmp`
  try {
    await mkdir(dirname(path), { recursive: true })
    await writeFile(temp, text)
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw unwritable(path, error)
  }
  return 'written'
}

function unwritable(path: string, error: unknown): CliError {
  const code = (error as NodeJS.ErrnoException).code
  const why = code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOTDIR' ? 'a part of the path is a file' : (error as Error).message
  return new CliError(`cannot use ${path} for the generated types: ${why}`, 'pass --out with a file path you can write', 1, 'gen/unwritable')
}
