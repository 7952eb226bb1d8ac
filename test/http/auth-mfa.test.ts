import { expect } from 'chai'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { idpCode, rest, totp } from '../helpers/social.js'

interface Setup {
  secret: string
  qrCodeUrl: string
  backupCodes: string[]
}

describe('http: MFA (TOTP) enable, confirm, disable and password sign-in', () => {
  let emu: TestEmulator
  let pk: string
  let token: string
  beforeEach(async () => {
    emu = await startEmulator()
    pk = emu.seed.environment.publishableKey
    const signup = await rest(emu, 'POST', '/v1/auth/email/signup', { key: pk, body: { email: 'mfa@example.com', password: 'secret123' } })
    token = signup.body.accessToken as string
  })
  afterEach(() => emu.dispose())

  const mfa = (action: string, body: unknown, bearer: string | null = token) => rest(emu, 'POST', `/v1/auth/mfa/${action}`, { key: pk, token: bearer ?? undefined, body })
  const signIn = (mfaCode?: unknown) => rest(emu, 'POST', '/v1/auth/email/signin', { key: pk, body: { email: 'mfa@example.com', password: 'secret123', ...(mfaCode === undefined ? {} : { mfaCode }) } })
  const enable = async (): Promise<Setup> => (await mfa('enable', { password: 'secret123' })).body as unknown as Setup
  const enabled = async (): Promise<Setup> => {
    const setup = await enable()
    expect((await mfa('confirm', { code: totp(emu, setup.secret) })).status).to.equal(200)
    return setup
  }

  it('enable returns a 32-character base32 secret, the otpauth URL and 10 backup codes; confirm turns MFA on', async () => {
    const reply = await mfa('enable', { password: 'secret123' })
    expect(reply.status).to.equal(200)
    const setup = reply.body as unknown as Setup
    expect(setup.secret).to.match(/^[A-Z2-7]{32}$/)
    expect(setup.qrCodeUrl).to.equal(`otpauth://totp/bkend:mfa%40example.com?secret=${setup.secret}&issuer=bkend`)
    expect(setup.backupCodes).to.have.length(10)
    for (const code of setup.backupCodes) expect(code).to.match(/^[a-z0-9]{8}$/)
    expect((await rest(emu, 'GET', '/v1/auth/me', { key: pk, token })).body.mfaEnabled).to.equal(false)
    const confirmed = await mfa('confirm', { code: totp(emu, setup.secret) })
    expect(confirmed.status).to.equal(200)
    expect(confirmed.body).to.deep.equal({ backupCodes: setup.backupCodes })
    expect((await rest(emu, 'GET', '/v1/auth/me', { key: pk, token })).body.mfaEnabled).to.equal(true)
  })

  it('keeps backup codes only as SHA-256 once confirmed, and no MFA data in the users table', async () => {
    const setup = await enabled()
    const stored = JSON.stringify([...emu.core.auth.pool.db(emu.seed.environment.id).collection('mfa').values()])
    for (const code of setup.backupCodes) expect(stored).to.not.include(code)
    const users = await rest(emu, 'GET', '/v1/data/users', { key: emu.seed.environment.secretKey })
    expect(JSON.stringify(users.body)).to.not.include(setup.secret)
  })

  describe('enable and confirm failures', () => {
    const cases: Array<{ name: string; action: string; body: (s: Setup | null) => unknown; setup: 'none' | 'pending' | 'enabled'; bearer?: false; status: number; code: string }> = [
      { name: 'enabling with a wrong password', action: 'enable', setup: 'none', body: () => ({ password: 'wrong-password' }), status: 401, code: 'auth/invalid-credentials' },
      { name: 'enabling without a password', action: 'enable', setup: 'none', body: () => ({}), status: 400, code: 'auth/invalid-request' },
      { name: 'enabling twice', action: 'enable', setup: 'enabled', body: () => ({ password: 'secret123' }), status: 409, code: 'auth/mfa-already-enabled' },
      { name: 'enabling without a user token', action: 'enable', setup: 'none', bearer: false, body: () => ({ password: 'secret123' }), status: 401, code: 'auth/unauthorized' },
      { name: 'confirming without a setup', action: 'confirm', setup: 'none', body: () => ({ code: '123456' }), status: 400, code: 'auth/mfa-setup-expired' },
      { name: 'confirming a wrong code', action: 'confirm', setup: 'pending', body: (s) => ({ code: totp(emu, s!.secret, 5) }), status: 401, code: 'auth/invalid-mfa-code' },
      { name: 'confirming with a backup code', action: 'confirm', setup: 'pending', body: (s) => ({ code: s!.backupCodes[0] }), status: 401, code: 'auth/invalid-mfa-code' },
      { name: 'confirming without a code', action: 'confirm', setup: 'pending', body: () => ({}), status: 400, code: 'auth/invalid-request' },
      { name: 'confirming when already enabled', action: 'confirm', setup: 'enabled', body: (s) => ({ code: totp(emu, s!.secret) }), status: 409, code: 'auth/mfa-already-enabled' },
    ]
    for (const c of cases) {
      it(`a user ${c.name} → ${c.status} ${c.code}`, async () => {
        const setup = c.setup === 'pending' ? await enable() : c.setup === 'enabled' ? await enabled() : null
        const reply = await mfa(c.action, c.body(setup), c.bearer === false ? null : token)
        expect(reply.status, JSON.stringify(reply.body)).to.equal(c.status)
        expect(reply.body.error?.code).to.equal(c.code)
      })
    }

    it('a setup older than 10 minutes (emulator clock) cannot be confirmed → 400 auth/mfa-setup-expired', async () => {
      const setup = await enable()
      emu.core.clock.advance(601)
      const reply = await mfa('confirm', { code: totp(emu, setup.secret) })
      expect(reply.status).to.equal(400)
      expect(reply.body.error?.code).to.equal('auth/mfa-setup-expired')
    })

    it('a new enable replaces the pending setup', async () => {
      const first = await enable()
      const second = await enable()
      expect(second.secret).to.not.equal(first.secret)
      expect((await mfa('confirm', { code: totp(emu, first.secret) })).status).to.equal(401)
      expect((await mfa('confirm', { code: totp(emu, second.secret) })).status).to.equal(200)
    })

    it('a social user without a password cannot enable MFA → 401 auth/invalid-credentials', async () => {
      const social = await rest(emu, 'POST', '/v1/auth/google/callback', { key: pk, body: { code: await idpCode(emu, 'google', { email: 'social@example.com' }) } })
      const reply = await mfa('enable', { password: 'anything' }, social.body.accessToken as string)
      expect(reply.status).to.equal(401)
      expect(reply.body.error?.code).to.equal('auth/invalid-credentials')
    })
  })

  describe('password sign-in with MFA on', () => {
    it('accepts the current code and codes one step away, by the emulator clock', async () => {
      const setup = await enabled()
      for (const steps of [0, -1, 1]) {
        const reply = await signIn(totp(emu, setup.secret, steps))
        expect(reply.status, `step ${steps}`).to.equal(200)
      }
      const code = totp(emu, setup.secret)
      emu.core.clock.advance(120)
      expect((await signIn(code)).body.error?.code).to.equal('auth/invalid-mfa-code')
      expect((await signIn(totp(emu, setup.secret))).status).to.equal(200)
    })

    const failures: Array<[string, unknown, number, string]> = [
      ['no mfaCode', undefined, 403, 'auth/mfa-required'],
      ['an empty mfaCode', '', 403, 'auth/mfa-required'],
      ['a wrong 6-digit code', '000000', 401, 'auth/invalid-mfa-code'],
      ['an unknown backup code', 'zzzzzzzz', 401, 'auth/invalid-mfa-code'],
      ['a number', 123456, 401, 'auth/invalid-mfa-code'],
    ]
    for (const [what, code, status, errorCode] of failures) {
      it(`signing in with ${what} → ${status} ${errorCode}`, async () => {
        await enabled()
        const reply = await signIn(code)
        expect(reply.status).to.equal(status)
        expect(reply.body.error?.code).to.equal(errorCode)
      })
    }

    it('a wrong password is still 401 auth/invalid-credentials before MFA is asked', async () => {
      await enabled()
      const reply = await rest(emu, 'POST', '/v1/auth/email/signin', { key: pk, body: { email: 'mfa@example.com', password: 'wrong-one' } })
      expect(reply.body.error?.code).to.equal('auth/invalid-credentials')
    })

    it('uses each backup code once; with all used, an 8-character code → 401 auth/mfa-backup-codes-exhausted', async () => {
      const setup = await enabled()
      const first = setup.backupCodes[0] as string
      expect((await signIn(first.toUpperCase())).status).to.equal(200)
      expect((await signIn(first)).body.error?.code).to.equal('auth/invalid-mfa-code')
      for (const code of setup.backupCodes.slice(1)) expect((await signIn(code)).status).to.equal(200)
      const exhausted = await signIn('abcd1234')
      expect(exhausted.status).to.equal(401)
      expect(exhausted.body.error?.code).to.equal('auth/mfa-backup-codes-exhausted')
      expect((await signIn(totp(emu, setup.secret))).status).to.equal(200)
    })

    it('social sign-in of the same user does not ask for MFA', async () => {
      await enabled()
      const linked = await rest(emu, 'POST', '/v1/auth/accounts', { key: pk, token, body: { provider: 'github', code: await idpCode(emu, 'github', { email: 'gh@example.com' }) } })
      expect(linked.status).to.equal(201)
      const social = await rest(emu, 'POST', '/v1/auth/github/callback', { key: pk, body: { code: await idpCode(emu, 'github', { email: 'gh@example.com' }) } })
      expect(social.status).to.equal(200)
      expect((social.body.user as { email: string; mfaEnabled: boolean })).to.include({ email: 'mfa@example.com', mfaEnabled: true })
    })
  })

  describe('disable', () => {
    it('turns MFA off with the password (and optionally a code); sign-in then needs no code', async () => {
      const setup = await enabled()
      const reply = await mfa('disable', { password: 'secret123', code: totp(emu, setup.secret) })
      expect(reply.status).to.equal(200)
      expect(reply.body).to.deep.equal({})
      expect((await signIn()).status).to.equal(200)
      expect(emu.core.auth.pool.db(emu.seed.environment.id).collection('mfa').size).to.equal(0)
    })

    const cases: Array<[string, (s: Setup) => unknown, boolean, number, string]> = [
      ['a wrong password', () => ({ password: 'nope-nope' }), true, 401, 'auth/invalid-credentials'],
      ['a wrong code', () => ({ password: 'secret123', code: '000000' }), true, 401, 'auth/invalid-mfa-code'],
      ['MFA not enabled', () => ({ password: 'secret123' }), false, 400, 'auth/mfa-not-enabled'],
    ]
    for (const [what, body, on, status, code] of cases) {
      it(`a user disabling with ${what} → ${status} ${code}`, async () => {
        const setup = on ? await enabled() : await enable()
        const reply = await mfa('disable', body(setup))
        expect(reply.status).to.equal(status)
        expect(reply.body.error?.code).to.equal(code)
      })
    }

    it('accepts a backup code and uses it up', async () => {
      const setup = await enabled()
      expect((await mfa('disable', { password: 'secret123', code: setup.backupCodes[3] })).status).to.equal(200)
    })
  })
})
