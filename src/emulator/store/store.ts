import { closeSync, fsyncSync, openSync, renameSync, writeSync } from 'node:fs'
import { mkdir, readdir, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from '../logger.js'
import { FileBlobStore, type BlobStore } from './blobs.js'
import { Database, type Doc, type Op } from './database.js'
import { DIR_MODE, FILE_MODE, tightenModes, type StoreFiles } from './files.js'
import type { FsyncPolicy } from './journal.js'
import { acquireLock, type DataDirLock } from './lock.js'
import { recoverSnapshots, Snapshots, type SnapshotStep } from './snapshots.js'

export interface StoreOptions {
  dataDir: string
  fsync: FsyncPolicy
  /** Smallest journal that triggers compaction (default 8 MiB); the bound also grows with the snapshot. */
  compactMinBytes?: number
  /** Where failures that reach no request (compaction) are reported. */
  logger?: Logger
  /** The file layer of journals and snapshots (tests inject disk failures); default: the real disk. */
  files?: StoreFiles
  /** Called at each step of a snapshot save, which waits for what it returns (tests kill the process there). */
  onSnapshotStep?: (step: SnapshotStep) => void | Promise<void>
}

/** What the disk did to the last write: `full` (out of space or quota), `error` (any other refusal), or `ok`. */
export type StorageCondition = 'ok' | 'full' | 'error'

const CONTROL = 'control'
const NAME = /^[a-z0-9][a-z0-9-]{0,63}$/

/**
 * The data directory: one `control` database for the control plane and one database per environment, under
 * `<dataDir>/db/`, file bytes under `<dataDir>/storage/`, guarded by a lock file. Every database is loaded into
 * memory when the store opens.
 */
export class Store {
  /** File bytes (uploads, multipart parts, avatars). */
  readonly blobs: BlobStore
  /** Named copies of the whole state (`<dataDir>/snapshots/`). */
  readonly snapshots: Snapshots

  private constructor(
    readonly dataDir: string,
    private readonly dbDir: string,
    private readonly options: StoreOptions,
    private readonly lock: DataDirLock,
    private readonly databases: Map<string, Database>,
  ) {
    this.blobs = new FileBlobStore(join(dataDir, 'storage'))
    this.snapshots = new Snapshots(this, options.onSnapshotStep)
  }

  static async open(options: StoreOptions): Promise<Store> {
    const dbDir = join(options.dataDir, 'db')
    await mkdir(dbDir, { recursive: true, mode: DIR_MODE })
    await tightenModes(options.dataDir, (path, code) => options.logger?.warn(`could not make ${path} owner-only (${code}); it may be readable by other users`))
    const lock = await acquireLock(options.dataDir)
    const databases = new Map<string, Database>()
    try {
      await recoverSnapshots(options.dataDir)
      const names = new Set((await readdir(dbDir)).map((file) => file.replace(/\.(json|journal(\.\d+)?)$/, '')).filter((n) => NAME.test(n)))
      names.add(CONTROL)
      for (const name of [...names].sort()) {
        databases.set(name, await Database.open(dbDir, name, dbOptions(options)))
      }
    } catch (error) {
      await Promise.all([...databases.values()].map((db) => db.close({ compact: false }).catch(() => undefined)))
      await lock.release()
      throw error
    }
    const store = new Store(options.dataDir, dbDir, options, lock, databases)
    try {
      await store.finishTransactions()
      await store.snapshots.finishRestore()
    } catch (error) {
      await store.close().catch(() => undefined)
      throw error
    }
    return store
  }

  /** Highest transaction number any database holds a marker of: numbers go on from there. */
  private transactionSeq = 0

  /**
   * Redo intents left by a crash in the middle of a transaction of several databases: a batch whose marker a
   * database lacks never reached its journal (and nothing after it did), so it is committed now; then the intent goes.
   */
  private async finishTransactions(): Promise<void> {
    const landed = (db: Database) => db.collection<Doc & { seq?: number }>(TRANSACTIONS).get('last')?.seq ?? 0
    for (const db of this.databases.values()) this.transactionSeq = Math.max(this.transactionSeq, landed(db))
    const intents = (await readdir(this.dbDir)).filter((file) => INTENT.test(file)).sort((a, b) => intentSeq(a) - intentSeq(b))
    for (const file of intents) {
      const path = join(this.dbDir, file)
      const intent = JSON.parse(await readFile(path, 'utf8')) as { seq: number; batches: Record<string, Op[]> }
      for (const [name, ops] of Object.entries(intent.batches)) {
        const db = await this.ensureDatabase(name)
        if (landed(db) < intent.seq) await db.commit(ops)
      }
      this.transactionSeq = Math.max(this.transactionSeq, intent.seq)
      await rm(path, { force: true })
    }
    for (const file of await readdir(this.dbDir)) if (/^_tx-\d+\.json\.tmp$/.test(file)) await rm(join(this.dbDir, file), { force: true })
  }

  /** The control-plane database (tenants, organizations, projects, environments, keys, OAuth state). */
  get control(): Database {
    return this.databases.get(CONTROL)!
  }

  /** The worst condition of any database: a failed journal write or compaction until a later one succeeds. */
  get condition(): StorageCondition {
    let condition: StorageCondition = 'ok'
    for (const db of this.databases.values()) {
      const failure = db.storageFailure
      if (failure?.full) return 'full'
      if (failure) condition = 'error'
    }
    return condition
  }

  database(name: string): Database | undefined {
    return this.databases.get(name)
  }

  databaseNames(): string[] {
    return [...this.databases.keys()]
  }

  /** Returns the database, creating its files on first use. */
  async ensureDatabase(name: string): Promise<Database> {
    if (!NAME.test(name)) throw new Error(`invalid database name ${name}`)
    const existing = this.databases.get(name)
    if (existing) return existing
    const db = await Database.open(this.dbDir, name, dbOptions(this.options))
    this.databases.set(name, db)
    return db
  }

  /** Removes a database and its files. */
  async dropDatabase(name: string): Promise<void> {
    if (name === CONTROL) throw new Error('the control database cannot be dropped')
    const db = this.databases.get(name)
    if (!db) return
    this.databases.delete(name)
    await db.destroy()
  }

  /**
   * Runs `fn` as one transaction of every database: its commits apply to memory at once and are journalled when it
   * returns, one line per database touched; when it throws, they are all taken out of memory again. Each database
   * is all or nothing across a crash, and so is the whole: with several databases, a redo intent written first lets
   * the next open finish the databases whose line a crash cut off.
   * `fn` must await nothing but its own commits (see Database.begin).
   */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    const scopes = [...this.databases].map(([name, db]) => ({ name, db, scope: db.begin() }))
    let result: T
    try {
      result = await fn()
    } catch (error) {
      await Promise.all(scopes.map(({ scope }) => scope.end(false)))
      throw error
    }
    const touched = scopes.filter(({ scope }) => scope.ops().length > 0)
    if (touched.length < 2) {
      await Promise.all(scopes.map(({ scope }) => scope.end(true)))
      return result
    }
    // Several databases: a redo intent holding every batch is on disk before any journal line is queued, so a
    // crash between the journals' writes is finished on the next open (each batch carries a marker saying it landed).
    const seq = ++this.transactionSeq
    let intent: string
    try {
      for (const { db } of touched) await db.commit([{ c: TRANSACTIONS, p: { id: 'last', seq } }])
      intent = writeIntent(this.dbDir, seq, Object.fromEntries(touched.map(({ name, scope }) => [name, scope.ops()])))
    } catch (error) {
      await Promise.all(scopes.map(({ scope }) => scope.end(false)))
      throw error
    }
    await Promise.all(scopes.map(({ scope }) => scope.end(true)))
    await rm(intent, { force: true })
    return result
  }

  /** Flushes every database, compacts it (clean shutdown) and releases the lock. */
  async close(): Promise<void> {
    try {
      await Promise.all([...this.databases.values()].map((db) => db.close({ compact: true })))
    } finally {
      await this.lock.release()
    }
  }
}

