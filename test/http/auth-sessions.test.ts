import { expect } from 'chai'
import type { Page } from '../../src/contract/common.js'
import type { SessionView } from '../../src/emulator/core/auth/model.js'
import { withAuthEmulator } from '../helpers/auth-client.js'

describe('http: sessions, access-token expiry and account deletion', () => {
  const t = withAuthEmulator()

  const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36'
  const sessions = async (token: string, query = '') => t.api.call('GET', `/v1/auth/sessions${query}`, { token })
  const signInFrom = async (email: string, userAgent: string) =>
    (await t.api.call('POST', '/v1/auth/email/signin', { body: { email, password: 'secret123' }, headers: { 'User-Agent': userAgent } })).body as { accessToken: string; refreshToken: string }

  describe('GET /v1/auth/sessions', () => {
    it('lists live sessions, most recent activity first, both field-name sets, current marked', async () => {
      const first = await t.api.signUp('s@example.com')
      await t.api.advance(60)
      const second = await signInFrom('s@example.com', CHROME_MAC)
      await t.api.advance(60)
      // Refreshing the first session makes it the most recently active.
      const refreshed = (await t.api.call('POST', '/v1/auth/refresh', { body: { refreshToken: first.refreshToken } })).body as { accessToken: string }
      const reply = await sessions(second.accessToken)
      expect(reply.status).to.equal(200)
      const page = reply.body as unknown as Page<SessionView>
      expect(page.pagination).to.include({ total: 2, page: 1, limit: 10, totalPages: 1 })
      const [top, bottom] = page.items as [SessionView, SessionView]
      expect(top.current).to.equal(false)
      expect(bottom).to.include({ current: true, deviceInfo: 'Chrome on macOS', device: 'Chrome on macOS', userAgent: CHROME_MAC, userId: first.user.id })
      expect(bottom.ip).to.equal(bottom.ipAddress)
      expect(bottom.lastAccessedAt).to.equal(bottom.lastActivityAt)
      expect(Date.parse(top.lastActivityAt)).to.be.greaterThan(Date.parse(bottom.lastActivityAt))
      expect(Object.keys(top).sort()).to.deep.equal(['createdAt', 'current', 'device', 'deviceInfo', 'expiresAt', 'id', 'ip', 'ipAddress', 'lastAccessedAt', 'lastActivityAt', 'userAgent', 'userId'])
      const fromOther = (await sessions(refreshed.accessToken)).body as unknown as Page<SessionView>
      expect(fromOther.items.map((s) => s.current)).to.deep.equal([true, false])
    })

    it('paginates (limit, page) and shows only the caller\'s own sessions', async () => {
      const mine = await t.api.signUp('p@example.com')
      await t.api.signIn('p@example.com')
      await t.api.signIn('p@example.com')
      await t.api.signUp('other@example.com')
      const page = (await sessions(mine.accessToken, '?limit=2&page=2')).body as unknown as Page<SessionView>
      expect(page.items).to.have.length(1)
      expect(page.pagination).to.include({ total: 3, page: 2, limit: 2, totalPages: 2, hasPrev: true, hasNext: false })
      expect(page.items.every((s) => s.userId === mine.user.id)).to.equal(true)
    })

    it('drops sessions past their expiry (7 days without refresh)', async () => {
      const old = await t.api.signUp('x@example.com')
      await t.api.advance(6 * 24 * 3600)
      const fresh = (await t.api.signIn('x@example.com')).body as { refreshToken: string }
      await t.api.advance(24 * 3600)
      const { accessToken } = (await t.api.call('POST', '/v1/auth/refresh', { body: { refreshToken: fresh.refreshToken } })).body as { accessToken: string }
      const page = (await sessions(accessToken)).body as unknown as Page<SessionView>
      expect(page.items.map((s) => s.current)).to.deep.equal([true])
      expect((await t.api.call('POST', '/v1/auth/refresh', { body: { refreshToken: old.refreshToken } })).body.error?.code).to.equal('auth/session-expired')
    })

    for (const [what, token, query, status, code] of [
      ['no Bearer token', false, '', 401, 'auth/unauthorized'],
      ['a page that is not a number', true, '?page=abc', 400, 'auth/invalid-request'],
    ] as const) {
      it(`listing sessions with ${what} → ${status} ${code}`, async () => {
        const { accessToken } = await t.api.signUp('l@example.com')
        const reply = await t.api.call('GET', `/v1/auth/sessions${query}`, { token: token ? accessToken : undefined })
        expect(reply.status).to.equal(status)
        expect(reply.body.error?.code).to.equal(code)
      })
    }
  })

  describe('DELETE /v1/auth/sessions/:sessionId', () => {
    it('terminates another of the caller\'s sessions; its tokens stop working', async () => {
      const keep = await t.api.signUp('d@example.com')
      const drop = (await t.api.signIn('d@example.com')).body as { accessToken: string; refreshToken: string }
      const list = (await sessions(keep.accessToken)).body as unknown as Page<SessionView>
      const target = list.items.find((s) => !s.current)!
      const reply = await t.api.call('DELETE', `/v1/auth/sessions/${target.id}`, { token: keep.accessToken })
      expect(reply.status).to.equal(200)
      expect(reply.body).to.deep.equal({ message: 'Session terminated' })
      expect((await t.api.call('GET', '/v1/auth/me', { token: drop.accessToken })).status).to.equal(401)
      expect((await t.api.call('POST', '/v1/auth/refresh', { body: { refreshToken: drop.refreshToken } })).status).to.equal(401)
      expect((await t.api.call('GET', '/v1/auth/me', { token: keep.accessToken })).status).to.equal(200)
    })

    it('deleting the current session signs the caller out', async () => {
      const { accessToken } = await t.api.signUp('self@example.com')
      const [current] = ((await sessions(accessToken)).body as unknown as Page<SessionView>).items
      expect((await t.api.call('DELETE', `/v1/auth/sessions/${current!.id}`, { token: accessToken })).status).to.equal(200)
      expect((await t.api.call('GET', '/v1/auth/me', { token: accessToken })).status).to.equal(401)
    })

    it('another user\'s session, an unknown id or a malformed id → 404 auth/session-not-found', async () => {
      const me = await t.api.signUp('me@example.com')
      const them = await t.api.signUp('them@example.com')
      const [theirs] = ((await sessions(them.accessToken)).body as unknown as Page<SessionView>).items
      for (const id of [theirs!.id, '0'.repeat(24), 'not-an-id']) {
        const reply = await t.api.call('DELETE', `/v1/auth/sessions/${id}`, { token: me.accessToken })
        expect(reply.status, id).to.equal(404)
        expect(reply.body.error?.code, id).to.equal('auth/session-not-found')
      }
      expect((await t.api.call('GET', '/v1/auth/me', { token: them.accessToken })).status).to.equal(200)
    })

    it('without a Bearer token → 401 auth/unauthorized', async () => {
      const reply = await t.api.call('DELETE', `/v1/auth/sessions/${'0'.repeat(24)}`)
      expect(reply.status).to.equal(401)
      expect(reply.body.error?.code).to.equal('auth/unauthorized')
    })
  })

  describe('access-token expiry by the emulator clock', () => {
    it('an access token works for 3600 s, then → 401 auth/token-expired; refresh gives a working one', async () => {
      const { accessToken, refreshToken } = await t.api.signUp('t@example.com')
      // note: iat is in whole seconds, so "still valid" is checked a few seconds short of the hour.
      await t.api.advance(3590)
      expect((await t.api.call('GET', '/v1/auth/me', { token: accessToken })).status).to.equal(200)
      await t.api.advance(10)
      const expired = await t.api.call('GET', '/v1/auth/me', { token: accessToken })
      expect(expired.status).to.equal(401)
      expect(expired.body.error?.code).to.equal('auth/token-expired')
      const refreshed = (await t.api.call('POST', '/v1/auth/refresh', { body: { refreshToken } })).body as { accessToken: string }
      expect((await t.api.call('GET', '/v1/auth/me', { token: refreshed.accessToken })).status).to.equal(200)
    })
  })

  describe('account deletion: DELETE /v1/auth/withdraw and DELETE /v1/users/:userId', () => {
    const envId = () => t.emu.core.envs.database(t.emu.seed.environment.id)!

    async function deletedBy(way: 'withdraw' | 'admin'): Promise<void> {
      const first = await t.api.signUp('w@example.com', 'secret123', { name: 'Wanda' })
      const second = (await t.api.signIn('w@example.com')).body as { accessToken: string; refreshToken: string }
      const userId = first.user.id
      await envId().put('mfa', { id: userId, secret: 'S'.repeat(32), backupCodes: [], pending: null })
      await t.emu.core.auth.createUser(t.api.scope(), { email: 'bystander@example.com', name: 'B' })
      const reply = way === 'withdraw'
        ? await t.api.call('DELETE', '/v1/auth/withdraw', { token: second.accessToken })
        : await t.api.call('DELETE', `/v1/users/${userId}`, { key: t.api.sk })
      expect(reply.status).to.equal(200)
      expect(reply.body).to.deep.equal({ message: way === 'withdraw' ? 'Account deleted' : 'User deleted' })

      // Every session is revoked: access and refresh tokens stop working.
      for (const token of [first.accessToken, second.accessToken]) expect((await t.api.call('GET', '/v1/auth/me', { token })).status).to.equal(401)
      for (const refreshToken of [first.refreshToken, second.refreshToken]) expect((await t.api.call('POST', '/v1/auth/refresh', { body: { refreshToken } })).status).to.equal(401)
      // The user disappears from every API.
      expect((await t.api.call('GET', `/v1/users/${userId}`, { key: t.api.sk })).status).to.equal(404)
      const listed = (await t.api.call('GET', '/v1/users', { key: t.api.sk })).body as unknown as Page<{ id: string }>
      expect(listed.items.map((u) => u.id)).to.not.include(userId)
      expect((await t.api.signIn('w@example.com')).status).to.equal(401)
      // Accounts and MFA data are removed; the stored user keeps no password hash.
      expect(t.emu.core.auth.accounts.ofUser(t.emu.seed.environment.id, userId)).to.deep.equal([])
      expect(envId().collection('mfa').get(userId)).to.equal(undefined)
      expect(envId().collection('users').get(userId)).to.include({ passwordHash: null })
      expect(envId().collection('users').get(userId)?.deletedAt).to.be.a('string')
      // The email can be registered again, as a new user.
      const again = await t.api.signUp('w@example.com')
      expect(again.user.id).to.not.equal(userId)
      expect(t.emu.core.auth.pool.byEmailAddress(t.emu.seed.environment.id, 'bystander@example.com')).to.not.equal(undefined)
    }

    it('withdraw: soft delete with every documented effect', () => deletedBy('withdraw'))
    it('admin delete: the same effects', () => deletedBy('admin'))

    it('withdraw without a Bearer token → 401 auth/unauthorized; with a revoked one → 401 auth/invalid-token', async () => {
      const anonymous = await t.api.call('DELETE', '/v1/auth/withdraw')
      expect(anonymous.status).to.equal(401)
      expect(anonymous.body.error?.code).to.equal('auth/unauthorized')
      const { accessToken } = await t.api.signUp('z@example.com')
      await t.api.call('DELETE', '/v1/auth/withdraw', { token: accessToken })
      const again = await t.api.call('DELETE', '/v1/auth/withdraw', { token: accessToken })
      expect(again.status).to.equal(401)
      expect(again.body.error?.code).to.equal('auth/invalid-token')
    })

    it('records the user created keep their createdBy', async () => {
      const { accessToken, user } = await t.api.signUp('author@example.com')
      await t.emu.core.tables.create(t.emu.actor, { projectId: t.emu.seed.projectId, environment: 'dev', tableName: 'notes', schema: {} })
      const created = await t.api.call('POST', '/v1/data/notes', { token: accessToken, body: { text: 'hello' } })
      expect(created.status, JSON.stringify(created.body)).to.equal(201)
      await t.api.call('DELETE', '/v1/auth/withdraw', { token: accessToken })
      const record = await t.api.call('GET', `/v1/data/notes/${created.body.id as string}`, { key: t.api.sk })
      expect(record.body.createdBy).to.equal(user.id)
    })
  })
})
