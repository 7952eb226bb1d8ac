import { expect } from 'chai'
import type { FastifyInstance } from 'fastify'
import { readFile } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { join } from 'node:path'
import { EmulatorControls } from '../../src/client/emulator-controls.js'
import { ClientError } from '../../src/client/errors.js'
import type { RuntimeFile } from '../../src/contract/emulator.js'
import type { FaultRuleInput } from '../../src/contract/faults.js'
import type { AppliedFault } from '../../src/contract/request-log.js'
import { buildApp } from '../../src/emulator/http/app.js'
import { ROUTES } from '../../src/emulator/http/routes.js'
import type { SurfaceRoutes } from '../../src/emulator/http/surface.js'
import { silentLogger } from '../../src/emulator/logger.js'
import { seededDraws } from '../../src/emulator/http/middleware/fault-rules.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { call } from './storage-helpers.js'

/** How long a call took, in milliseconds, with its status. */
async function timed(emu: TestEmulator, method: string, path: string, key: string, body?: unknown): Promise<{ status: number; ms: number; code?: string; message?: string }> {
  const started = performance.now()
  const reply = await call(emu, method, path, { key }, body)
  return { status: reply.status, ms: performance.now() - started, code: reply.body.error?.code, message: reply.body.error?.message }
}

/** A raw request, to see exactly what comes back on the socket: a response, or the connection closing without one. */
function raw(emu: TestEmulator, path: string, key: string): Promise<{ status?: number; closedWithout?: true; ms: number }> {
  const started = performance.now()
  return new Promise((resolve) => {
    const req = httpRequest(`${emu.url}${path}`, { headers: { 'X-API-Key': key }, agent: false }, (response) => {
      response.resume()
      response.on('end', () => resolve({ status: response.statusCode, ms: performance.now() - started }))
    })
    req.on('error', () => resolve({ closedWithout: true, ms: performance.now() - started }))
    req.end()
  })
}

