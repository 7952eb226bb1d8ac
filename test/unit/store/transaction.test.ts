import { expect } from 'chai'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Database } from '../../../src/emulator/store/database.js'
import { tempDir } from '../../helpers/tmp.js'

const options = { fsync: 'always' as const, compactMinBytes: 8 * 1024 * 1024 }

describe('store: a database transaction (begin / end)', () => {
  let dir: string
  let cleanup: () => Promise<void>
  let db: Database

  beforeEach(async () => {
    ;({ dir, cleanup } = await tempDir())
    db = await Database.open(dir, 'env-t', options)
    await db.commit([{ c: 'tables', p: { id: 'a', v: 1 } }, { c: 'records', p: { id: 'r1' } }])
  })

  afterEach(async () => {
    await db.close({ compact: false }).catch(() => undefined)
    await cleanup()
  })

  const lines = async () => (await readFile(join(dir, 'env-t.journal'), 'utf8')).split('\n').filter(Boolean)

  it('commits inside apply to memory at once and are journalled as one line when it ends', async () => {
    const tx = db.begin()
    await db.commit([{ c: 'tables', p: { id: 'a', v: 2 } }])
    await db.commit([{ c: 'tables', p: { id: 'b', v: 1 } }, { c: 'records', d: 'r1' }])
    expect(db.collection('tables').get('a')).to.deep.equal({ id: 'a', v: 2 })
    expect(await lines()).to.have.length(1)
    await tx.end(true)
    expect(await lines()).to.have.length(2)
    await db.close({ compact: false })
    db = await Database.open(dir, 'env-t', options)
    expect([...db.collection('tables').values()]).to.deep.equal([{ id: 'a', v: 2 }, { id: 'b', v: 1 }])
    expect(db.collection('records').size).to.equal(0)
  })

  it('ending without keeping takes every commit back out, newest first, and tells the roll-back listeners', async () => {
    let told = 0
    db.onRollBack(() => (told += 1))
    const tx = db.begin()
    await db.commit([{ c: 'tables', p: { id: 'a', v: 2 } }])
    await db.commit([{ c: 'tables', p: { id: 'a', v: 3 } }, { c: 'records', x: 1 }, { c: 'new', p: { id: 'n' } }])
    await tx.end(false)
    expect([...db.collection('tables').values()]).to.deep.equal([{ id: 'a', v: 1 }])
    expect([...db.collection('records').keys()]).to.deep.equal(['r1'])
    expect(db.collection('new').size).to.equal(0)
    expect(told).to.equal(1)
    expect(await lines()).to.have.length(1)
  })

  it('one transaction at a time', () => {
    const tx = db.begin()
    expect(() => db.begin()).to.throw(/already open/)
    return tx.end(false)
  })

  it('after it ends, commits are journalled one by one again', async () => {
    await db.begin().end(true)
    await db.commit([{ c: 'tables', p: { id: 'c' } }])
    expect(await lines()).to.have.length(2)
  })
})
