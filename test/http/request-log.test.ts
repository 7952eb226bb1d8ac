import { expect } from 'chai'
import type { RequestEvent, Who } from '../../src/contract/request-log.js'
import { authClient, type AuthClient } from '../helpers/auth-client.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { connectWithToken } from '../helpers/mcp-client.js'

/** The event the emulator logged for a request id; the hook runs once the response is out, so it may lag a moment. */
export async function eventFor(emu: TestEmulator, id: string): Promise<RequestEvent> {
  for (let tries = 0; tries < 100; tries++) {
    const event = emu.core.requestLog.find(id)
    if (event) return event
    await new Promise((done) => setTimeout(done, 10))
  }
  throw new Error(`no request event ${id}`)
}

describe('http: the request log', () => {
  let emu: TestEmulator
  let api: AuthClient
  let user: { id: string; accessToken: string }
  const password = 'correct-horse-battery'
  before(async () => {
    emu = await startEmulator()
    api = authClient(emu)
    const tokens = await api.signUp('ada@example.com', password)
    user = { id: tokens.user.id, accessToken: tokens.accessToken }
  })
  after(() => emu.dispose())

  const tenant = () => `Bearer ${emu.seed.tenantToken}`
  const keyWho = (type: 'publishable' | 'secret', extra: Partial<Who> = {}) => {
    const key = type === 'publishable' ? emu.seed.environment.publishableKey : emu.seed.environment.secretKey
    return { kind: 'key', keyType: type, keyName: type === 'publishable' ? 'default-publishable' : 'default-secret', keyPrefix: key.slice(0, 11), ...extra }
  }

  const scenarios: Array<{ name: string; path: string; headers: () => Record<string, string>; status: number; who: () => Who; code?: string }> = [
    { name: 'a guest without any credential → guest, with the refusal code', path: '/v1/auth/me', headers: () => ({}), status: 401, who: () => ({ kind: 'guest' }), code: 'auth/unauthorized' },
    { name: 'the publishable key alone → the key by name and prefix', path: '/v1/auth/me', headers: () => ({ 'X-API-Key': emu.seed.environment.publishableKey }), status: 401, who: () => keyWho('publishable') as Who, code: 'auth/unauthorized' },
    { name: 'the publishable key with a user JWT → the key, the user id and role', path: '/v1/auth/me', headers: () => ({ 'X-API-Key': emu.seed.environment.publishableKey, Authorization: `Bearer ${user.accessToken}` }), status: 200, who: () => keyWho('publishable', { userId: user.id, role: 'user' } as Partial<Who>) as Who },
    { name: 'the secret key → the secret key by name and prefix', path: '/v1/users', headers: () => ({ 'X-API-Key': emu.seed.environment.secretKey }), status: 200, who: () => keyWho('secret') as Who },
    { name: 'the tenant token on a control → the tenant and its OAuth client', path: '/_emulator/clock', headers: () => ({ Authorization: tenant() }), status: 200, who: () => ({ kind: 'tenant', tenantId: emu.seed.tenantId, clientId: clientIdOf(emu.seed.tenantToken) }) },
    { name: 'an unknown API key → rejected api-key', path: '/v1/users', headers: () => ({ 'X-API-Key': `sk_${'0'.repeat(64)}` }), status: 401, who: () => ({ kind: 'rejected', presented: 'api-key' }), code: 'auth/invalid-token' },
    { name: 'a valid key with a forged user JWT → rejected bearer', path: '/v1/auth/me', headers: () => ({ 'X-API-Key': emu.seed.environment.publishableKey, Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' }), status: 401, who: () => ({ kind: 'rejected', presented: 'bearer' }), code: 'auth/invalid-token' },
    { name: 'a forged tenant token on a control → rejected tenant-token', path: '/_emulator/clock', headers: () => ({ Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl' }), status: 401, who: () => ({ kind: 'rejected', presented: 'tenant-token' }), code: 'auth/invalid-token' },
    { name: 'the health check → none', path: '/_emulator/health', headers: () => ({}), status: 200, who: () => ({ kind: 'none' }) },
  ]
  for (const scenario of scenarios) {
    it(scenario.name, async () => {
      const response = await fetch(emu.url + scenario.path, { headers: scenario.headers() })
      expect(response.status).to.equal(scenario.status)
      const id = response.headers.get('x-request-id')
      expect(id).to.match(/^[0-9a-f]{6}-[0-9a-z]+$/)
      const event = await eventFor(emu, id!)
      expect(event).to.include({ event: 'request', method: 'GET', path: scenario.path, status: scenario.status })
      expect(event.who).to.deep.equal(scenario.who())
      expect(event.code).to.equal(scenario.code)
      expect(event.durationMs).to.be.a('number').and.at.least(0)
      expect(Date.parse(event.time)).to.be.closeTo(Date.now(), 5000)
      if (event.who.kind === 'key') expect(event).to.include({ environment: 'dev', project: 'local' })
      // Every 401 says which check decided; answers that were not refused carry no denial.
      if (scenario.status === 401) expect(event.denial?.check).to.equal('credential')
      else expect(event).not.to.have.property('denial')
    })
  }

  it('an MCP call with the tenant token → the tenant', async () => {
    const before = emu.core.requestLog.head
    const { client } = await connectWithToken(emu.mcpUrl, emu.seed.tenantToken)
    await client.close()
    const { events } = emu.core.requestLog.since(before)
    const posts = events.filter((event) => event.path === '/mcp' && event.method === 'POST')
    expect(posts.length).to.be.greaterThan(0)
    for (const event of posts) expect(event.who).to.deep.equal({ kind: 'tenant', tenantId: emu.seed.tenantId, clientId: clientIdOf(emu.seed.tenantToken) })
  })

  it('a sane X-Request-Id is kept and sent back; an unsafe one is replaced', async () => {
    const kept = await fetch(`${emu.url}/_emulator/health`, { headers: { 'X-Request-Id': 'trace-42.a' } })
    expect(kept.headers.get('x-request-id')).to.equal('trace-42.a')
    expect((await eventFor(emu, 'trace-42.a')).path).to.equal('/_emulator/health')
    const unsafe = await fetch(`${emu.url}/_emulator/health`, { headers: { 'X-Request-Id': 'a b<script>' } })
    expect(unsafe.headers.get('x-request-id')).to.match(/^[0-9a-f]{6}-[0-9a-z]+$/)
  })

  it('ids are unique, and the API exposes X-Request-Id to browsers', async () => {
    const ids = new Set<string>()
    for (let i = 0; i < 20; i++) ids.add((await fetch(`${emu.url}/_emulator/health`)).headers.get('x-request-id')!)
    expect(ids.size).to.equal(20)
    const cors = await fetch(`${emu.url}/v1/auth/me`, { headers: { Origin: 'http://localhost:3000', 'X-API-Key': emu.seed.environment.publishableKey } })
    expect(cors.headers.get('access-control-expose-headers')).to.contain('X-Request-Id')
  })

  it('404 and 405 carry their code', async () => {
    const missing = await fetch(`${emu.url}/nowhere`)
    expect((await eventFor(emu, missing.headers.get('x-request-id')!)).code).to.equal('common/not-found')
    const wrong = await fetch(`${emu.url}/_emulator/health`, { method: 'DELETE' })
    expect((await eventFor(emu, wrong.headers.get('x-request-id')!)).code).to.equal('common/method-not-allowed')
  })

  it('no secret appears in any event: keys, tokens, passwords, signed URLs and secret query values are left out', async () => {
    const before = emu.core.requestLog.head
    await api.signIn('ada@example.com', password)
    await fetch(`${emu.url}/v1/auth/me?access_token=${user.accessToken}&page=2`, { headers: { 'X-API-Key': emu.seed.environment.secretKey } })
    await fetch(`${emu.url}/_emulator/storage/download/${user.accessToken}`)
    const { events } = emu.core.requestLog.since(before)
    expect(events.length).to.equal(3)
    const text = JSON.stringify(events)
    for (const secret of [password, user.accessToken, emu.seed.environment.secretKey, emu.seed.environment.publishableKey, emu.seed.tenantToken]) expect(text).not.to.contain(secret)
    expect(events[1]!.path).to.equal('/v1/auth/me?access_token=[redacted]&page=2')
    expect(events[2]!.path).to.equal('/_emulator/storage/download/[redacted]')
    expect(events[0]).not.to.have.property('requestBody')
  })
})

describe('http: the request log with bodies', () => {
  let emu: TestEmulator
  before(async () => {
    emu = await startEmulator({ requestLog: { bodies: true } })
  })
  after(() => emu.dispose())

  it('keeps request and response bodies with every secret-named field redacted at any depth', async () => {
    const api = authClient(emu)
    const reply = await api.call('POST', '/v1/auth/email/signup', { body: { email: 'bo@example.com', password: 'sw0rdfish-long', profile: { nested: [{ client_secret: 'xyz-secret' }] } } })
    const event = await eventFor(emu, reply.headers.get('x-request-id')!)
    const text = JSON.stringify(event)
    expect(event.requestBody).to.deep.include({ email: 'bo@example.com', password: '[redacted]' })
    const response = event.responseBody as Record<string, unknown>
    expect(response).to.include({ accessToken: '[redacted]', refreshToken: '[redacted]' })
    for (const secret of ['sw0rdfish-long', 'xyz-secret', reply.body.accessToken as string, reply.body.refreshToken as string]) expect(text).not.to.contain(secret)
  })
})

/** The OAuth client id a tenant token was issued to (its payload, read without verifying). */
function clientIdOf(token: string): string {
  return (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { client_id: string }).client_id
}
