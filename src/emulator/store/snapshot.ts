import { open, readFile, rename, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Doc } from './database.js'

/** The snapshot file: every non-empty collection's documents as of one cut of the journal. */
export interface Snapshot {
  format: 1
  collections: Record<string, Doc[]>
}

/** Each collection's documents as they were at the cut: arrays of pointers to immutable documents. */
export type SnapshotView = Array<[name: string, docs: readonly Doc[]]>

/** Points of a compaction a test can stop the process at (see `DatabaseOptions.onCompactionStep`). */
export type CompactionStep = 'cut' | 'sealed' | 'chunk' | 'written' | 'renamed' | 'dropped'

/**
 * Serialised text written per chunk: about a millisecond of `JSON.stringify`, so a request waits at most that long
 * behind a snapshot of any size.
 */
const CHUNK_CHARS = 256 * 1024

export async function readSnapshot(path: string): Promise<Snapshot | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Snapshot
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

/** The temporary file a snapshot is written to before it replaces `path`; a crash can leave it behind. */
export const snapshotTempPath = (path: string): string => `${path}.tmp`

/**
 * Writes `view` as the snapshot at `path` a chunk at a time, awaiting each chunk's write so the event loop serves
 * requests between chunks, into a temporary file that is synced and then renamed over `path`: a crash at any point
 * leaves either the old snapshot or the new one, never half of one. Returns the snapshot's size in bytes.
 */
export async function writeSnapshot(path: string, view: SnapshotView, step: (at: CompactionStep) => void): Promise<number> {
  const temp = snapshotTempPath(path)
  const file = await open(temp, 'w')
  let bytes = 0
  let chunk = '{"format":1,"collections":{'
  const flush = async () => {
    const buffer = Buffer.from(chunk, 'utf8')
    chunk = ''
    let offset = 0
    while (offset < buffer.length) offset += (await file.write(buffer, offset, buffer.length - offset)).bytesWritten
    bytes += buffer.length
    step('chunk')
  }
  try {
    for (const [c, [name, docs]] of view.entries()) {
      chunk += `${c === 0 ? '' : ','}${JSON.stringify(name)}:[`
      for (let i = 0; i < docs.length; i++) {
        chunk += (i === 0 ? '' : ',') + JSON.stringify(docs[i])
        if (chunk.length >= CHUNK_CHARS) await flush()
      }
      chunk += ']'
    }
    chunk += '}}'
    await flush()
    // Synced whatever the fsync policy: once it replaces the old snapshot the journal segments it covers are
    // deleted, so it must not be lost in a power cut that those segments would have survived.
    await file.sync()
  } catch (error) {
    await file.close().catch(() => undefined)
    await rm(temp, { force: true })
    throw error
  }
  await file.close()
  step('written')
  await rename(temp, path)
  await syncDirectory(dirname(path))
  step('renamed')
  return bytes
}

/** Makes renames and deletions in `dir` durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
