import { expect } from 'chai'
import { authClient, type AuthClient } from '../helpers/auth-client.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'

describe('http: optional auth limits (sign-in lockout, e-mails per address)', () => {
  let emu: TestEmulator
  let api: AuthClient
  afterEach(() => emu.dispose())

  describe('with the emulator rate limits on', () => {
    beforeEach(async () => {
      emu = await startEmulator({ rateLimit: { enabled: true, limit: 6000 } })
      api = authClient(emu)
    })

    it('locks password sign-in for 15 minutes after 5 failures within 15 minutes, even for the right password', async () => {
      await api.signUp('lock@example.com', 'right-password')
      for (let i = 0; i < 5; i++) expect((await api.signIn('lock@example.com', `wrong-${i}`)).body.error?.code).to.equal('auth/invalid-credentials')
      const locked = await api.signIn('lock@example.com', 'right-password')
      expect(locked.status).to.equal(429)
      expect(locked.body.error?.code).to.equal('auth/too-many-login-attempts')
      expect(locked.headers.get('retry-after')).to.equal('900')
      // another address is unaffected
      expect((await api.signIn('other@example.com', 'x')).body.error?.code).to.equal('auth/invalid-credentials')
      await api.advance(14 * 60)
      const still = await api.signIn('lock@example.com', 'right-password')
      expect(still.status).to.equal(429)
      expect(still.headers.get('retry-after')).to.equal('60')
      await api.advance(61)
      expect((await api.signIn('lock@example.com', 'right-password')).status).to.equal(200)
    })

    it('forgets failures older than the window and after a successful sign-in', async () => {
      await api.signUp('slow@example.com', 'right-password')
      for (let i = 0; i < 4; i++) await api.signIn('slow@example.com', 'wrong')
      await api.advance(15 * 60 + 1)
      for (let i = 0; i < 4; i++) await api.signIn('slow@example.com', 'wrong')
      expect((await api.signIn('slow@example.com', 'right-password')).status).to.equal(200)
      for (let i = 0; i < 4; i++) await api.signIn('slow@example.com', 'wrong')
      expect((await api.signIn('slow@example.com', 'right-password')).status).to.equal(200)
    })

    it('locks unknown addresses the same way, so the lockout does not tell which e-mails are registered', async () => {
      for (let i = 0; i < 5; i++) await api.signIn('ghost@example.com', 'wrong')
      expect((await api.signIn('ghost@example.com', 'wrong')).body.error?.code).to.equal('auth/too-many-login-attempts')
    })

    it('refuses a sixth auth e-mail to one address within an hour with 429 auth/too-many-code-requests', async () => {
      await api.signUp('mails@example.com') // the signup_confirmation is the first mail
      const reset = () => api.call('POST', '/v1/auth/password/reset/request', { body: { email: 'mails@example.com' } })
      for (let i = 0; i < 4; i++) expect((await reset()).status).to.equal(200)
      const sixth = await reset()
      expect(sixth.status).to.equal(429)
      expect(sixth.body.error?.code).to.equal('auth/too-many-code-requests')
      expect(Number(sixth.headers.get('retry-after'))).to.be.within(3590, 3600)
      expect(await api.mails({ to: 'mails@example.com' })).to.have.length(5)
      const magic = await api.call('POST', '/v1/auth/email/signin', { body: { method: 'magiclink', email: 'mails@example.com', callbackUrl: 'http://app.test/cb' } })
      expect(magic.status).to.equal(429)
      await api.advance(3601)
      expect((await reset()).status).to.equal(200)
    })
  })

  describe('with a tiny per-key request limit', () => {
    beforeEach(async () => {
      emu = await startEmulator({ rateLimit: { enabled: true, limit: 2 } })
      api = authClient(emu)
    })

    it('answers the request over the limit with 429 and the seconds left in the window as Retry-After', async () => {
      for (let i = 0; i < 2; i++) expect((await api.call('GET', '/v1/users')).status).to.not.equal(429)
      const over = await api.call('GET', '/v1/users')
      expect(over.status).to.equal(429)
      expect(over.body.error?.code).to.equal('auth/too-many-requests')
      expect(Number(over.headers.get('retry-after'))).to.be.within(1, 60)
    })
  })

  describe('by default (limits off)', () => {
    beforeEach(async () => {
      emu = await startEmulator()
      api = authClient(emu)
    })

    it('never locks sign-in nor limits e-mails', async () => {
      await api.signUp('free@example.com', 'right-password')
      for (let i = 0; i < 7; i++) await api.signIn('free@example.com', 'wrong')
      expect((await api.signIn('free@example.com', 'right-password')).status).to.equal(200)
      for (let i = 0; i < 7; i++) expect((await api.call('POST', '/v1/auth/password/reset/request', { body: { email: 'free@example.com' } })).status).to.equal(200)
    })
  })
})
