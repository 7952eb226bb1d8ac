import { closeSync, openSync, readSync } from 'node:fs'
import type { Doc } from './database.js'

/**
 * A format-2 snapshot file kept open while documents of it are still unparsed: they are read back from it (the page
 * cache holds it) rather than kept in memory, so no quarter of a gigabyte of bytes outlives the load waiting for a
 * full garbage collection. The file is never written in place (a compaction writes a new one and renames it over
 * this path), so the open descriptor keeps reading the snapshot it was opened on.
 */
export class SnapshotFile {
  private users = 0
  /** A plain descriptor, closed by `release`, not a FileHandle: a collection dropped unparsed must not warn at GC. */
  private readonly fd: number

  constructor(path: string) {
    this.fd = openSync(path, 'r')
  }

  /** The bytes from `start` to the end of its line and of as many whole lines as fit in about `bytes`. */
  lines(start: number, bytes: number): Buffer {
    for (let want = bytes; ; want *= 2) {
      const buffer = Buffer.allocUnsafe(want)
      const read = readSync(this.fd, buffer, 0, want, start)
      const last = read === 0 ? -1 : buffer.lastIndexOf(0x0a, read - 1)
      if (last !== -1) return buffer.subarray(0, last + 1)
      if (read < want) throw new Error(`snapshot line at byte ${start} has no end`)
    }
  }

  /**
   * The documents whose JSON starts from `start` up to the one starting at `end`, parsed in one go: the bytes between
   * are `{doc}\n"id"\t{doc}\n…"id"\t`, and tabs and newlines occur nowhere else (JSON escapes them in strings), so
   * turning each into a comma and the last into `]` makes `[doc, id, doc, …, id]`.
   */
  batch(start: number, end: number): unknown[] {
    const buffer = Buffer.allocUnsafe(end - start + 1)
    buffer[0] = 0x5b
    let filled = 0
    while (filled < end - start) filled += readSync(this.fd, buffer, 1 + filled, end - start - filled, start + filled)
    for (const separator of [0x09, 0x0a]) {
      for (let p = buffer.indexOf(separator); p !== -1; p = buffer.indexOf(separator, p + 1)) buffer[p] = 0x2c
    }
    buffer[buffer.length - 1] = 0x5d
    return JSON.parse(buffer.toString('utf8')) as unknown[]
  }

  use(): void {
    this.users += 1
  }

  release(): void {
    this.users -= 1
    if (this.users === 0) closeSync(this.fd)
  }
}

/** Bytes read back and parsed at once by the background parse (about a millisecond), and for a single document. */
const PARSE_WINDOW = 256 * 1024
const ONE_DOCUMENT = 4096

/**
 * The documents a snapshot's load left as bytes, in the file's order: their ids, where each one's JSON starts, and
 * what became of each (`undefined` not parsed yet, `null` deleted since). Ids are found by binary search instead of
 * through a `Map`, because filling a `Map` with a million new strings was most of the cost of a start.
 */
interface Base {
  file: SnapshotFile
  /** The bytes last read back from the file, and where in it they start. */
  window: { start: number; bytes: Buffer } | null
  ids: string[]
  /** Where each document's JSON starts in the file. */
  at: number[]
  docs: Array<Doc | null | undefined>
  /** Positions in id order when the file's order is not (a moved clock, hashed ids); null when it is. */
  order: Uint32Array | null
  /** Documents not deleted. */
  live: number
  /** Documents put since the load whose id the snapshot did not hold, in the order they were put. */
  added: Map<string, Doc>
  /** How many of the base's documents the background parse has moved into the collection's `Map` so far. */
  moved: number
}

/**
 * One collection's documents by id. Documents loaded from a snapshot stay in the snapshot file until first read, so
 * opening a store of a million records costs a pass over ids instead of parsing every record (and filling a `Map`)
 * before the emulator is ready; `parseSome` then moves them into an ordinary `Map` a slice at a time between
 * requests and lets the file go. Iteration follows insertion order, like a `Map`'s.
 */
export class Collection implements ReadonlyMap<string, Doc> {
  private readonly map: Map<string, Doc>
  private base: Base | null

  constructor(map = new Map<string, Doc>(), base: Base | null = null) {
    this.map = map
    this.base = base
  }

