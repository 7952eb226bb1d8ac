import { expect } from 'chai'
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { statusOf, toDomainError } from '../../../src/emulator/http/middleware/errors.js'
import { toToolError } from '../../../src/emulator/mcp/errors.js'
import { Database, Store, StoreWriteError, nodeFiles } from '../../../src/emulator/store/store.js'
import { FailingFiles } from '../../helpers/failing-files.js'
import { readSnapshot } from '../../../src/emulator/store/snapshot.js'
import { tempDir } from '../../helpers/tmp.js'

async function refusal(promise: Promise<unknown>): Promise<StoreWriteError> {
  try {
    await promise
  } catch (error) {
    expect(error).to.be.instanceOf(StoreWriteError)
    return error as StoreWriteError
  }
  throw new Error('expected the write to be refused')
}

describe('store: failing disk', () => {
  let dir: string
  let cleanup: () => Promise<void>
  let files: FailingFiles
  beforeEach(async () => {
    ;({ dir, cleanup } = await tempDir())
    files = new FailingFiles()
  })
  afterEach(() => cleanup())

  const open = (extra: Partial<Parameters<typeof Database.open>[2]> = {}) =>
    Database.open(dir, 'test', { fsync: 'everysec', compactMinBytes: 8 * 1024 * 1024, files, ...extra })

  it('refuses a write whose journal append fails and takes it back out of memory', async () => {
    const db = await open()
    await db.put('rows', { id: 'a', v: 1 })
    await db.put('rows', { id: 'b', v: 1 })
    const journalBefore = (await stat(join(dir, 'test.journal'))).size

    files.journal = 'ENOSPC'
    const put = db.put('rows', { id: 'c', v: 1 })
    // Memory shows the write until its batch is refused, as every write does before its acknowledgement.
    expect(db.collection('rows').has('c')).to.equal(true)
    const error = await refusal(put)
    expect(error.full).to.equal(true)
    expect(error.code).to.equal('ENOSPC')
    await refusal(db.put('rows', { id: 'a', v: 2 }))
    await refusal(db.delete('rows', 'b'))
    await refusal(db.commit([{ c: 'rows', x: 1 }]))
    expect(files.journalFailures).to.equal(4)

    expect([...db.collection('rows').values()]).to.deep.equal([
      { id: 'a', v: 1 },
      { id: 'b', v: 1 },
    ])
    // The half-written batches were cut off: a restart replays nothing torn.
    expect((await stat(join(dir, 'test.journal'))).size).to.equal(journalBefore)
    expect(db.storageFailure?.code).to.equal('ENOSPC')
    await db.close({ compact: false })

    const reopened = await open()
    expect([...reopened.collection('rows').keys()]).to.deep.equal(['a', 'b'])
    expect(reopened.collection('rows').get('a')).to.deep.equal({ id: 'a', v: 1 })
    await reopened.close({ compact: false })
  })

  it('rolls back a whole failed batch and everything queued behind it, newest first', async () => {
    const db = await open()
    await db.put('rows', { id: 'x', v: 1 })
    files.journal = 'ENOSPC'
    const results = await Promise.allSettled([
      db.put('rows', { id: 'x', v: 2 }),
      db.put('rows', { id: 'x', v: 3 }),
      db.commit([{ c: 'rows', d: 'x' }, { c: 'other', p: { id: 'o' } }]),
      db.put('rows', { id: 'y', v: 1 }),
    ])
    expect(results.map((r) => r.status)).to.deep.equal(['rejected', 'rejected', 'rejected', 'rejected'])
    expect([...db.collection('rows').values()]).to.deep.equal([{ id: 'x', v: 1 }])
    expect(db.collectionNames()).to.deep.equal(['rows'])
    await db.close({ compact: false })
  })

  it('accepts writes again as soon as an append succeeds, and keeps every acknowledged one', async () => {
    const db = await open()
    await db.put('rows', { id: 'before' })
    files.journal = 'ENOSPC'
    await refusal(db.put('rows', { id: 'refused' }))
    files.journal = null
    await db.put('rows', { id: 'after' })
    expect(db.storageFailure).to.equal(null)
    // A clean shutdown compacts memory into the snapshot: the refused write must not be in it.
    await db.close({ compact: true })

    const reopened = await open()
    expect([...reopened.collection('rows').keys()]).to.deep.equal(['before', 'after'])
    await reopened.close({ compact: false })
    const snapshot = (await readSnapshot(join(dir, 'test.json')))!
    expect(snapshot.collections.rows!.map((d) => d.id)).to.deep.equal(['before', 'after'])
  })

  it('a compaction between a write and its refusal leaves that write out of the snapshot', async () => {
    const db = await open({ compactMinBytes: 64 })
    const first = db.put('rows', { id: 'acknowledged', pad: 'x'.repeat(100) })
    // The first batch's write is under way; the next write waits in memory for its own batch.
    await new Promise((resolve) => setImmediate(resolve))
    files.journal = 'ENOSPC'
    const second = db.put('rows', { id: 'refused' })
    await first
    await refusal(second)
    expect([...db.collection('rows').keys()]).to.deep.equal(['acknowledged'])
    // Closing waits for the snapshot written in the background from the cut after the first batch.
    await db.close({ compact: false })
    const snapshot = (await readSnapshot(join(dir, 'test.json')))!
    expect(snapshot.collections.rows!.map((d) => d.id)).to.deep.equal(['acknowledged'])
    // The refused batch went to the journal opened at the cut, and was cut off it again.
    expect(await readFile(join(dir, 'test.journal'), 'utf8')).to.not.contain('refused')
    const reopened = await open()
    expect([...reopened.collection('rows').keys()]).to.deep.equal(['acknowledged'])
    await reopened.close({ compact: false })
  })

  it('keeps serving when compaction fails: no unhandled rejection, no temp file, logged, retried later', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    const logged: string[] = []
    const logger = { info: () => undefined, warn: () => undefined, error: (m: string) => logged.push(m) }
    try {
      const db = await open({ compactMinBytes: 512, logger })
      files.snapshot = 'ENOSPC'
      for (let i = 0; i < 40; i++) await db.put('rows', { id: `r${i}`, pad: 'x'.repeat(40) })
      // The snapshot is written in the background: wait for its failure to be logged.
      for (let wait = 0; wait < 100 && logged.length === 0; wait++) await new Promise((resolve) => setTimeout(resolve, 10))

      expect(files.snapshotFailures).to.equal(1, 'a failed compaction is not retried before its backoff')
      expect(logged).to.have.length(1)
      expect(logged[0]).to.match(/compaction of test failed: ENOSPC.*journal keeps every write.*retried in 1 s/)
      // The segment sealed at the cut stays: it is the only record of its writes until a snapshot covers them.
      expect((await readdir(dir)).sort()).to.deep.equal(['test.journal', 'test.journal.1'])
      expect(db.storageFailure?.full).to.equal(true)
      const journalSize = db.journalStats.size
      expect(journalSize).to.be.greaterThan(512)

      files.snapshot = null
      await new Promise((resolve) => setTimeout(resolve, 1100))
      await db.put('rows', { id: 'late' })
      // The retry runs right after the write's batch, once its backoff has passed.
      for (let wait = 0; wait < 100 && db.storageFailure !== null; wait++) await new Promise((resolve) => setTimeout(resolve, 10))
      expect((await readdir(dir)).sort()).to.deep.equal(['test.journal', 'test.json'])
      expect(db.journalStats.size).to.be.lessThan(journalSize)
      expect(db.storageFailure).to.equal(null)
      await db.close({ compact: false })

      const reopened = await open()
      expect(reopened.collection('rows').size).to.equal(41)
      await reopened.close({ compact: false })
      expect(unhandled).to.deep.equal([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })

  it('a compaction failing at shutdown still closes, and the journal brings everything back', async () => {
    const db = await open()
    await db.put('rows', { id: 'a' })
    files.snapshot = 'EACCES'
    await db.close({ compact: true })
    expect((await readdir(dir)).sort()).to.deep.equal(['test.journal', 'test.journal.1'])
    const reopened = await open()
    expect([...reopened.collection('rows').keys()]).to.deep.equal(['a'])
    await reopened.close({ compact: false })
  })

  it('removes a temp snapshot left by a crash when the database opens', async () => {
    await writeFile(join(dir, '.test.json.tmp'), '{"format":1,"coll')
    const db = await open()
    expect(await readdir(dir)).to.deep.equal(['test.journal'])
    await db.close({ compact: false })
  })

  it('a snapshot whose rename fails on the real disk leaves no temp file, and its segment is kept', async () => {
    const db = await open({ files: nodeFiles })
    await db.put('rows', { id: 'a' })
    // A non-empty directory where the snapshot goes: the rename over it fails.
    await mkdir(join(dir, 'test.json', 'inside'), { recursive: true })
    let failed: NodeJS.ErrnoException | undefined
    try {
      await db.compact()
    } catch (error) {
      failed = error as NodeJS.ErrnoException
    }
    expect(failed?.code).to.be.oneOf(['EISDIR', 'ENOTEMPTY', 'EEXIST'])
    expect((await readdir(dir)).sort()).to.deep.equal(['test.journal', 'test.journal.1', 'test.json'])
    await db.close({ compact: false })
    await rm(join(dir, 'test.json'), { recursive: true })
    const reopened = await open()
    expect([...reopened.collection('rows').keys()]).to.deep.equal(['a'])
    await reopened.close({ compact: false })
  })

  it('the store reports full, then error, then ok, as the last write went', async () => {
    const store = await Store.open({ dataDir: dir, fsync: 'everysec', files })
    try {
      expect(store.condition).to.equal('ok')
      files.journal = 'ENOSPC'
      await refusal(store.control.put('rows', { id: 'a' }))
      expect(store.condition).to.equal('full')
      files.journal = 'EIO'
      const error = await refusal(store.control.put('rows', { id: 'b' }))
      expect(error.full).to.equal(false)
      expect(store.condition).to.equal('error')
      files.journal = null
      await store.control.put('rows', { id: 'c' })
      expect(store.condition).to.equal('ok')
      expect([...store.control.collection('rows').keys()]).to.deep.equal(['c'])
    } finally {
      await store.close()
    }
  })

  it('a refused write reaches clients as 507 storage-full or 503 storage-unavailable, never as an internal error', () => {
    const cases = [
      { code: 'ENOSPC', status: 507, domain: 'common/storage-full', message: /disk .* is full; nothing was saved/ },
      { code: 'EDQUOT', status: 507, domain: 'common/storage-full', message: /disk .* is full/ },
      { code: 'EROFS', status: 503, domain: 'common/storage-unavailable', message: /could not write .*\(EROFS\); nothing was saved/ },
    ]
    expect(cases).to.have.length(3)
    for (const c of cases) {
      const mapped = toDomainError(new StoreWriteError(c.code, 'journal write'), '/v1/data/rows')
      expect(statusOf(mapped), c.code).to.equal(c.status)
      expect(mapped.code).to.equal(c.domain)
      expect(mapped.message).to.match(c.message)
      expect(toToolError(new StoreWriteError(c.code, 'journal write')).message).to.match(c.message)
    }
  })
})
