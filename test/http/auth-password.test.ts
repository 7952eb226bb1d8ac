import { expect } from 'chai'
import { withAuthEmulator } from '../helpers/auth-client.js'

describe('http: password reset and change', () => {
  const t = withAuthEmulator()

  const GENERIC = { message: 'If the email is registered, a reset link has been sent' }
  const request = (body: Record<string, unknown>) => t.api.call('POST', '/v1/auth/password/reset/request', { body })
  const confirm = (body: Record<string, unknown>) => t.api.call('POST', '/v1/auth/password/reset/confirm', { body })
  const resetToken = async (email: string) => (await t.api.lastMail(email, 'password_reset')).token

  describe('reset request', () => {
    it('answers the same 200 for a registered and an unknown email, and mails only the registered one', async () => {
      await t.api.signUp('known@example.com')
      const known = await request({ email: 'Known@example.com' })
      const unknown = await request({ email: 'ghost@example.com' })
      expect(known.status).to.equal(200)
      expect(known.body).to.deep.equal(GENERIC)
      expect(unknown.body).to.deep.equal(GENERIC)
      const mail = await t.api.lastMail('known@example.com', 'password_reset')
      expect(mail.link).to.equal(null)
      expect(mail.html).to.include(mail.token)
      expect(await t.api.mails({ to: 'ghost@example.com' })).to.deep.equal([])
    })

    it('builds <callbackUrl>?token=…&email=… when a callbackUrl is given', async () => {
      await t.api.signUp('cb@example.com')
      await request({ email: 'cb@example.com', callbackUrl: 'http://app.test/reset' })
      const mail = await t.api.lastMail('cb@example.com', 'password_reset')
      expect(mail.link).to.equal(`http://app.test/reset?token=${mail.token}&email=cb%40example.com`)
    })

    for (const [what, body, code] of [['an invalid email', { email: 'nope' }, 'auth/invalid-email'], ['a bad callbackUrl', { email: 'a@example.com', callbackUrl: 'app.test/reset' }, 'auth/invalid-request']] as const) {
      it(`a guest requesting a reset with ${what} → 400 ${code}`, async () => {
        const reply = await request(body)
        expect(reply.status).to.equal(400)
        expect(reply.body.error?.code).to.equal(code)
      })
    }
  })

  describe('reset confirm', () => {
    it('sets the password, verifies the email, revokes every session; the token works once', async () => {
      const { accessToken, refreshToken } = await t.api.signUp('r@example.com', 'old-password')
      await request({ email: 'r@example.com' })
      const token = await resetToken('r@example.com')
      const reply = await confirm({ email: 'r@example.com', token, newPassword: 'new-password' })
      expect(reply.status).to.equal(200)
      expect(reply.body).to.have.property('message').that.is.a('string')
      expect((await t.api.call('GET', '/v1/auth/me', { token: accessToken })).body.error?.code).to.equal('auth/invalid-token')
      expect((await t.api.call('POST', '/v1/auth/refresh', { body: { refreshToken } })).status).to.equal(401)
      expect((await t.api.signIn('r@example.com', 'old-password')).status).to.equal(401)
      const signedIn = await t.api.signIn('r@example.com', 'new-password')
      expect(signedIn.status).to.equal(200)
      expect((signedIn.body.user as { emailVerified: string | null }).emailVerified).to.be.a('string')
      const again = await confirm({ email: 'r@example.com', token, newPassword: 'third-password' })
      expect(again.status).to.equal(404)
      expect(again.body.error?.code).to.equal('auth/verification-token-not-found')
    })

    it('a newer request invalidates the earlier token', async () => {
      await t.api.signUp('two@example.com')
      await request({ email: 'two@example.com' })
      const first = await resetToken('two@example.com')
      await request({ email: 'two@example.com' })
      expect((await confirm({ email: 'two@example.com', token: first, newPassword: 'new-password' })).status).to.equal(404)
      expect((await confirm({ email: 'two@example.com', token: await resetToken('two@example.com'), newPassword: 'new-password' })).status).to.equal(200)
    })

    it('gives a social-only user a password and an email credential', async () => {
      const user = await t.emu.core.auth.createUser(t.api.scope(), { email: 'soc@example.com', name: 'Soc', oauth: { provider: 'github', providerAccountId: '12345678' } })
      await request({ email: 'soc@example.com' })
      expect((await confirm({ email: 'soc@example.com', token: await resetToken('soc@example.com'), newPassword: 'now-a-password' })).status).to.equal(200)
      expect(t.emu.core.auth.accounts.ofUser(t.emu.seed.environment.id, user.id).map((a) => a.provider).sort()).to.deep.equal(['email', 'github'])
      expect((await t.api.signIn('soc@example.com', 'now-a-password')).status).to.equal(200)
    })

    it('expires after 24 hours by the emulator clock → 401 auth/verification-token-expired', async () => {
      await t.api.signUp('late@example.com')
      await request({ email: 'late@example.com' })
      const token = await resetToken('late@example.com')
      await t.api.advance(24 * 3600)
      const reply = await confirm({ email: 'late@example.com', token, newPassword: 'new-password' })
      expect(reply.status).to.equal(401)
      expect(reply.body.error?.code).to.equal('auth/verification-token-expired')
    })

    it('a user deleted after the request → 404 auth/account-not-found', async () => {
      const { accessToken } = await t.api.signUp('gone@example.com')
      await request({ email: 'gone@example.com' })
      const token = await resetToken('gone@example.com')
      expect((await t.api.call('DELETE', '/v1/auth/withdraw', { token: accessToken })).status).to.equal(200)
      const reply = await confirm({ email: 'gone@example.com', token, newPassword: 'new-password' })
      expect(reply.status).to.equal(404)
      expect(reply.body.error?.code).to.equal('auth/account-not-found')
      // Nor does the token take over a later account with the same email.
      await t.api.signUp('gone@example.com', 'the-new-owner')
      expect((await confirm({ email: 'gone@example.com', token, newPassword: 'new-password' })).body.error?.code).to.equal('auth/account-not-found')
      expect((await t.api.signIn('gone@example.com', 'the-new-owner')).status).to.equal(200)
    })

    const failures: Array<[string, (token: string) => Record<string, unknown>, number, string]> = [
      ['an invalid email', (token) => ({ email: 'x', token, newPassword: 'new-password' }), 400, 'auth/invalid-email'],
      ['no token', () => ({ email: 'f@example.com', newPassword: 'new-password' }), 400, 'auth/invalid-request'],
      ['no new password', (token) => ({ email: 'f@example.com', token }), 400, 'auth/invalid-request'],
      ['an unknown token', () => ({ email: 'f@example.com', token: 'f'.repeat(64), newPassword: 'new-password' }), 404, 'auth/verification-token-not-found'],
      ['the token of another email', (token) => ({ email: 'other@example.com', token, newPassword: 'new-password' }), 404, 'auth/verification-token-not-found'],
      ['a password below the policy', (token) => ({ email: 'f@example.com', token, newPassword: '123' }), 400, 'auth/invalid-password-format'],
      ['the current password', (token) => ({ email: 'f@example.com', token, newPassword: 'secret123' }), 400, 'auth/same-as-previous-password'],
    ]
    for (const [what, body, status, code] of failures) {
      it(`a guest confirming a reset with ${what} → ${status} ${code}, the token stays usable`, async () => {
        await t.api.signUp('f@example.com')
        await t.api.signUp('other@example.com')
        await request({ email: 'f@example.com' })
        const token = await resetToken('f@example.com')
        const reply = await confirm(body(token))
        expect(reply.status).to.equal(status)
        expect(reply.body.error?.code).to.equal(code)
        expect((await confirm({ email: 'f@example.com', token, newPassword: 'fresh-password' })).status).to.equal(200)
      })
    }
  })

  describe('change (Bearer)', () => {
    it('changes the password and revokes every session, the current one included', async () => {
      const first = await t.api.signUp('c@example.com', 'old-password')
      const second = (await t.api.signIn('c@example.com', 'old-password')).body as { accessToken: string }
      const reply = await t.api.call('POST', '/v1/auth/password/change', { token: first.accessToken, body: { currentPassword: 'old-password', newPassword: 'new-password' } })
      expect(reply.status).to.equal(200)
      expect(reply.body).to.deep.equal({ message: 'Password changed successfully' })
      for (const token of [first.accessToken, second.accessToken]) expect((await t.api.call('GET', '/v1/auth/me', { token })).status).to.equal(401)
      expect((await t.api.signIn('c@example.com', 'old-password')).status).to.equal(401)
      expect((await t.api.signIn('c@example.com', 'new-password')).status).to.equal(200)
    })

    it('a user without a password (magic link) → 401 auth/invalid-password', async () => {
      await t.api.call('POST', '/v1/auth/email/signin', { body: { email: 'ml@example.com', callbackUrl: 'http://app.test/cb' } })
      const { token } = await t.api.lastMail('ml@example.com', 'magic_link')
      const { accessToken } = (await t.api.call('POST', '/v1/auth/email/callback', { body: { token } })).body as { accessToken: string }
      const reply = await t.api.call('POST', '/v1/auth/password/change', { token: accessToken, body: { currentPassword: 'anything', newPassword: 'new-password' } })
      expect(reply.status).to.equal(401)
      expect(reply.body.error?.code).to.equal('auth/invalid-password')
    })

    const failures: Array<[string, Record<string, unknown> | null, number, string]> = [
      ['no Bearer token', null, 401, 'auth/unauthorized'],
      ['a wrong current password', { currentPassword: 'wrong-password', newPassword: 'new-password' }, 401, 'auth/invalid-password'],
      ['a missing new password', { currentPassword: 'secret123' }, 400, 'auth/invalid-request'],
      ['a new password below the policy', { currentPassword: 'secret123', newPassword: '12' }, 400, 'auth/invalid-password-format'],
      ['the same password', { currentPassword: 'secret123', newPassword: 'secret123' }, 400, 'auth/same-as-previous-password'],
    ]
    for (const [what, body, status, code] of failures) {
      it(`a user changing the password with ${what} → ${status} ${code}`, async () => {
        const { accessToken } = await t.api.signUp('p@example.com')
        const reply = await t.api.call('POST', '/v1/auth/password/change', { token: body ? accessToken : undefined, body: body ?? { currentPassword: 'secret123', newPassword: 'new-password' } })
        expect(reply.status).to.equal(status)
        expect(reply.body.error?.code).to.equal(code)
        expect((await t.api.call('GET', '/v1/auth/me', { token: accessToken })).status).to.equal(200)
      })
    }
  })
})
