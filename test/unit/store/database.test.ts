import { expect } from 'chai'
import { appendFile, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Database, Store, StoreCorruptError } from '../../../src/emulator/store/store.js'
import { readSnapshot } from '../../../src/emulator/store/snapshot.js'
import { tempDir } from '../../helpers/tmp.js'

const options = { fsync: 'everysec' as const, compactMinBytes: 8 * 1024 * 1024 }

describe('store: Database', () => {
  let dir: string
  let cleanup: () => Promise<void>
  beforeEach(async () => ({ dir, cleanup } = await tempDir()))
  afterEach(() => cleanup())

  it('replays the journal over the snapshot after a reopen without compaction', async () => {
    const db = await Database.open(dir, 'test', options)
    await db.put('things', { id: 'a', n: 1 })
    await db.put('things', { id: 'b', n: 2 })
    await db.put('things', { id: 'a', n: 3 })
    await db.delete('things', 'b')
    await db.close({ compact: false })
    expect(await readFile(join(dir, 'test.journal'), 'utf8')).to.have.length.greaterThan(0)

    const again = await Database.open(dir, 'test', options)
    expect([...again.collection('things').values()]).to.deep.equal([{ id: 'a', n: 3 }])
    await again.close({ compact: false })
  })

  it('commits several operations as one journal line, so they survive or vanish together', async () => {
    const db = await Database.open(dir, 'test', options)
    await db.commit([
      { c: 'orgs', p: { id: 'o1' } },
      { c: 'members', p: { id: 'm1', org: 'o1' } },
    ])
    await db.close({ compact: false })
    const lines = (await readFile(join(dir, 'test.journal'), 'utf8')).trim().split('\n')
    expect(lines).to.have.length(1)
    expect(JSON.parse(lines[0]!)).to.have.length(2)
  })

  it('writes all operations of one tick with a single write (group commit)', async () => {
    const db = await Database.open(dir, 'test', options)
    await Promise.all(Array.from({ length: 200 }, (_, i) => db.put('rows', { id: `r${i}` })))
    const stats = db.journalStats
    expect(stats.lines).to.equal(200)
    expect(stats.batches).to.equal(1)
    await db.close({ compact: false })
  })

  it('ignores a torn final line and cuts it off so later appends start clean', async () => {
    const db = await Database.open(dir, 'test', options)
    await db.put('rows', { id: 'kept' })
    await db.close({ compact: false })
    const journal = join(dir, 'test.journal')
    const goodSize = (await stat(journal)).size
    await appendFile(journal, '[{"c":"rows","p":{"id":"torn"')

    const reopened = await Database.open(dir, 'test', options)
    expect([...reopened.collection('rows').keys()]).to.deep.equal(['kept'])
    expect((await stat(journal)).size).to.equal(goodSize)
    await reopened.put('rows', { id: 'after' })
    await reopened.close({ compact: false })

    const third = await Database.open(dir, 'test', options)
    expect([...third.collection('rows').keys()].sort()).to.deep.equal(['after', 'kept'])
    await third.close({ compact: false })
  })

  it('refuses to open a journal with a corrupt line before its end', async () => {
    await writeFile(join(dir, 'test.journal'), '[{"c":"rows","p":{"id":"a"}}]\nnot json\n[{"c":"rows","p":{"id":"b"}}]\n')
    let error: unknown
    try {
      await Database.open(dir, 'test', options)
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(StoreCorruptError)
    expect((error as Error).message).to.match(/line 2/)
  })

  it('compacts into an atomic snapshot when the journal passes its bound, keeping every document', async () => {
    // Where each compaction cut the journal, counted in writes: what the journal and snapshot hold is measured
    // against that, not against time, so a slow (loaded) background snapshot cannot make the test flaky.
    let written = 0
    const cuts: number[] = []
    const db = await Database.open(dir, 'test', { fsync: 'everysec', compactMinBytes: 4096, onCompactionStep: (step) => void (step === 'cut' && cuts.push(written)) })
    for (let i = 0; i < 300; i++) {
      await db.put('rows', { id: `r${i}`, payload: 'x'.repeat(40) })
      written++
    }
    // Closing waits for a snapshot still being written, without compacting again.
    await db.close({ compact: false })
    expect(cuts.length, 'the journal passed its bound, so it was compacted').to.be.greaterThan(0)
    const lastCut = cuts[cuts.length - 1]!
    // The journal holds only what came after the last cut (the write in flight at the cut may fall either side),
    // and the snapshot what came before it.
    const journalLines = (await readFile(join(dir, 'test.journal'), 'utf8')).split('\n').filter(Boolean).length
    expect(journalLines).to.be.within(300 - lastCut - 1, 300 - lastCut + 1)
    const snapshot = (await readSnapshot(join(dir, 'test.json')))!
    expect((await readFile(join(dir, 'test.json'), 'utf8')).split('\n')[0]).to.equal('{"format":2}')
    expect(snapshot.collections.rows!.length).to.be.within(lastCut - 1, lastCut + 1)
    // The bound grows with the snapshot, so compaction work stays proportional to the writes (amortised O(op)):
    // a later cut never comes before the journal has grown past the previous snapshot.
    for (let k = 1; k < cuts.length; k++) expect(cuts[k]! - cuts[k - 1]!).to.be.greaterThan(0)

    const reopened = await Database.open(dir, 'test', options)
    expect(reopened.collection('rows').size).to.equal(300)
    await reopened.close({ compact: false })
  })

  it('compacts on close: the journal is emptied and the snapshot holds the state', async () => {
    const db = await Database.open(dir, 'test', options)
    await db.put('rows', { id: 'a' })
    await db.commit([{ c: 'gone', p: { id: 'x' } }, { c: 'gone', x: 1 }])
    await db.close({ compact: true })
    expect((await stat(join(dir, 'test.journal'))).size).to.equal(0)
    const reopened = await Database.open(dir, 'test', options)
    expect(reopened.collection('rows').has('a')).to.equal(true)
    expect(reopened.collection('gone').size).to.equal(0)
    await reopened.close({ compact: false })
  })

  it('applies a write to memory at once and acknowledges it only after the journal write', async () => {
    const db = await Database.open(dir, 'test', { fsync: 'always', compactMinBytes: 1 << 20 })
    const pending = db.put('rows', { id: 'a' })
    expect(db.collection('rows').has('a')).to.equal(true)
    expect((await stat(join(dir, 'test.journal'))).size).to.equal(0)
    await pending
    expect((await stat(join(dir, 'test.journal'))).size).to.be.greaterThan(0)
    await db.close({ compact: false })
  })

  it('acknowledges writes while a snapshot is being written, and keeps them out of it (they are in the new segment)', async () => {
    const events: string[] = []
    let during: Promise<void> | undefined
    const db = await Database.open(dir, 'test', {
      ...options,
      onCompactionStep: (step) => {
        events.push(step)
        // The first chunk is on disk and the snapshot waits for this write's acknowledgement: were the journal held
        // until the snapshot is done, as when compaction ran inside the batch, this would never resolve.
        if (step !== 'chunk' || during) return
        during = db.put('rows', { id: 'during' }).then(() => void events.push('acked'))
        return during
      },
    })
    await db.commit(Array.from({ length: 5000 }, (_, i) => ({ c: 'rows', p: { id: `r${i}`, pad: 'x'.repeat(200) } })))
    await db.compact()
    expect(events.filter((e) => e === 'chunk').length).to.be.greaterThan(2)
    expect(events.indexOf('acked')).to.equal(events.indexOf('chunk') + 1)
    expect(events.indexOf('written')).to.be.greaterThan(events.indexOf('acked'))
    const snapshot = (await readSnapshot(join(dir, 'test.json')))!
    expect(snapshot.collections.rows).to.have.length(5000)
    expect(await readFile(join(dir, 'test.journal'), 'utf8')).to.contain('"during"')
    await db.close({ compact: false })
    const reopened = await Database.open(dir, 'test', options)
    expect(reopened.collection('rows').size).to.equal(5001)
    await reopened.close({ compact: false })
  })

  it('finds a database whose only file is a journal segment sealed by a compaction that did not finish', async () => {
    const dbDir = join(dir, 'db')
    await mkdir(dbDir)
    const db = await Database.open(dbDir, 'env-a', options)
    await db.put('rows', { id: 'kept' })
    await db.close({ compact: false })
    await rename(join(dbDir, 'env-a.journal'), join(dbDir, 'env-a.journal.1'))
    const store = await Store.open({ dataDir: dir, fsync: 'everysec' })
    try {
      expect(store.database('env-a')?.collection('rows').has('kept')).to.equal(true)
    } finally {
      await store.close()
    }
  })
})
