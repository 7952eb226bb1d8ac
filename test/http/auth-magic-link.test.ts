import { expect } from 'chai'
import { withAuthEmulator } from '../helpers/auth-client.js'

describe('http: magic links (sign-up, sign-in, exchange)', () => {
  const t = withAuthEmulator()

  const callbackUrl = 'http://app.test/auth/callback'
  const send = (path: 'signup' | 'signin', body: Record<string, unknown>) => t.api.call('POST', `/v1/auth/email/${path}`, { body })
  const tokenFor = async (email: string) => (await t.api.lastMail(email, 'magic_link')).token

  describe('sending', () => {
    for (const [path, status] of [['signup', 201], ['signin', 200]] as const) {
      it(`${path}: ${status} { message, email } and a magic_link mail whose link is <callbackUrl>?token=`, async () => {
        const reply = await send(path, { method: 'magiclink', email: ' New@Example.com ', callbackUrl })
        expect(reply.status).to.equal(status)
        expect(reply.body).to.deep.equal({ message: 'Magic link sent', email: 'new@example.com' })
        const mail = await t.api.lastMail('new@example.com', 'magic_link')
        expect(mail.token).to.match(/^[0-9a-f]{64}$/)
        expect(mail.link).to.equal(`${callbackUrl}?token=${mail.token}`)
        expect(mail).to.include({ projectId: t.emu.seed.projectId, environmentId: t.emu.seed.environment.id, subject: 'Your sign-in link' })
        expect(mail.html).to.include(mail.link as string)
      })
    }

    it('infers method magiclink from a callbackUrl without password, and appends to a callback that has a query', async () => {
      const reply = await send('signin', { email: 'q@example.com', callbackUrl: 'http://app.test/cb?next=%2Fhome' })
      expect(reply.status).to.equal(200)
      const mail = await t.api.lastMail('q@example.com', 'magic_link')
      expect(mail.link).to.equal(`http://app.test/cb?next=%2Fhome&token=${mail.token}`)
    })

    it('sends a sign-in link, not an error, when the email is already registered (identical response)', async () => {
      await t.api.signUp('known@example.com')
      const reply = await send('signup', { method: 'magiclink', email: 'known@example.com', callbackUrl })
      expect(reply.status).to.equal(201)
      expect(reply.body).to.deep.equal({ message: 'Magic link sent', email: 'known@example.com' })
      expect((await t.api.lastMail('known@example.com', 'magic_link')).html).to.include('Hello known')
    })

    const failures: Array<[string, Record<string, unknown>, number, string]> = [
      ['an invalid email', { method: 'magiclink', email: 'nope', callbackUrl }, 400, 'auth/invalid-email'],
      ['no callbackUrl', { method: 'magiclink', email: 'a@example.com' }, 400, 'auth/invalid-request'],
      ['a relative callbackUrl', { method: 'magiclink', email: 'a@example.com', callbackUrl: '/cb' }, 400, 'auth/invalid-request'],
      ['a non-http callbackUrl', { method: 'magiclink', email: 'a@example.com', callbackUrl: 'javascript:alert(1)' }, 400, 'auth/invalid-request'],
      ['an unknown method', { method: 'sms', email: 'a@example.com' }, 400, 'auth/invalid-request'],
    ]
    for (const [what, body, status, code] of failures) {
      it(`a guest asking for a magic link with ${what} → ${status} ${code}`, async () => {
        for (const path of ['signup', 'signin'] as const) {
          const reply = await send(path, body)
          expect(reply.status, path).to.equal(status)
          expect(reply.body.error?.code, path).to.equal(code)
        }
        expect(await t.api.mails()).to.deep.equal([])
      })
    }

    it('a project with magic links disabled → 400 auth/magiclink-disabled on send and on exchange', async () => {
      await send('signin', { email: 'late@example.com', callbackUrl })
      const token = await tokenFor('late@example.com')
      await t.api.setAuth({ magicLinkEnabled: false })
      for (const path of ['signup', 'signin'] as const) {
        const reply = await send(path, { method: 'magiclink', email: 'a@example.com', callbackUrl })
        expect(reply.status).to.equal(400)
        expect(reply.body.error?.code).to.equal('auth/magiclink-disabled')
      }
      const exchange = await t.api.call('POST', '/v1/auth/email/callback', { body: { token } })
      expect(exchange.status).to.equal(400)
      expect(exchange.body.error?.code).to.equal('auth/magiclink-disabled')
    })

    it('an email whose user has only social accounts → 400 auth/magiclink-not-available-for-social', async () => {
      await t.emu.core.auth.createUser(t.api.scope(), { email: 'social@example.com', name: 'Soc', oauth: { provider: 'google', providerAccountId: '123456789012345678901' } })
      const reply = await send('signin', { method: 'magiclink', email: 'social@example.com', callbackUrl })
      expect(reply.status).to.equal(400)
      expect(reply.body.error?.code).to.equal('auth/magiclink-not-available-for-social')
    })
  })

  describe('exchange (POST and GET /v1/auth/email/callback)', () => {
    it('creates the user on first use: verified, named after the email, is_new_user true; then signs in with false', async () => {
      await send('signup', { method: 'magiclink', email: 'fresh@example.com', callbackUrl })
      const first = await t.api.call('POST', '/v1/auth/email/callback', { body: { token: await tokenFor('fresh@example.com') } })
      expect(first.status).to.equal(200)
      expect(first.body).to.include({ tokenType: 'Bearer', expiresIn: 3600, is_new_user: true, isNewUser: true })
      const user = first.body.user as { id: string; email: string; name: string; emailVerified: string | null; hasPassword: boolean }
      expect(user).to.include({ email: 'fresh@example.com', name: 'fresh', hasPassword: false })
      expect(user.emailVerified).to.be.a('string')
      expect((await t.api.call('GET', '/v1/auth/me', { token: first.body.accessToken as string })).status).to.equal(200)

      await send('signin', { method: 'magiclink', email: 'fresh@example.com', callbackUrl })
      const second = await t.api.call('GET', `/v1/auth/email/callback?token=${await tokenFor('fresh@example.com')}`)
      expect(second.status).to.equal(200)
      expect(second.body).to.include({ is_new_user: false, isNewUser: false })
      expect((second.body.user as { id: string }).id).to.equal(user.id)
    })

    it('signs in an existing password user and sets emailVerified when it was null', async () => {
      const { user } = await t.api.signUp('pw@example.com')
      expect(user.emailVerified).to.equal(null)
      await send('signin', { email: 'pw@example.com', callbackUrl })
      const reply = await t.api.call('POST', '/v1/auth/email/callback', { body: { token: await tokenFor('pw@example.com') } })
      expect(reply.status).to.equal(200)
      expect(reply.body).to.include({ is_new_user: false })
      expect((reply.body.user as { id: string; emailVerified: string | null }).emailVerified).to.be.a('string')
    })

    it('does not ask for MFA and ignores the email-verification requirement', async () => {
      await t.api.setAuth({ emailVerificationRequired: true })
      await send('signin', { email: 'v@example.com', callbackUrl })
      expect((await t.api.call('POST', '/v1/auth/email/callback', { body: { token: await tokenFor('v@example.com') } })).status).to.equal(200)
    })

    it('is single use: a second exchange → 401 auth/invalid-token', async () => {
      await send('signin', { email: 'once@example.com', callbackUrl })
      const token = await tokenFor('once@example.com')
      expect((await t.api.call('POST', '/v1/auth/email/callback', { body: { token } })).status).to.equal(200)
      const again = await t.api.call('POST', '/v1/auth/email/callback', { body: { token } })
      expect(again.status).to.equal(401)
      expect(again.body.error?.code).to.equal('auth/invalid-token')
    })

    it('expires after the default 15 minutes by the emulator clock → 401 auth/token-expired', async () => {
      await send('signin', { email: 'exp@example.com', callbackUrl })
      const early = await tokenFor('exp@example.com')
      await t.api.advance(14 * 60)
      expect((await t.api.call('POST', '/v1/auth/email/callback', { body: { token: early } })).status).to.equal(200)
      await send('signin', { email: 'exp@example.com', callbackUrl })
      const late = await tokenFor('exp@example.com')
      await t.api.advance(15 * 60)
      const reply = await t.api.call('POST', '/v1/auth/email/callback', { body: { token: late } })
      expect(reply.status).to.equal(401)
      expect(reply.body.error?.code).to.equal('auth/token-expired')
    })

    it('takes its lifetime from magicLinkExpirationMinutes', async () => {
      await t.api.setAuth({ magicLinkExpirationMinutes: 2 })
      await send('signin', { email: 'short@example.com', callbackUrl })
      const token = await tokenFor('short@example.com')
      await t.api.advance(121)
      const reply = await t.api.call('POST', '/v1/auth/email/callback', { body: { token } })
      expect(reply.body.error?.code).to.equal('auth/token-expired')
    })

    it('a newer link replaces an older one for the same email', async () => {
      await send('signin', { email: 'two@example.com', callbackUrl })
      const older = await tokenFor('two@example.com')
      await send('signin', { email: 'two@example.com', callbackUrl })
      expect((await t.api.call('POST', '/v1/auth/email/callback', { body: { token: older } })).body.error?.code).to.equal('auth/invalid-token')
      expect((await t.api.call('POST', '/v1/auth/email/callback', { body: { token: await tokenFor('two@example.com') } })).status).to.equal(200)
    })

    it('a banned user → 403 auth/account-banned', async () => {
      const { user } = await t.api.signUp('banned@example.com')
      const doc = t.emu.core.auth.pool.get(t.emu.seed.environment.id, user.id)!
      await t.emu.core.auth.pool.save(t.emu.seed.environment.id, doc, { ...doc, banned: true })
      await send('signin', { email: 'banned@example.com', callbackUrl })
      const reply = await t.api.call('POST', '/v1/auth/email/callback', { body: { token: await tokenFor('banned@example.com') } })
      expect(reply.status).to.equal(403)
      expect(reply.body.error?.code).to.equal('auth/account-banned')
    })

    const failures: Array<[string, string, string, unknown, number, string]> = [
      ['no token (POST)', 'POST', '/v1/auth/email/callback', {}, 400, 'auth/magic-token-missing'],
      ['no token (GET)', 'GET', '/v1/auth/email/callback', undefined, 400, 'auth/magic-token-missing'],
      ['an unknown token', 'POST', '/v1/auth/email/callback', { token: 'f'.repeat(64) }, 401, 'auth/invalid-token'],
      ['a token that is not a string', 'POST', '/v1/auth/email/callback', { token: 42 }, 401, 'auth/invalid-token'],
    ]
    for (const [what, method, path, body, status, code] of failures) {
      it(`an app exchanging ${what} → ${status} ${code}`, async () => {
        const reply = await t.api.call(method, path, { body })
        expect(reply.status).to.equal(status)
        expect(reply.body.error?.code).to.equal(code)
      })
    }

    it('needs an API key, and a token of one environment does not work in another', async () => {
      await send('signin', { email: 'iso@example.com', callbackUrl })
      const token = await tokenFor('iso@example.com')
      const noKey = await t.api.call('POST', '/v1/auth/email/callback', { key: null, body: { token } })
      expect(noKey.status).to.equal(401)
      expect(noKey.body.error?.code).to.equal('auth/unauthorized')
      const staging = await t.emu.core.envs.create(t.emu.actor, { environment: 'staging', environmentType: 'staging' }, t.emu.core.projects.doc(t.emu.seed.projectId)!)
      const key = await t.emu.core.keys.create(t.emu.actor, { projectId: t.emu.seed.projectId, environment: staging.environment, name: 'k', type: 'publishable' })
      const other = await t.api.call('POST', '/v1/auth/email/callback', { key: key.key, body: { token } })
      expect(other.status).to.equal(401)
      expect(other.body.error?.code).to.equal('auth/invalid-token')
    })
  })
})
