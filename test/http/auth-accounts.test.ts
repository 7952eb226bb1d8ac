import { expect } from 'chai'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { idpCode, rest } from '../helpers/social.js'

interface Account {
  id: string
  userId: string
  type: string
  provider: string
  providerAccountId: string
  email: string
  connectedAt: string
  linkedAt: string
}

describe('http: linked accounts (/v1/auth/accounts)', () => {
  let emu: TestEmulator
  let pk: string
  /** A password user: access token and id. */
  let ada: { token: string; id: string }
  beforeEach(async () => {
    emu = await startEmulator()
    pk = emu.seed.environment.publishableKey
    const signup = await rest(emu, 'POST', '/v1/auth/email/signup', { key: pk, body: { email: 'ada@example.com', password: 'secret123' } })
    ada = { token: signup.body.accessToken as string, id: (signup.body.user as { id: string }).id }
  })
  afterEach(() => emu.dispose())

  const link = (token: string, body: Record<string, unknown>) => rest(emu, 'POST', '/v1/auth/accounts', { key: pk, token, body })
  const list = (token: string, query = '') => rest(emu, 'GET', `/v1/auth/accounts${query}`, { key: pk, token })
  const unlink = (token: string, provider: string) => rest(emu, 'DELETE', `/v1/auth/accounts/${provider}`, { key: pk, token })
  const check = (body: unknown) => rest(emu, 'POST', '/v1/auth/accounts/check', { key: pk, body })
  const socialUser = async (provider: string, email: string) => {
    const reply = await rest(emu, 'POST', `/v1/auth/${provider}/callback`, { key: pk, body: { code: await idpCode(emu, provider, { email }) } })
    return { token: reply.body.accessToken as string, id: (reply.body.user as { id: string }).id }
  }

  it('links Google to a password user, who can then sign in with either; the list shows both account objects', async () => {
    const linked = await link(ada.token, { provider: 'google', code: await idpCode(emu, 'google', { email: 'ada.work@gmail.test', sub: '123456789012345678901' }) })
    expect(linked.status).to.equal(201)
    expect(linked.body).to.deep.equal({})
    const accounts = (await list(ada.token)).body as unknown as { items: Account[]; pagination: Record<string, unknown> }
    expect(accounts.items.map((a) => [a.type, a.provider, a.providerAccountId, a.email])).to.deep.equal([
      ['credentials', 'email', 'ada@example.com', 'ada@example.com'],
      ['oauth', 'google', '123456789012345678901', 'ada.work@gmail.test'],
    ])
    for (const a of accounts.items) {
      expect(a.userId).to.equal(ada.id)
      expect(a.id).to.match(/^[0-9a-f]{24}$/)
      expect(a.linkedAt).to.equal(a.connectedAt)
    }
    expect(accounts.pagination).to.include({ total: 2, page: 1, limit: 10, totalPages: 1 })
    const viaGoogle = await rest(emu, 'POST', '/v1/auth/google/callback', { key: pk, body: { code: await idpCode(emu, 'google', { email: 'ada.work@gmail.test', sub: '123456789012345678901' }) } })
    expect(viaGoogle.body).to.include({ isNewUser: false })
    expect((viaGoogle.body.user as { id: string }).id).to.equal(ada.id)
  })

  it('pages the list with page and limit', async () => {
    await link(ada.token, { provider: 'github', code: await idpCode(emu, 'github', { email: 'ada@gh.test' }) })
    const second = await list(ada.token, '?page=2&limit=1')
    expect((second.body.items as Account[]).map((a) => a.provider)).to.deep.equal(['github'])
    expect(second.body.pagination).to.include({ total: 2, page: 2, limit: 1, totalPages: 2, hasPrev: true, hasNext: false })
  })

  describe('linking failures', () => {
    const cases: Array<{ name: string; body: () => Promise<Record<string, unknown>>; before?: () => Promise<unknown>; status: number; code: string }> = [
      { name: 'an unsupported provider', body: async () => ({ provider: 'twitter', code: 'x' }), status: 400, code: 'auth/unsupported-provider' },
      { name: 'provider email', body: async () => ({ provider: 'email', code: 'x' }), status: 400, code: 'auth/unsupported-provider' },
      { name: 'no provider', body: async () => ({ code: await idpCode(emu, 'google', { email: 'a@g.test' }) }), status: 400, code: 'auth/invalid-request' },
      { name: 'no code or token', body: async () => ({ provider: 'google' }), status: 400, code: 'auth/invalid-request' },
      { name: 'an unknown code', body: async () => ({ provider: 'google', code: 'f'.repeat(32) }), status: 401, code: 'auth/invalid-oauth-code' },
      {
        name: 'a disabled provider',
        before: () => emu.core.projectSettings.auth.upsertProvider(emu.actor, emu.seed.projectId, 'google', { clientId: 'c', redirectUri: 'http://app.test/cb', scopes: ['email'], enabled: false }),
        body: async () => ({ provider: 'google', code: await idpCode(emu, 'google', { email: 'a@g.test' }) }),
        status: 400,
        code: 'auth/oauth-not-configured',
      },
      {
        name: 'an identity linked to another user',
        before: () => socialUser('google', 'someone@g.test'),
        body: async () => ({ provider: 'google', code: await idpCode(emu, 'google', { email: 'someone@g.test' }) }),
        status: 409,
        code: 'auth/account-already-linked',
      },
      {
        name: 'a second GitHub account',
        before: async () => link(ada.token, { provider: 'github', code: await idpCode(emu, 'github', { email: 'one@gh.test' }) }),
        body: async () => ({ provider: 'github', code: await idpCode(emu, 'github', { email: 'two@gh.test' }) }),
        status: 409,
        code: 'auth/account-already-linked',
      },
    ]
    for (const c of cases) {
      it(`a user linking ${c.name} → ${c.status} ${c.code}`, async () => {
        await c.before?.()
        const reply = await link(ada.token, await c.body())
        expect(reply.status, JSON.stringify(reply.body)).to.equal(c.status)
        expect(reply.body.error?.code).to.equal(c.code)
      })
    }

    it('a guest without a user token → 401 auth/unauthorized on every Bearer route', async () => {
      for (const [method, path] of [['POST', '/v1/auth/accounts'], ['GET', '/v1/auth/accounts'], ['DELETE', '/v1/auth/accounts/google']] as const) {
        const reply = await rest(emu, method, path, { key: pk, body: method === 'POST' ? { provider: 'google' } : undefined })
        expect(reply.status).to.equal(401)
        expect(reply.body.error?.code).to.equal('auth/unauthorized')
      }
    })
  })

  describe('unlinking', () => {
    it('unlinks a social account, leaving the others', async () => {
      await link(ada.token, { provider: 'github', code: await idpCode(emu, 'github', { email: 'ada@gh.test' }) })
      const reply = await unlink(ada.token, 'github')
      expect(reply.status).to.equal(200)
      expect(reply.body).to.deep.equal({ message: 'Account unlinked' })
      expect(((await list(ada.token)).body.items as Account[]).map((a) => a.provider)).to.deep.equal(['email'])
    })

    it('unlinking email removes the password: password sign-in fails, Google still works', async () => {
      await link(ada.token, { provider: 'google', code: await idpCode(emu, 'google', { email: 'ada@g.test' }) })
      expect((await unlink(ada.token, 'email')).status).to.equal(200)
      const signin = await rest(emu, 'POST', '/v1/auth/email/signin', { key: pk, body: { email: 'ada@example.com', password: 'secret123' } })
      expect(signin.status).to.equal(401)
      const me = await rest(emu, 'GET', '/v1/auth/me', { key: pk, token: ada.token })
      expect(me.body.hasPassword).to.equal(false)
      expect(emu.core.auth.accounts.onlySocial(emu.seed.environment.id, ada.id)).to.equal(true)
    })

    const cases: Array<[string, string, () => Promise<unknown>, number, string]> = [
      ['the only way to sign in (password)', 'email', async () => undefined, 400, 'auth/last-auth-method'],
      ['a provider not linked', 'google', async () => undefined, 404, 'auth/account-not-found'],
      ['an unsupported provider', 'myspace', async () => undefined, 400, 'auth/unsupported-provider'],
    ]
    for (const [what, provider, before, status, code] of cases) {
      it(`a user unlinking ${what} → ${status} ${code}`, async () => {
        await before()
        const reply = await unlink(ada.token, provider)
        expect(reply.status).to.equal(status)
        expect(reply.body.error?.code).to.equal(code)
      })
    }

    it('a social-only user unlinking their only provider → 400 auth/last-auth-method', async () => {
      const social = await socialUser('github', 'only@gh.test')
      const reply = await unlink(social.token, 'github')
      expect(reply.status).to.equal(400)
      expect(reply.body.error?.code).to.equal('auth/last-auth-method')
    })
  })

  describe('POST /v1/auth/accounts/check', () => {
    it('finds an email credential (normalised) and a provider account; says no otherwise', async () => {
      await socialUser('google', 'g@g.test')
      const sub = emu.core.auth.accounts.all(emu.seed.environment.id).find((a) => a.provider === 'google')!.providerAccountId
      const cases: Array<[Record<string, unknown>, Record<string, unknown>]> = [
        [{ type: 'credentials', provider: 'email', providerAccountId: ' ADA@example.com ' }, { exists: true, type: 'credentials', provider: 'email' }],
        [{ type: 'oauth', provider: 'google', providerAccountId: sub }, { exists: true, type: 'oauth', provider: 'google' }],
        [{ type: 'oauth', provider: 'github', providerAccountId: sub }, { exists: false }],
        [{ type: 'credentials', provider: 'email', providerAccountId: 'g@g.test' }, { exists: false }],
      ]
      for (const [body, expected] of cases) {
        const reply = await check(body)
        expect(reply.status).to.equal(200)
        expect(reply.body).to.deep.equal(expected)
      }
    })

    const failures: Array<[string, unknown, number, string]> = [
      ['no type', { provider: 'google', providerAccountId: '1' }, 400, 'auth/invalid-request'],
      ['an unknown provider', { type: 'oauth', provider: 'apple', providerAccountId: '1' }, 400, 'auth/unsupported-provider'],
      ['credentials with google', { type: 'credentials', provider: 'google', providerAccountId: '1' }, 400, 'auth/invalid-request'],
      ['no providerAccountId', { type: 'oauth', provider: 'github' }, 400, 'auth/invalid-request'],
    ]
    for (const [what, body, status, code] of failures) {
      it(`a guest checking with ${what} → ${status} ${code}`, async () => {
        const reply = await check(body)
        expect(reply.status).to.equal(status)
        expect(reply.body.error?.code).to.equal(code)
      })
    }
  })

  it('deleting a user removes their linked accounts from the accounts table', async () => {
    await link(ada.token, { provider: 'google', code: await idpCode(emu, 'google', { email: 'ada@g.test' }) })
    const sk = emu.seed.environment.secretKey
    expect((await rest(emu, 'DELETE', `/v1/users/${ada.id}`, { key: sk })).status).to.equal(200)
    const table = await rest(emu, 'GET', '/v1/data/accounts', { key: sk })
    expect(table.body.items).to.deep.equal([])
  })
})
