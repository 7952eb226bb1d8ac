import { expect } from 'chai'
import { withAuthEmulator } from '../helpers/auth-client.js'

describe('http: sign-up confirmation and e-mail verification', () => {
  const t = withAuthEmulator()

  const confirmUrl = (token: string, email: string, callbackUrl?: string) =>
    `/v1/auth/signup/email/confirm?${new URLSearchParams({ token, email, ...(callbackUrl ? { callbackUrl } : {}) }).toString()}`
  const me = async (accessToken: string) => (await t.api.call('GET', '/v1/auth/me', { token: accessToken })).body as { email: string; emailVerified: string | null }

  describe('sign-up confirmation', () => {
    it('password sign-up captures a signup_confirmation mail linking to the confirm endpoint', async () => {
      await t.api.signUp('ada@example.com', 'secret123', { name: 'Ada' })
      const mail = await t.api.lastMail('ada@example.com', 'signup_confirmation')
      expect(mail.link).to.equal(`${t.emu.url}/v1/auth/signup/email/confirm?token=${mail.token}&email=ada%40example.com`)
      expect(mail).to.include({ from: 'noreply@bkend.local', subject: 'Confirm your sign-up' })
      expect(mail.html).to.include('Hello Ada')
    })

    it('GET confirm without an API key: 200 { success, data: { verified, email } } and the user is verified', async () => {
      const { accessToken } = await t.api.signUp('conf@example.com')
      const mail = await t.api.lastMail('conf@example.com', 'signup_confirmation')
      const reply = await t.api.call('GET', new URL(mail.link as string).pathname + new URL(mail.link as string).search, { key: null })
      expect(reply.status).to.equal(200)
      expect(reply.body).to.deep.equal({ success: true, data: { verified: true, email: 'conf@example.com' } })
      expect((await me(accessToken)).emailVerified).to.be.a('string')
      expect(reply.headers.get('x-ratelimit-limit')).to.equal('6000')
    })

    it('with a callbackUrl at sign-up, the link carries it and confirming redirects 302 to <callbackUrl>?verified=true&email=', async () => {
      await t.api.signUp('cb@example.com', 'secret123', { callbackUrl: 'http://app.test/verified?from=mail' })
      const mail = await t.api.lastMail('cb@example.com', 'signup_confirmation')
      expect(mail.link).to.include('&callbackUrl=http%3A%2F%2Fapp.test%2Fverified%3Ffrom%3Dmail')
      const link = new URL(mail.link as string)
      const reply = await t.api.call('GET', link.pathname + link.search, { key: null })
      expect(reply.status).to.equal(302)
      expect(reply.headers.get('location')).to.equal('http://app.test/verified?from=mail&verified=true&email=cb%40example.com')
    })

    it('a failure with a callbackUrl redirects with verified=false and the error code', async () => {
      const reply = await t.api.call('GET', confirmUrl('f'.repeat(64), 'x@example.com', 'http://app.test/v'), { key: null })
      expect(reply.status).to.equal(302)
      expect(reply.headers.get('location')).to.equal('http://app.test/v?verified=false&email=x%40example.com&error=auth%2Fverification-token-not-found')
    })

    it('an expired token → 401 auth/verification-token-expired after 24 hours', async () => {
      await t.api.signUp('late@example.com')
      const { token } = await t.api.lastMail('late@example.com', 'signup_confirmation')
      await t.api.advance(24 * 3600)
      const reply = await t.api.call('GET', confirmUrl(token, 'late@example.com'), { key: null })
      expect(reply.status).to.equal(401)
      expect(reply.body.error?.code).to.equal('auth/verification-token-expired')
    })

    const failures: Array<[string, (token: string) => string, number, string]> = [
      ['an unknown token', () => confirmUrl('f'.repeat(64), 'u@example.com'), 404, 'auth/verification-token-not-found'],
      ['no token', () => '/v1/auth/signup/email/confirm?email=u%40example.com', 404, 'auth/verification-token-not-found'],
      ['the token with another email', (token) => confirmUrl(token, 'other@example.com'), 404, 'auth/verification-token-not-found'],
      ['a relative callbackUrl', (token) => confirmUrl(token, 'u@example.com', '/done'), 400, 'auth/invalid-request'],
    ]
    for (const [what, url, status, code] of failures) {
      it(`a browser confirming with ${what} → ${status} ${code}`, async () => {
        await t.api.signUp('u@example.com')
        const { token } = await t.api.lastMail('u@example.com', 'signup_confirmation')
        const reply = await t.api.call('GET', url(token), { key: null })
        expect(reply.status).to.equal(status)
        expect(reply.body.error?.code).to.equal(code)
        // A refused attempt leaves the token usable.
        expect((await t.api.call('GET', confirmUrl(token, 'u@example.com'), { key: null })).status).to.equal(200)
      })
    }

    it('a used token → 404 the second time', async () => {
      await t.api.signUp('twice@example.com')
      const { token } = await t.api.lastMail('twice@example.com', 'signup_confirmation')
      expect((await t.api.call('GET', confirmUrl(token, 'twice@example.com'), { key: null })).status).to.equal(200)
      expect((await t.api.call('GET', confirmUrl(token, 'twice@example.com'), { key: null })).body.error?.code).to.equal('auth/verification-token-not-found')
    })

    it('resend: a new mail replacing the old token; unknown email → same 200 with nothing sent; verified → 400', async () => {
      await t.api.signUp('re@example.com')
      const first = await t.api.lastMail('re@example.com', 'signup_confirmation')
      const reply = await t.api.call('POST', '/v1/auth/signup/email/resend', { body: { email: 'RE@example.com' } })
      expect(reply.status).to.equal(200)
      expect(reply.body).to.deep.equal({ message: 'Confirmation email sent', email: 're@example.com' })
      const second = await t.api.lastMail('re@example.com', 'signup_confirmation')
      expect(second.id).to.not.equal(first.id)
      expect((await t.api.call('GET', confirmUrl(first.token, 're@example.com'), { key: null })).status).to.equal(404)

      const unknown = await t.api.call('POST', '/v1/auth/signup/email/resend', { body: { email: 'ghost@example.com' } })
      expect(unknown.status).to.equal(200)
      expect(await t.api.mails({ to: 'ghost@example.com' })).to.deep.equal([])

      expect((await t.api.call('GET', confirmUrl(second.token, 're@example.com'), { key: null })).status).to.equal(200)
      const verified = await t.api.call('POST', '/v1/auth/signup/email/resend', { body: { email: 're@example.com' } })
      expect(verified.status).to.equal(400)
      expect(verified.body.error?.code).to.equal('auth/already-verified')
    })

    it('resend with an invalid email → 400 auth/invalid-email; without API key → 401', async () => {
      expect((await t.api.call('POST', '/v1/auth/signup/email/resend', { body: { email: 'nope' } })).body.error?.code).to.equal('auth/invalid-email')
      expect((await t.api.call('POST', '/v1/auth/signup/email/resend', { key: null, body: { email: 'a@example.com' } })).status).to.equal(401)
    })

    it('emailVerificationRequired: sign-in is refused until the confirmation link is used', async () => {
      await t.api.setAuth({ emailVerificationRequired: true })
      await t.api.signUp('gate@example.com')
      const refused = await t.api.signIn('gate@example.com')
      expect(refused.status).to.equal(403)
      expect(refused.body.error?.code).to.equal('auth/email-not-verified')
      const { token } = await t.api.lastMail('gate@example.com', 'signup_confirmation')
      await t.api.call('GET', confirmUrl(token, 'gate@example.com'), { key: null })
      expect((await t.api.signIn('gate@example.com')).status).to.equal(200)
    })
  })

  describe('contact e-mail verification (/v1/auth/email/verify/*)', () => {
    it('send → email_verification mail (link only with callbackUrl) → confirm marks the owner verified', async () => {
      const { accessToken } = await t.api.signUp('c@example.com')
      const sent = await t.api.call('POST', '/v1/auth/email/verify/send', { body: { email: 'c@example.com' } })
      expect(sent.status).to.equal(200)
      expect(sent.body).to.deep.equal({ message: 'Verification email sent', email: 'c@example.com' })
      const mail = await t.api.lastMail('c@example.com', 'email_verification')
      expect(mail.link).to.equal(null)
      expect(mail.html).to.include(mail.token)
      const confirmed = await t.api.call('POST', '/v1/auth/email/verify/confirm', { body: { email: 'c@example.com', token: mail.token } })
      expect(confirmed.status).to.equal(200)
      expect(confirmed.body).to.deep.equal({ message: 'Email verified successfully', verified: true })
      expect((await me(accessToken)).emailVerified).to.be.a('string')
      const again = await t.api.call('POST', '/v1/auth/email/verify/send', { body: { email: 'c@example.com' } })
      expect(again.status).to.equal(400)
      expect(again.body.error?.code).to.equal('auth/already-verified')
    })

    it('with a callbackUrl the link is <callbackUrl>?token=…&email=…', async () => {
      await t.api.call('POST', '/v1/auth/email/verify/send', { body: { email: 'l@example.com', callbackUrl: 'http://app.test/verify' } })
      const mail = await t.api.lastMail('l@example.com', 'email_verification')
      expect(mail.link).to.equal(`http://app.test/verify?token=${mail.token}&email=l%40example.com`)
    })

    it('send keeps earlier tokens valid; resend replaces them', async () => {
      await t.api.call('POST', '/v1/auth/email/verify/send', { body: { email: 'r@example.com' } })
      const first = await t.api.lastMail('r@example.com', 'email_verification')
      await t.api.call('POST', '/v1/auth/email/verify/send', { body: { email: 'r@example.com' } })
      const second = await t.api.lastMail('r@example.com', 'email_verification')
      const resent = await t.api.call('POST', '/v1/auth/email/verify/resend', { body: { email: 'r@example.com' } })
      expect(resent.status).to.equal(200)
      const third = await t.api.lastMail('r@example.com', 'email_verification')
      for (const old of [first, second]) {
        const reply = await t.api.call('POST', '/v1/auth/email/verify/confirm', { body: { email: 'r@example.com', token: old.token } })
        expect(reply.body.error?.code).to.equal('auth/verification-token-not-found')
      }
      expect((await t.api.call('POST', '/v1/auth/email/verify/confirm', { body: { email: 'r@example.com', token: third.token } })).status).to.equal(200)
    })

    it('a Bearer-bound verification changes the signed-in user\'s email on confirm (RA-D17)', async () => {
      const { accessToken, user } = await t.api.signUp('old@example.com')
      await t.api.call('POST', '/v1/auth/email/verify/send', { token: accessToken, body: { email: 'New@example.com' } })
      const mail = await t.api.lastMail('new@example.com', 'email_verification')
      const reply = await t.api.call('POST', '/v1/auth/email/verify/confirm', { body: { email: 'new@example.com', token: mail.token } })
      expect(reply.status).to.equal(200)
      const now = await me(accessToken)
      expect(now.email).to.equal('new@example.com')
      expect(now.emailVerified).to.be.a('string')
      expect((await t.api.signIn('new@example.com')).status).to.equal(200)
      expect((await t.api.signIn('old@example.com')).status).to.equal(401)
      const accounts = t.emu.core.auth.accounts.ofUser(t.emu.seed.environment.id, user.id)
      expect(accounts.map((a) => [a.provider, a.providerAccountId, a.email])).to.deep.equal([['email', 'new@example.com', 'new@example.com']])
      // The old address is free again.
      expect((await t.api.call('POST', '/v1/auth/email/signup', { body: { email: 'old@example.com', password: 'secret123' } })).status).to.equal(201)
    })

    it('a Bearer-bound change to an address another user owns → 409 auth/email-already-exists', async () => {
      const { accessToken } = await t.api.signUp('mover@example.com')
      await t.api.signUp('taken@example.com')
      await t.api.call('POST', '/v1/auth/email/verify/send', { token: accessToken, body: { email: 'taken@example.com' } })
      const mail = await t.api.lastMail('taken@example.com', 'email_verification')
      const reply = await t.api.call('POST', '/v1/auth/email/verify/confirm', { body: { email: 'taken@example.com', token: mail.token } })
      expect(reply.status).to.equal(409)
      expect(reply.body.error?.code).to.equal('auth/email-already-exists')
      expect((await me(accessToken)).email).to.equal('mover@example.com')
    })

    it('a verification token expires after 24 hours → 401 auth/verification-token-expired', async () => {
      await t.api.call('POST', '/v1/auth/email/verify/send', { body: { email: 'e@example.com' } })
      const { token } = await t.api.lastMail('e@example.com', 'email_verification')
      await t.api.advance(24 * 3600 - 1)
      expect(t.emu.core.oneTimeTokens.peek(t.emu.core.envs.database(t.emu.seed.environment.id)!, 'email_verification', token, { fail: (f) => new Error(f) }).email).to.equal('e@example.com')
      await t.api.advance(1)
      const reply = await t.api.call('POST', '/v1/auth/email/verify/confirm', { body: { email: 'e@example.com', token } })
      expect(reply.status).to.equal(401)
      expect(reply.body.error?.code).to.equal('auth/verification-token-expired')
    })

    const failures: Array<[string, string, Record<string, unknown>, number, string]> = [
      ['send with an invalid email', 'send', { email: 'x' }, 400, 'auth/invalid-email'],
      ['send with a bad callbackUrl', 'send', { email: 'a@example.com', callbackUrl: 'ftp://x' }, 400, 'auth/invalid-request'],
      ['resend with an invalid email', 'resend', { email: 3 }, 400, 'auth/invalid-email'],
      ['confirm with an invalid email', 'confirm', { email: 'x', token: 'a' }, 400, 'auth/invalid-email'],
      ['confirm without a token', 'confirm', { email: 'a@example.com' }, 400, 'auth/invalid-request'],
      ['confirm with an unknown token', 'confirm', { email: 'a@example.com', token: 'f'.repeat(64) }, 404, 'auth/verification-token-not-found'],
    ]
    for (const [what, verb, body, status, code] of failures) {
      it(`an app calling verify ${what} → ${status} ${code}`, async () => {
        const reply = await t.api.call('POST', `/v1/auth/email/verify/${verb}`, { body })
        expect(reply.status).to.equal(status)
        expect(reply.body.error?.code).to.equal(code)
      })
    }

    it('confirm with a token issued for another email → 404, the token stays usable', async () => {
      await t.api.call('POST', '/v1/auth/email/verify/send', { body: { email: 'mine@example.com' } })
      const { token } = await t.api.lastMail('mine@example.com', 'email_verification')
      const wrong = await t.api.call('POST', '/v1/auth/email/verify/confirm', { body: { email: 'yours@example.com', token } })
      expect(wrong.status).to.equal(404)
      expect((await t.api.call('POST', '/v1/auth/email/verify/confirm', { body: { email: 'mine@example.com', token } })).status).to.equal(200)
    })
  })
})
