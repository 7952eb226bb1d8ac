import { open, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import { Collection, SnapshotFile } from './collection.js'
import type { Doc } from './database.js'
import { tempPathOf, type StoreFiles } from './files.js'

/** A snapshot's collections, every document parsed (what a restore reads). */
export interface Snapshot {
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

/**
 * The first line of a snapshot in lines (format 2): then for each collection a line `{"c":<name>}` followed by one
 * line per document, `<id as JSON>\t<document as JSON>`, and a last line `{"end":<documents>}` that says the file is
 * whole. Format 1, still read, is one JSON document `{"format":1,"collections":{<name>:[<document>,…]}}`.
 */
const FORMAT_2 = '{"format":2}\n'

/** Raised when a snapshot cannot be read (a truncated or foreign file). */
export class SnapshotCorruptError extends Error {
  constructor(path: string, reason: string) {
    super(`${path} is not a readable snapshot: ${reason}`)
    this.name = 'SnapshotCorruptError'
  }
}

/** Bytes of a format-2 snapshot scanned at a time at load (then dropped: documents are read back when parsed). */
const PIECE_BYTES = 8 * 1024 * 1024

/** The open file when it is format 2, its bytes when it is format 1, or null when it does not exist. */
async function openSnapshot(path: string): Promise<{ file: FileHandle } | { bytes: Buffer } | null> {
  let file: FileHandle
  try {
    file = await open(path, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  try {
    const head = Buffer.alloc(FORMAT_2.length)
    await file.read(head, 0, head.length, 0)
    if (head.toString('latin1') === FORMAT_2) return { file }
    const bytes = await file.readFile()
    await file.close()
    return { bytes }
  } catch (error) {
    await file.close()
    throw error
  }
}

/**
 * Opens a snapshot for the store: each collection by id, a format-2 document kept in the file until first read
 * (see `Collection`), a format-1 file parsed whole as before.
 */
export async function loadSnapshot(path: string): Promise<Map<string, Collection> | null> {
  const opened = await openSnapshot(path)
  if (!opened) return null
  const loaded = new Map<string, Collection>()
  if ('bytes' in opened) {
    for (const [name, docs] of Object.entries(parseFormat1(opened.bytes))) {
      const map = new Map<string, Doc>()
      // A loop rather than `new Map(docs.map(…))`: no pair array per document to allocate and collect.
      for (let i = 0; i < docs.length; i++) map.set(docs[i]!.id, docs[i]!)
      loaded.set(name, new Collection(map))
    }
    return loaded
  }
  const file = new SnapshotFile(path)
  file.use()
  let current: { name: string; builder: ReturnType<typeof Collection.lazy> } | null = null
  const close = () => {
    if (current) loaded.set(current.name, current.builder.done())
  }
  try {
    await scanFormat2(path, opened.file, {
      collection: (name) => {
        close()
        current = { name, builder: Collection.lazy(file) }
      },
      document: (id, piece, offset, at) => current!.builder.add(id, at),
    })
    close()
  } finally {
    // The collections holding unparsed documents keep it open; it closes once the last of them is parsed.
    file.release()
    await opened.file.close()
  }
  return loaded
}

/** Reads a snapshot with every document parsed (format 1 or 2). */
export async function readSnapshot(path: string): Promise<Snapshot | null> {
  const opened = await openSnapshot(path)
  if (!opened) return null
  if ('bytes' in opened) return { collections: parseFormat1(opened.bytes) }
  const collections: Record<string, Doc[]> = {}
  let docs: Doc[] = []
  try {
    await scanFormat2(path, opened.file, {
      collection: (name) => void (collections[name] = docs = []),
      document: (id, piece, offset) => void docs.push(JSON.parse(piece.toString('utf8', offset, piece.indexOf(0x0a, offset))) as Doc),
    })
  } finally {
    await opened.file.close()
  }
  return { collections }
}

/** A document's id as a JSON string with every non-ASCII character escaped, so its bytes are its characters. */
function idPrefix(id: string): string {
  return JSON.stringify(id).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

function parseFormat1(bytes: Buffer): Record<string, Doc[]> {
  return (JSON.parse(bytes.toString('utf8')) as { collections: Record<string, Doc[]> }).collections
}

/**
 * Walks a format-2 snapshot's lines a piece at a time without parsing documents: each document's id is read from its
 * prefix (parsed as JSON only when it holds an escape) and its JSON is passed on as where it starts, in the piece
 * and in the file.
 */
async function scanFormat2(path: string, file: FileHandle, to: { collection: (name: string) => void; document: (id: string, piece: Buffer, offset: number, at: number) => void }): Promise<void> {
  const size = (await file.stat()).size
  let count = 0
  let inCollection = false
  let start = FORMAT_2.length
  let want = PIECE_BYTES
  while (start < size) {
    const piece = Buffer.allocUnsafe(Math.min(want, size - start))
    let filled = 0
    while (filled < piece.length) filled += (await file.read(piece, filled, piece.length - filled, start + filled)).bytesRead
    const end = piece.lastIndexOf(0x0a) + 1
    if (end === 0) {
      if (start + piece.length >= size) break
      // A line longer than a piece: read it again with room for it.
      want *= 2
      continue
    }
    let pos = 0
    while (pos < end) {
      const newline = piece.indexOf(0x0a, pos)
      if (piece[pos] === 0x22) {
        const tab = piece.indexOf(0x09, pos)
        if (!inCollection || tab === -1 || tab > newline) throw new SnapshotCorruptError(path, `a malformed document line at byte ${start + pos}`)
        // The prefix is ASCII (`idPrefix`), so latin1 decodes it exactly and faster; only escapes need JSON.parse.
        const text = piece.toString('latin1', pos + 1, tab - 1)
        to.document(text.includes('\\') ? (JSON.parse(`"${text}"`) as string) : text, piece, tab + 1, start + tab + 1)
        count += 1
      } else {
        const line = JSON.parse(piece.toString('utf8', pos, newline)) as { c?: string; end?: number }
        if (typeof line.end === 'number') {
          if (line.end !== count || start + newline + 1 !== size) throw new SnapshotCorruptError(path, `it holds ${count} documents where its end line says ${line.end}`)
          return
        }
        if (typeof line.c !== 'string') throw new SnapshotCorruptError(path, `an unknown line at byte ${start + pos}`)
        to.collection(line.c)
        inCollection = true
      }
      pos = newline + 1
    }
    start += end
    want = PIECE_BYTES
  }
  throw new SnapshotCorruptError(path, 'it is truncated (no end line)')
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
    let count = 0
    await put(FORMAT_2)
    for (const [name, docs] of view) {
      await put(`${JSON.stringify({ c: name })}\n`)
      for (let i = 0; i < docs.length; i++) await put(`${idPrefix(docs[i]!.id)}\t${JSON.stringify(docs[i])}\n`)
      count += docs.length
    }
    await put(`${JSON.stringify({ end: count })}\n`)
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
