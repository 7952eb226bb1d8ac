import { expect } from 'chai'
import { consoleCookie } from '../helpers/console.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { join } from '../helpers/teams.js'

const TABLES = '/_/o/local/p/local/e/dev/tables'

// The console's pages open only with a session from this emulator's own pages.
describe('http: console access', () => {
  let emu: TestEmulator
  let cookie: string

  before(async () => {
    emu = await startEmulator()
    cookie = await consoleCookie(emu, emu.seed.tenantId)
  })
  after(() => emu.dispose())

  it('without a session a page redirects to the sign-in page and shows nothing', async () => {
    const response = await fetch(`${emu.url}${TABLES}`, { redirect: 'manual' })
    expect(response.status).to.equal(302)
    expect(response.headers.get('location')).to.equal(`/_/signin?next=${encodeURIComponent(TABLES)}`)
    expect(await response.text()).to.not.include('Tables')
  })

  it('a tenant token or an API key is no session', async () => {
    const key = emu.seed.environment.secretKey
    for (const headers of [{ authorization: `Bearer ${emu.seed.tenantToken}` }, { 'x-api-key': key }] as Record<string, string>[]) {
      const response = await fetch(`${emu.url}${TABLES}`, { headers, redirect: 'manual' })
      expect(response.status).to.equal(302)
    }
  })

  it('with the session the page renders; another origin gets no CORS headers', async () => {
    const response = await fetch(`${emu.url}${TABLES}`, { headers: { cookie, origin: 'https://evil.example' } })
    expect(response.status).to.equal(200)
    expect(response.headers.get('access-control-allow-origin')).to.equal(null)
    expect(await response.text()).to.include('id="create-table"')
  })

  it('a state change from another origin is refused and changes nothing, even with the cookie', async () => {
    const body = new URLSearchParams({ tableName: 'forged', schema: '{}' }).toString()
    const headers = { cookie, 'content-type': 'application/x-www-form-urlencoded' }
    const forged = await fetch(`${emu.url}${TABLES}`, { method: 'POST', headers: { ...headers, origin: 'https://evil.example' }, body, redirect: 'manual' })
    expect(forged.status).to.equal(403)
    const noOrigin = await fetch(`${emu.url}${TABLES}`, { method: 'POST', headers, body, redirect: 'manual' })
    expect(noOrigin.status).to.equal(403)
    expect(emu.core.tables.list(emu.actor).map((t) => t.tableName)).to.not.include('forged')
    const own = await fetch(`${emu.url}${TABLES}`, { method: 'POST', headers: { ...headers, origin: emu.url }, body, redirect: 'manual' })
    expect(own.status).to.equal(303)
    expect(emu.core.tables.list(emu.actor).map((t) => t.tableName)).to.include('forged')
    // one entry, the console's: the refused posts left none
    const entries = emu.core.activity.list(emu.actor, emu.seed.organizationId).filter((a) => a.resource.name === 'forged')
    expect(entries).to.have.length(1)
    expect(entries[0]).to.deep.include({ action: 'table.create', client: { kind: 'console', clientId: null } })
  })

  it('serves the stylesheet and script without a session, and nothing else under /_/assets/', async () => {
    const css = await fetch(`${emu.url}/_/assets/console.css`)
    expect(css.headers.get('content-type')).to.equal('text/css; charset=utf-8')
    expect(await css.text()).to.include('prefers-color-scheme:dark')
    const js = await fetch(`${emu.url}/_/assets/console.js`)
    expect(js.headers.get('content-type')).to.equal('text/javascript; charset=utf-8')
    for (const name of ['toString', '__proto__', 'console.ts']) expect((await fetch(`${emu.url}/_/assets/${name}`)).status, name).to.equal(404)
  })

  it('a role refusal is a 403 page with the message, and the request log explains it like an MCP refusal', async () => {
    const email = 'billing@example.com'
    const { tenant } = await emu.core.tenants.signIn({ email })
    await join(emu, emu.actor, tenant.id, email, 'billing')
    const billing = await consoleCookie(emu, tenant.id)
    const refused = await fetch(`${emu.url}${TABLES}`, { headers: { cookie: billing } })
    expect(refused.status).to.equal(403)
    expect(await refused.text()).to.include('Your organization role &quot;billing&quot; does not allow project:read')
    const event = emu.core.requestLog.recent(5).find((e) => e.path === TABLES)
    expect(event?.status).to.equal(403)
    expect(event?.denial).to.deep.include({ check: 'role' })
  })

  it('in cloud-parity mode the console stays, records included (the hosted console edits records too)', async () => {
    const parity = await startEmulator({ cloudParity: true })
    try {
      await parity.core.tables.create(parity.actor, { projectId: parity.seed.projectId, environment: 'dev', tableName: 'kept', schema: { name: { type: 'string' } } })
      const session = await consoleCookie(parity, parity.seed.tenantId)
      const body = new URLSearchParams({ 'f.name': 'Ada' }).toString()
      const inserted = await fetch(`${parity.url}${TABLES}/kept/records`, { method: 'POST', headers: { cookie: session, origin: parity.url, 'content-type': 'application/x-www-form-urlencoded' }, body, redirect: 'manual' })
      expect(inserted.status).to.equal(303)
      const grid = await fetch(`${parity.url}${TABLES}/kept/records`, { headers: { cookie: session } })
      expect(await grid.text()).to.match(/data-column="name">Ada</)
    } finally {
      await parity.dispose()
    }
  })
})
