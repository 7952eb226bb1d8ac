/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are JSON checked by chai assertions, not typed */
import { expect } from 'chai'
import { startHarness, stopHarness, type Harness } from './data-helpers.js'

const q = (filter: unknown) => encodeURIComponent(JSON.stringify(filter))

// A filter's total is remembered between pages until the table's next write: these read pages, write, and read again.
describe('data HTTP: list totals and pages across writes', () => {
  let h: Harness
  const list = async (query: string, auth: { token?: string } = {}) => {
    const res = await h.req('GET', `/v1/notes?${query}`, { key: auth.token ? h.pk : h.sk, token: auth.token })
    expect(res.status, JSON.stringify(res.body)).to.equal(200)
    return { total: res.body.pagination.total as number, ns: res.body.items.map((r: any) => r.n) as number[] }
  }
  const big = `andFilters=${q({ n: { $gte: 10 } })}&limit=5`

  beforeEach(async () => {
    h = await startHarness()
    await h.table('notes', { n: { bsonType: 'int' }, title: { type: 'string' } }, {
      permissions: { admin: { create: true, read: true, update: true, delete: true, list: true }, user: { create: true }, self: { read: true, list: true } },
    })
    for (let n = 0; n < 30; n++) await h.req('POST', '/v1/notes', { key: h.sk, body: { n, title: `note ${n}` } })
  })
  afterEach(() => stopHarness(h))

  it('pages of one filter agree with each other, newest first, and end where the total says', async () => {
    const pages = await Promise.all([1, 2, 3, 4, 5].map((page) => list(`${big}&page=${page}`)))
    expect(pages.map((p) => p.total)).to.deep.equal([20, 20, 20, 20, 20])
    expect(pages.flatMap((p) => p.ns)).to.deep.equal(Array.from({ length: 20 }, (_, i) => 29 - i))
    expect((await list(`${big}&page=2&sortDirection=asc`)).ns).to.deep.equal([15, 16, 17, 18, 19])
  })

  it('a create, an update out of the filter and a delete each change the next total', async () => {
    expect((await list(big)).total).to.equal(20)
    const created = await h.req('POST', '/v1/notes', { key: h.sk, body: { n: 99 } })
    expect(await list(big)).to.deep.equal({ total: 21, ns: [99, 29, 28, 27, 26] })
    await h.req('PATCH', `/v1/notes/${created.body.id}`, { key: h.sk, body: { n: 1 } })
    expect(await list(big)).to.deep.equal({ total: 20, ns: [29, 28, 27, 26, 25] })
    const top = (await h.req('GET', `/v1/notes?andFilters=${q({ n: 29 })}`, { key: h.sk })).body.items[0]
    await h.req('DELETE', `/v1/notes/${top.id}`, { key: h.sk })
    expect(await list(big)).to.deep.equal({ total: 19, ns: [28, 27, 26, 25, 24] })
    expect((await list('limit=1')).total).to.equal(30)
  })

  it('the same filter counts each caller own rows under self', async () => {
    const alice = await h.signUp('alice@example.com')
    const bob = await h.signUp('bob@example.com')
    for (const n of [50, 51, 52]) await h.req('POST', '/v1/notes', { token: alice.token, body: { n } })
    await h.req('POST', '/v1/notes', { token: bob.token, body: { n: 60 } })
    expect(await list(big, { token: alice.token })).to.deep.equal({ total: 3, ns: [52, 51, 50] })
    expect(await list(big, { token: bob.token })).to.deep.equal({ total: 1, ns: [60] })
    expect((await list(big)).total).to.equal(24)
  })

  it('a reset empties the counts with the table', async () => {
    expect((await list(big)).total).to.equal(20)
    const reset = await h.em.app.inject({ method: 'POST', url: '/_emulator/reset', headers: { authorization: `Bearer ${h.em.seed.tenantToken}` } })
    expect(reset.statusCode, reset.body).to.equal(200)
    expect(await list(big)).to.deep.equal({ total: 0, ns: [] })
  })
})
