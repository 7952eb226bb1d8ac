import { expect } from 'chai'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'

interface Reply {
  status: number
  body: Record<string, unknown> & { error?: { code: string; message: string } }
}

describe('http: email/password auth and /v1/users', () => {
  let emu: TestEmulator
  let pk: string
  let sk: string
  beforeEach(async () => {
    emu = await startEmulator()
    pk = emu.seed.environment.publishableKey
    sk = emu.seed.environment.secretKey
  })
  afterEach(() => emu.dispose())

  async function call(method: string, path: string, options: { key?: string; token?: string; body?: unknown } = {}): Promise<Reply> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' }
    if (options.key !== undefined) headers['X-API-Key'] = options.key
    if (options.token) headers.Authorization = `Bearer ${options.token}`
    const response = await fetch(emu.url + path, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) })
    return { status: response.status, body: (await response.json()) as Reply['body'] }
  }
  const signUp = (email: string, password = 'secret123', key = pk) => call('POST', '/v1/auth/email/signup', { key, body: { email, password } })
  const tokensOf = (reply: Reply) => reply.body as unknown as { accessToken: string; refreshToken: string; user: { id: string } }

  describe('sign-up and sign-in', () => {
    it('signs up with a password: 201, tokens, the full user view, email normalised', async () => {
      const reply = await call('POST', '/v1/auth/email/signup', { key: pk, body: { email: '  Ada@Example.COM ', password: 'secret123', name: 'Ada' } })
      expect(reply.status).to.equal(201)
      expect(reply.body).to.include({ tokenType: 'Bearer', expiresIn: 3600 })
      expect(reply.body.user).to.include({ email: 'ada@example.com', name: 'Ada', role: 'user', emailVerified: null, hasPassword: true, mfaEnabled: false })
      expect(reply.body.user).to.not.have.property('passwordHash')
      const claims = JSON.parse(Buffer.from((reply.body.accessToken as string).split('.')[1]!, 'base64url').toString())
      expect(claims).to.include({ typ: 'access', role: 'user', email: 'ada@example.com', pid: emu.seed.projectId, eid: emu.seed.environment.id, env: 'dev' })
      expect(claims.exp - claims.iat).to.equal(3600)
    })

    const failures: Array<[string, unknown, number, string]> = [
      ['an invalid email', { email: 'not-an-email', password: 'secret123' }, 400, 'auth/invalid-email'],
      ['a password below the policy', { email: 'a@b.io', password: '123' }, 400, 'auth/invalid-password-format'],
      ['no password and no callback', { email: 'a@b.io' }, 400, 'auth/invalid-request'],
      ['a name over 100 characters', { email: 'a@b.io', password: 'secret123', name: 'x'.repeat(101) }, 400, 'auth/invalid-request'],
      ['a body that is not an object', ['a@b.io'], 400, 'auth/invalid-request'],
    ]
    for (const [what, body, status, code] of failures) {
      it(`a guest signing up with ${what} → ${status} ${code}`, async () => {
        const reply = await call('POST', '/v1/auth/email/signup', { key: pk, body })
        expect(reply.status).to.equal(status)
        expect(reply.body.error?.code).to.equal(code)
      })
    }

    it('refuses a second sign-up with the same email, in any case → 409', async () => {
      expect((await signUp('dup@example.com')).status).to.equal(201)
      const again = await signUp('DUP@example.com')
      expect(again.status).to.equal(409)
      expect(again.body.error?.code).to.equal('auth/email-already-exists')
    })

    it('signs in with the right password and answers the same 401 for a wrong password and an unknown email', async () => {
      await signUp('bob@example.com', 'right-password')
      const ok = await call('POST', '/v1/auth/email/signin', { key: pk, body: { email: 'bob@example.com', password: 'right-password' } })
      expect(ok.status).to.equal(200)
      expect((ok.body.user as { email: string }).email).to.equal('bob@example.com')
      const wrong = await call('POST', '/v1/auth/email/signin', { key: pk, body: { email: 'bob@example.com', password: 'wrong-password' } })
      const unknown = await call('POST', '/v1/auth/email/signin', { key: pk, body: { email: 'nobody@example.com', password: 'wrong-password' } })
      for (const r of [wrong, unknown]) {
        expect(r.status).to.equal(401)
        expect(r.body.error?.code).to.equal('auth/invalid-credentials')
      }
      expect(wrong.body.error?.message).to.equal(unknown.body.error?.message)
    })

    it('answers 400 auth/invalid-email to a password sign-in with a malformed address, before any credential check', async () => {
      await signUp('carl@example.com', 'right-password')
      for (const email of ['carl', 'carl@', '@example.com', 'carl example.com']) {
        const r = await call('POST', '/v1/auth/email/signin', { key: pk, body: { email, password: 'right-password' } })
        expect(r.status, email).to.equal(400)
        expect(r.body.error?.code, email).to.equal('auth/invalid-email')
      }
    })

    it('stores passwords as scrypt hashes only', async () => {
      const { user } = tokensOf(await signUp('hash@example.com', 'plain-text-secret'))
      const stored = emu.core.auth.pool.get(emu.seed.environment.id, user.id)!
      expect(stored.passwordHash).to.match(/^scrypt\$64\$8\$1\$/)
      expect(JSON.stringify(stored)).to.not.include('plain-text-secret')
    })
  })

  describe('tokens and sessions', () => {
    it('GET /v1/auth/me needs a Bearer token and returns the full view with it', async () => {
      const { accessToken, user } = tokensOf(await signUp('me@example.com'))
      const me = await call('GET', '/v1/auth/me', { key: pk, token: accessToken })
      expect(me.status).to.equal(200)
      expect(me.body).to.include({ id: user.id, email: 'me@example.com' })
      const anonymous = await call('GET', '/v1/auth/me', { key: pk })
      expect(anonymous.status).to.equal(401)
      expect(anonymous.body.error?.code).to.equal('auth/unauthorized')
    })

    it('rotates refresh tokens; a reused one signs the user out of every session', async () => {
      const first = tokensOf(await signUp('rot@example.com'))
      const second = tokensOf(await call('POST', '/v1/auth/email/signin', { key: pk, body: { email: 'rot@example.com', password: 'secret123' } }))
      const rotated = await call('POST', '/v1/auth/refresh', { key: pk, body: { refreshToken: first.refreshToken } })
      expect(rotated.status).to.equal(200)
      expect(rotated.body).to.have.keys('accessToken', 'refreshToken', 'tokenType', 'expiresIn')
      expect(rotated.body.refreshToken).to.not.equal(first.refreshToken)
      expect((await call('GET', '/v1/auth/me', { key: pk, token: rotated.body.accessToken as string })).status).to.equal(200)

      const reused = await call('POST', '/v1/auth/refresh', { key: pk, body: { refreshToken: first.refreshToken } })
      expect(reused.status).to.equal(401)
      expect(reused.body.error?.code).to.equal('auth/invalid-refresh-token')
      // Theft response: both sessions are gone, whatever token the user holds.
      for (const token of [rotated.body.accessToken as string, second.accessToken]) {
        const me = await call('GET', '/v1/auth/me', { key: pk, token })
        expect(me.status).to.equal(401)
        expect(me.body.error?.code).to.equal('auth/invalid-token')
      }
      expect((await call('POST', '/v1/auth/refresh', { key: pk, body: { refreshToken: rotated.body.refreshToken } })).status).to.equal(401)
    })

    it('refuses garbage and access tokens as refresh tokens', async () => {
      const { accessToken } = tokensOf(await signUp('ref@example.com'))
      for (const refreshToken of ['nope', accessToken]) {
        const r = await call('POST', '/v1/auth/refresh', { key: pk, body: { refreshToken } })
        expect(r.status).to.equal(401)
        expect(r.body.error?.code).to.equal('auth/invalid-refresh-token')
      }
      expect((await call('POST', '/v1/auth/refresh', { key: pk, body: {} })).body.error?.code).to.equal('auth/invalid-request')
    })

    it('sign-out ends the session: its access and refresh tokens stop working', async () => {
      const { accessToken, refreshToken } = tokensOf(await signUp('out@example.com'))
      const out = await call('POST', '/v1/auth/signout', { key: pk, token: accessToken })
      expect(out.status).to.equal(200)
      expect(out.body).to.deep.equal({ message: 'Signed out' })
      expect((await call('GET', '/v1/auth/me', { key: pk, token: accessToken })).status).to.equal(401)
      expect((await call('POST', '/v1/auth/refresh', { key: pk, body: { refreshToken } })).status).to.equal(401)
    })

    it('access tokens expire after an hour by the emulator clock, refresh still works', async () => {
      const { accessToken, refreshToken } = tokensOf(await signUp('clock@example.com'))
      emu.core.clock.advance(3601)
      const me = await call('GET', '/v1/auth/me', { key: pk, token: accessToken })
      expect(me.status).to.equal(401)
      expect(me.body.error?.code).to.equal('auth/token-expired')
      expect((await call('POST', '/v1/auth/refresh', { key: pk, body: { refreshToken } })).status).to.equal(200)
    })

    it('sessions expire 7 days after their last refresh', async () => {
      const { refreshToken } = tokensOf(await signUp('idle@example.com'))
      emu.core.clock.advance(8 * 24 * 3600)
      const r = await call('POST', '/v1/auth/refresh', { key: pk, body: { refreshToken } })
      expect(r.status).to.equal(401)
      expect(r.body.error?.code).to.equal('auth/session-expired')
    })

    it('a present but invalid Bearer token is a 401, never a downgrade to guest', async () => {
      for (const [token, code] of [
        ['not-a-jwt', 'auth/invalid-token-format'],
        ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl', 'auth/invalid-token'],
      ]) {
        const r = await call('GET', '/v1/users', { key: pk, token })
        expect(r.status).to.equal(401)
        expect(r.body.error?.code).to.equal(code)
      }
    })

    it('keeps user pools apart: a token of another environment is invalid, of another project forbidden', async () => {
      const project = await emu.core.projects.create(emu.actor, { organizationId: emu.actor.organizationId, slug: 'other', name: 'Other', primaryCloud: 'aws', primaryRegion: 'local' })
      const otherProjectKey = (await emu.core.keys.create(emu.actor, { projectId: project.id, environment: 'dev', type: 'publishable', name: 'p' })).key
      const staging = await emu.core.envs.create(emu.actor, { environment: 'staging', environmentType: 'staging' }, emu.core.projects.doc(emu.seed.projectId)!)
      const stagingKey = (await emu.core.keys.create(emu.actor, { projectId: emu.seed.projectId, environment: staging.environment, type: 'publishable', name: 's' })).key
      const { accessToken } = tokensOf(await signUp('pool@example.com'))

      const otherEnv = await call('GET', '/v1/auth/me', { key: stagingKey, token: accessToken })
      expect(otherEnv.status).to.equal(401)
      expect(otherEnv.body.error?.code).to.equal('auth/invalid-token')
      const otherProject = await call('GET', '/v1/auth/me', { key: otherProjectKey, token: accessToken })
      expect(otherProject.status).to.equal(403)
      expect(otherProject.body.error?.code).to.equal('data/project-access-denied')
      // The same email is free in the other environment's pool.
      expect((await signUp('pool@example.com', 'secret123', stagingKey)).status).to.equal(201)
    })
  })

  describe('/v1/users', () => {
    it('scenario: who may list, create, read, update, delete and change roles', async () => {
      const alice = tokensOf(await signUp('alice@example.com'))
      const bob = tokensOf(await signUp('bob@example.com'))
      const admin = { key: sk }
      const asAlice = { key: pk, token: alice.accessToken }
      const scenarios: Array<[string, string, string, { key?: string; token?: string; body?: unknown }, number, string?]> = [
        ['a guest listing users', 'GET', '/v1/users', { key: pk }, 401, 'user/unauthorized'],
        ['a user listing users', 'GET', '/v1/users', asAlice, 200],
        ['a user creating a user', 'POST', '/v1/users', { ...asAlice, body: { name: 'X', email: 'x@example.com' } }, 403, 'user/forbidden'],
        ['a user reading another user', 'GET', `/v1/users/${bob.user.id}`, asAlice, 200],
        ['a user updating another user', 'PATCH', `/v1/users/${bob.user.id}`, { ...asAlice, body: { name: 'Hacked' } }, 403, 'user/forbidden'],
        ['a user updating themself', 'PATCH', `/v1/users/${alice.user.id}`, { ...asAlice, body: { name: 'Alice A.', nickname: 'al' } }, 200],
        ['a user changing a role', 'PATCH', `/v1/users/${alice.user.id}/role`, { ...asAlice, body: { role: 'admin' } }, 403, 'user/forbidden'],
        ['a user deleting another user', 'DELETE', `/v1/users/${bob.user.id}`, asAlice, 403, 'user/forbidden'],
        ['an admin reading an unknown id', 'GET', '/v1/users/0123456789abcdef01234567', admin, 404, 'user/not-found'],
        ['an admin reading a malformed id', 'GET', '/v1/users/nope', admin, 404, 'user/not-found'],
        ['an admin setting an invalid role', 'PATCH', `/v1/users/${bob.user.id}/role`, { ...admin, body: { role: 'Super Admin' } }, 400, 'user/invalid-role'],
        ['an admin creating a user without a name', 'POST', '/v1/users', { ...admin, body: { email: 'n@example.com' } }, 400, 'user/invalid-name'],
        ['an admin listing with a bad sortBy', 'GET', '/v1/users?sortBy=password', admin, 400, 'common/invalid-parameters'],
        ['a user patching an unknown field', 'PATCH', `/v1/users/${alice.user.id}`, { ...asAlice, body: { role: 'admin' } }, 400, 'common/invalid-parameters'],
        ['a user setting a bad mobile number', 'PATCH', `/v1/users/${alice.user.id}`, { ...asAlice, body: { mobile: '555-1234' } }, 400, 'common/invalid-parameters'],
      ]
      for (const [who, method, path, options, status, code] of scenarios) {
        const r = await call(method, path, options)
        expect(r.status, `${who}: ${JSON.stringify(r.body)}`).to.equal(status)
        if (code) expect(r.body.error?.code, who).to.equal(code)
      }
    })

    it('shows the full view to admins and the user themself, the public view to others', async () => {
      const alice = tokensOf(await signUp('alice@example.com'))
      const bob = tokensOf(await signUp('bob@example.com'))
      const asAlice = { key: pk, token: alice.accessToken }
      const listed = (await call('GET', '/v1/users', asAlice)).body as { items: Array<Record<string, unknown>> }
      for (const item of listed.items) expect(item).to.have.keys('id', 'name', 'nickname', 'image', 'createdAt')
      expect((await call('GET', `/v1/users/${bob.user.id}`, asAlice)).body).to.not.have.property('email')
      expect((await call('GET', `/v1/users/${alice.user.id}`, asAlice)).body).to.include({ email: 'alice@example.com' })
      const adminList = (await call('GET', '/v1/users?sortBy=email&sortDirection=asc', { key: sk })).body as { items: Array<{ email: string }>; pagination: { total: number } }
      expect(adminList.items.map((u) => u.email)).to.deep.equal(['alice@example.com', 'bob@example.com'])
      expect(adminList.pagination).to.include({ total: 2, page: 1, limit: 20, totalPages: 1, hasNext: false, hasPrev: false })
      // Non-admins never match on email.
      const search = (await call('GET', '/v1/users?search=bob%40', asAlice)).body as { items: unknown[] }
      expect(search.items).to.deep.equal([])
    })

    it('an admin creates users who can then sign in with the given password', async () => {
      const created = await call('POST', '/v1/users', { key: sk, body: { name: 'Carol', email: 'carol@example.com', role: 'moderator', password: 'carols-pass' } })
      expect(created.status).to.equal(201)
      expect(created.body).to.include({ role: 'moderator', hasPassword: true })
      const signin = await call('POST', '/v1/auth/email/signin', { key: pk, body: { email: 'carol@example.com', password: 'carols-pass' } })
      expect(signin.status).to.equal(200)
    })

    it('role changes apply to the next request of an existing token', async () => {
      const alice = tokensOf(await signUp('alice@example.com'))
      expect((await call('POST', '/v1/users', { key: pk, token: alice.accessToken, body: { name: 'X', email: 'x@example.com' } })).status).to.equal(403)
      const promoted = await call('PATCH', `/v1/users/${alice.user.id}/role`, { key: sk, body: { role: 'admin' } })
      expect(promoted.body).to.include({ role: 'admin' })
      expect((await call('POST', '/v1/users', { key: pk, token: alice.accessToken, body: { name: 'X', email: 'x@example.com' } })).status).to.equal(201)
    })

    it('deleting a user ends their sessions and frees the email', async () => {
      const dave = tokensOf(await signUp('dave@example.com'))
      const deleted = await call('DELETE', `/v1/users/${dave.user.id}`, { key: sk })
      expect(deleted.body).to.deep.equal({ message: 'User deleted' })
      expect((await call('GET', '/v1/auth/me', { key: pk, token: dave.accessToken })).status).to.equal(401)
      expect((await call('GET', `/v1/users/${dave.user.id}`, { key: sk })).status).to.equal(404)
      expect((await signUp('dave@example.com')).status).to.equal(201)
    })

    it('merges social links key by key and clears fields with null', async () => {
      const eve = tokensOf(await signUp('eve@example.com'))
      const asEve = { key: pk, token: eve.accessToken }
      await call('PATCH', `/v1/users/${eve.user.id}`, { ...asEve, body: { socialLinks: { github: 'https://github.com/eve' }, bio: 'hi' } })
      const r = await call('PATCH', `/v1/users/${eve.user.id}`, { ...asEve, body: { socialLinks: { twitter: 'https://x.com/eve' }, bio: null } })
      expect(r.body.socialLinks).to.deep.equal({ github: 'https://github.com/eve', twitter: 'https://x.com/eve' })
      expect(r.body.bio).to.equal(null)
    })
  })
})