  /** A collection of documents still in `bytes`: `add` each one's id and the offset its JSON starts, in file order. */
  static lazy(file: SnapshotFile): { add: (id: string, offset: number) => void; done: () => Collection } {
    const ids: string[] = []
    const at: number[] = []
    let sorted = true
    return {
      add: (id, offset) => {
        if (sorted && ids.length > 0 && id <= ids[ids.length - 1]!) sorted = false
        ids.push(id)
        at.push(offset)
      },
      done: () => {
        if (ids.length === 0) return new Collection()
        let order: Uint32Array | null = null
        if (!sorted) {
          order = Uint32Array.from(ids, (_, i) => i)
          order.sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0))
        }
        const docs = new Array<Doc | null | undefined>(ids.length)
        file.use()
        return new Collection(new Map(), { file, window: null, ids, at, docs, order, live: ids.length, added: new Map(), moved: 0 })
      },
    }
  }

  get size(): number {
    return this.base ? this.base.live + this.base.added.size : this.map.size
  }

  /** True once every document is in the `Map` (nothing left to read from the snapshot file). */
  get parsed(): boolean {
    return this.base === null
  }

  get(id: string): Doc | undefined {
    const base = this.base
    if (!base) return this.map.get(id)
    const i = find(base, id)
    if (i < 0) return base.added.get(id)
    const doc = base.docs[i]
    return doc === undefined ? parse(base, i, ONE_DOCUMENT) : (doc ?? undefined)
  }

  has(id: string): boolean {
    const base = this.base
    if (!base) return this.map.has(id)
    const i = find(base, id)
    return i < 0 ? base.added.has(id) : base.docs[i] !== null
  }

  set(id: string, doc: Doc): void {
    const base = this.base
    if (!base) return void this.map.set(id, doc)
    const i = find(base, id)
    if (i < 0) return void base.added.set(id, doc)
    if (base.docs[i] === null) base.live += 1
    base.docs[i] = doc
    if (i < base.moved) this.map.set(id, doc)
  }

  delete(id: string): boolean {
    const base = this.base
    if (!base) return this.map.delete(id)
    const i = find(base, id)
    if (i < 0) return base.added.delete(id)
    if (base.docs[i] === null) return false
    base.docs[i] = null
    base.live -= 1
    if (i < base.moved) this.map.delete(id)
    return true
  }

  /**
   * A copy sharing the documents. Parsed first: a copy must not read from a file its original closes once parsed
   * (callers wait for `Database.loaded()`, so this parses nothing in practice).
   */
  clone(): Collection {
    this.parseSome(Infinity)
    return new Collection(new Map(this.map))
  }

  keys(): MapIterator<string> {
    if (!this.base) return this.map.keys()
    return this.lazyEntries((id) => id)
  }

  values(): MapIterator<Doc> {
    // Once parsed, the map's own iterator: scans pay nothing for the lazy load.
    if (!this.base) return this.map.values()
    return this.lazyEntries((id, doc) => doc)
  }

  entries(): MapIterator<[string, Doc]> {
    if (!this.base) return this.map.entries()
    return this.lazyEntries((id, doc) => [id, doc])
  }

  [Symbol.iterator](): MapIterator<[string, Doc]> {
    return this.entries()
  }

  forEach(fn: (doc: Doc, id: string, map: ReadonlyMap<string, Doc>) => void, thisArg?: unknown): void {
    for (const [id, doc] of this.entries()) fn.call(thisArg, doc, id, this)
  }

  /** Lets go of the snapshot file without parsing what is left (the database is closing). */
  discard(): void {
    if (!this.base) return
    this.base.file.release()
    this.base = null
  }

  /**
   * Moves documents from the snapshot file into the `Map`, parsing each, until the deadline; true once all are in
   * (the file is then let go). Meanwhile reads and writes go on against both.
   */
  parseSome(deadline: number): boolean {
    const base = this.base
    if (!base) return true
    const { ids, docs, at } = base
    while (base.moved < ids.length) {
      const i = base.moved
      // Documents i..j-1 in one JSON.parse: far cheaper than one call (and one string) per document.
      let j = i + 1
      while (j < ids.length && at[j]! - at[i]! < PARSE_WINDOW) j += 1
      const batch = j === ids.length ? null : base.file.batch(at[i]!, at[j]!)
      for (let k = i; k < j; k++) {
        let doc = docs[k]
        if (doc === undefined) doc = docs[k] = batch ? (batch[2 * (k - i)] as Doc) : parse(base, k, PARSE_WINDOW)
        if (doc) this.map.set(ids[k]!, doc)
      }
      base.moved = j
      if (performance.now() >= deadline) return false
    }
    for (const [id, doc] of base.added) this.map.set(id, doc)
    this.base = null
    base.window = null
    base.file.release()
    return true
  }

  /** The base's documents in file order (parsed as they are reached), then those added since: insertion order. */
  private *lazyEntries<T>(as: (id: string, doc: Doc) => T): MapIterator<T> {
    const base = this.base!
    for (let i = 0; i < base.ids.length; i++) {
      const doc = base.docs[i]
      if (doc === null) continue
      yield as(base.ids[i]!, doc ?? parse(base, i, PARSE_WINDOW))
    }
    for (const [id, doc] of base.added) yield as(id, doc)
    return undefined
  }
}

/** The position of `id` among the base's documents, or -1. */
function find(base: Base, id: string): number {
  const { ids, order } = base
  let low = 0
  let high = ids.length - 1
  while (low <= high) {
    const mid = (low + high) >>> 1
    const at = order ? order[mid]! : mid
    const probe = ids[at]!
    if (probe === id) return at
    if (probe < id) low = mid + 1
    else high = mid - 1
  }
  return -1
}

/** Parses document `i`, reading it back from the file (with about `window` bytes after it) unless already read. */
function parse(base: Base, i: number, window: number): Doc {
  const start = base.at[i]!
  let read = base.window
  if (!read || start < read.start || start >= read.start + read.bytes.length) {
    read = { start, bytes: base.file.lines(start, window) }
    base.window = read
  }
  const offset = start - read.start
  const doc = JSON.parse(read.bytes.toString('utf8', offset, read.bytes.indexOf(0x0a, offset))) as Doc
  base.docs[i] = doc
  return doc
}
