import { readdir, readFile, stat, truncate as truncateFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { silentLogger, type Logger } from '../logger.js'
import { nodeFiles, StoreWriteError, tempPathOf, type StoreFiles } from './files.js'
import { Journal, type FsyncPolicy } from './journal.js'
import { Collection } from './collection.js'
import { loadSnapshot, writeSnapshot, type CompactionStep, type SnapshotView } from './snapshot.js'

/** A stored document. Documents are treated as immutable: replace them with `put`, never mutate them in place. */
export type Doc = { id: string } & Record<string, unknown>

/** One journalled operation. Every operation is idempotent, so replaying a journal twice is harmless. */
export type Op =
  | { c: string; p: Doc } // put (insert or replace) a document
  | { c: string; d: string } // delete a document by id
  | { c: string; x: 1 } // clear a whole collection

export interface DatabaseOptions {
  fsync: FsyncPolicy
  /** The journal is compacted into the snapshot once it is larger than this and than the last snapshot. */
  compactMinBytes: number
  /**
   * Called at each step of a compaction, which waits for what it returns; tests kill the process there to prove
   * every step is crash-safe, or write there to prove writes do not wait for the snapshot.
   */
  onCompactionStep?: (step: CompactionStep) => void | Promise<void>
  /** Where compaction failures are reported (they never reach a request); default: nowhere. */
  logger?: Logger
  /** The file layer (tests inject failures here); default: the real disk. */
  files?: StoreFiles
}

/** How to put back what one operation replaced: a document (or its absence), or a whole collection. */
type Undo = { c: string; id: string; prev: Doc | undefined } | { c: string; all: Collection | undefined }

/** A commit applied to memory whose journal batch has not been written yet. */
interface Unacked {
  undo: Undo[]
}

/** First retry of a failed compaction, doubled after every further failure up to the maximum. */
const COMPACT_RETRY_MS = 1000
const COMPACT_RETRY_MAX_MS = 60_000
/** How long one slice of the background parse of a snapshot's documents may hold the event loop. */
const PARSE_SLICE_MS = 5

/** A journal segment sealed at a compaction's cut, deleted once a snapshot covers it. */
interface Segment {
  path: string
  bytes: number
}

/** What one compaction writes: the state at its cut, and the sealed segments that state covers. */
interface Cut {
  view: SnapshotView
  segments: Segment[]
  closeSealed: () => Promise<void>
}

/** Raised when a journal holds an unreadable line that is not its torn tail. */
export class StoreCorruptError extends Error {
  constructor(file: string, line: number, reason: string) {
    super(`${file} is corrupt at line ${line}: ${reason}`)
    this.name = 'StoreCorruptError'
  }
}

/**
 * One database: named collections of documents kept in memory, persisted as a JSON snapshot plus an append-only
 * journal of operations. Writes apply to memory at once and resolve after their journal batch is written, so an
 * acknowledged write survives a crash of the process. The journal is the live file `<name>.journal` plus the
 * segments `<name>.journal.<n>` sealed by compactions whose snapshot is not written yet; recovery replays the
 * snapshot, then the sealed segments in order, then the live file.
 */
export class Database {
  private collections = new Map<string, Collection>()
  private journal!: Journal
  private snapshotBytes = 0
  /** Sealed segments not yet covered by a snapshot, oldest first. */
  private sealed: Segment[] = []
  private nextSegment = 1
  private compacting = false
  /** The snapshot write of the compaction in progress, once its cut is made. */
  private compaction: Promise<void> | null = null
  /** Commits in memory whose journal line is not written yet, oldest first, one per queued line. */
  private readonly unacked: Unacked[] = []
  private readonly rollBackListeners: Array<() => void> = []
  private compactRetryMs = 0
  private compactNotBefore = 0
  /** Why the last compaction failed, until one succeeds. */
  private compactFailure: StoreWriteError | null = null
  /**
   * The transaction in progress: what its commits applied to memory, and how to take it out again (each commit's
   * undo list, oldest commit first: prepending each to one list made a transaction of n commits cost n²).
   */
  private scope: { ops: Op[]; undos: Undo[][] } | null = null
  /** The background parse of the documents a snapshot's load left as bytes, once started. */
  private parsing: Promise<void> | null = null

  private constructor(
    readonly name: string,
    private readonly snapshotPath: string,
    private readonly journalPath: string,
    private readonly options: DatabaseOptions,
  ) {}

  private get files(): StoreFiles {
    return this.options.files ?? nodeFiles
  }

  /** Opens (or creates) `<dir>/<name>.json` and `<dir>/<name>.journal`, replaying the journal over the snapshot. */
  static async open(dir: string, name: string, options: DatabaseOptions): Promise<Database> {
    const db = new Database(name, join(dir, `${name}.json`), join(dir, `${name}.journal`), options)
    await db.load()
    return db
  }

  private async load(): Promise<void> {
    // A temp snapshot left by a crash or a failed compaction is never the truth: the journal still holds it all.
    await this.files.remove(tempPathOf(this.snapshotPath))
    const snapshot = await loadSnapshot(this.snapshotPath)
    if (snapshot) {
      this.snapshotBytes = (await stat(this.snapshotPath)).size
      this.collections = snapshot
    }
    for (const { path, n } of await this.sealedSegments()) {
      this.sealed.push({ path, bytes: await this.replayJournal(path) })
      this.nextSegment = n + 1
    }
    const size = await this.replayJournal(this.journalPath)
    const hooks = {
      written: (lines: number) => void this.unacked.splice(0, lines),
      refused: () => this.rollBack(),
      afterBatch: () => this.maybeCompact(),
    }
    this.journal = await Journal.open(this.journalPath, size, this.options.fsync, hooks, this.files)
  }

  /** Segments left by a compaction that did not finish (a crash, a failed write), in journal order. */
  private async sealedSegments(): Promise<Array<{ path: string; n: number }>> {
    const prefix = `${basename(this.journalPath)}.`
    const found: Array<{ path: string; n: number }> = []
    for (const file of await readdir(dirname(this.journalPath))) {
      const n = file.startsWith(prefix) ? Number(file.slice(prefix.length)) : NaN
      if (Number.isSafeInteger(n) && n > 0) found.push({ path: join(dirname(this.journalPath), file), n })
    }
    return found.sort((a, b) => a.n - b.n)
  }

  /** Applies every complete line of a journal file; cuts a torn final line off the file. Returns the kept size. */
  private async replayJournal(path: string): Promise<number> {
    let buffer: Buffer
    try {
      buffer = await readFile(path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0
      throw error
    }
    let start = 0
    let line = 0
    while (start < buffer.length) {
      const end = buffer.indexOf(0x0a, start)
      const isLast = end === -1 || end === buffer.length - 1
      const text = buffer.toString('utf8', start, end === -1 ? buffer.length : end)
      line += 1
      let ops: Op[] | null = null
      try {
        ops = end === -1 ? null : (JSON.parse(text) as Op[])
      } catch (error) {
        if (!isLast) throw new StoreCorruptError(path, line, (error as Error).message)
      }
      if (ops === null) {
        // A torn tail from a crash mid-write: drop it so the next append starts on a clean line.
        await truncateFile(path, start)
        return start
      }
      this.applyAll(ops)
      start = end + 1
    }
    return buffer.length
  }

  /** Applies the operations and returns how to undo them, in the order they must be undone. */
  private applyAll(ops: readonly Op[]): Undo[] {
    const undo: Undo[] = []
    for (const op of ops) {
      if ('p' in op) {
        const collection = this.mutable(op.c)
        undo.push({ c: op.c, id: op.p.id, prev: collection.get(op.p.id) })
        collection.set(op.p.id, op.p)
      } else if ('d' in op) {
        const collection = this.collections.get(op.c)
        undo.push({ c: op.c, id: op.d, prev: collection?.get(op.d) })
        collection?.delete(op.d)
      } else {
        undo.push({ c: op.c, all: this.collections.get(op.c) })
        this.collections.delete(op.c)
      }
    }
    return undo.reverse()
  }

  private static revert(collections: Map<string, Collection>, undo: readonly Undo[]): void {
    for (const u of undo) {
      if ('all' in u) {
        if (u.all) collections.set(u.c, u.all)
        else collections.delete(u.c)
        continue
      }
      let collection = collections.get(u.c)
      if (!collection) collections.set(u.c, (collection = new Collection()))
      if (u.prev) collection.set(u.id, u.prev)
      else collection.delete(u.id)
    }
  }

  /** Takes every commit not yet written out of memory, newest first: the journal refused them all. */
  private rollBack(): void {
    if (this.unacked.length === 0) return
    for (const entry of this.unacked.splice(0).reverse()) Database.revert(this.collections, entry.undo)
    for (const listener of this.rollBackListeners) listener()
  }

  /**
   * Calls `listener` right after refused writes were taken out of memory, or after collections were replaced
   * wholesale (`replace`), so what was derived from them (an index kept beside the collections) can be dropped and
   * rebuilt from what remains.
   */
  onRollBack(listener: () => void): void {
    this.rollBackListeners.push(listener)
  }

  /**
   * The collections as the journal knows them: memory without the commits still waiting for their batch, so a
   * snapshot never holds a write that may yet be refused.
   */
  private acknowledgedView(): Map<string, Collection> {
    if (this.unacked.length === 0) return this.collections
    const view = new Map(this.collections)
    const touched = new Set(this.unacked.flatMap((entry) => entry.undo.map((u) => u.c)))
    for (const name of touched) {
      const live = view.get(name)
      if (live) view.set(name, live.clone())
    }
    for (const entry of [...this.unacked].reverse()) Database.revert(view, entry.undo)
    return view
  }

  private mutable(name: string): Collection {
    let collection = this.collections.get(name)
    if (!collection) {
      collection = new Collection()
      this.collections.set(name, collection)
    }
    return collection
  }

  /** The live contents of a collection (empty when it does not exist). Do not mutate the documents. */
  collection<T extends Doc = Doc>(name: string): ReadonlyMap<string, T> {
    return (this.collections.get(name) ?? EMPTY) as ReadonlyMap<string, T>
  }

  /**
   * Parses, a few milliseconds at a time between other work, the documents the snapshot's load left as bytes, and
   * resolves once none is left (at once when there were none). A document read before that is parsed on the spot;
   * what must see a whole large collection waits for this instead of parsing it in one go.
   */
  loaded(): Promise<void> {
    if (this.parsing) return this.parsing
    const pending = [...this.collections.values()].filter((c) => !c.parsed)
    this.parsing = (async () => {
      for (const collection of pending) {
        while (!collection.parseSome(performance.now() + PARSE_SLICE_MS)) await new Promise((resolve) => setImmediate(resolve))
      }
    })()
    return this.parsing
  }

  /** True while `loaded()` would still have documents to parse. */
  get loading(): boolean {
    for (const collection of this.collections.values()) if (!collection.parsed) return true
    return false
  }

  /** Names of the collections that hold at least one document. */
  collectionNames(): string[] {
    return [...this.collections.keys()].filter((name) => (this.collections.get(name)?.size ?? 0) > 0)
  }

  /**
   * Applies the operations to memory now, atomically with respect to other code, and resolves once they are in
   * the journal. All operations of one call are one journal line: after a crash, either all or none are present.
   * When the journal write fails (StoreWriteError), the operations, and every later one still waiting, are rolled
   * back from memory: a refused write leaves no trace.
   */
  commit(ops: readonly Op[]): Promise<void> {
    if (ops.length === 0) return Promise.resolve()
    if (this.scope) {
      this.scope.undos.push(this.applyAll(ops))
      for (const op of ops) this.scope.ops.push(op)
      return Promise.resolve()
    }
    const refusal = this.journal.refusal
    if (refusal) return Promise.reject(refusal)
    const line = JSON.stringify(ops)
    const done = this.journal.append(line)
    // One entry per journal line, in the journal's order: the journal's hooks acknowledge or refuse them by count.
    this.unacked.push({ undo: this.applyAll(ops) })
    return done
  }

  /**
   * Replaces collections wholesale in one journal line: every collection named in `clear` is emptied, then the
   * `fill` documents are put. One line, so after a crash either the old or the new contents are there. Derived
   * state is told at once (`onRollBack`), before any other code can read the new contents.
   */
  replace(clear: readonly string[], fill: ReadonlyArray<readonly [collection: string, docs: readonly Doc[]]> = []): Promise<void> {
    const ops: Op[] = clear.map((c) => ({ c, x: 1 }))
    for (const [c, docs] of fill) for (const p of docs) ops.push({ c, p })
    const done = this.commit(ops)
    for (const listener of this.rollBackListeners) listener()
    return done
  }

  /**
   * Every non-empty collection's documents as acknowledged now (pointers to immutable documents, so the view keeps
   * this moment's state while writes go on): the consistent cut a snapshot of the whole emulator is made of.
   * Documents still in the snapshot file are parsed here, so callers wait for `loaded()` first.
   */
  view(): SnapshotView {
    const view: SnapshotView = []
    for (const [name, docs] of this.acknowledgedView()) if (docs.size > 0) view.push([name, Array.from(docs.values())])
    return view
  }

  /**
   * Opens a transaction: until it ends, every commit applies to memory at once and resolves at once, but nothing is
   * journalled. `end(true)` writes all of them as one journal line (so after a crash either all or none are
   * present) and resolves once it is written; `end(false)`, or a refused write, takes them all out of memory again.
   * note: the scope is the database's, not the caller's: a transaction must not wait for anything but its own
   * commits (which resolve at once), so no other request's write can run inside it.
   */
  begin(): { ops: () => readonly Op[]; end: (keep: boolean) => Promise<void> } {
    if (this.scope) throw new Error(`a transaction of ${this.name} is already open`)
    const scope: { ops: Op[]; undos: Undo[][] } = { ops: [], undos: [] }
    this.scope = scope
    // Later commits of a transaction are undone first.
    const undo = () => scope.undos.reverse().flat()
    const revert = () => {
      Database.revert(this.collections, undo())
      for (const listener of this.rollBackListeners) listener()
    }
    return {
      ops: () => scope.ops,
      end: (keep) => {
        this.scope = null
        if (scope.ops.length === 0) return Promise.resolve()
        const refusal = this.journal.refusal
        if (!keep || refusal) {
          revert()
          return refusal ? Promise.reject(refusal) : Promise.resolve()
        }
        const done = this.journal.append(JSON.stringify(scope.ops))
        this.unacked.push({ undo: undo() })
        return done
      },
    }
  }

  /** The last failed write (journal or compaction) while it is the latest outcome, else null. */
  get storageFailure(): StoreWriteError | null {
    return this.journal.lastFailure ?? this.compactFailure
  }

  put(collection: string, doc: Doc): Promise<void> {
    return this.commit([{ c: collection, p: doc }])
  }

  delete(collection: string, id: string): Promise<void> {
    return this.commit([{ c: collection, d: id }])
  }

  /**
   * Runs after every journal batch, while no other batch can start: the moment to cut the journal. Never throws: a
   * failed compaction is logged and retried later, the write that triggered it is already acknowledged.
   */
  private async maybeCompact(): Promise<void> {
    const journalBytes = this.journal.size + this.sealed.reduce((sum, s) => sum + s.bytes, 0)
    const bound = Math.max(this.options.compactMinBytes, this.snapshotBytes)
    if (this.compacting || journalBytes <= bound || Date.now() < this.compactNotBefore) return
    if (this.loading) {
      // The cut would parse what the snapshot's load left as bytes in one go: parse it in slices, cut after it.
      void this.loaded()
      return
    }
    this.compacting = true
    let cut: Cut
    try {
      cut = await this.cut()
    } catch (error) {
      this.compactionFailed(error)
      this.compacting = false
      return
    }
    // Writes continue into the new segment while the snapshot is written.
    this.compaction = this.writeSnapshotFrom(cut)
      .catch(() => undefined)
      .finally(() => {
        this.compaction = null
        this.compacting = false
      })
  }

  /**
   * A failed compaction changes nothing that matters: the sealed segments and the journal still hold every
   * acknowledged write and the temp snapshot is gone. It is logged and retried after a growing pause, so a full
   * disk is not hammered.
   */
  private compactionFailed(error: unknown): StoreWriteError {
    const failure = StoreWriteError.of(error, `compaction of ${this.name}`)
    this.compactFailure = failure
    this.compactRetryMs = Math.min(COMPACT_RETRY_MAX_MS, this.compactRetryMs ? this.compactRetryMs * 2 : COMPACT_RETRY_MS)
    this.compactNotBefore = Date.now() + this.compactRetryMs
    const logger = this.options.logger ?? silentLogger
    logger.error(`${failure.message}; the journal keeps every write, compaction is retried in ${this.compactRetryMs / 1000} s`)
    return failure
  }

  /**
   * The consistent point of a compaction, taken between journal batches: a copy of each collection's document list
   * (pointers only; documents are replaced, never mutated, so the copy keeps their state at the cut) and the journal
   * sealed as a segment, new writes going to a new one. The copy is of acknowledged state only: commits queued for
   * the next batch are in memory but not in the view, since that batch may yet be refused and rolled back; they go
   * to the new segment.
   */
  private async cut(): Promise<Cut> {
    const view = this.view()
    let closeSealed = () => Promise.resolve()
    if (this.journal.size > 0) {
      const segment = { path: `${this.journalPath}.${this.nextSegment}`, bytes: this.journal.size }
      closeSealed = await this.journal.rotate(segment.path)
      this.nextSegment += 1
      this.sealed.push(segment)
    }
    await this.step('cut')
    return { view, segments: [...this.sealed], closeSealed }
  }

  /**
   * Writes the snapshot of a cut, then deletes the segments it covers. On failure the temp snapshot is removed,
   * the segments are kept (they are still the only record of their writes) and the failure is logged and rethrown.
   */
  private async writeSnapshotFrom(cut: Cut): Promise<void> {
    try {
      await cut.closeSealed()
      await this.step('sealed')
      const sync = this.options.fsync === 'always'
      this.snapshotBytes = await writeSnapshot(this.files, this.snapshotPath, cut.view, { sync, step: (at) => this.step(at) })
      for (const segment of cut.segments) await this.files.remove(segment.path)
      // Whatever the fsync policy, the deletions reach the disk before a later snapshot can: a segment that came
      // back after a power cut would be replayed over a snapshot newer than itself. Syncing a directory is cheap.
      await this.files.syncDirectory(dirname(this.snapshotPath))
      this.sealed = this.sealed.filter((segment) => !cut.segments.includes(segment))
      this.compactFailure = null
      this.compactRetryMs = 0
      this.compactNotBefore = 0
    } catch (error) {
      await this.files.remove(tempPathOf(this.snapshotPath)).catch(() => undefined)
      throw this.compactionFailed(error)
    }
    await this.step('dropped')
  }

  private async step(at: CompactionStep): Promise<void> {
    await this.options.onCompactionStep?.(at)
  }

  /** Waits for the compaction in progress, if any. */
  private async settled(): Promise<void> {
    while (this.compacting) await (this.compaction ?? new Promise((resolve) => setImmediate(resolve)))
  }

  /** Waits for pending writes, then compacts; used on clean shutdown and by tests. */
  async compact(): Promise<void> {
    await this.loaded()
    await this.journal.drain()
    await this.settled()
    this.compacting = true
    try {
      let cut: Cut
      try {
        cut = await this.journal.exclusive(() => this.cut())
      } catch (error) {
        throw this.compactionFailed(error)
      }
      await this.writeSnapshotFrom(cut)
    } finally {
      this.compacting = false
    }
  }

  /** Bytes in the live journal and write counts (for tests and diagnostics). */
  get journalStats(): { size: number; batches: number; lines: number } {
    return { size: this.journal.size, ...this.journal.stats }
  }

  /** Closes; a compaction that fails here was logged and is harmless, the journal is replayed at the next open. */
  async close({ compact }: { compact: boolean }): Promise<void> {
    if (compact) await this.compact().catch(() => undefined)
    else await this.settled()
    await this.journal.close()
    this.discard()
  }

  /** Lets go of the snapshot file that documents still unparsed would be read from. */
  private discard(): void {
    for (const collection of this.collections.values()) collection.discard()
  }

  /** Closes without compacting and removes its files (snapshot, journal, sealed segments). */
  async destroy(): Promise<void> {
    await this.settled()
    await this.journal.close()
    this.discard()
    this.collections.clear()
    for (const segment of this.sealed) await this.files.remove(segment.path)
    await this.files.remove(tempPathOf(this.snapshotPath))
    await this.files.remove(this.snapshotPath)
    await this.files.remove(this.journalPath)
  }
}

const EMPTY: ReadonlyMap<string, Doc> = new Map()
