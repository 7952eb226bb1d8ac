import { expect } from 'chai'
import { FaultRules } from '../../src/emulator/http/middleware/fault-rules.js'

// The matching and bookkeeping of fault rules, as case tables; the HTTP side is test/http/control-faults.test.ts.
describe('unit: fault rules', () => {
  const cases: Array<{ path: string; method?: string; request: [string, string]; matches: boolean }> = [
    { path: '/v1/data/*', request: ['GET', '/v1/data/notes'], matches: true },
    { path: '/v1/data/*', request: ['GET', '/v1/data/notes/6b0f5ef7c4ec57e7ba4cd15d'], matches: true },
    { path: '/v1/data/*', request: ['GET', '/v1/datasets'], matches: false },
    { path: '/v1/data/notes', request: ['GET', '/v1/data/notes/'], matches: true },
    { path: '/v1/data/notes/', request: ['GET', '/v1/data/notes'], matches: true },
    { path: '/v1/data/notes', request: ['GET', '/v1/data/notes2'], matches: false },
    { path: '/v1/*/me', request: ['GET', '/v1/auth/me'], matches: true },
    { path: '/v1/data/*', method: 'POST', request: ['GET', '/v1/data/notes'], matches: false },
    { path: '/v1/data/*', method: 'post', request: ['POST', '/v1/data/notes'], matches: true },
    { path: '*', request: ['POST', '/mcp'], matches: true },
    { path: '*', request: ['GET', '/.well-known/oauth-authorization-server'], matches: true },
    { path: '*', request: ['GET', '/_emulator/health'], matches: false },
    { path: '*', request: ['GET', '/_emulator/storage/download/abc'], matches: false },
    { path: '*', request: ['GET', '/mcp/oauth/authorize'], matches: false },
    { path: '/v1/data/a.b', request: ['GET', '/v1/data/aXb'], matches: false },
  ]
  for (const { path, method, request, matches } of cases) {
    it(`${method ?? '*'} ${path} ${matches ? 'matches' : 'does not match'} ${request.join(' ')}`, () => {
      const rules = new FaultRules()
      rules.add({ path, ...(method ? { method } : {}), failRate: 1 })
      expect(rules.decide(...request) !== undefined).to.equal(matches)
    })
  }

  it('tries rules oldest first and the global one last', () => {
    const rules = new FaultRules()
    rules.add({ failRate: 1 }, 'global')
    rules.add({ path: '/v1/data/*', status: 502 })
    rules.add({ path: '/v1/data/notes', status: 504 })
    expect(rules.decide('GET', '/v1/data/notes')?.failure?.status).to.equal(502)
    expect(rules.decide('GET', '/v1/auth/me')?.applied.rule).to.equal('global')
    expect(rules.list().map((rule) => rule.id)).to.deep.equal(['f1', 'f2', 'global'])
  })

  it('expires a rule by its own clock and counts only the requests it shaped', () => {
    let now = 1_000_000
    const rules = new FaultRules(() => now)
    rules.add({ path: '/v1/data/notes', failRate: 0.5, seed: 1, forSeconds: 10 })
    let shaped = 0
    for (let i = 0; i < 40; i++) if (rules.decide('GET', '/v1/data/notes')) shaped += 1
    expect(shaped).to.be.within(1, 39)
    expect(rules.list()[0]!.applied).to.equal(shaped)
    now += 10_000
    expect(rules.decide('GET', '/v1/data/notes')).to.equal(undefined)
    expect(rules.active).to.equal(false)
  })

  it('a timeout without a latency holds for the default, and latency-only requests are not failures', () => {
    const rules = new FaultRules()
    rules.add({ path: '/v1/a', mode: 'timeout' })
    rules.add({ path: '/v1/b', latency: '5' })
    expect(rules.decide('GET', '/v1/a')).to.deep.include({ latencyMs: 20_000, failure: { status: 503, mode: 'timeout' } })
    expect(rules.decide('GET', '/v1/b')).to.deep.equal({ applied: { rule: 'f2 * /v1/b', latencyMs: 5 }, latencyMs: 5 })
  })
})