/** Injected faults over real HTTP: the `/_emulator/faults` control and what matching requests get. */
describe('http: injected faults', () => {
  let emu: TestEmulator
  let controls: EmulatorControls
  let sk: string
  before(async () => {
    emu = await startEmulator()
    controls = new EmulatorControls(emu.url, emu.seed.tenantToken)
    sk = emu.seed.environment.secretKey
    await emu.core.tables.create(emu.actor, { projectId: emu.seed.projectId, environment: 'dev', tableName: 'notes', schema: { title: { type: 'string' } } })
  })
  afterEach(() => controls.clearFaults())
  after(async () => {
    await controls.close()
    await emu.dispose()
  })

  it('is off by default: no rule, and requests answer at once', async () => {
    expect((await controls.listFaults()).items).to.deep.equal([])
    expect(emu.ready.faults).to.equal(undefined)
    expect((await timed(emu, 'GET', '/v1/data/notes', sk)).status).to.equal(200)
  })

  it('adds latency before the real handler, at least the latency asked for', async () => {
    const rule = await controls.addFault({ path: '/v1/data/*', method: 'GET', latency: 150 })
    expect(rule).to.include({ id: rule.id, path: '/v1/data/*', method: 'GET', failRate: 0, status: 503, mode: 'error', applied: 0 })
    expect(rule.latencyMs).to.deep.equal({ min: 150, max: 150 })
    const slow = await timed(emu, 'GET', '/v1/data/notes', sk)
    expect(slow.status).to.equal(200)
    expect(slow.ms).to.be.at.least(150)
    const listed = (await controls.listFaults()).items
    expect(listed).to.have.length(1)
    expect(listed[0]!.applied).to.equal(1)
  })

  it('draws a latency range within its bounds', async () => {
    await controls.addFault({ path: '/v1/data/notes', latency: '120-220', seed: 3 })
    for (let i = 0; i < 3; i++) expect((await timed(emu, 'GET', '/v1/data/notes', sk)).ms).to.be.at.least(120)
  })

  it('a slow request holds no other: a matching request waits while others answer at once', async () => {
    await controls.addFault({ path: '/v1/data/notes', method: 'POST', latency: 1000 })
    const slow = timed(emu, 'POST', '/v1/data/notes', sk, { title: 'slow' })
    const others = await Promise.all([timed(emu, 'GET', '/v1/data/notes', sk), timed(emu, 'GET', '/v1/data/notes', sk)])
    expect(others.map((other) => other.status)).to.deep.equal([200, 200])
    for (const other of others) expect(other.ms).to.be.lessThan(500)
    const done = await slow
    expect(done.status).to.equal(201)
    expect(done.ms).to.be.at.least(1000)
  })

  it('with a seed, fails exactly the requests its draws pick, with the 503 envelope saying it was injected', async () => {
    const rule = await controls.addFault({ path: '/v1/data/notes', failRate: 0.5, seed: 42 })
    const draw = seededDraws(42)
    const expected = Array.from({ length: 20 }, () => (draw() < 0.5 ? 503 : 200))
    // The sequence must hold both outcomes, or it would not show that the rate is applied.
    expect(expected).to.include(503).and.to.include(200)
    const got: number[] = []
    for (let i = 0; i < 20; i++) {
      const reply = await timed(emu, 'GET', '/v1/data/notes', sk)
      got.push(reply.status)
      if (reply.status === 503) {
        expect(reply.code).to.equal('common/service-unavailable')
        expect(reply.message).to.contain('Injected fault').and.to.contain(rule.id)
      }
    }
    expect(got).to.deep.equal(expected)
    // The same seed on a new rule repeats the sequence.
    await controls.clearFaults()
    await controls.addFault({ path: '/v1/data/notes', failRate: 0.5, seed: 42 })
    const again: number[] = []
    for (let i = 0; i < 20; i++) again.push((await timed(emu, 'GET', '/v1/data/notes', sk)).status)
    expect(again).to.deep.equal(expected)
  })

  it('a route rule matches only its method and path', async () => {
    await controls.addFault({ path: '/v1/data/notes', method: 'POST', status: 500 })
    expect((await timed(emu, 'GET', '/v1/data/notes', sk)).status).to.equal(200)
    const failed = await timed(emu, 'POST', '/v1/data/notes', sk, { title: 'x' })
    expect(failed).to.include({ status: 500, code: 'common/internal-error' })
    expect((await timed(emu, 'POST', '/v1/data/other', sk, { title: 'x' })).status).to.equal(404)
    expect((await timed(emu, 'GET', '/v1/auth/me', sk)).status).to.not.equal(500)
  })

  it('answers a chosen status with its code; 429 with Retry-After and the route family’s code', async () => {
    for (const [status, code] of [[502, 'common/bad-gateway'], [504, 'common/gateway-timeout']] as const) {
      await controls.addFault({ path: '/v1/data/notes', status })
      expect(await timed(emu, 'GET', '/v1/data/notes', sk)).to.include({ status, code })
      await controls.clearFaults()
    }
    await controls.addFault({ status: 429 })
    const data = await call(emu, 'GET', '/v1/data/notes', { key: sk })
    expect(data.status).to.equal(429)
    expect(data.headers.get('retry-after')).to.equal('1')
    expect(data.body.error?.code).to.equal('data/rate-limit-exceeded')
    expect((await call(emu, 'GET', '/v1/auth/me', { key: sk })).body.error?.code).to.equal('auth/too-many-requests')
    // The request log names the code of an injected answer, as of any refusal.
    const logged = emu.core.requestLog.recent(1)[0]!
    expect(logged).to.deep.include({ path: '/v1/auth/me', status: 429, code: 'auth/too-many-requests' })
  })

  it('with times, shapes that many requests and then is gone', async () => {
    const rule = await controls.addFault({ path: '/v1/data/notes', failRate: 1, times: 2 })
    expect(rule.remaining).to.equal(2)
    const statuses: number[] = []
    for (let i = 0; i < 3; i++) statuses.push((await timed(emu, 'GET', '/v1/data/notes', sk)).status)
    expect(statuses).to.deep.equal([503, 503, 200])
    expect((await controls.listFaults()).items).to.deep.equal([])
  })

  it('with forSeconds, expires after that time', async () => {
    const rule = await controls.addFault({ path: '/v1/data/notes', failRate: 1, forSeconds: 0.3 })
    expect(Date.parse(rule.expiresAt!)).to.be.within(Date.now(), Date.now() + 400)
    expect((await timed(emu, 'GET', '/v1/data/notes', sk)).status).to.equal(503)
    await new Promise((done) => setTimeout(done, 400))
    expect((await timed(emu, 'GET', '/v1/data/notes', sk)).status).to.equal(200)
    expect((await controls.listFaults()).items).to.deep.equal([])
  })

  it('in timeout mode, holds the request and closes the connection without an answer', async () => {
    await controls.addFault({ path: '/v1/data/notes', mode: 'timeout', latency: 200 })
    const outcome = await raw(emu, '/v1/data/notes', sk)
    expect(outcome.closedWithout).to.equal(true)
    expect(outcome.status).to.equal(undefined)
    expect(outcome.ms).to.be.at.least(200)
    // No response hook runs for a dropped request, yet the request log shows it: status 0, with its fault.
    const dropped = emu.core.requestLog.recent(3).filter((e) => e.path === '/v1/data/notes' && e.fault?.failed)
    expect(dropped).to.have.length(1)
    expect(dropped[0]).to.deep.include({ status: 0, method: 'GET' })
    expect(dropped[0]!.fault).to.deep.include({ failed: true })
    // The emulator itself is fine: the next request on another route answers.
    expect((await raw(emu, '/v1/data/other', sk)).status).to.equal(404)
  })

  it('never touches the controls, health or the pages, even with a rule on every path', async () => {
    await controls.addFault({ failRate: 1 })
    expect((await timed(emu, 'GET', '/v1/data/notes', sk)).status).to.equal(503)
    const bearer = { Authorization: `Bearer ${emu.seed.tenantToken}` }
    for (const path of ['/_emulator/health', '/_emulator/faults', '/_emulator/mailbox', '/_emulator/clock']) {
      const response = await fetch(emu.url + path, { headers: bearer })
      expect(response.status, path).to.equal(200)
    }
    for (const path of ['/_emulator/invitations/no-such-token', '/mcp/oauth/authorize']) {
      const response = await fetch(emu.url + path)
      expect(response.status, path).to.not.equal(503)
    }
  })

  describe('bad rules are refused with 400 and change nothing', () => {
    const cases: Array<{ name: string; rule: FaultRuleInput & Record<string, unknown>; says: string }> = [
      { name: 'a path without a leading slash', rule: { path: 'v1/data/*', failRate: 1 }, says: 'not a path pattern' },
      { name: 'a path with a space', rule: { path: '/v1/data/a b', failRate: 1 }, says: 'not a path pattern' },
      { name: 'a path with a query string', rule: { path: '/v1/data?x=1', failRate: 1 }, says: 'not a path pattern' },
      { name: 'a path under /_emulator/', rule: { path: '/_emulator/mailbox', failRate: 1 }, says: 'never fault' },
      { name: 'a rate above 1', rule: { failRate: 1.5 }, says: 'outside 0..1' },
      { name: 'a negative rate', rule: { failRate: -0.1 }, says: 'outside 0..1' },
      { name: 'a reversed latency range', rule: { latency: '800-200' }, says: 'reversed' },
      { name: 'a latency that is not a number', rule: { latency: 'slow' }, says: 'not a latency' },
      { name: 'a latency past the connections’ idle timeout', rule: { latency: '100-25000' }, says: 'longer than 20000 ms' },
      { name: 'a status that cannot be injected', rule: { status: 418 as 503 }, says: 'cannot be injected' },
      { name: 'an unknown method', rule: { method: 'FETCH', failRate: 1 }, says: 'method must be one of' },
      { name: 'times of 0', rule: { failRate: 1, times: 0 }, says: 'times must be' },
      { name: 'an unknown field', rule: { failRate: 1, rate: 1 }, says: 'unknown keys rate' },
      { name: 'a rule that injects nothing', rule: { path: '/v1/*' }, says: 'injects nothing' },
    ]
    for (const { name, rule, says } of cases) {
      it(name, async () => {
        await controls.addFault({ path: '/v1/data/notes', latency: 1 })
        const before = (await controls.listFaults()).items
        const refused = await controls.addFault(rule).then(
          () => undefined,
          (error: unknown) => error,
        )
        expect(refused).to.be.instanceOf(ClientError)
        expect((refused as ClientError).status).to.equal(400)
        expect((refused as ClientError).code).to.equal('common/invalid-parameters')
        expect((refused as ClientError).message).to.contain(says)
        expect((await controls.listFaults()).items).to.deep.equal(before)
      })
    }
  })

  it('removes one rule by id, and says when there is none', async () => {
    const first = await controls.addFault({ path: '/v1/data/notes', failRate: 1 })
    const second = await controls.addFault({ path: '/v1/auth/*', failRate: 1 })
    expect(await controls.removeFault(first.id)).to.deep.equal({ removed: 1 })
    expect((await controls.listFaults()).items.map((rule) => rule.id)).to.deep.equal([second.id])
    const missing = await controls.removeFault(first.id).catch((error: unknown) => error)
    expect(missing).to.be.instanceOf(ClientError)
    expect((missing as ClientError).status).to.equal(404)
    expect((missing as ClientError).message).to.contain(`No fault rule ${first.id}`)
  })

  it('is a control: the tenant token is required and no CORS headers are sent', async () => {
    const anonymous = await fetch(`${emu.url}/_emulator/faults`, { headers: { Origin: 'http://localhost:3000' } })
    expect(anonymous.status).to.equal(401)
    const refused = await fetch(`${emu.url}/_emulator/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ failRate: 1 }) })
    expect(refused.status).to.equal(401)
    expect((await controls.listFaults()).items).to.deep.equal([])
    const preflight = await fetch(`${emu.url}/_emulator/faults`, { method: 'OPTIONS', headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'POST' } })
    expect(preflight.headers.get('access-control-allow-origin')).to.equal(null)
  })
})

describe('http: the global fault rule of bkend dev --latency/--fail-rate', () => {
  let emu: TestEmulator
  let controls: EmulatorControls
  before(async () => {
    emu = await startEmulator({ faults: { failRate: 1, latency: 50 } })
    controls = new EmulatorControls(emu.url, emu.seed.tenantToken)
  })
  after(async () => {
    await controls.close()
    await emu.dispose()
  })

  it('is announced in the ready event and runtime.json, applies to every API path, and can be removed without a restart', async () => {
    expect(emu.ready.faults).to.include({ id: 'global', path: '*', failRate: 1 })
    const runtime = JSON.parse(await readFile(join(emu.dataDir, 'runtime.json'), 'utf8')) as RuntimeFile
    expect(runtime.faults).to.deep.equal(emu.ready.faults)
    const listed = (await controls.listFaults()).items
    expect(listed).to.have.length(1)
    expect(listed[0]!.id).to.equal('global')
    const sk = emu.seed.environment.secretKey
    const failed = await timed(emu, 'GET', '/v1/data/anything', sk)
    expect(failed).to.include({ status: 503, code: 'common/service-unavailable' })
    expect(failed.ms).to.be.at.least(50)
    expect(failed.message).to.contain('rule global')
    expect((await fetch(`${emu.url}/_emulator/health`)).status).to.equal(200)
    expect(await controls.removeFault('global')).to.deep.equal({ removed: 1 })
    expect((await timed(emu, 'GET', '/v1/data/anything', sk)).status).to.equal(404)
  })
})

describe('http: request.fault, what the request log reads', () => {
  let emu: TestEmulator
  let app: FastifyInstance
  const seen: Array<{ url: string; fault: AppliedFault | null }> = []
  before(async () => {
    emu = await startEmulator()
    const probe: SurfaceRoutes = {
      surface: 'data',
      extension: false,
      register: ({ app: probed }) => {
        probed.addHook('onResponse', (request, _reply, done) => {
          seen.push({ url: request.url, fault: request.fault })
          done()
        })
      },
    }
    const options = { version: 'test', startedAt: new Date().toISOString(), logger: silentLogger, rateLimit: { enabled: false, limit: 100 }, oauthAutoApprove: false, cloudParity: false }
    app = await buildApp(emu.core, options, [...ROUTES, probe])
    app.faults.add({ path: '/v1/data/slow', latency: 30 })
    app.faults.add({ path: '/v1/data/down', method: 'GET', status: 502 })
  })
  after(async () => {
    await app.close()
    await emu.dispose()
  })

  it('names the rule and what it did; null on requests no rule shaped', async () => {
    const key = { 'x-api-key': emu.seed.environment.secretKey }
    await app.inject({ method: 'GET', url: '/v1/data/slow', headers: key })
    expect((await app.inject({ method: 'GET', url: '/v1/data/down', headers: key })).statusCode).to.equal(502)
    await app.inject({ method: 'GET', url: '/v1/data/fine', headers: key })
    expect(seen).to.deep.equal([
      { url: '/v1/data/slow', fault: { rule: 'f1 * /v1/data/slow', latencyMs: 30 } },
      { url: '/v1/data/down', fault: { rule: 'f2 GET /v1/data/down', failed: true } },
      { url: '/v1/data/fine', fault: null },
    ])
  })
})
