import { randomBytes } from 'node:crypto'
import { copyFile, link, lstat, mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { Database, Doc } from './database.js'
import { DIR_MODE, nodeFiles } from './files.js'
import { readSnapshot, writeSnapshot, type SnapshotView } from './snapshot.js'

/** A snapshot's name: a folder name that can never climb out of `snapshots/` or hide as a dot file. */
export const SNAPSHOT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

/** Points of a snapshot save or restore a test can stop the process at (see `StoreOptions.onSnapshotStep`). */
export type SnapshotStep = 'database' | 'blobs' | 'manifest' | 'swap' | 'restored'

/** `<snapshot>/manifest.json`, written last: a snapshot folder without one is never listed or restored. */
interface Manifest {
  format: 1
  name: string
  createdAt: string
  /** Documents per collection, per database, as saved. */
  collections: Record<string, Record<string, number>>
}

export interface SnapshotInfo {
  name: string
  createdAt: string
  /** Bytes of the snapshot's files (database snapshots and file bytes). */
  size: number
  collections: Record<string, Record<string, number>>
}

/** A bad snapshot name (`reason` says what is wrong) or one that names no snapshot. */
export class SnapshotError extends Error {
  constructor(
    readonly kind: 'invalid-name' | 'not-found',
    message: string,
  ) {
    super(message)
    this.name = 'SnapshotError'
  }
}

/** What the snapshot service needs of the store: its databases, by name. */
export interface SnapshotHost {
  readonly dataDir: string
  databaseNames(): string[]
  database(name: string): Database | undefined
  ensureDatabase(name: string): Promise<Database>
  dropDatabase(name: string): Promise<void>
}

const CONTROL = 'control'
const LEFTOVER = /^\.(.+)\.(tmp|old)-[0-9a-f]+$/

/**
 * Named copies of the whole emulator state, every database and the file bytes, under `<dataDir>/snapshots/<name>/`.
 * A save writes into a temp folder, syncs it and renames it into place, so a save killed at any point leaves the
 * previous snapshot of that name whole (the one moment two renames apart is repaired by `recoverSnapshots` on open).
 */
export class Snapshots {
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly host: SnapshotHost,
    private readonly onStep?: (step: SnapshotStep) => void | Promise<void>,
  ) {}

  private get root(): string {
    return join(this.host.dataDir, 'snapshots')
  }

  private get storage(): string {
    return join(this.host.dataDir, 'storage')
  }

  /** One snapshot operation at a time: a restore never reads a save's half-written folder. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn)
    this.queue = run.catch(() => undefined)
    return run
  }

  async save(name: string): Promise<SnapshotInfo> {
    checkName(name)
    return this.serial(async () => {
      // Parsed first: the cut below is one synchronous step, which would otherwise parse what a start left as bytes.
      await Promise.all(this.host.databaseNames().map((db) => this.host.database(db)!.loaded()))
      // Every database's cut in one synchronous step: together they are one moment of the whole emulator.
      const views = this.host.databaseNames().map((db) => [db, this.host.database(db)!.view()] as const)
      await mkdir(this.root, { recursive: true, mode: DIR_MODE })
      const temp = join(this.root, `.${name}.tmp-${suffix()}`)
      try {
        await mkdir(join(temp, 'db'), { recursive: true, mode: DIR_MODE })
        for (const [db, view] of views) {
          await writeSnapshot(nodeFiles, join(temp, 'db', `${db}.json`), view, { sync: true, step: () => undefined })
          await this.step('database')
        }
        await linkTree(this.storage, join(temp, 'storage'))
        await this.step('blobs')
        const manifest: Manifest = { format: 1, name, createdAt: new Date().toISOString(), collections: Object.fromEntries(views.map(([db, view]) => [db, counts(view)])) }
        await writeFileSynced(join(temp, 'manifest.json'), JSON.stringify(manifest, null, 2))
        await nodeFiles.syncDirectory(temp)
        await this.step('manifest')
        const target = join(this.root, name)
        const aside = join(this.root, `.${name}.old-${suffix()}`)
        const replacing = await exists(target)
        if (replacing) await rename(target, aside)
        await this.step('swap')
        await rename(temp, target)
        await nodeFiles.syncDirectory(this.root)
        if (replacing) await rm(aside, { recursive: true, force: true })
        return info(manifest, await treeSize(target))
      } catch (error) {
        await rm(temp, { recursive: true, force: true }).catch(() => undefined)
        throw error
      }
    })
  }

  /**
   * Replaces the running state with a snapshot's, without a restart: each database's contents in one journal line
   * (all databases in one synchronous step, so no request sees half of them), then the file bytes swapped in.
   */
  restore(name: string): Promise<SnapshotInfo> {
    return this.restoreFrom(this.host.dataDir, name)
  }

  /** `restore` of a snapshot that another data dir holds (`bkend dev exec --snapshot` on a temporary one). */
  async restoreFrom(dataDir: string, name: string): Promise<SnapshotInfo> {
    checkName(name)
    return this.serial(() => this.restoreNow(name, join(dataDir, 'snapshots', name)))
  }

  /**
   * Finishes a restore a crash interrupted, as `restoring.json` tells: done again from the start, since every step
   * of a restore can be repeated. So after a crash the state is either the one before the restore or the snapshot's,
   * never a mix of databases. Runs when the store opens, before anything reads it.
   */
  async finishRestore(): Promise<void> {
    const marker = await readFile(this.marker, 'utf8').catch(() => null)
    if (marker === null) return
    const { name, dir = join(this.root, name) } = JSON.parse(marker) as { name: string; dir?: string }
    if (await exists(join(dir, 'manifest.json'))) await this.restoreNow(name, dir)
    else await rm(this.marker, { force: true })
  }

  private get marker(): string {
    return join(this.host.dataDir, 'restoring.json')
  }

  private async restoreNow(name: string, dir: string): Promise<SnapshotInfo> {
    const manifest = await readManifest(dir, name)
    const saved = new Map<string, Record<string, Doc[]>>()
    for (const db of Object.keys(manifest.collections)) saved.set(db, (await readSnapshot(join(dir, 'db', `${db}.json`)))?.collections ?? {})
    await writeFileSynced(this.marker, JSON.stringify({ name, dir }))
    await nodeFiles.syncDirectory(this.host.dataDir)
    const incoming = join(this.host.dataDir, `.storage.restore-${suffix()}`)
    await linkTree(join(dir, 'storage'), incoming)
    for (const db of saved.keys()) await this.host.ensureDatabase(db)
    const gone = this.host.databaseNames().filter((db) => !saved.has(db) && db !== CONTROL)
    const written = [...saved].map(([db, collections]) => {
      const database = this.host.database(db)!
      return database.replace(database.collectionNames(), Object.entries(collections))
    })
    await Promise.all(written)
    await this.step('restored')
    for (const db of gone) await this.host.dropDatabase(db)
    const aside = join(this.host.dataDir, `.storage.old-${suffix()}`)
    const had = await exists(this.storage)
    if (had) await rename(this.storage, aside)
    await rename(incoming, this.storage)
    if (had) await rm(aside, { recursive: true, force: true })
    await rm(this.marker, { force: true })
    return info(manifest, await treeSize(dir))
  }

  list(): Promise<SnapshotInfo[]> {
    return this.serial(async () => {
      const found: SnapshotInfo[] = []
      for (const name of (await names(this.root)).filter((n) => SNAPSHOT_NAME.test(n)).sort()) {
        const dir = join(this.root, name)
        const manifest = await readManifest(dir, name).catch(() => null)
        if (manifest) found.push(info(manifest, await treeSize(dir)))
      }
      return found
    })
  }

  async delete(name: string): Promise<SnapshotInfo> {
    checkName(name)
    return this.serial(async () => {
      const dir = join(this.root, name)
      const manifest = await readManifest(dir, name)
      const size = await treeSize(dir)
      // Renamed away first, so a delete cut short leaves a leftover `recoverSnapshots` removes, never a half snapshot.
      const doomed = join(this.root, `.${name}.tmp-${suffix()}`)
      await rename(dir, doomed)
      await rm(doomed, { recursive: true, force: true })
      return info(manifest, size)
    })
  }

  private async step(at: SnapshotStep): Promise<void> {
    await this.onStep?.(at)
  }
}

