import { createHash } from 'node:crypto'
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { expect } from 'chai'
import { signUpCast, startUsersHarness, type SignedUp, type Caller, type Reply, type UsersHarness } from './users-helpers.js'

const SEVEN_DAYS = 7 * 24 * 3600

describe('http: /v1/auth/invitations, switch-organization and the invitation page', () => {
  let h: UsersHarness
  let alice: SignedUp
  let bob: SignedUp
  let carol: SignedUp
  beforeEach(async () => {
    h = await startUsersHarness()
    ;({ alice, bob, carol } = await signUpCast(h))
  })
  afterEach(() => h.emu.dispose())

  const invite = (caller: Caller, body: Record<string, unknown> = {}) =>
    h.call('POST', '/v1/auth/invitations', caller, { resourceType: 'organization', resourceId: 'org-1', resourceRole: 'member', email: 'bob@example.com', resourceName: 'Acme', ...body })
  /** The newest captured invitation e-mail to an address, read like a developer would: through the mailbox control. */
  const mail = async (to: string) => {
    const response = await fetch(`${h.emu.url}/_emulator/mailbox?type=invitation&to=${encodeURIComponent(to)}`, { headers: { Authorization: `Bearer ${h.emu.seed.tenantToken}` } })
    const body = (await response.json()) as { items: Array<{ token: string; link: string | null; subject: string; html: string; projectId: string; environmentId: string }> }
    return body.items[0]!
  }
  const advance = (seconds: number) => fetch(`${h.emu.url}/_emulator/clock`, { method: 'POST', headers: { Authorization: `Bearer ${h.emu.seed.tenantToken}` }, body: JSON.stringify({ advanceSeconds: seconds }) })
  const signIn = async (email: string) => (await h.call('POST', '/v1/auth/email/signin', { key: h.pk }, { email, password: 'secret123' })).body as { accessToken: string; refreshToken: string }
  const expectError = (reply: Reply, status: number, code: string) => {
    expect(reply.status, JSON.stringify(reply.body)).to.equal(status)
    expect(reply.body.error.code).to.equal(code)
  }

  describe('create', () => {
    it('answers 201 with the invitation and captures an e-mail whose token exists only there', async () => {
      const created = await invite(alice.caller, { name: 'Bobby', inviterName: 'Alice A.' })
      expect(created.status).to.equal(201)
      expect(created.body).to.have.all.keys('id', 'resourceType', 'resourceId', 'resourceName', 'resourceRole', 'email', 'name', 'inviterName', 'invitedBy', 'status', 'expiresAt', 'acceptedAt', 'acceptedBy', 'respondedAt', 'createdAt', 'updatedAt')
      expect(created.body).to.include({ resourceType: 'organization', resourceId: 'org-1', resourceName: 'Acme', resourceRole: 'member', email: 'bob@example.com', name: 'Bobby', inviterName: 'Alice A.', invitedBy: alice.id, status: 'pending', acceptedAt: null, acceptedBy: null, respondedAt: null })
      expect(Date.parse(created.body.expiresAt) - Date.parse(created.body.createdAt)).to.equal(SEVEN_DAYS * 1000)
      const message = await mail('bob@example.com')
      expect(message.token).to.match(/^[0-9a-f]{64}$/)
      expect(message.link).to.equal(`${h.emu.url}/_emulator/invitations/${message.token}`)
      expect(message.subject).to.equal('Alice A. invited you to Acme')
      expect(message).to.include({ projectId: h.emu.seed.projectId, environmentId: h.emu.seed.environment.id })
      // The store keeps only the SHA-256 of the token.
      const dbDir = join(h.emu.dataDir, 'db')
      let stored = ''
      for (const file of await readdir(dbDir)) if (file.startsWith('env-')) stored += await readFile(join(dbDir, file), 'utf8')
      expect(stored).to.include(createHash('sha256').update(message.token).digest('hex'))
      expect(stored).to.not.include(message.token)
    })

    it('links to the callback URL with token and email, appended with & when it has a query', async () => {
      await invite(alice.caller, { callbackUrl: 'https://app.example/invite?lang=en' })
      const message = await mail('bob@example.com')
      expect(message.link).to.equal(`https://app.example/invite?lang=en&token=${message.token}&email=bob%40example.com`)
    })

    it('revokes a pending invitation for the same resource and e-mail; its token then fails', async () => {
      const first = await invite(alice.caller)
      const firstToken = (await mail('bob@example.com')).token
      await invite(alice.caller, { resourceId: 'org-2' })
      const second = await invite(carol.caller)
      const secondToken = (await mail('bob@example.com')).token
      expect((await h.call('GET', `/v1/auth/invitations/${first.body.id}`, alice.caller)).body.status).to.equal('revoked')
      expect((await h.call('GET', `/v1/auth/invitations/${second.body.id}`, carol.caller)).body.status).to.equal('pending')
      // Another resource keeps its own pending invitation.
      expect((await h.call('GET', '/v1/auth/invitations?resourceId=org-2', alice.caller)).body.items[0].status).to.equal('pending')
      expectError(await h.call('POST', '/v1/auth/invitations/accept', { key: h.pk }, { token: firstToken }), 400, 'auth/invalid-request')
      expect((await h.call('POST', '/v1/auth/invitations/accept', { key: h.pk }, { token: secondToken })).status).to.equal(200)
    })

    const failures: Array<[string, () => Caller, Record<string, unknown>, number, string]> = [
      ['a guest (publishable key, no user)', () => ({ key: h.pk }), {}, 401, 'auth/unauthorized'],
      ['a secret key without a user', () => ({ key: h.sk }), {}, 401, 'auth/unauthorized'],
      ['an unknown resource type', () => alice.caller, { resourceType: 'team' }, 400, 'auth/invalid-request'],
      ['no resource id', () => alice.caller, { resourceId: undefined }, 400, 'auth/invalid-request'],
      ['an empty role', () => alice.caller, { resourceRole: ' ' }, 400, 'auth/invalid-request'],
      ['no email', () => alice.caller, { email: undefined }, 400, 'auth/invalid-request'],
      ['an invalid email', () => alice.caller, { email: 'bob-at-example' }, 400, 'auth/invalid-email'],
      ['a relative callback URL', () => alice.caller, { callbackUrl: '/invite' }, 400, 'auth/invalid-request'],
      ['a name that is not a string', () => alice.caller, { name: 42 }, 400, 'auth/invalid-request'],
    ]
    for (const [who, caller, body, status, code] of failures) {
      it(`creating with ${who} → ${status} ${code}`, async () => {
        expectError(await invite(caller(), body), status, code)
      })
    }
  })

  describe('list and get', () => {
    let toBob: Reply
    let toDave: Reply
    let project: Reply
    beforeEach(async () => {
      toBob = await invite(alice.caller)
      toDave = await invite(alice.caller, { email: 'dave@example.com' })
      project = await invite(carol.caller, { resourceType: 'project', resourceId: 'proj-1', email: 'alice@example.com' })
    })
    const ids = async (query: string, caller: Caller) => {
      const reply = await h.call('GET', `/v1/auth/invitations${query}`, caller)
      expect(reply.status, JSON.stringify(reply.body)).to.equal(200)
      return (reply.body.items as Array<{ id: string }>).map((i) => i.id)
    }

    it('shows what the caller sent or received, everything to admins, newest first', async () => {
      expect(await ids('', alice.caller)).to.deep.equal([project.body.id, toDave.body.id, toBob.body.id])
      expect(await ids('', bob.caller)).to.deep.equal([toBob.body.id])
      expect(await ids('', carol.caller)).to.deep.equal([project.body.id, toDave.body.id, toBob.body.id])
      const stranger = await h.signUp('eve@example.com')
      expect(await ids('', stranger.caller)).to.deep.equal([])
    })

    it('filters by resource type (user = addressed to me), resource id and status, and pages', async () => {
      expect(await ids('?resourceType=user', alice.caller)).to.deep.equal([project.body.id])
      expect(await ids('?resourceType=organization', alice.caller)).to.deep.equal([toDave.body.id, toBob.body.id])
      expect(await ids('?resourceType=project&resourceId=proj-1', carol.caller)).to.deep.equal([project.body.id])
      expect(await ids('?status=accepted', alice.caller)).to.deep.equal([])
      const paged = await h.call('GET', '/v1/auth/invitations?limit=2&page=2', alice.caller)
      expect(paged.body.items.map((i: { id: string }) => i.id)).to.deep.equal([toBob.body.id])
      expect(paged.body.pagination).to.include({ total: 3, page: 2, limit: 2, totalPages: 2, hasPrev: true, hasNext: false })
      expect((await h.call('GET', '/v1/auth/invitations', alice.caller)).body.pagination.limit).to.equal(10)
    })

    for (const query of ['?resourceType=team', '?status=lost', '?status=pending&status=accepted']) {
      it(`listing with ${query} → 400 auth/invalid-request`, async () => {
        expectError(await h.call('GET', `/v1/auth/invitations${query}`, alice.caller), 400, 'auth/invalid-request')
      })
    }

    it('gets one invitation when visible; otherwise, unknown or malformed → 404 auth/invitation-not-found', async () => {
      expect((await h.call('GET', `/v1/auth/invitations/${toBob.body.id}`, bob.caller)).body).to.include({ id: toBob.body.id, status: 'pending' })
      expect((await h.call('GET', `/v1/auth/invitations/${toBob.body.id}`, carol.caller)).status).to.equal(200)
      const stranger = await h.signUp('eve@example.com')
      for (const [caller, id] of [[stranger.caller, toBob.body.id], [alice.caller, '0123456789abcdef01234567'], [alice.caller, 'nope']] as Array<[Caller, string]>) {
        expectError(await h.call('GET', `/v1/auth/invitations/${id}`, caller), 404, 'auth/invitation-not-found')
      }
      expectError(await h.call('GET', `/v1/auth/invitations/${toBob.body.id}`, { key: h.pk }), 401, 'auth/unauthorized')
    })

    it('computes expired after 7 days by the emulator clock', async () => {
      await advance(SEVEN_DAYS - 60)
      expect((await h.call('GET', `/v1/auth/invitations/${toBob.body.id}`, { ...carol.caller, token: (await signIn('carol@example.com')).accessToken })).body.status).to.equal('pending')
      await advance(61)
      const fresh = (await signIn('alice@example.com')).accessToken
      expect((await h.call('GET', `/v1/auth/invitations/${toBob.body.id}`, { key: h.pk, token: fresh })).body.status).to.equal('expired')
      expect((await h.call('GET', '/v1/auth/invitations?status=expired', { key: h.pk, token: fresh })).body.items).to.have.length(3)
      expect((await h.call('GET', '/v1/auth/invitations?status=pending', { key: h.pk, token: fresh })).body.items).to.have.length(0)
    })
  })

  describe('accept and reject', () => {
    it('accepts without a user: acceptedBy is the live user with the invited e-mail', async () => {
      const created = await invite(alice.caller)
      const { token } = await mail('bob@example.com')
      const accepted = await h.call('POST', '/v1/auth/invitations/accept', { key: h.pk }, { token, email: 'BOB@example.com' })
      expect(accepted.status).to.equal(200)
      expect(accepted.body).to.include({ id: created.body.id, status: 'accepted', acceptedBy: bob.id })
      expect(accepted.body.acceptedAt).to.equal(accepted.body.respondedAt)
      expectError(await h.call('POST', '/v1/auth/invitations/accept', { key: h.pk }, { token }), 400, 'auth/invitation-already-accepted')
      expectError(await h.call('POST', '/v1/auth/invitations/reject', { key: h.pk }, { token, email: 'bob@example.com' }), 400, 'auth/invitation-already-accepted')
    })

    it('acceptedBy is the signed-in user when a JWT is sent, and null when nobody has the e-mail', async () => {
      await invite(alice.caller, { email: 'nobody@example.com' })
      const { token } = await mail('nobody@example.com')
      expect((await h.call('POST', '/v1/auth/invitations/accept', { key: h.pk }, { token })).body.acceptedBy).to.equal(null)
      await invite(alice.caller, { email: 'someone@example.com', resourceId: 'org-9' })
      const second = await mail('someone@example.com')
      expect((await h.call('POST', '/v1/auth/invitations/accept', carol.caller, { token: second.token })).body.acceptedBy).to.equal(carol.id)
    })

    it('rejects with token and e-mail: 200 {}, status rejected; later answers → 400 auth/invalid-request', async () => {
      const created = await invite(alice.caller)
      const { token } = await mail('bob@example.com')
      const rejected = await h.call('POST', '/v1/auth/invitations/reject', { key: h.pk }, { token, email: 'bob@example.com' })
      expect(rejected.status).to.equal(200)
      expect(rejected.body).to.deep.equal({})
      const after = (await h.call('GET', `/v1/auth/invitations/${created.body.id}`, alice.caller)).body
      expect(after).to.include({ status: 'rejected', acceptedAt: null, acceptedBy: null })
      expect(after.respondedAt).to.be.a('string')
      expectError(await h.call('POST', '/v1/auth/invitations/accept', { key: h.pk }, { token }), 400, 'auth/invalid-request')
    })

    it('an invitation answered after 7 days → 410 auth/invitation-expired', async () => {
      await invite(alice.caller)
      const { token } = await mail('bob@example.com')
      await advance(SEVEN_DAYS + 1)
      expectError(await h.call('POST', '/v1/auth/invitations/accept', { key: h.pk }, { token }), 410, 'auth/invitation-expired')
      expectError(await h.call('POST', '/v1/auth/invitations/reject', { key: h.pk }, { token, email: 'bob@example.com' }), 410, 'auth/invitation-expired')
    })

    const failures: Array<[string, string, (token: string) => unknown, number, string]> = [
      ['accept without a token', 'accept', () => ({}), 400, 'auth/invalid-request'],
      ['accept with an unknown token', 'accept', () => ({ token: 'f'.repeat(64) }), 401, 'auth/invalid-token'],
      ['accept with a malformed token', 'accept', () => ({ token: 'nope' }), 401, 'auth/invalid-token'],
      ['accept with another e-mail', 'accept', (token) => ({ token, email: 'alice@example.com' }), 401, 'auth/invalid-token'],
      ['reject without an e-mail', 'reject', (token) => ({ token }), 400, 'auth/invalid-request'],
      ['reject with another e-mail', 'reject', (token) => ({ token, email: 'eve@example.com' }), 401, 'auth/invalid-token'],
      ['reject with an e-mail that is not a string', 'reject', (token) => ({ token, email: 7 }), 400, 'auth/invalid-request'],
    ]
    for (const [what, verb, body, status, code] of failures) {
      it(`${what} → ${status} ${code}`, async () => {
        await invite(alice.caller)
        const { token } = await mail('bob@example.com')
        expectError(await h.call('POST', `/v1/auth/invitations/${verb}`, { key: h.pk }, body(token)), status, code)
      })
    }

    it('a token is bound to its environment', async () => {
      await invite(alice.caller)
      const { token } = await mail('bob@example.com')
      const staging = await h.emu.core.envs.create(h.emu.actor, { environment: 'staging', environmentType: 'staging' }, h.emu.core.projects.doc(h.emu.seed.projectId)!)
      const stagingKey = (await h.emu.core.keys.create(h.emu.actor, { projectId: h.emu.seed.projectId, environment: staging.environment, type: 'publishable', name: 's' })).key
      expectError(await h.call('POST', '/v1/auth/invitations/accept', { key: stagingKey }, { token }), 401, 'auth/invalid-token')
    })
  })

  describe('revoke', () => {
    it('the inviter or an admin revokes a pending invitation; others → 403; answered → 400; unknown → 404', async () => {
      const first = await invite(alice.caller)
      const second = await invite(alice.caller, { resourceId: 'org-2' })
      expectError(await h.call('DELETE', `/v1/auth/invitations/${first.body.id}`, bob.caller), 403, 'auth/forbidden')
      const byInviter = await h.call('DELETE', `/v1/auth/invitations/${first.body.id}`, alice.caller)
      expect(byInviter.status).to.equal(200)
      expect(byInviter.body).to.deep.equal({ message: 'Invitation revoked' })
      expect((await h.call('DELETE', `/v1/auth/invitations/${second.body.id}`, carol.caller)).status).to.equal(200)
      expectError(await h.call('DELETE', `/v1/auth/invitations/${first.body.id}`, alice.caller), 400, 'auth/invalid-request')
      expectError(await h.call('DELETE', '/v1/auth/invitations/0123456789abcdef01234567', alice.caller), 404, 'auth/invitation-not-found')
      expectError(await h.call('DELETE', `/v1/auth/invitations/${first.body.id}`, { key: h.pk }), 401, 'auth/unauthorized')
      expect((await h.call('GET', `/v1/auth/invitations/${first.body.id}`, bob.caller)).body.status).to.equal('revoked')
    })
  })

  describe('switch-organization', () => {
    it('issues a new pair for the same session carrying organizationId, once an organization invitation was accepted', async () => {
      expectError(await h.call('POST', '/v1/auth/switch-organization', bob.caller, { organizationId: 'org-1' }), 403, 'auth/forbidden')
      await invite(alice.caller)
      await h.call('POST', '/v1/auth/invitations/accept', bob.caller, { token: (await mail('bob@example.com')).token })
      const switched = await h.call('POST', '/v1/auth/switch-organization', bob.caller, { organizationId: 'org-1' })
      expect(switched.status).to.equal(200)
      expect(switched.body).to.have.all.keys('accessToken', 'refreshToken', 'tokenType', 'expiresIn')
      const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString())
      const before = claims(bob.token)
      const after = claims(switched.body.accessToken)
      expect(after).to.include({ organizationId: 'org-1', sid: before.sid, sub: bob.id })
      expect(before).to.not.have.property('organizationId')
      expect((await h.call('GET', '/v1/auth/me', { key: h.pk, token: switched.body.accessToken })).status).to.equal(200)
      // The pair replaced the previous one: the old refresh token counts as reused.
      const refreshed = await h.call('POST', '/v1/auth/refresh', { key: h.pk }, { refreshToken: switched.body.refreshToken })
      expect(claims(refreshed.body.accessToken)).to.include({ organizationId: 'org-1' })
      expectError(await h.call('POST', '/v1/auth/refresh', { key: h.pk }, { refreshToken: bob.refreshToken }), 401, 'auth/invalid-refresh-token')
    })

    it('a project invitation, another organization or another user’s acceptance does not count', async () => {
      await invite(alice.caller, { resourceType: 'project', resourceId: 'org-1' })
      await h.call('POST', '/v1/auth/invitations/accept', bob.caller, { token: (await mail('bob@example.com')).token })
      expectError(await h.call('POST', '/v1/auth/switch-organization', bob.caller, { organizationId: 'org-1' }), 403, 'auth/forbidden')
      await invite(alice.caller, { email: 'carol@example.com' })
      await h.call('POST', '/v1/auth/invitations/accept', carol.caller, { token: (await mail('carol@example.com')).token })
      expectError(await h.call('POST', '/v1/auth/switch-organization', bob.caller, { organizationId: 'org-1' }), 403, 'auth/forbidden')
      expectError(await h.call('POST', '/v1/auth/switch-organization', carol.caller, { organizationId: 'org-2' }), 403, 'auth/forbidden')
      expect((await h.call('POST', '/v1/auth/switch-organization', carol.caller, { organizationId: 'org-1' })).status).to.equal(200)
    })

    it('needs a user and an organizationId', async () => {
      expectError(await h.call('POST', '/v1/auth/switch-organization', { key: h.pk }, { organizationId: 'org-1' }), 401, 'auth/unauthorized')
      expectError(await h.call('POST', '/v1/auth/switch-organization', bob.caller, {}), 400, 'auth/invalid-request')
      expectError(await h.call('POST', '/v1/auth/switch-organization', bob.caller, { organizationId: 5 }), 400, 'auth/invalid-request')
    })
  })

  describe('the invitation page', () => {
    const page = async (token: string, form?: Record<string, string>) => {
      const response = await fetch(`${h.emu.url}/_emulator/invitations/${token}`, form ? { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() } : {})
      return { status: response.status, headers: response.headers, html: await response.text() }
    }

    it('shows the invitation, escaped, with Accept / Decline forms posting to itself, and accepts without any key', async () => {
      const created = await invite(alice.caller, { resourceName: '<script>alert(1)</script>', inviterName: 'Alice & Co' })
      const { token, link } = await mail('bob@example.com')
      const shown = await page(token)
      expect(shown.status).to.equal(200)
      expect(shown.headers.get('content-type')).to.match(/^text\/html/)
      expect(shown.headers.get('referrer-policy')).to.equal('no-referrer')
      expect(shown.headers.get('content-security-policy')).to.include("default-src 'none'")
      expect(shown.html).to.include('&lt;script&gt;alert(1)&lt;/script&gt;').and.not.include('<script>')
      expect(shown.html).to.include('Alice &amp; Co')
      expect(shown.html).to.include(`<form method="post" action="/_emulator/invitations/${token}">`)
      expect(shown.html).to.include('value="accept"').and.include('value="reject"')
      expect(link).to.equal(`${h.emu.url}/_emulator/invitations/${token}`)

      const accepted = await page(token, { action: 'accept' })
      expect(accepted.status).to.equal(200)
      expect(accepted.html).to.include('Invitation accepted.')
      expect((await h.call('GET', `/v1/auth/invitations/${created.body.id}`, alice.caller)).body).to.include({ status: 'accepted', acceptedBy: bob.id })
      const again = await page(token)
      expect(again.html).to.include('<strong>accepted</strong>').and.not.include('value="accept"')
      const twice = await page(token, { action: 'accept' })
      expect(twice.status).to.equal(400)
      expect(twice.html).to.include('already accepted')
    })

    it('declines through the page', async () => {
      const created = await invite(alice.caller)
      const { token } = await mail('bob@example.com')
      const declined = await page(token, { action: 'reject' })
      expect(declined.status).to.equal(200)
      expect(declined.html).to.include('Invitation declined.')
      expect((await h.call('GET', `/v1/auth/invitations/${created.body.id}`, alice.caller)).body.status).to.equal('rejected')
    })

    it('unknown tokens → 404, expired invitations show as expired and refuse an answer with 410, a bad action → 400', async () => {
      expect((await page('0'.repeat(64))).status).to.equal(404)
      expect((await page('not-a-token', { action: 'accept' })).status).to.equal(404)
      await invite(alice.caller)
      const { token } = await mail('bob@example.com')
      expect((await page(token, { action: 'maybe' })).status).to.equal(400)
      await advance(SEVEN_DAYS + 1)
      expect((await page(token)).html).to.include('<strong>expired</strong>')
      const late = await page(token, { action: 'accept' })
      expect(late.status).to.equal(410)
      expect(late.html).to.include('expired')
    })
  })
})
