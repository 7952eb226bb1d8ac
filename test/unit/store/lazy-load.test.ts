import { expect } from 'chai'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Database, type Doc } from '../../../src/emulator/store/database.js'
import { readSnapshot, SnapshotCorruptError } from '../../../src/emulator/store/snapshot.js'
import { tempDir } from '../../helpers/tmp.js'

const options = { fsync: 'everysec' as const, compactMinBytes: 1 << 30 }

/** Writes `docs` and compacts, so the next open reads them from a format-2 snapshot. */
async function compacted(dir: string, docs: Doc[]): Promise<void> {
  const db = await Database.open(dir, 'test', options)
  await Promise.all(docs.map((doc) => db.put('rows', doc)))
  await db.close({ compact: true })
}

const ids = (db: Database, c = 'rows') => [...db.collection(c).keys()]

describe('store: snapshots read lazily (format 2)', () => {
  let dir: string
  let cleanup: () => Promise<void>
  beforeEach(async () => ({ dir, cleanup } = await tempDir()))
  afterEach(() => cleanup())

  it('opens a format-1 snapshot of an old data dir, and the next compaction writes format 2 with the same documents', async () => {
    const old = { format: 1, collections: { rows: [{ id: 'a', n: 1 }, { id: 'b', n: 2 }], other: [{ id: 'x', s: 'é' }] } }
    await writeFile(join(dir, 'test.json'), JSON.stringify(old))
    const db = await Database.open(dir, 'test', options)
    expect(db.collection('rows').get('b')).to.deep.equal({ id: 'b', n: 2 })
    expect(db.loading).to.equal(false)
    await db.close({ compact: true })
    const text = await readFile(join(dir, 'test.json'), 'utf8')
    expect(text.split('\n')[0]).to.equal('{"format":2}')
    const again = await Database.open(dir, 'test', options)
    expect(again.loading).to.equal(true)
    expect(ids(again)).to.deep.equal(['a', 'b'])
    expect(again.collection('other').get('x')).to.deep.equal({ id: 'x', s: 'é' })
    expect((await readSnapshot(join(dir, 'test.json')))!.collections).to.deep.equal(old.collections)
    await again.close({ compact: false })
  })

  it('serves reads and writes before the background parse, in Map order, and keeps them all', async () => {
    // ~300 KB: more than one window of the background parse, so its batches meet the writes made before it.
    const docs = Array.from({ length: 1000 }, (_, i) => ({ id: `r${String(i).padStart(4, '0')}`, n: i, pad: 'x'.repeat(300) }))
    await compacted(dir, docs)
    const db = await Database.open(dir, 'test', options)
    expect(db.loading).to.equal(true)
    const rows = db.collection('rows')
    expect(rows.size).to.equal(1000)
    expect(rows.get('r0500')).to.deep.equal({ id: 'r0500', n: 500, pad: 'x'.repeat(300) })
    expect(rows.has('r0999')).to.equal(true)
    expect(rows.has('nope')).to.equal(false)
    await db.put('rows', { id: 'r0001', n: -1 })
    await db.delete('rows', 'r0002')
    await db.put('rows', { id: 'new', n: 1000 })
    expect(rows.size).to.equal(1000)
    expect(rows.get('r0002')).to.equal(undefined)
    expect(rows.get('r0001')).to.deep.equal({ id: 'r0001', n: -1 })
    const before = ids(db)
    expect(before).to.have.length(1000)
    expect(before.slice(0, 3)).to.deep.equal(['r0000', 'r0001', 'r0003'])
    expect(before[999]).to.equal('new')
    await db.loaded()
    expect(db.loading).to.equal(false)
    expect(ids(db)).to.deep.equal(before)
    expect([...rows.values()].reduce((sum, d) => sum + (d.n as number), 0)).to.equal((999 * 1000) / 2 - 1 - 1 - 2 + 1000)
    await db.close({ compact: true })
    const again = await Database.open(dir, 'test', options)
    expect(ids(again)).to.deep.equal(before)
    expect(again.collection('rows').get('r0001')).to.deep.equal({ id: 'r0001', n: -1 })
    await again.close({ compact: false })
  })

  it('a cut taken before the background parse holds every loaded document and not a write still unacknowledged', async () => {
    await compacted(dir, [{ id: 'a' }, { id: 'b' }, { id: 'c' }])
    const db = await Database.open(dir, 'test', options)
    expect(db.loading).to.equal(true)
    const written = db.put('rows', { id: 'd' })
    const view = db.view()
    await written
    expect(view).to.have.length(1)
    expect(view[0]![1].map((d) => d.id)).to.deep.equal(['a', 'b', 'c'])
    expect(ids(db)).to.deep.equal(['a', 'b', 'c', 'd'])
    await db.close({ compact: false })
  })

  it('finds ids that need escapes or are out of order (hashed ids, a moved clock)', async () => {
    const odd = ['z', 'tab\there', 'new\nline', 'quote"d', 'back\\slash', 'é', '😀', 'a', '\u2028', 'm']
    await compacted(dir, odd.map((id, n) => ({ id, n })))
    const db = await Database.open(dir, 'test', options)
    expect(db.loading).to.equal(true)
    expect(ids(db)).to.deep.equal(odd)
    for (const [n, id] of odd.entries()) expect(db.collection('rows').get(id)).to.deep.equal({ id, n })
    expect(db.collection('rows').get('b')).to.equal(undefined)
    await db.close({ compact: false })
  })

  it('parses in slices: other work runs before a large collection is all parsed', async () => {
    const db0 = await Database.open(dir, 'test', options)
    await db0.commit(Array.from({ length: 60_000 }, (_, i) => ({ c: 'rows', p: { id: `r${String(i).padStart(6, '0')}`, title: `Post number ${i}`, tags: ['a', 'b'], n: i } })))
    await db0.close({ compact: true })
    const db = await Database.open(dir, 'test', options)
    let ticks = 0
    const timer = setInterval(() => (ticks += 1), 0)
    await db.loaded()
    clearInterval(timer)
    expect(ticks).to.be.greaterThan(0)
    expect(db.collection('rows').size).to.equal(60_000)
    expect(db.collection('rows').get('r059999')).to.deep.equal({ id: 'r059999', title: 'Post number 59999', tags: ['a', 'b'], n: 59999 })
    await db.close({ compact: false })
  })

  it('refuses a truncated snapshot instead of opening with documents missing', async () => {
    await compacted(dir, [{ id: 'a' }, { id: 'b' }])
    const text = await readFile(join(dir, 'test.json'), 'utf8')
    await writeFile(join(dir, 'test.json'), text.slice(0, text.lastIndexOf('"b"')))
    let error: unknown
    await Database.open(dir, 'test', options).catch((e: unknown) => (error = e))
    expect(error).to.be.instanceOf(SnapshotCorruptError)
    expect((error as Error).message).to.contain('truncated')
  })
})
