import { expect } from 'chai'
import { IndexCache } from '../../../src/emulator/core/data/indexes/cache.js'
import { valueKey } from '../../../src/emulator/core/data/indexes/index-defs.js'
import { DC, type TableDoc } from '../../../src/emulator/core/data/model.js'
import { newId } from '../../../src/emulator/core/ids.js'
import { Database } from '../../../src/emulator/store/store.js'
import { tempDir } from '../../helpers/tmp.js'

const options = { fsync: 'everysec' as const, compactMinBytes: 8 * 1024 * 1024 }
const COUNT = 30_000

describe('data/indexes: building the maps between requests after start-up', () => {
  let dir: string
  let cleanup: () => Promise<void>
  let db: Database
  let table: TableDoc
  beforeEach(async () => {
    ;({ dir, cleanup } = await tempDir())
    db = await Database.open(dir, 'env', options)
    table = { id: 'tbl1', indexes: [{ name: 'cat_1', fields: { cat: 1 }, unique: false, sparse: false }] } as unknown as TableDoc
    await db.commit([{ c: DC.tables, p: table }, ...Array.from({ length: COUNT }, (_, i) => ({ c: DC.records(table.id), p: { id: newId(1_700_000_000_000 + i), cat: `c${i % 3}` } }))])
  })
  afterEach(async () => {
    await db.close({ compact: false })
    await cleanup()
  })

  const catC1 = (cache: IndexCache) => cache.of(db, table).lookup('cat_1', valueKey(['c1'])).length

  it('yields to the event loop between slices and ends with the same maps a first query would build', async () => {
    // slices of no time at all: every 1,024 records the build yields, however fast this machine builds 30,000
    const cache = new IndexCache(0)
    // one turn of the event loop, counted each time it comes round: a build that never yielded would see one
    let turns = 0
    let building = true
    const tick = () => {
      turns++
      if (building) setImmediate(tick)
    }
    setImmediate(tick)
    await cache.warm(db)
    building = false
    const warmed = cache.of(db, table)
    expect(cache.of(db, table)).to.equal(warmed)
    expect(catC1(cache)).to.equal(COUNT / 3)
    expect(catC1(new IndexCache())).to.equal(COUNT / 3)
    expect(turns, 'turns of the event loop while it built (30,000 records, a slice every 1,024)').to.be.at.least(20)
  })

  it('a table asked for mid-build gets complete maps at once, and the build stops', async () => {
    const cache = new IndexCache()
    const built = cache.warm(db)
    await new Promise((resolve) => setImmediate(resolve))
    expect(catC1(cache)).to.equal(COUNT / 3)
    const asked = cache.of(db, table)
    await built
    expect(cache.of(db, table)).to.equal(asked)
  })

  it('a table dropped mid-build (its records rewritten) is built afresh on next use', async () => {
    const cache = new IndexCache()
    const built = cache.warm(db)
    await new Promise((resolve) => setImmediate(resolve))
    await db.commit([{ c: DC.records(table.id), x: 1 }, { c: DC.records(table.id), p: { id: newId(1_800_000_000_000), cat: 'c1' } }])
    cache.drop(table.id)
    await built
    expect(catC1(cache)).to.equal(1)
  })
})
