import { readFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { Doc } from './database.js'
import { tempPathOf, type StoreFiles } from './files.js'

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
 * Bytes written per chunk: about a millisecond of `JSON.stringify`, so a request waits at most that long behind a
 * snapshot of any size. Documents are encoded one by one into this reused buffer, never joined into large strings,
 * which V8 would allocate in the old generation and only reclaim with full garbage collections.
 */
const CHUNK_BYTES = 256 * 1024

export async function readSnapshot(path: string): Promise<Snapshot | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Snapshot
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

/**
 * Writes `view` as the snapshot at `path` a chunk at a time, awaiting each chunk's write so the event loop serves
 * requests between chunks, into a temporary file that is synced and then renamed over `path`: a crash at any point
 * leaves either the old snapshot or the new one, never half of one. Returns the snapshot's size in bytes.
 */
export async function writeSnapshot(
  files: StoreFiles,
  path: string,
  view: SnapshotView,
  options: { sync: boolean; step: (at: CompactionStep) => void | Promise<void> },
): Promise<number> {
  const { step } = options
  const temp = tempPathOf(path)
  const file = await files.openWrite(temp)
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES)
  let used = 0
  let bytes = 0
  const writeAll = async (data: Buffer, length: number) => {
    let offset = 0
    while (offset < length) offset += (await file.write(data, offset, length - offset)).bytesWritten
    bytes += length
  }
  const flush = async () => {
    await writeAll(buffer, used)
    used = 0
    await step('chunk')
  }
  const put = async (text: string) => {
    const length = Buffer.byteLength(text)
    if (used + length > CHUNK_BYTES) await flush()
    if (length > CHUNK_BYTES) await writeAll(Buffer.from(text), length)
    else used += buffer.write(text, used)
  }
  try {
    await put('{"format":1,"collections":{')
    for (const [c, [name, docs]] of view.entries()) {
      await put(`${c === 0 ? '' : ','}${JSON.stringify(name)}:[`)
      for (let i = 0; i < docs.length; i++) await put((i === 0 ? '' : ',') + JSON.stringify(docs[i]))
      await put(']')
    }
    await put('}}')
    await flush()
    // With `sync` (fsync `always`) the snapshot is on the platter before it replaces the old one, because the
    // journal segments it covers are deleted next; `everysec` leaves it to the page cache, as it does the journal.
    if (options.sync) await file.sync()
    await file.close()
  } catch (error) {
    await file.close().catch(() => undefined)
    await files.remove(temp)
    throw error
  }
  await step('written')
  await files.rename(temp, path)
  if (options.sync) await files.syncDirectory(dirname(path))
  await step('renamed')
  return bytes
}
