import { expect } from 'chai'
import type { OpenResult } from '../../src/commands/open/index.js'
import { startManagementHarness, type ManagementHarness } from './management-harness.js'

/** `bkend open --print` against a real emulator: the URL it mints signs the CLI's tenant in, once. */
describe('cli: bkend open', function () {
  this.timeout(60_000)
  let h: ManagementHarness
  before(async () => {
    h = await startManagementHarness()
  })
  after(() => h.dispose())

  it('--print mints a one-time URL for the tenant token’s tenant that lands on the given path', async () => {
    const out = await h.run(['open', '/_/signin?x=1', '--print'])
    expect(out.code, out.stderr).to.equal(0)
    const url = out.stdout.trim()
    expect(url).to.match(new RegExp(`^${h.emu.url}/_/signin/once/[0-9a-f]{64}\\?next=`))
    const first = await fetch(url, { redirect: 'manual' })
    expect(first.status).to.equal(200)
    expect(first.headers.get('set-cookie')).to.match(/^bkend_console_[0-9a-f]{8}=[0-9a-f]{64};/)
    const body = await first.text()
    expect(body).to.include('url=/_/signin?x=1').and.include('developer@localhost')
    expect((await fetch(url, { redirect: 'manual' })).status).to.equal(401)
  })

  it('--json returns the URL, its expiry and the path, and opens nothing', async () => {
    const out = await h.run(['open', '--json'])
    expect(out.code, out.stderr).to.equal(0)
    const result = out.json as OpenResult
    expect(result).to.include({ path: '/_/', opened: false })
    expect(result.url).to.match(new RegExp(`^${h.emu.url}/_/signin/once/[0-9a-f]{64}$`))
    const minutes = (Date.parse(result.expiresAt) - Date.now()) / 60_000
    expect(minutes).to.be.within(9, 10.01)
  })

  it('bkend mail shows a console magic link: no project, the sign-in link', async () => {
    const asked = await fetch(`${h.emu.url}/_/signin/magic`, { method: 'POST', headers: { origin: h.emu.url, 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=lin%40example.com' })
    expect(asked.status).to.equal(200)
    const list = await h.run(['mail', 'list', '--to', 'lin@example.com', '--json'])
    expect(list.code, list.stderr).to.equal(0)
    expect(list.json.items).to.have.length(1)
    expect(list.json.items[0]).to.include({ type: 'magic_link', projectId: null, environmentId: null, subject: 'Your sign-in link' })
    expect(list.json.items[0].link).to.match(new RegExp(`^${h.emu.url}/_/signin/magic/[0-9a-f]{64}$`))
    const plain = await h.run(['mail', 'list', '--to', 'lin@example.com'])
    expect(plain.code, plain.stderr).to.equal(0)
    expect(plain.stdout).to.match(/magic_link\s+lin@example\.com\s+Your sign-in link/)
  })

  it('refuses a path that is not the emulator’s, and the control refuses anything but a tenant token', async () => {
    const bad = await h.run(['open', 'https://evil.example/', '--print'])
    expect(bad.code).to.equal(2)
    expect(bad.stderr).to.include('is not a console path')
    const cases: Array<[string, Record<string, string>]> = [
      ['no credential', {}],
      ['a secret key as bearer', { authorization: `Bearer ${h.emu.seed.environment.secretKey}` }],
      ['a secret key as X-API-Key', { 'x-api-key': h.emu.seed.environment.secretKey }],
    ]
    expect(cases).to.have.length(3)
    for (const [name, headers] of cases) {
      const response = await fetch(`${h.emu.url}/_emulator/console/signin-url`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' })
      expect(response.status, name).to.equal(401)
    }
  })
})