/** Whether a data dir holds databases, so a start on it is not its first (what `bkend dev` applies config on). */
export async function holdsData(dataDir: string): Promise<boolean> {
  const files = await readdir(join(dataDir, 'db')).catch(() => [] as string[])
  return files.some((file) => NAME.test(file.replace(/\.(json|journal(\.\d+)?)$/, '')))
}

/** The collection of each database's transaction marker (one document, `last`). */
const TRANSACTIONS = '_transactions'
/** `_tx-<seq>.json`: the leading underscore keeps it out of the database names. */
const INTENT = /^_tx-\d+\.json$/
const intentSeq = (file: string) => Number(file.slice(4, -5))

/**
 * Writes a transaction's batches durably (temp file, fsync, rename) and returns its path. Synchronous on purpose:
 * the transaction's scopes are still open, and an await here would let another request's write into them. A push
 * is rare and its intent small, so the few milliseconds are paid by the push alone.
 */
function writeIntent(dbDir: string, seq: number, batches: Record<string, readonly Op[]>): string {
  const path = join(dbDir, `_tx-${seq}.json`)
  const temp = `${path}.tmp`
  const fd = openSync(temp, 'w', FILE_MODE)
  try {
    writeSync(fd, JSON.stringify({ seq, batches }))
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(temp, path)
  return path
}

function dbOptions(options: StoreOptions) {
  return { fsync: options.fsync, compactMinBytes: options.compactMinBytes ?? 8 * 1024 * 1024, logger: options.logger, files: options.files }
}

export { BlobSpaceError, BlobTooLargeError, type BlobKey, type BlobStore, type ByteRange, type StagedBlob } from './blobs.js'
export { Database, StoreCorruptError, type Doc, type Op } from './database.js'
export { nodeFiles, StoreWriteError, type AppendFile, type StoreFiles, type WriteFile } from './files.js'
export { DataDirLockedError } from './lock.js'
export { SNAPSHOT_NAME, SnapshotError, type SnapshotInfo, type SnapshotStep } from './snapshots.js'
export type { FsyncPolicy } from './journal.js'
