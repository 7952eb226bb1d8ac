/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are JSON checked by chai assertions, not typed */
import { expect } from 'chai'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { q, startHarness, stopHarness, type Harness } from './data-helpers.js'

/** Hostile list queries and bodies (issue 13): refused with a 400 naming the limit, never a stalled server. */
describe('data HTTP: input limits', () => {
  let h: Harness
  before(async () => {
    h = await startHarness()
    await h.table('rx', { s: { type: 'string' } })
    const value = `${'a'.repeat(199)}!`
    for (let i = 0; i < 2000; i += 100) {
      await Promise.all(Array.from({ length: 100 }, () => h.req('POST', '/v1/data/rx', { key: h.sk, body: { s: value } })))
    }
  })
  after(() => stopHarness(h))

  it('spends one regex step budget per request: 32 catastrophic orFilters neither stall the loop nor health', async function () {
    this.timeout(20_000)
    const orFilters = Array.from({ length: 32 }, () => ({ s: { $regex: '(a+){50}$' } }))
    // The client's first request loads its HTTP stack in this process, and the first refusal runs unoptimised code:
    // both happen once, before measuring, so the bound below measures the budget rather than the machine's load.
    expect((await fetch(`${h.em.url}/_emulator/health`)).status).to.equal(200)
    expect((await h.req('GET', `/v1/data/rx?orFilters=${q(orFilters)}`, { key: h.sk })).status).to.equal(400)
    const delay = monitorEventLoopDelay({ resolution: 10 })
    delay.enable()
    const started = performance.now()
    const list = fetch(`${h.em.url}/v1/data/rx?orFilters=${q(orFilters)}`, { headers: { 'x-api-key': h.sk } })
    const health = fetch(`${h.em.url}/_emulator/health`).then(() => performance.now() - started)
    const [res, healthMs] = await Promise.all([list, health])
    delay.disable()
    const body = (await res.json()) as any
    expect(res.status).to.equal(400)
    expect(body.error.code).to.equal('data/validation-error')
    expect(body.error.message).to.match(/too expensive/)
    // Generous for a loaded machine: the defect this guards against held the loop for seconds.
    expect(healthMs).to.be.below(300)
    expect(delay.max / 1e6).to.be.below(300)
  })

  it('refuses more than 100 filter conditions in one request, across parameters, naming the limit', async () => {
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}`, i]))
    const ok = await h.req('GET', `/v1/data/rx?andFilters=${q(fifty)}&orFilters=${q(fifty)}`)
    expect(ok.status).to.equal(200)
    const res = await h.req('GET', `/v1/data/rx?andFilters=${q(fifty)}&orFilters=${q({ ...fifty, f50: { $gt: 1, $lt: 9 } })}`)
    expect(res.status).to.equal(400)
    expect(res.body.error.code).to.equal('data/validation-error')
    expect(res.body.error.message).to.match(/at most 100 filter conditions/)
  })

  it('refuses a filter parameter longer than 16 KiB of JSON, naming the limit', async () => {
    const res = await h.req('GET', `/v1/data/rx?andFilters=${q({ s: { $in: Array.from({ length: 3000 }, (_, i) => `value-${i}`) } })}`)
    expect(res.status).to.equal(400)
    expect(res.body.error.code).to.equal('data/validation-error')
    expect(res.body.error.message).to.match(/andFilters is longer than 16384 characters/)
  })

  /** `{"v":{"v":…}}` with `levels` objects, as JSON text (too deep to build with JSON.stringify). */
  const nested = (levels: number) => `${'{"v":'.repeat(levels)}1${'}'.repeat(levels)}`
  const count = async () => (await h.req('GET', '/v1/data/rx?limit=1')).body.pagination.total as number

  it('refuses every non-object body on POST and PATCH with data/validation-error, creating nothing', async () => {
    const before = await count()
    const created = await h.req('POST', '/v1/data/rx', { key: h.sk, body: { s: 'x' } })
    expect(created.status).to.equal(201)
    const bodies: Array<[string, RegExp]> = [['null', /not null/], ['[]', /not an array/], ['[{"s":"x"}]', /not an array/], ['"text"', /not a string/], ['42', /not a number/], ['true', /not a boolean/]]
    expect(bodies).to.have.length(6)
    for (const [payload, message] of bodies) {
      for (const [method, url] of [['POST', '/v1/data/rx'], ['POST', '/v1/rx'], ['PATCH', `/v1/data/rx/${created.body.id}`]]) {
        const res = await h.req(method as string, url as string, { key: h.sk, body: payload })
        expect(res.status, `${method} ${url} ${payload}`).to.equal(400)
        expect(res.body.error.code).to.equal('data/validation-error')
        expect(res.body.error.message).to.match(message)
      }
    }
    expect(await count()).to.equal(before + 1)
    expect((await h.req('GET', `/v1/data/rx/${created.body.id}`)).body.s).to.equal('x')
  })

  it('accepts bodies 100 levels deep and refuses deeper ones with a 400 on every JSON route, never a 500', async () => {
    const before = await count()
    const ok = await h.req('POST', '/v1/data/rx', { key: h.sk, body: `{"s":"deep","n":${nested(99)}}` })
    expect(ok.status).to.equal(201)
    for (const levels of [100, 5000, 100_000]) {
      for (const [method, url] of [['POST', '/v1/data/rx'], ['PATCH', `/v1/data/rx/${ok.body.id}`]]) {
        const res = await h.req(method as string, url as string, { key: h.sk, body: `{"n":${nested(levels)}}` })
        expect(res.status, `${method} ${levels}`).to.equal(400)
        expect(res.body.error.code).to.equal('data/validation-error')
        expect(res.body.error.message).to.match(/nests deeper than 100 levels/)
      }
    }
    const auth = await h.req('POST', '/v1/auth/email/signup', { body: `{"method":"password","email":"deep@example.com","password":${nested(5000)}}` })
    expect(auth.status).to.equal(400)
    expect(auth.body.error.code).to.equal('common/invalid-parameters')
    expect(auth.body.error.message).to.match(/nests deeper than 100 levels/)
    const mcp = await h.em.app.inject({
      method: 'POST',
      url: '/mcp',
      headers: { authorization: `Bearer ${h.em.seed.tenantToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      payload: `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"backend_table_list","arguments":{"x":${nested(5000)}}}}`,
    })
    expect(mcp.statusCode).to.equal(400)
    expect(JSON.parse(mcp.body).error).to.deep.include({ code: -32700, message: 'Parse error: The request body nests deeper than 100 levels of objects and arrays; flatten it' })
    expect(await count()).to.equal(before + 1)
  })

  it('refuses Object member names as table fields, and a record leaving such a name out is accepted', async () => {
    for (const name of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'prototype']) {
      const error = await h.table(`t_${name.toLowerCase()}`, { [name]: { type: 'string' } }).then(
        () => null,
        (e: unknown) => e as { code: string; message: string },
      )
      expect(error, name).to.not.equal(null)
      expect(error?.code).to.equal('data/validation-error')
      expect(error?.message).to.include(`"${name}" is the name of a built-in member`)
    }
    await h.table('plain', { title: { type: 'string', required: true }, meta: { type: 'object', properties: { note: { type: 'string' } } } })
    const res = await h.req('POST', '/v1/data/plain', { key: h.sk, body: { title: 't', meta: {} } })
    expect(res.status).to.equal(201)
    const found = await h.req('GET', `/v1/data/plain?andFilters=${q({ constructor: { $exists: false }, toString: null, valueOf: { $ne: 'x' } })}`)
    expect(found.status).to.equal(200)
    expect(found.body.items.map((r: any) => r.id)).to.deep.equal([res.body.id])
  })
})
