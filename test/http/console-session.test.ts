import { expect } from 'chai'
import { createHash } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../../src/emulator/http/app.js'
import { consoleActor, consoleCookieName, requireConsoleApi, requireConsolePage, requireSameOrigin, safeNext, signedIn } from '../../src/emulator/http/console/session.js'
import { silentLogger } from '../../src/emulator/logger.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'

/** The cookie a Set-Cookie header sets, as `name=value`, and its attributes. */
function setCookie(response: Response): { pair: string; attributes: string[] } {
  const header = response.headers.get('set-cookie') ?? ''
  const [pair, ...attributes] = header.split(';').map((part) => part.trim())
  return { pair: pair as string, attributes }
}

describe('http: console sessions and sign-in', function () {
  let emu: TestEmulator
  let probe: FastifyInstance
  before(async () => {
    emu = await startEmulator()
    const core = emu.core
    // A console page and JSON route guarded as console-shell's are, on the same core.
    probe = await buildApp(core, { version: 'test', startedAt: new Date().toISOString(), logger: silentLogger, rateLimit: { enabled: false, limit: 1 }, oauthAutoApprove: false, cloudParity: false }, [
      {
        surface: 'console',
        extension: true,
        register: ({ app }) => {
          app.get('/_/probe', { preHandler: requireConsolePage(core) }, async (request) => ({ email: signedIn(request).tenant.email }))
          app.get('/_/api/probe', { preHandler: requireConsoleApi(core) }, async (request) => {
            const actor = consoleActor(signedIn(request), emu.seed.organizationId)
            return { role: core.orgs.authorize(actor, 'project:read'), client: actor.client }
          })
          app.post('/_/api/probe', { preHandler: [requireSameOrigin(), requireConsoleApi(core)] }, async () => ({ ok: true }))
        },
      },
    ])
  })
  after(async () => {
    await probe.close()
    await emu.dispose()
  })

  const oneTimeCookie = async () => {
    const { url } = await emu.core.consoleSessions.signInUrl(emu.seed.tenantId)
    const response = await fetch(url, { redirect: 'manual' })
    expect(response.status).to.equal(200)
    return setCookie(response).pair
  }

  it('the one-time URL signs the first tenant in with an HttpOnly, SameSite=Strict cookie named for this data dir, once', async () => {
    const { url } = await emu.core.consoleSessions.signInUrl(emu.seed.tenantId, '/_/tables?x=1')
    const first = await fetch(url, { redirect: 'manual' })
    expect(first.status).to.equal(200)
    const { pair, attributes } = setCookie(first)
    expect(pair.split('=')[0]).to.equal(consoleCookieName(emu.core)).and.match(/^bkend_console_[0-9a-f]{8}$/)
    expect(pair.split('=')[1]).to.match(/^[0-9a-f]{64}$/)
    expect(attributes).to.include.members(['Path=/', 'HttpOnly', 'SameSite=Strict'])
    expect(attributes.join(';')).to.not.include('Secure')
    expect(await first.text()).to.include('url=/_/tables?x=1').and.include('developer@localhost')
    // Only the hash is stored.
    const stored = [...emu.core.store.control.collection('consoleSessions').values()].map((doc) => JSON.stringify(doc))
    expect(stored.some((doc) => doc.includes(pair.split('=')[1] as string))).to.equal(false)

    const again = await fetch(url, { redirect: 'manual' })
    expect(again.status).to.equal(401)
    expect(again.headers.get('set-cookie')).to.equal(null)
    expect(await again.text()).to.include('unknown, used or expired')
  })

  it('guards: a page redirects to sign-in with next, JSON answers 401 in the envelope; the cookie opens both', async () => {
    const page = await probe.inject({ url: '/_/probe?a=1' })
    expect(page.statusCode).to.equal(302)
    expect(page.headers.location).to.equal('/_/signin?next=%2F_%2Fprobe%3Fa%3D1')
    const api = await probe.inject({ url: '/_/api/probe' })
    expect(api.statusCode).to.equal(401)
    expect(api.json()).to.deep.include({ success: false, statusCode: 401 })
    expect(api.json().error.code).to.equal('auth/unauthorized')

    const cookie = await oneTimeCookie()
    expect((await probe.inject({ url: '/_/probe', headers: { cookie } })).json()).to.deep.equal({ email: 'developer@localhost' })
    expect((await probe.inject({ url: '/_/api/probe', headers: { cookie } })).json()).to.deep.equal({ role: 'owner', client: { kind: 'console', clientId: null } })
  })

  it('credentials that are not the cookie open nothing: the tenant token, API keys, a forged or foreign-named cookie', async () => {
    const { tenantToken, environment } = emu.seed
    const cookie = await oneTimeCookie()
    const value = cookie.split('=')[1] as string
    const attempts: Array<{ name: string; headers: Record<string, string>; url?: string }> = [
      { name: 'tenant token as bearer', headers: { authorization: `Bearer ${tenantToken}` } },
      { name: 'tenant token in the query', headers: {}, url: `/_/api/probe?access_token=${tenantToken}` },
      { name: 'secret key', headers: { 'x-api-key': environment.secretKey } },
      { name: 'the right value under another emulator\'s name', headers: { cookie: `bkend_console_00000000=${value}` } },
      { name: 'a forged value', headers: { cookie: `${consoleCookieName(emu.core)}=${'a'.repeat(64)}` } },
    ]
    expect(attempts).to.have.length(5)
    for (const attempt of attempts) {
      const response = await probe.inject({ url: attempt.url ?? '/_/api/probe', headers: attempt.headers })
      expect(response.statusCode, attempt.name).to.equal(401)
    }
  })

  it('state changes only from this origin: another origin, another localhost port, no Origin → 403 envelope', async () => {
    const cookie = await oneTimeCookie()
    const host = new URL(emu.url).host
    const cases: Array<{ name: string; headers: Record<string, string>; status: number }> = [
      { name: 'same origin', headers: { origin: emu.url }, status: 200 },
      { name: 'Sec-Fetch-Site same-origin without Origin', headers: { 'sec-fetch-site': 'same-origin' }, status: 200 },
      { name: 'a foreign site', headers: { origin: 'https://evil.example' }, status: 403 },
      { name: 'another emulator on this host', headers: { origin: `http://${host.replace(/:\d+$/, ':1')}` }, status: 403 },
      { name: 'an opaque origin', headers: { origin: 'null' }, status: 403 },
      { name: 'neither Origin nor Sec-Fetch-Site', headers: {}, status: 403 },
      { name: 'same-site fetch metadata', headers: { origin: emu.url, 'sec-fetch-site': 'same-site' }, status: 403 },
    ]
    expect(cases).to.have.length(7)
    for (const c of cases) {
      const response = await probe.inject({ method: 'POST', url: '/_/api/probe', headers: { cookie, host, ...c.headers }, payload: {} })
      expect(response.statusCode, c.name).to.equal(c.status)
      if (c.status === 403) expect(response.json().error.code, c.name).to.equal('common/forbidden')
    }
    // A cross-site read of console JSON is refused even with the cookie.
    expect((await probe.inject({ url: '/_/api/probe', headers: { cookie, 'sec-fetch-site': 'cross-site' } })).statusCode).to.equal(403)
  })

  it('console paths answer no CORS, whatever the origin', async () => {
    const response = await fetch(`${emu.url}/_/signin`, { headers: { origin: 'https://evil.example' } })
    expect(response.status).to.equal(200)
    expect(response.headers.get('access-control-allow-origin')).to.equal(null)
    const preflight = await fetch(`${emu.url}/_/signin/magic`, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } })
    expect(preflight.headers.get('access-control-allow-origin')).to.equal(null)
  })

  it('an expired session opens nothing and is dropped at the next sign-in', async () => {
    const value = 'e'.repeat(64)
    const id = createHash('sha256').update(value).digest('hex')
    await emu.core.store.control.put('consoleSessions', { id, tenantId: emu.seed.tenantId, createdAt: new Date(Date.now() - 8 * 86_400_000).toISOString(), expiresAt: Date.now() - 1000 })
    expect((await probe.inject({ url: '/_/api/probe', headers: { cookie: `${consoleCookieName(emu.core)}=${value}` } })).statusCode).to.equal(401)
    expect(emu.core.store.control.collection('consoleSessions').has(id)).to.equal(true)
    await oneTimeCookie()
    expect(emu.core.store.control.collection('consoleSessions').has(id)).to.equal(false)
  })

  it('sign-out ends the session at once', async () => {
    const cookie = await oneTimeCookie()
    const out = await fetch(`${emu.url}/_/signout`, { method: 'POST', redirect: 'manual', headers: { cookie, origin: emu.url, 'content-type': 'application/x-www-form-urlencoded' }, body: 'next=%2F_%2F' })
    expect(out.status).to.equal(303)
    expect(out.headers.get('location')).to.equal('/_/signin?next=%2F_%2F')
    expect(setCookie(out).attributes).to.include('Max-Age=0')
    expect((await probe.inject({ url: '/_/api/probe', headers: { cookie } })).statusCode).to.equal(401)
  })

  it('bad input on the sign-in page: an address that is not one, an unknown provider, a forged social callback', async () => {
    const form = (body: string) => fetch(`${emu.url}/_/signin/magic`, { method: 'POST', redirect: 'manual', headers: { origin: emu.url, 'content-type': 'application/x-www-form-urlencoded' }, body })
    const before = emu.core.mailbox.list({}).pagination.total
    const bad = await form('email=not-an-address&next=%2F_%2F')
    expect(bad.status).to.equal(400)
    const html = await bad.text()
    expect(html).to.include('id="error"').and.include('email must be an e-mail address').and.include('value="not-an-address"')
    expect(emu.core.mailbox.list({}).pagination.total).to.equal(before)

    const unknown = await fetch(`${emu.url}/_/signin/facebook`, { redirect: 'manual' })
    expect(unknown.status).to.equal(404)
    expect(await unknown.text()).to.include('Unknown sign-in provider')
    // A callback with a state this emulator never issued signs no one in.
    const forged = await fetch(`${emu.url}/_/signin/google/callback?code=abc&state=${'0'.repeat(32)}`, { redirect: 'manual' })
    expect(forged.status).to.equal(401)
    expect(forged.headers.get('set-cookie')).to.equal(null)
  })

  it('next: only paths of this origin', () => {
    const cases: Array<[unknown, string]> = [
      ['/_/tables', '/_/tables'],
      ['/mcp/oauth/authorize?client_id=a&state=b', '/mcp/oauth/authorize?client_id=a&state=b'],
      ['https://evil.example/', '/_/'],
      ['//evil.example/x', '/_/'],
      ['/\\evil.example', '/_/'],
      ['/\tx', '/_/'],
      ['javascript:alert(1)', '/_/'],
      ['', '/_/'],
      [undefined, '/_/'],
      ['/_/../x', '/x'],
    ]
    expect(cases).to.have.length(10)
    for (const [input, expected] of cases) expect(safeNext(input), String(input)).to.equal(expected)
  })
})