/**
 * Puts back what a crash interrupted in `<dataDir>`: a temp folder of a snapshot save, delete or restore is
 * removed; a previous snapshot (or the file bytes) moved aside for a replacement comes back when the replacement
 * never arrived. Runs under the data-dir lock, before anything else touches the folder.
 */
export async function recoverSnapshots(dataDir: string): Promise<void> {
  const root = join(dataDir, 'snapshots')
  for (const entry of await names(root)) {
    const match = LEFTOVER.exec(entry)
    if (!match) continue
    const path = join(root, entry)
    const name = join(root, match[1]!)
    if (match[2] === 'old' && !(await exists(name))) await rename(path, name)
    else await rm(path, { recursive: true, force: true })
  }
  const storage = join(dataDir, 'storage')
  for (const entry of await names(dataDir)) {
    const match = /^\.storage\.(restore|old)-[0-9a-f]+$/.exec(entry)
    if (!match) continue
    const path = join(dataDir, entry)
    if (match[1] === 'old' && !(await exists(storage))) await rename(path, storage)
    else await rm(path, { recursive: true, force: true })
  }
}

function checkName(name: string): void {
  if (typeof name !== 'string' || !SNAPSHOT_NAME.test(name) || name.includes('..')) {
    throw new SnapshotError('invalid-name', `"${String(name)}" is not a snapshot name: use 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit, without ".."`)
  }
}

