import { expect } from 'chai'
import { envDatabaseName } from '../../src/emulator/core/tenancy/model.js'
import { createEmulator } from '../../src/emulator/server.js'
import { harnessFor, q, startHarness, stopHarness, type Harness } from './data-helpers.js'

const COUNT = 20_000

describe('data HTTP: requests right after a start, while the snapshot is parsed in the background', () => {
  let h: Harness | undefined
  afterEach(() => stopHarness(h))

  it('answers by id, counts, indexes and unique checks over every record before the background parse is done', async () => {
    h = await startHarness()
    await h.table('posts', { email: { type: 'string', unique: true }, team: { type: 'string' }, n: { type: 'number' } })
    const created: string[] = []
    for (let i = 0; i < COUNT; i += 1000) {
      const batch = Array.from({ length: 1000 }, (_, k) => h!.req('POST', '/v1/data/posts', { key: h!.sk, body: { email: `u${i + k}@x`, team: (i + k) % 4 === 0 ? 'red' : 'blue', n: i + k } }))
      for (const r of await Promise.all(batch)) created.push(r.body.id)
    }
    expect(created).to.have.length(COUNT)
    const dir = h.dir
    await stopHarness(h, { keepDir: true })

    const em = await createEmulator({ dataDir: dir, port: 0 })
    h = harnessFor(em, dir)
    const db = em.core.store.database(envDatabaseName(em.seed.environment.id))!
    expect(db.loading, 'the records are still in the snapshot file at ready').to.equal(true)
    const one = await h.req('GET', `/v1/data/posts/${created[12_345]}`, { key: h.sk })
    expect([one.status, one.body.email, one.body.n]).to.deep.equal([200, 'u12345@x', 12_345])
    const red = await h.req('GET', `/v1/data/posts?limit=1&andFilters=${q({ team: 'red' })}`, { key: h.sk })
    expect(red.body.pagination.total).to.equal(COUNT / 4)
    const half = await h.req('GET', `/v1/data/posts?limit=1&andFilters=${q({ n: { $gte: COUNT / 2 } })}`, { key: h.sk })
    expect(half.body.pagination.total).to.equal(COUNT / 2)
    const dup = await h.req('POST', '/v1/data/posts', { key: h.sk, body: { email: 'u19999@x' } })
    expect([dup.status, dup.body.error.code]).to.deep.equal([409, 'data/duplicate-value'])
    expect(db.loading).to.equal(false)
    expect((await h.req('POST', '/v1/data/posts', { key: h.sk, body: { email: 'new@x', team: 'red' } })).status).to.equal(201)
    expect((await h.req('GET', `/v1/data/posts?limit=1&andFilters=${q({ team: 'red' })}`, { key: h.sk })).body.pagination.total).to.equal(COUNT / 4 + 1)
  })
})
