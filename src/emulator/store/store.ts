import { mkdir, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from '../logger.js'
import { FileBlobStore, type BlobStore } from './blobs.js'
import { Database } from './database.js'
import { DIR_MODE, tightenModes, type StoreFiles } from './files.js'
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
      await store.snapshots.finishRestore()
    } catch (error) {
      await store.close().catch(() => undefined)
      throw error
    }
    return store
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
   * is all or nothing across a crash; a crash between the writes of two databases can keep one and not the other.
   * `fn` must await nothing but its own commits (see Database.begin).
   */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    const scopes = [...this.databases.values()].map((db) => db.begin())
    let result: T
    try {
      result = await fn()
    } catch (error) {
      await Promise.all(scopes.map((scope) => scope.end(false)))
      throw error
    }
    await Promise.all(scopes.map((scope) => scope.end(true)))
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

function dbOptions(options: StoreOptions) {
  return { fsync: options.fsync, compactMinBytes: options.compactMinBytes ?? 8 * 1024 * 1024, logger: options.logger, files: options.files }
}

export { BlobSpaceError, BlobTooLargeError, type BlobKey, type BlobStore, type ByteRange, type StagedBlob } from './blobs.js'
export { Database, StoreCorruptError, type Doc, type Op } from './database.js'
export { nodeFiles, StoreWriteError, type AppendFile, type StoreFiles, type WriteFile } from './files.js'
export { DataDirLockedError } from './lock.js'
export { SNAPSHOT_NAME, SnapshotError, type SnapshotInfo, type SnapshotStep } from './snapshots.js'
export type { FsyncPolicy } from './journal.js'
