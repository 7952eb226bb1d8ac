import { expect } from 'chai'
import { signUpCast, startUsersHarness, type SignedUp, type Caller, type UsersHarness } from './users-helpers.js'

describe('http: /v1/users list, create, read, update, delete, role', () => {
  let h: UsersHarness
  let alice: SignedUp
  let bob: SignedUp
  let carol: SignedUp
  beforeEach(async () => {
    h = await startUsersHarness()
    ;({ alice, bob, carol } = await signUpCast(h))
  })
  afterEach(() => h.emu.dispose())

  describe('access matrix', () => {
    // [endpoint, method, path(target), body, expected status per caller: self, other, admin user, secret key, guest]
    type Row = [string, string, (u: SignedUp) => string, unknown, [number, number, number, number, number]]
    const rows: Row[] = [
      ['list', 'GET', () => '/v1/users', undefined, [200, 200, 200, 200, 401]],
      ['create', 'POST', () => '/v1/users', { name: 'New', email: 'new@example.com' }, [403, 403, 201, 201, 401]],
      ['read', 'GET', (u) => `/v1/users/${u.id}`, undefined, [200, 200, 200, 200, 401]],
      ['update', 'PATCH', (u) => `/v1/users/${u.id}`, { bio: 'x' }, [200, 403, 200, 200, 401]],
      ['role', 'PATCH', (u) => `/v1/users/${u.id}/role`, { role: 'user' }, [403, 403, 200, 200, 401]],
      ['delete', 'DELETE', (u) => `/v1/users/${u.id}`, undefined, [200, 403, 200, 200, 401]],
    ]
    const codes: Record<number, string> = { 401: 'user/unauthorized', 403: 'user/forbidden' }
    for (const [endpoint, method, path, body, expected] of rows) {
      it(`${endpoint}: self, another user, an admin-role user, a secret key, a guest`, async () => {
        const callers: Array<[string, () => Caller]> = [
          ['alice on herself', () => alice.caller],
          ['bob on alice', () => bob.caller],
          ['carol (admin role) on alice', () => carol.caller],
          ['a secret key on alice', () => ({ key: h.sk })],
          ['a publishable key without user on alice', () => ({ key: h.pk })],
        ]
        for (const [i, [who, caller]] of callers.entries()) {
          // Each caller gets a fresh target, so a delete does not hide the next caller's answer.
          const target = i === 0 ? alice : await h.signUp(`target${i}@example.com`)
          const reply = await h.call(method, path(target), caller(), endpoint === 'create' ? { name: 'New', email: `new${i}@example.com` } : body)
          const status = expected[i] as number
          expect(reply.status, `${who}: ${JSON.stringify(reply.body)}`).to.equal(status)
          if (codes[status]) expect(reply.body.error.code, who).to.equal(codes[status])
        }
      })
    }

    it('the views: full for self and admins, public for other users', async () => {
      const full = ['id', 'email', 'name', 'nickname', 'role', 'emailVerified', 'image', 'mobile', 'gender', 'bio', 'socialLinks', 'onboardingStatus', 'mfaEnabled', 'hasPassword', 'createdAt', 'updatedAt']
      expect((await h.call('GET', `/v1/users/${alice.id}`, alice.caller)).body).to.have.all.keys(...full)
      expect((await h.call('GET', `/v1/users/${alice.id}`, carol.caller)).body).to.have.all.keys(...full)
      expect((await h.call('GET', `/v1/users/${alice.id}`, { key: h.sk })).body).to.have.all.keys(...full)
      expect((await h.call('GET', `/v1/users/${alice.id}`, bob.caller)).body).to.have.all.keys('id', 'name', 'nickname', 'image', 'createdAt')
      const listed = await h.call('GET', '/v1/users', bob.caller)
      for (const item of listed.body.items) expect(item).to.have.all.keys('id', 'name', 'nickname', 'image', 'createdAt')
      for (const item of (await h.call('GET', '/v1/users', carol.caller)).body.items) expect(item).to.have.all.keys(...full)
    })

    it('unknown, malformed and deleted ids → 404 user/not-found', async () => {
      await h.call('DELETE', `/v1/users/${bob.id}`, { key: h.sk })
      for (const id of ['0123456789abcdef01234567', 'not-an-id', bob.id]) {
        for (const [method, path, body] of [['GET', `/v1/users/${id}`], ['PATCH', `/v1/users/${id}`, { bio: 'x' }], ['PATCH', `/v1/users/${id}/role`, { role: 'user' }], ['DELETE', `/v1/users/${id}`]] as Array<[string, string, unknown]>) {
          const reply = await h.call(method, path, { key: h.sk }, body)
          expect(reply.status, `${method} ${path}`).to.equal(404)
          expect(reply.body.error.code).to.equal('user/not-found')
        }
        // A user reading any id learns the public view or nothing.
        expect((await h.call('GET', `/v1/users/${id}`, alice.caller)).status).to.equal(404)
      }
    })
  })

  describe('list', () => {
    beforeEach(async () => {
      await h.call('PATCH', `/v1/users/${alice.id}`, alice.caller, { nickname: 'zed' })
      await h.call('PATCH', `/v1/users/${bob.id}`, bob.caller, { nickname: 'bobby' })
    })
    const list = async (query: string, caller: Caller) => {
      const reply = await h.call('GET', `/v1/users${query}`, caller)
      expect(reply.status, JSON.stringify(reply.body)).to.equal(200)
      return reply.body as { items: Array<Record<string, unknown>>; pagination: Record<string, unknown> }
    }

    it('sorts by createdAt desc by default and by any documented field in either direction', async () => {
      expect((await list('', { key: h.sk })).items.map((u) => u.name)).to.deep.equal(['Carol', 'Bob', 'Alice'])
      expect((await list('?sortBy=name&sortDirection=asc', { key: h.sk })).items.map((u) => u.name)).to.deep.equal(['Alice', 'Bob', 'Carol'])
      expect((await list('?sortBy=email&sortDirection=desc', { key: h.sk })).items.map((u) => u.name)).to.deep.equal(['Carol', 'Bob', 'Alice'])
      expect((await list('?sortBy=role&sortDirection=asc', { key: h.sk })).items.map((u) => u.role)).to.deep.equal(['admin', 'user', 'user'])
      expect((await list('?sortBy=updatedAt&sortDirection=ASC', { key: h.sk })).items).to.have.length(3)
    })

    it('searches name, nickname and email case-insensitively; non-admins never match on email', async () => {
      expect((await list('?search=BOBBY', alice.caller)).items.map((u) => u.name)).to.deep.equal(['Bob'])
      expect((await list('?search=zed&searchType=nickname', bob.caller)).items.map((u) => u.name)).to.deep.equal(['Alice'])
      expect((await list('?search=zed&searchType=name', bob.caller)).items).to.deep.equal([])
      expect((await list('?search=%40example.com', { key: h.sk })).items).to.have.length(3)
      expect((await list('?search=carol%40&searchType=email', carol.caller)).items.map((u) => u.email)).to.deep.equal(['carol@example.com'])
      expect((await list('?search=%40example.com', alice.caller)).items).to.deep.equal([])
      expect((await list('?search=carol%40&searchType=email', alice.caller)).items).to.deep.equal([])
    })

    it('pages with page and limit', async () => {
      const page = await list('?page=2&limit=2&sortBy=name&sortDirection=asc', { key: h.sk })
      expect(page.items.map((u) => u.name)).to.deep.equal(['Carol'])
      expect(page.pagination).to.include({ total: 3, page: 2, limit: 2, totalPages: 2, hasNext: false, hasPrev: true })
    })

    it('adds linked accounts for admins with includeAccounts=true', async () => {
      const withAccounts = await list('?includeAccounts=true&sortBy=name&sortDirection=asc', { key: h.sk })
      const accounts = withAccounts.items[0]!.accounts as Array<Record<string, unknown>>
      expect(accounts).to.have.length(1)
      expect(accounts[0]).to.have.all.keys('id', 'userId', 'type', 'provider', 'providerAccountId', 'email', 'connectedAt', 'linkedAt')
      expect(accounts[0]).to.include({ userId: alice.id, type: 'credentials', provider: 'email', email: 'alice@example.com' })
      expect((await list('?includeAccounts=false', { key: h.sk })).items[0]).to.not.have.property('accounts')
      const refused = await h.call('GET', '/v1/users?includeAccounts=true', alice.caller)
      expect(refused.status).to.equal(403)
      expect(refused.body.error.code).to.equal('user/forbidden')
    })

    for (const query of ['?sortBy=password', '?sortDirection=up', '?searchType=bio', '?includeAccounts=yes', '?page=0', '?page=abc', '?sortBy=name&sortBy=email']) {
      it(`${query} → 400 common/invalid-parameters`, async () => {
        const reply = await h.call('GET', `/v1/users${query}`, { key: h.sk })
        expect(reply.status).to.equal(400)
        expect(reply.body.error.code).to.equal('common/invalid-parameters')
      })
    }
  })

  describe('create', () => {
    it('creates a user with a credentials account who can sign in with the given password', async () => {
      const created = await h.call('POST', '/v1/users', { key: h.sk }, { name: 'Dave', email: ' Dave@Example.com ', role: 'moderator', password: 'daves-pass' })
      expect(created.status).to.equal(201)
      expect(created.body).to.include({ name: 'Dave', email: 'dave@example.com', role: 'moderator', hasPassword: true, emailVerified: null })
      expect((await h.call('POST', '/v1/auth/email/signin', { key: h.pk }, { email: 'dave@example.com', password: 'daves-pass' })).status).to.equal(200)
      const withoutPassword = await h.call('POST', '/v1/users', carol.caller, { name: 'Eve', email: 'eve@example.com' })
      expect(withoutPassword.body).to.include({ role: 'user', hasPassword: false })
    })

    const failures: Array<[string, Record<string, unknown>, number, string]> = [
      ['no name', { email: 'n@example.com' }, 400, 'user/invalid-name'],
      ['a name over 100 characters', { name: 'n'.repeat(101), email: 'n@example.com' }, 400, 'user/invalid-name'],
      ['an invalid email', { name: 'N', email: 'nope' }, 400, 'auth/invalid-email'],
      ['an invalid role', { name: 'N', email: 'n@example.com', role: 'Super Admin' }, 400, 'user/invalid-role'],
      ['a short password', { name: 'N', email: 'n@example.com', password: '123' }, 400, 'auth/invalid-password-format'],
      ['a password that is not a string', { name: 'N', email: 'n@example.com', password: 123456 }, 400, 'auth/invalid-password-format'],
      ['a taken email', { name: 'N', email: 'ALICE@example.com' }, 409, 'auth/email-already-exists'],
    ]
    for (const [what, body, status, code] of failures) {
      it(`an admin creating a user with ${what} → ${status} ${code}`, async () => {
        const reply = await h.call('POST', '/v1/users', { key: h.sk }, body)
        expect(reply.status).to.equal(status)
        expect(reply.body.error.code).to.equal(code)
      })
    }
  })

  describe('update', () => {
    it('takes name and every profile field, returning the full view', async () => {
      const reply = await h.call('PATCH', `/v1/users/${alice.id}`, alice.caller, { name: 'Alice A.', nickname: 'al', mobile: '+821012345678', gender: 'none', bio: 'b', socialLinks: { twitter: 'https://x.com/a' } })
      expect(reply.status).to.equal(200)
      expect(reply.body).to.include({ name: 'Alice A.', nickname: 'al', mobile: '+821012345678', gender: 'none', bio: 'b', email: 'alice@example.com', hasPassword: true })
      expect(reply.body.socialLinks).to.deep.equal({ twitter: 'https://x.com/a' })
      expect((await h.call('GET', `/v1/users/${alice.id}/profile`, alice.caller)).body).to.include({ name: 'Alice A.', nickname: 'al' })
    })

    for (const [what, body, code] of [
      ['a role', { role: 'admin' }, 'common/invalid-parameters'],
      ['an empty name', { name: '' }, 'user/invalid-name'],
      ['a long nickname', { nickname: 'n'.repeat(51) }, 'user/invalid-nickname'],
      ['a bad mobile number', { mobile: '555-1234' }, 'common/invalid-parameters'],
    ] as Array<[string, Record<string, unknown>, string]>) {
      it(`alice patching herself with ${what} → 400 ${code}`, async () => {
        const reply = await h.call('PATCH', `/v1/users/${alice.id}`, alice.caller, body)
        expect(reply.status).to.equal(400)
        expect(reply.body.error.code).to.equal(code)
      })
    }
  })

  describe('role', () => {
    it('accepts built-in and custom role names; anything else → 400 user/invalid-role', async () => {
      for (const role of ['admin', 'user', 'guest', 'moderator', 'a', 'team_lead-2', 'r'.repeat(32)]) {
        const reply = await h.call('PATCH', `/v1/users/${bob.id}/role`, { key: h.sk }, { role })
        expect(reply.status, role).to.equal(200)
        expect(reply.body.role).to.equal(role)
      }
      for (const role of ['Admin', '1st', 'r'.repeat(33), 'with space', '', null, 7, undefined]) {
        const reply = await h.call('PATCH', `/v1/users/${bob.id}/role`, { key: h.sk }, role === undefined ? {} : { role })
        expect(reply.status, String(role)).to.equal(400)
        expect(reply.body.error.code).to.equal('user/invalid-role')
      }
    })

    it('a custom role takes effect on the next request of the same token, in role:<name> permissions too', async () => {
      const table = await h.emu.core.tables.create(h.emu.actor, { projectId: h.emu.seed.projectId, environment: 'dev', tableName: 'reports', schema: { title: { type: 'string' } } })
      await h.emu.core.tables.update(h.emu.actor, table.id, { expressionPermissions: { create: 'role:moderator', read: 'admin', update: 'admin', delete: 'admin', list: 'role:moderator | admin' } })
      const before = await h.call('POST', '/v1/data/reports', bob.caller, { title: 'spam' })
      expect(before.status).to.equal(403)
      await h.call('PATCH', `/v1/users/${bob.id}/role`, carol.caller, { role: 'moderator' })
      expect((await h.call('POST', '/v1/data/reports', bob.caller, { title: 'spam' })).status).to.equal(201)
      expect((await h.call('GET', '/v1/auth/me', bob.caller)).body.role).to.equal('moderator')
      // A custom role is in the user group: still no user management.
      expect((await h.call('POST', '/v1/users', bob.caller, { name: 'X', email: 'x@example.com' })).status).to.equal(403)
      // Demoting carol takes her admin rights away at once.
      await h.call('PATCH', `/v1/users/${carol.id}/role`, { key: h.sk }, { role: 'user' })
      expect((await h.call('PATCH', `/v1/users/${bob.id}/role`, carol.caller, { role: 'user' })).status).to.equal(403)
    })
  })

  describe('delete', () => {
    it('lets a user delete their own account, with the effects of withdraw (RA-D18)', async () => {
      const deleted = await h.call('DELETE', `/v1/users/${bob.id}`, bob.caller)
      expect(deleted.status).to.equal(200)
      expect((await h.call('GET', '/v1/auth/me', bob.caller)).status).to.equal(401)
      expect((await h.call('GET', `/v1/users/${bob.id}`, { key: h.sk })).status).to.equal(404)
      expect((await h.call('POST', '/v1/auth/email/signin', { key: h.pk }, { email: 'bob@example.com', password: 'secret123' })).status).to.equal(401)
      // Still not anyone else's account.
      const other = await h.call('DELETE', `/v1/users/${carol.id}`, alice.caller)
      expect(other.status).to.equal(403)
      expect(other.body.error.code).to.equal('user/forbidden')
    })

    it('soft-deletes: sessions end, the user disappears from every API, the email is free again', async () => {
      const deleted = await h.call('DELETE', `/v1/users/${bob.id}`, carol.caller)
      expect(deleted.status).to.equal(200)
      expect(deleted.body).to.deep.equal({ message: 'User deleted' })
      expect((await h.call('GET', '/v1/auth/me', bob.caller)).status).to.equal(401)
      expect((await h.call('POST', '/v1/auth/refresh', { key: h.pk }, { refreshToken: bob.refreshToken })).status).to.equal(401)
      expect((await h.call('GET', `/v1/users/${bob.id}`, { key: h.sk })).status).to.equal(404)
      expect((await h.call('GET', '/v1/users', { key: h.sk })).body.items.map((u: { id: string }) => u.id)).to.not.include(bob.id)
      expect((await h.call('POST', '/v1/auth/email/signin', { key: h.pk }, { email: 'bob@example.com', password: 'secret123' })).status).to.equal(401)
      // Linked accounts go with the user, as on withdraw.
      const accounts = (await h.call('GET', '/v1/data/accounts', { key: h.sk })).body.items as Array<{ userId: string }>
      expect(accounts.map((a) => a.userId)).to.include(alice.id)
      expect(accounts.map((a) => a.userId)).to.not.include(bob.id)
      const again = await h.call('POST', '/v1/auth/email/signup', { key: h.pk }, { email: 'bob@example.com', password: 'secret123' })
      expect(again.status).to.equal(201)
      expect(again.body.user.id).to.not.equal(bob.id)
    })
  })

  describe('banning (RA-D25)', () => {
    const signIn = () => h.call('POST', '/v1/auth/email/signin', { key: h.pk }, { email: 'bob@example.com', password: 'secret123' })

    it('an admin bans: sign-in, refresh and every request with the user\'s token → 403 auth/account-banned; unbanning lets them sign in again', async () => {
      const ban = await h.call('PATCH', `/v1/users/${bob.id}`, { key: h.sk }, { banned: true })
      expect(ban.status).to.equal(200)
      for (const [what, reply] of [
        ['sign-in', await signIn()],
        ['refresh', await h.call('POST', '/v1/auth/refresh', { key: h.pk }, { refreshToken: bob.refreshToken })],
        ['me', await h.call('GET', '/v1/auth/me', bob.caller)],
        ['data', await h.call('GET', '/v1/data/users', bob.caller)],
        ['users', await h.call('GET', '/v1/users', bob.caller)],
      ] as const) {
        expect(reply.status, what).to.equal(403)
        expect(reply.body.error.code, what).to.equal('auth/account-banned')
      }
      // The sessions ended with the ban: unbanning does not bring the old tokens back.
      expect((await h.call('GET', '/v1/data/sessions', { key: h.sk })).body.items.map((s: { userId: string }) => s.userId)).to.not.include(bob.id)
      expect((await h.call('PATCH', `/v1/users/${bob.id}`, carol.caller, { banned: false })).status).to.equal(200)
      expect((await h.call('GET', '/v1/auth/me', bob.caller)).status).to.equal(401)
      expect((await signIn()).status).to.equal(200)
      // Other users are untouched.
      expect((await h.call('GET', '/v1/auth/me', alice.caller)).status).to.equal(200)
    })

    it('only admins may set banned, and only to a boolean', async () => {
      for (const caller of [bob.caller, alice.caller]) {
        const reply = await h.call('PATCH', `/v1/users/${bob.id}`, caller, { banned: false })
        expect(reply.status).to.equal(403)
        expect(reply.body.error.code).to.equal('user/forbidden')
      }
      const wrong = await h.call('PATCH', `/v1/users/${bob.id}`, { key: h.sk }, { banned: 'yes' })
      expect(wrong.status).to.equal(400)
      expect(wrong.body.error.code).to.equal('common/invalid-parameters')
      expect((await signIn()).status).to.equal(200)
    })
  })
})