describe('http: auth settings and built-in system tables', () => {
  let emu: TestEmulator
  beforeEach(async () => (emu = await startEmulator()))
  afterEach(() => emu.dispose())

  const post = (path: string, key: string, body: unknown) => fetch(emu.url + path, { method: 'POST', headers: { 'X-API-Key': key }, body: JSON.stringify(body) })

  it('asks for at least 8 characters by default (RA-D1) and accepts common passwords until told otherwise', async () => {
    const pk = emu.seed.environment.publishableKey
    const short = await post('/v1/auth/email/signup', pk, { email: 'short@example.com', password: 'abc1234' })
    expect(short.status).to.equal(400)
    const body = (await short.json()) as { error: { code: string; message: string } }
    expect(body.error.code).to.equal('auth/invalid-password-format')
    expect(body.error.message).to.include('at least 8 characters')
    expect((await post('/v1/auth/email/signup', pk, { email: 'eight@example.com', password: 'abcd1234' })).status).to.equal(201)
  })

  it('refuses common passwords with 400 auth/weak-password once rejectCommonPasswords is on, whatever their case', async () => {
    const pk = emu.seed.environment.publishableKey
    const settings = await emu.core.projectSettings.auth.update(emu.actor, emu.seed.projectId, { passwordPolicy: { rejectCommonPasswords: true } })
    expect(settings.email.passwordPolicy.rejectCommonPasswords).to.equal(true)
    for (const password of ['password123', 'Password123', 'QWERTY123']) {
      const weak = await post('/v1/auth/email/signup', pk, { email: 'common@example.com', password })
      expect(weak.status, password).to.equal(400)
      expect(((await weak.json()) as { error: { code: string } }).error.code, password).to.equal('auth/weak-password')
    }
    expect((await post('/v1/auth/email/signup', pk, { email: 'common@example.com', password: 'correct horse battery' })).status).to.equal(201)
  })

  it('applies the project password policy and email-verification setting', async () => {
    const pk = emu.seed.environment.publishableKey
    await emu.core.projectSettings.auth.update(emu.actor, emu.seed.projectId, { passwordPolicy: { minLength: 10, requireNumbers: true } })
    const weak = await post('/v1/auth/email/signup', pk, { email: 'p@example.com', password: 'abcdefghij' })
    const body = (await weak.json()) as { error: { code: string; message: string } }
    expect(weak.status).to.equal(400)
    expect(body.error.code).to.equal('auth/invalid-password-format')
    expect(body.error.message).to.include('a number')
    expect((await post('/v1/auth/email/signup', pk, { email: 'p@example.com', password: 'abcdefghi1' })).status).to.equal(201)

    await emu.core.projectSettings.auth.update(emu.actor, emu.seed.projectId, { emailVerificationRequired: true })
    const signin = await post('/v1/auth/email/signin', pk, { email: 'p@example.com', password: 'abcdefghi1' })
    expect(signin.status).to.equal(403)
    expect(((await signin.json()) as { error: { code: string } }).error.code).to.equal('auth/email-not-verified')
  })

  it('lets a secret key read users, accounts and sessions through the data API, without secrets', async () => {
    const pk = emu.seed.environment.publishableKey
    const sk = emu.seed.environment.secretKey
    expect((await post('/v1/auth/email/signup', pk, { email: 'sys@example.com', password: 'secret-pass' })).status).to.equal(201)
    const read = async (table: string, key: string) => {
      const response = await fetch(`${emu.url}/v1/data/${table}`, { headers: { 'X-API-Key': key } })
      return { status: response.status, body: (await response.json()) as { items: Array<Record<string, unknown>>; error?: { code: string } } }
    }
    const users = await read('users', sk)
    expect(users.status).to.equal(200)
    expect(users.body.items.map((u) => u.email)).to.deep.equal(['sys@example.com'])
    expect(JSON.stringify(users.body)).to.not.match(/passwordHash|scrypt/)
    const accounts = await read('accounts', sk)
    expect(accounts.body.items.map((a) => [a.type, a.provider, a.providerAccountId, a.email])).to.deep.equal([['credentials', 'email', 'sys@example.com', 'sys@example.com']])
    const sessions = await read('sessions', sk)
    expect(sessions.body.items).to.have.length(1)
    expect(sessions.body.items[0]).to.not.have.property('refreshJti')
    const guest = await read('users', pk)
    expect(guest.status).to.equal(403)
    expect(guest.body.error?.code).to.equal('data/system-table-access')
  })
})
