import { expect } from 'chai'
import { Client } from 'undici'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'

interface Scenario {
  name: string
  method?: string
  url: string
  headers?: Record<string, string>
  body?: string
  status: number
  code?: string
}

describe('http: one-origin server, envelope and order of checks', () => {
  let emu: TestEmulator
  let pk: string
  let sk: string
  before(async () => {
    emu = await startEmulator()
    pk = emu.seed.environment.publishableKey
    sk = emu.seed.environment.secretKey
  })
  after(() => emu.dispose())

  // Scenario headers name keys as $pk / $sk, filled in once the emulator has started.
  const fill = (headers: Record<string, string> = {}) => Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('$pk', pk).replace('$sk', sk)]))
  const call = (s: Omit<Scenario, 'name' | 'status'>) => fetch(emu.url + s.url, { method: s.method ?? 'GET', headers: fill(s.headers), body: s.body })

  describe('scenarios', () => {
    const scenarios: Scenario[] = [
      { name: 'anyone asking for an unknown path → 404 common/not-found', url: '/nowhere', status: 404, code: 'common/not-found' },
      { name: 'a wrong method on a known path → 405 common/method-not-allowed', method: 'DELETE', url: '/_emulator/health', status: 405, code: 'common/method-not-allowed' },
      { name: 'an app without an API key → 401 auth/unauthorized', url: '/v1/users', status: 401, code: 'auth/unauthorized' },
      { name: 'an app with a malformed key → 401 auth/invalid-token-format', url: '/v1/users', headers: { 'X-API-Key': 'pk_nothex' }, status: 401, code: 'auth/invalid-token-format' },
      { name: 'an app with an unknown key → 401 auth/invalid-token', url: '/v1/users', headers: { 'X-API-Key': `pk_${'0'.repeat(64)}` }, status: 401, code: 'auth/invalid-token' },
      { name: 'a key sent as a Bearer value without X-API-Key is accepted as the key', url: '/v1/users', headers: { Authorization: 'Bearer $sk' }, status: 200 },
      { name: 'malformed JSON on a REST route → 400', method: 'POST', url: '/v1/users', headers: { 'X-API-Key': '$sk', 'Content-Type': 'application/json' }, body: '{"name":', status: 400, code: 'common/invalid-parameters' },
      { name: 'malformed JSON on a data route → 400 data/validation-error', method: 'POST', url: '/v1/data/posts', headers: { 'X-API-Key': '$sk', 'Content-Type': 'application/json' }, body: '{oops', status: 400, code: 'data/validation-error' },
      { name: 'an unsupported content type on a data route → 400 data/invalid-header', method: 'POST', url: '/v1/data/posts', headers: { 'X-API-Key': '$sk', 'Content-Type': 'application/xml' }, body: '<a/>', status: 400, code: 'data/invalid-header' },
      { name: 'an unsupported content type elsewhere → 400 common/invalid-parameters', method: 'POST', url: '/v1/users', headers: { 'X-API-Key': '$sk', 'Content-Type': 'application/xml' }, body: '<a/>', status: 400, code: 'common/invalid-parameters' },
      { name: 'a prototype-poisoning body is refused', method: 'POST', url: '/v1/users', headers: { 'X-API-Key': '$sk', 'Content-Type': 'application/json' }, body: '{"__proto__":{"admin":true}}', status: 400, code: 'common/invalid-parameters' },
      { name: 'a body over 1 MiB → 413 common/payload-too-large', method: 'POST', url: '/v1/users', headers: { 'X-API-Key': '$sk', 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'x'.repeat(1024 * 1024) }), status: 413, code: 'common/payload-too-large' },
      { name: 'JSON sent as text/plain is parsed (fetch default)', method: 'POST', url: '/v1/users', headers: { 'X-API-Key': '$sk', 'Content-Type': 'text/plain;charset=UTF-8' }, body: JSON.stringify({ name: 'Ann', email: 'ann@example.com' }), status: 201 },
      { name: 'a control without the tenant bearer → 401', url: '/_emulator/clock', status: 401, code: 'auth/unauthorized' },
      { name: 'a control with an API key instead of the tenant token → 401', url: '/_emulator/clock', headers: { Authorization: 'Bearer $sk' }, status: 401, code: 'auth/invalid-token' },
      { name: 'health needs no credentials', url: '/_emulator/health', status: 200 },
      { name: 'a path with a bad % escape on a data route → 400 data/validation-error', url: '/v1/data/%c0%ae', headers: { 'X-API-Key': '$sk' }, status: 400, code: 'data/validation-error' },
      { name: 'a path with a bad % escape elsewhere → 400 common/invalid-parameters', url: '/_emulator/storage/download/%ff', status: 400, code: 'common/invalid-parameters' },
      { name: 'a path segment over 100 characters → 400, not a bare 414', url: `/v1/files/${'a'.repeat(101)}`, headers: { 'X-API-Key': '$sk' }, status: 400, code: 'common/invalid-parameters' },
    ]
    for (const s of scenarios) {
      it(s.name, async () => {
        const response = await call(s)
        const body = (await response.json()) as Record<string, unknown>
        expect(response.status, JSON.stringify(body)).to.equal(s.status)
        if (s.code) {
          expect(body).to.deep.include({ success: false, statusCode: s.status })
          const error = body.error as { code: string; message: string }
          expect(error.code).to.equal(s.code)
          expect(body.message).to.equal(error.message)
          expect(JSON.stringify(body)).to.not.match(/at .*\.(ts|js):\d+/)
        }
      })
    }
  })

  it('405 names the allowed methods', async () => {
    const response = await call({ method: 'PUT', url: '/_emulator/clock' })
    expect(response.status).to.equal(405)
    expect(response.headers.get('allow')).to.equal('GET, POST')
  })

  it('revoked and expired keys fail with their own codes', async () => {
    const revoked = await emu.core.keys.create(emu.actor, { projectId: emu.seed.projectId, environment: 'dev', type: 'secret', name: 'r' })
    await emu.core.keys.revoke(emu.actor, revoked.id)
    const r1 = await call({ url: '/v1/users', headers: { 'X-API-Key': revoked.key } })
    expect(r1.status).to.equal(401)
    expect(((await r1.json()) as { error: { code: string } }).error.code).to.equal('auth/token-revoked')

    const expiring = await emu.core.keys.create(emu.actor, { projectId: emu.seed.projectId, environment: 'dev', type: 'secret', name: 'e', expiresAt: new Date(emu.core.clock.nowMs() + 1000).toISOString() })
    emu.core.clock.advance(5)
    const r2 = await call({ url: '/v1/users', headers: { 'X-API-Key': expiring.key } })
    expect(((await r2.json()) as { error: { code: string } }).error.code).to.equal('auth/token-expired')
    emu.core.clock.advance(-5)
  })

  it('checks the key on every request of a keep-alive connection: switching, revoking, expiring and deleting apply at once', async () => {
    let connections = 0
    const counted = () => void (connections += 1)
    emu.app.server.on('connection', counted)
    const client = new Client(emu.url)
    const get = async (key: string) => {
      const response = await client.request({ path: '/v1/users', method: 'GET', headers: { 'x-api-key': key } })
      const body = (await response.body.json()) as { error?: { code: string } }
      return { status: response.statusCode, code: body.error?.code }
    }
    try {
      const key = (name: string, expiresAt?: string) => emu.core.keys.create(emu.actor, { projectId: emu.seed.projectId, environment: 'dev', type: 'secret', name, expiresAt })
      expect(await get(sk)).to.deep.equal({ status: 200, code: undefined })
      // Another key on the same connection is looked up afresh: a publishable key is a guest, an unknown one fails.
      expect(await get(pk)).to.deep.equal({ status: 401, code: 'user/unauthorized' })
      expect(await get(`sk_${'0'.repeat(64)}`)).to.deep.equal({ status: 401, code: 'auth/invalid-token' })
      expect((await get(sk)).status).to.equal(200)

      const revoked = await key('revoked-later')
      expect((await get(revoked.key)).status).to.equal(200)
      await emu.core.keys.revoke(emu.actor, revoked.id)
      expect(await get(revoked.key)).to.deep.equal({ status: 401, code: 'auth/token-revoked' })

      const expiring = await key('expiring', new Date(emu.core.clock.nowMs() + 1000).toISOString())
      expect((await get(expiring.key)).status).to.equal(200)
      emu.core.clock.advance(5)
      try {
        expect(await get(expiring.key)).to.deep.equal({ status: 401, code: 'auth/token-expired' })
      } finally {
        emu.core.clock.advance(-5)
      }

      const deleted = await key('deleted-later')
      expect((await get(deleted.key)).status).to.equal(200)
      await emu.core.keys.delete(emu.actor, deleted.id)
      expect(await get(deleted.key)).to.deep.equal({ status: 401, code: 'auth/invalid-token' })
      expect(connections, 'every request went over one connection').to.equal(1)
    } finally {
      emu.app.server.off('connection', counted)
      await client.close()
    }
  })

  it('sends rate-limit headers on /v1 responses, counting per key', async () => {
    const first = await call({ url: '/v1/users', headers: { 'X-API-Key': sk } })
    const second = await call({ url: '/v1/users', headers: { 'X-API-Key': sk } })
    expect(first.headers.get('x-ratelimit-limit')).to.equal('6000')
    expect(Number(first.headers.get('x-ratelimit-remaining')) - Number(second.headers.get('x-ratelimit-remaining'))).to.equal(1)
  })

  describe('CORS', () => {
    it('answers preflights with 204 and the documented headers', async () => {
      const response = await call({ method: 'OPTIONS', url: '/v1/data/posts', headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' } })
      expect(response.status).to.equal(204)
      expect(response.headers.get('access-control-allow-origin')).to.equal('http://localhost:5173')
      expect(response.headers.get('access-control-allow-headers')).to.include('X-API-Key')
      expect(response.headers.get('access-control-allow-headers')).to.include('Mcp-Session-Id')
    })

    it('reflects the Origin and exposes rate-limit headers on responses', async () => {
      const response = await call({ url: '/v1/users', headers: { Origin: 'https://app.example', 'X-API-Key': pk } })
      expect(response.headers.get('access-control-allow-origin')).to.equal('https://app.example')
      expect(response.headers.get('access-control-expose-headers')).to.include('X-RateLimit-Remaining')
    })

    it('sends no CORS headers on emulator controls, even for a preflight', async () => {
      const token = emu.seed.tenantToken
      const get = await call({ url: '/_emulator/clock', headers: { Origin: 'https://evil.example', Authorization: `Bearer ${token}` } })
      expect(get.status).to.equal(200)
      expect(get.headers.get('access-control-allow-origin')).to.equal(null)
      const preflight = await call({ method: 'OPTIONS', url: '/_emulator/clock', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } })
      expect(preflight.headers.get('access-control-allow-origin')).to.equal(null)
      expect(preflight.headers.get('access-control-allow-headers')).to.equal(null)
    })
  })

  describe('controls', () => {
    it('health reports status, version, origin and start time', async () => {
      const body = (await (await call({ url: '/_emulator/health' })).json()) as Record<string, string>
      expect(body.status).to.equal('ok')
      expect(body.origin).to.equal(emu.url)
      expect(body.version).to.match(/^\d+\.\d+\.\d+/)
      expect(Number.isNaN(Date.parse(String(body.startedAt)))).to.equal(false)
    })

    it('the clock shifts the emulator notion of now for the tenant', async () => {
      const auth = { Authorization: `Bearer ${emu.seed.tenantToken}`, 'Content-Type': 'application/json' }
      const before = emu.core.clock.nowMs()
      const shifted = (await (await call({ method: 'POST', url: '/_emulator/clock', headers: auth, body: JSON.stringify({ advanceSeconds: 3600 }) })).json()) as { offsetSeconds: number; now: string }
      expect(shifted.offsetSeconds).to.equal(3600)
      expect(Date.parse(shifted.now) - before).to.be.within(3600_000, 3660_000)
      const bad = await call({ method: 'POST', url: '/_emulator/clock', headers: auth, body: JSON.stringify({ advanceSeconds: 'soon' }) })
      expect(bad.status).to.equal(400)
      const reset = (await (await call({ method: 'POST', url: '/_emulator/clock', headers: auth, body: JSON.stringify({ offsetSeconds: 0 }) })).json()) as { offsetSeconds: number }
      expect(reset.offsetSeconds).to.equal(0)
    })
  })

  it('keeps serving after a burst of bad requests', async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) => call({ method: 'POST', url: '/v1/users', headers: { 'X-API-Key': sk, 'Content-Type': 'application/json' }, body: `{"bad":${i}` })))
    expect((await call({ url: '/_emulator/health' })).status).to.equal(200)
  })

  it('binds to 127.0.0.1 by default', () => {
    expect(emu.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/)
  })
})
