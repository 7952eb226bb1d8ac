import { expect } from 'chai'
import type { DevExplainResult } from '../../src/commands/dev/explain.js'
import { startDevHarness, type DevHarness } from '../helpers/dev-harness.js'

describe('cli: bkend dev explain against bkend dev', function () {
  this.timeout(60_000)
  let h: DevHarness
  let pk = ''
  const signUp = async (email: string) => {
    const response = await fetch(`${h.dev.ready.url}/v1/auth/email/signup`, { method: 'POST', headers: { 'x-api-key': pk, 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'secret123' }) })
    return (await response.json()) as { accessToken: string; user: { id: string } }
  }

  before(async () => {
    h = await startDevHarness()
    pk = h.dev.ready.environments[0]!.publishableKey
  })
  after(() => h?.dispose())

  /** A request's id once its event is in the log (appended as the response goes out). */
  const requestId = async (response: Response): Promise<string> => {
    const id = response.headers.get('x-request-id')
    expect(id).to.be.a('string')
    await new Promise((done) => setTimeout(done, 50))
    return id!
  }

  it("explains a refusal in full for people: the request, who, the check, the values and what would allow it", async () => {
    const alice = await signUp('alice@example.com')
    const bob = await signUp('bob@example.com')
    const refused = await fetch(`${h.dev.ready.url}/v1/users/${bob.user.id}`, {
      method: 'PATCH',
      headers: { 'x-api-key': pk, authorization: `Bearer ${alice.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Not Bob' }),
    })
    expect(refused.status).to.equal(403)
    const id = await requestId(refused)

    const out = await h.run(['dev', 'explain', id])
    expect(out.code, out.stderr).to.equal(0)
    const lines = out.stdout.trimEnd().split('\n')
    expect(lines.length).to.be.at.least(7)
    expect(lines[0], lines[0]).to.match(new RegExp(`^PATCH /v1/users/${bob.user.id} → 403 user/forbidden {2}\\([\\d.]+ ms, \\d{4}-`))
    expect(lines).to.include(`Request:  ${id}`)
    expect(lines).to.include(`Who:      publishable key "default-publishable" (${pk.slice(0, 11)}…) with user ${alice.user.id} (role user)`)
    expect(lines).to.include('Where:    local / dev')
    expect(lines).to.include("Check:    self: the self condition (only the record's creator)")
    expect(lines).to.include('Why:      You may only read or change your own account')
    expect(lines).to.include(`  userId: ${bob.user.id}`)
    expect(lines).to.include(`  callerUserId: ${alice.user.id}`)
    expect(lines).to.include('To allow: sign in as that user, or use a secret key (or a user with role admin)')
    expect(out.stdout).not.to.include(alice.accessToken)
    expect(out.stdout).not.to.include(pk)

    const json = await h.run(['dev', 'explain', id, '--json'])
    expect(json.code, json.stderr).to.equal(0)
    const event = json.json as DevExplainResult
    expect(event).to.include({ id, status: 403, code: 'user/forbidden', method: 'PATCH' })
    expect(event.denial).to.deep.include({ check: 'self' })
    expect(event.denial?.details).to.include({ userId: bob.user.id, callerUserId: alice.user.id })
  })

  it('says so when nothing was refused', async () => {
    const allowed = await fetch(`${h.dev.ready.url}/v1/data/users`, { headers: { 'x-api-key': h.dev.ready.environments[0]!.secretKey } })
    expect(allowed.status).to.equal(200)
    const out = await h.run(['dev', 'explain', await requestId(allowed)])
    expect(out.code, out.stderr).to.equal(0)
    expect(out.stdout).to.match(/^GET \/v1\/data\/users → 200 /)
    expect(out.stdout).to.include('Decision: allowed; no permission, scope or row filter narrowed it')
  })

  it('an unknown request id → exit 1, the log size and where ids come from, no stack trace', async () => {
    const out = await h.run(['dev', 'explain', 'abc123-nope'])
    expect(out.code).to.equal(1)
    expect(out.stdout).to.equal('')
    expect(out.stderr).to.include('Error: No request abc123-nope in the request log: it holds the last 10000 requests')
    expect(out.stderr).to.include("Hint: find the id in 'bkend dev logs' or in the response's X-Request-Id header")
    expect(out.stderr).not.to.match(/\n\s+at /)
    const json = await h.run(['dev', 'explain', 'abc123-nope', '--json'])
    expect(json.code).to.equal(1)
    expect(json.errorJson.error).to.include({ code: 'log/not-found' })
  })

  it('without a request id → a usage error', async () => {
    const out = await h.run(['dev', 'explain'])
    expect(out.code).to.equal(2)
    expect(out.stderr).to.match(/requestId/)
  })
})
