import { readFile, rm, stat, truncate as truncateFile, open } from 'node:fs/promises'
import { join } from 'node:path'
import { DataFile } from 'lowdb/node'
import { Journal, type FsyncPolicy } from './journal.js'

/** A stored document. Documents are treated as immutable: replace them with `put`, never mutate them in place. */
export type Doc = { id: string } & Record<string, unknown>

/** One journalled operation. Every operation is idempotent, so replaying a journal twice is harmless. */
export type Op =
  | { c: string; p: Doc } // put (insert or replace) a document
  | { c: string; d: string } // delete a document by id
  | { c: string; x: 1 } // clear a whole collection

interface Snapshot {
  format: 1
  collections: Record<string, Doc[]>
}

export interface DatabaseOptions {
  fsync: FsyncPolicy
  /** The journal is compacted into the snapshot once it is larger than this and than the last snapshot. */
  compactMinBytes: number
}

/** Raised when a journal holds an unreadable line that is not its torn tail. */
export class StoreCorruptError extends Error {
  constructor(file: string, line: number, reason: string) {
    super(`${file} is corrupt at line ${line}: ${reason}`)
    this.name = 'StoreCorruptError'
  }
}

/**
 * One database: named collections of documents kept in memory, persisted as a lowdb JSON snapshot plus an
 * append-only journal of operations. Writes apply to memory at once and resolve after their journal batch is
 * written, so an acknowledged write survives a crash of the process.
 */
export class Database {
  private readonly collections = new Map<string, Map<string, Doc>>()
  private journal!: Journal
  private snapshotBytes = 0
  private compacting = false

  private constructor(
    readonly name: string,
    private readonly snapshotPath: string,
    private readonly journalPath: string,
    private readonly options: DatabaseOptions,
  ) {}

  /** Opens (or creates) `<dir>/<name>.json` and `<dir>/<name>.journal`, replaying the journal over the snapshot. */
  static async open(dir: string, name: string, options: DatabaseOptions): Promise<Database> {
    const db = new Database(name, join(dir, `${name}.json`), join(dir, `${name}.journal`), options)
    await db.load()
    return db
  }

  private snapshotFile(): DataFile<Snapshot> {
    return new DataFile<Snapshot>(this.snapshotPath, {
      parse: (text) => JSON.parse(text) as Snapshot,
      stringify: (data) => {
        const text = JSON.stringify(data)
        this.snapshotBytes = Buffer.byteLength(text)
        return text
      },
    })
  }

  private async load(): Promise<void> {
    const snapshot = await this.snapshotFile().read()
    if (snapshot) {
      this.snapshotBytes = (await stat(this.snapshotPath)).size
      for (const [name, docs] of Object.entries(snapshot.collections)) {
        this.collections.set(name, new Map(docs.map((doc) => [doc.id, doc])))
      }
    }
    const size = await this.replayJournal()
    this.journal = await Journal.open(this.journalPath, size, this.options.fsync, () => this.maybeCompact())
  }

  /** Applies every complete journal line; cuts a torn final line off the file. Returns the kept size. */
  private async replayJournal(): Promise<number> {
    let buffer: Buffer
    try {
      buffer = await readFile(this.journalPath)
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
        if (!isLast) throw new StoreCorruptError(this.journalPath, line, (error as Error).message)
      }
      if (ops === null) {
        // A torn tail from a crash mid-write: drop it so the next append starts on a clean line.
        await truncateFile(this.journalPath, start)
        return start
      }
      this.applyAll(ops)
      start = end + 1
    }
    return buffer.length
  }

  private applyAll(ops: readonly Op[]): void {
    for (const op of ops) {
      if ('p' in op) this.mutable(op.c).set(op.p.id, op.p)
      else if ('d' in op) this.collections.get(op.c)?.delete(op.d)
      else this.collections.delete(op.c)
    }
  }

  private mutable(name: string): Map<string, Doc> {
    let collection = this.collections.get(name)
    if (!collection) {
      collection = new Map()
      this.collections.set(name, collection)
    }
    return collection
  }

  /** The live contents of a collection (empty when it does not exist). Do not mutate the documents. */
  collection<T extends Doc = Doc>(name: string): ReadonlyMap<string, T> {
    return (this.collections.get(name) ?? EMPTY) as ReadonlyMap<string, T>
  }

  /** Names of the collections that hold at least one document. */
  collectionNames(): string[] {
    return [...this.collections.keys()].filter((name) => (this.collections.get(name)?.size ?? 0) > 0)
  }

  /**
   * Applies the operations to memory now, atomically with respect to other code, and resolves once they are in
   * the journal. All operations of one call are one journal line: after a crash, either all or none are present.
   */
  commit(ops: readonly Op[]): Promise<void> {
    if (ops.length === 0) return Promise.resolve()
    const refusal = this.journal.refusal
    if (refusal) return Promise.reject(refusal)
    const line = JSON.stringify(ops)
    this.applyAll(ops)
    return this.journal.append(line)
  }

  put(collection: string, doc: Doc): Promise<void> {
    return this.commit([{ c: collection, p: doc }])
  }

  delete(collection: string, id: string): Promise<void> {
    return this.commit([{ c: collection, d: id }])
  }

  private async maybeCompact(): Promise<void> {
    const bound = Math.max(this.options.compactMinBytes, this.snapshotBytes)
    if (this.journal.size > bound) await this.compactNow()
  }

  /**
   * Writes the whole in-memory state as the new snapshot (atomically: temp file + rename) and empties the journal.
   * note: memory may already hold operations queued for the next batch; they are in the snapshot and will be
   * appended again afterwards, which replay tolerates because every operation is idempotent.
   */
  private async compactNow(): Promise<void> {
    if (this.compacting) return
    this.compacting = true
    try {
      const collections: Record<string, Doc[]> = {}
      for (const [name, docs] of this.collections) if (docs.size > 0) collections[name] = [...docs.values()]
      await this.snapshotFile().write({ format: 1, collections })
      if (this.options.fsync === 'always') await fsyncPath(this.snapshotPath)
      await this.journal.truncate()
    } finally {
      this.compacting = false
    }
  }

  /** Waits for pending writes, then compacts; used on clean shutdown and by tests. */
  async compact(): Promise<void> {
    await this.journal.drain()
    await this.compactNow()
  }

  /** Bytes in the journal and write counts (for tests and diagnostics). */
  get journalStats(): { size: number; batches: number; lines: number } {
    return { size: this.journal.size, ...this.journal.stats }
  }

  async close({ compact }: { compact: boolean }): Promise<void> {
    if (compact) await this.compact()
    await this.journal.close()
  }

  /** Closes without compacting and removes both files. */
  async destroy(): Promise<void> {
    await this.journal.close()
    this.collections.clear()
    await rm(this.snapshotPath, { force: true })
    await rm(this.journalPath, { force: true })
  }
}

const EMPTY: ReadonlyMap<string, Doc> = new Map()

async function fsyncPath(path: string): Promise<void> {
  const handle = await open(path, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