async function readManifest(dir: string, name: string): Promise<Manifest> {
  try {
    return JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new SnapshotError('not-found', `There is no snapshot named "${name}"`)
    throw error
  }
}

function info(manifest: Manifest, size: number): SnapshotInfo {
  return { name: manifest.name, createdAt: manifest.createdAt, size, collections: manifest.collections }
}

function counts(view: SnapshotView): Record<string, number> {
  return Object.fromEntries(view.map(([collection, docs]) => [collection, docs.length]))
}

function suffix(): string {
  return randomBytes(6).toString('hex')
}

async function names(dir: string): Promise<string[]> {
  try {
    return await readdir(dir)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}

async function writeFileSynced(path: string, text: string): Promise<void> {
  const file = await nodeFiles.openWrite(path)
  try {
    const data = Buffer.from(text)
    let offset = 0
    while (offset < data.length) offset += (await file.write(data, offset, data.length - offset)).bytesWritten
    await file.sync()
  } finally {
    await file.close()
  }
}

/**
 * Mirrors a folder of blobs by hard links: blobs are never changed in place (a new version is renamed over the
 * old path), so a link keeps the bytes of this moment at no cost. Staged uploads (`tmp/`) are skipped, and a blob
 * removed while the tree is walked is simply not there. Copies where links are refused (another file system).
 */
async function linkTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true, mode: DIR_MODE })
  for (const entry of await names(from)) {
    if (entry === 'tmp') continue
    const source = join(from, entry)
    const target = join(to, entry)
    const kind = await lstat(source).catch(() => null)
    if (!kind) continue
    if (kind.isDirectory()) await linkTree(source, target)
    else if (kind.isFile()) await link(source, target).catch(async (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return
      await copyFile(source, target).catch((copyError: NodeJS.ErrnoException) => {
        if (copyError.code !== 'ENOENT') throw copyError
      })
    })
  }
}

async function treeSize(dir: string): Promise<number> {
  let size = 0
  for (const entry of await names(dir)) {
    const path = join(dir, entry)
    const kind = await lstat(path)
    size += kind.isDirectory() ? await treeSize(path) : kind.size
  }
  return size
}
