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
    // The client's own first request loads its HTTP stack in this process; only the server is measured.
    expect((await fetch(`${h.em.url}/_emulator/health`)).status).to.equal(200)
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
    expect(healthMs).to.be.below(200)
    expect(delay.max / 1e6).to.be.below(200)
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
})
