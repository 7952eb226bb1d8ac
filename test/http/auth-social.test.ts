import { expect } from 'chai'
import { SignJWT } from 'jose'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { APP_REDIRECT, idpCode, rest, type Reply } from '../helpers/social.js'

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()

describe('http: fake identity provider and social sign-in', () => {
  let emu: TestEmulator
  let pk: string
  beforeEach(async () => {
    emu = await startEmulator()
    pk = emu.seed.environment.publishableKey
  })
  afterEach(() => emu.dispose())

  const authorizeQuery = (extra: Record<string, string> = {}) => form({ client_id: 'my-app', redirect_uri: APP_REDIRECT, response_type: 'code', scope: 'openid email', state: 'xyz', ...extra })
  const postIdp = async (provider: string, fields: Record<string, string>) => {
    const response = await fetch(`${emu.url}/_emulator/oauth/${provider}/authorize`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(fields) })
    return { status: response.status, location: response.headers.get('location'), text: await response.text(), type: response.headers.get('content-type') }
  }
  const token = (provider: string, fields: Record<string, string>) =>
    fetch(`${emu.url}/_emulator/oauth/${provider}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(fields) }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }))
  const callback = (provider: string, body: unknown, key = pk) => rest(emu, 'POST', `/v1/auth/${provider}/callback`, { key, body })
  const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>
  const setProvider = (provider: 'google' | 'github', enabled: boolean) =>
    emu.core.projectSettings.auth.upsertProvider(emu.actor, emu.seed.projectId, provider, { clientId: 'cid', redirectUri: 'http://app.test/cb', scopes: ['email'], enabled })

  describe('the provider page', () => {
    it('renders the identity form with the query carried along and every value escaped', async () => {
      const response = await fetch(`${emu.url}/_emulator/oauth/google/authorize?${authorizeQuery({ state: '"><script>alert(1)</script>' })}`)
      expect(response.status).to.equal(200)
      expect(response.headers.get('content-type')).to.match(/^text\/html/)
      expect(response.headers.get('content-security-policy')).to.include("default-src 'none'")
      const page = await response.text()
      expect(page).to.include('Sign in with Google').and.include('name="email"').and.include('name="sub"').and.include('id="email_verified"')
      expect(page).to.include('value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"')
      expect(page).to.not.include('<script>')
    })

    const pages: Array<[string, string, string, number, RegExp]> = [
      ['response_type other than code', 'google', authorizeQuery({ response_type: 'token' }), 400, /response_type must be &quot;code&quot;/],
      ['no redirect_uri', 'github', form({ client_id: 'a', response_type: 'code' }), 400, /redirect_uri must be an absolute/],
      ['no client_id', 'github', form({ redirect_uri: APP_REDIRECT, response_type: 'code' }), 400, /client_id is required/],
      ['an unknown provider', 'facebook', authorizeQuery(), 404, /Unknown identity provider/],
    ]
    for (const [what, provider, query, status, message] of pages) {
      it(`a browser opening the page with ${what} → ${status} error page, no redirect`, async () => {
        const response = await fetch(`${emu.url}/_emulator/oauth/${provider}/authorize?${query}`, { redirect: 'manual' })
        expect(response.status).to.equal(status)
        expect(await response.text()).to.match(message)
      })
    }

    it('approving a form redirects with a 32-hex code and the state; the identity is offered again next time', async () => {
      const approved = await postIdp('google', { client_id: 'my-app', redirect_uri: APP_REDIRECT, response_type: 'code', state: 'xyz', email: 'Reuse@Example.com', name: 'Reuse <Me>', action: 'approve' })
      expect(approved.status).to.equal(302)
      const location = new URL(approved.location as string)
      expect(`${location.origin}${location.pathname}`).to.equal(APP_REDIRECT)
      expect(location.searchParams.get('code')).to.match(/^[0-9a-f]{32}$/)
      expect(location.searchParams.get('state')).to.equal('xyz')
      const page = await (await fetch(`${emu.url}/_emulator/oauth/google/authorize?${authorizeQuery()}`)).text()
      expect(page).to.include('Continue as Reuse &lt;Me&gt; &lt;reuse@example.com&gt;')
      expect(page).to.match(/name="sub" value="1\d{20}"/)
    })

    it('cancelling redirects with error=access_denied and the state, and no code', async () => {
      const cancelled = await postIdp('github', { client_id: 'my-app', redirect_uri: APP_REDIRECT, response_type: 'code', state: 'xyz', action: 'cancel' })
      expect(cancelled.status).to.equal(302)
      const location = new URL(cancelled.location as string)
      expect(location.searchParams.get('error')).to.equal('access_denied')
      expect(location.searchParams.get('state')).to.equal('xyz')
      expect(location.searchParams.has('code')).to.equal(false)
    })

    const refusals: Array<[string, Record<string, string>, RegExp]> = [
      ['no email', { action: 'approve' }, /valid email address/],
      ['a picture that is not a URL', { action: 'approve', email: 'a@b.io', image: 'javascript:alert(1)' }, /picture URL/],
      ['an unknown action', { action: 'maybe', email: 'a@b.io' }, /approve.*cancel/],
    ]
    for (const [what, fields, message] of refusals) {
      it(`posting ${what} → 400 page, no redirect`, async () => {
        const reply = await postIdp('google', { client_id: 'my-app', redirect_uri: APP_REDIRECT, response_type: 'code', ...fields })
        expect(reply.status).to.equal(400)
        expect(reply.location).to.equal(null)
        expect(reply.text).to.match(message)
      })
    }
  })

  describe('the provider token endpoint', () => {
    it('exchanges a Google code for an access token and an ID token that describe the identity', async () => {
      const code = await idpCode(emu, 'google', { email: 'tok@example.com', name: 'Tok', image: 'https://img.test/a.png', scope: 'openid email' })
      const reply = await token('google', { grant_type: 'authorization_code', code, redirect_uri: APP_REDIRECT })
      expect(reply.status).to.equal(200)
      expect(reply.body).to.include({ token_type: 'Bearer', expires_in: 3600, scope: 'openid email' })
      const id = claimsOf(reply.body.id_token as string)
      expect(id).to.include({ email: 'tok@example.com', name: 'Tok', picture: 'https://img.test/a.png', email_verified: true, aud: 'any-client', typ: 'id' })
      expect(id.sub).to.match(/^1\d{20}$/)
      expect(claimsOf(reply.body.access_token as string)).to.include({ sub: id.sub, typ: 'access' })
    })

    it('gives GitHub an 8-digit account id by default and no ID token', async () => {
      const code = await idpCode(emu, 'github', { email: 'gh@example.com' })
      const reply = await token('github', { grant_type: 'authorization_code', code })
      expect(reply.status).to.equal(200)
      expect(reply.body).to.not.have.property('id_token')
      expect(claimsOf(reply.body.access_token as string).sub).to.match(/^[1-9]\d{7}$/)
    })

    const failures: Array<[string, (code: string) => Promise<{ status: number; body: Record<string, unknown> }>, number, string]> = [
      ['a code used twice', async (code) => (await token('google', { grant_type: 'authorization_code', code }), token('google', { grant_type: 'authorization_code', code })), 400, 'invalid_grant'],
      ['another redirect_uri', (code) => token('google', { grant_type: 'authorization_code', code, redirect_uri: 'http://evil.test/cb' }), 400, 'invalid_grant'],
      ['the code of another provider', (code) => token('github', { grant_type: 'authorization_code', code }), 400, 'invalid_grant'],
      ['an expired code (10 min)', (code) => (emu.core.clock.advance(601), token('google', { grant_type: 'authorization_code', code })), 400, 'invalid_grant'],
      ['another grant type', (code) => token('google', { grant_type: 'password', code }), 400, 'unsupported_grant_type'],
      ['no code', () => token('google', { grant_type: 'authorization_code' }), 400, 'invalid_request'],
      ['an unknown provider', (code) => token('gitlab', { grant_type: 'authorization_code', code }), 404, 'invalid_request'],
    ]
    for (const [what, run, status, error] of failures) {
      it(`exchanging ${what} → ${status} ${error}`, async () => {
        const reply = await run(await idpCode(emu, 'google', { email: 'x@example.com' }))
        expect(reply.status).to.equal(status)
        expect(reply.body.error).to.equal(error)
      })
    }
  })

  describe('POST /v1/auth/:provider/callback (Flow A)', () => {
    it('creates the user on first sign-in and signs the same user in afterwards', async () => {
      const first = await callback('google', { code: await idpCode(emu, 'google', { email: 'New@Example.com', name: 'New User', image: 'https://img.test/n.png' }), redirectUri: APP_REDIRECT })
      expect(first.status).to.equal(200)
      expect(first.body).to.include({ tokenType: 'Bearer', expiresIn: 3600, is_new_user: true, isNewUser: true })
      const user = first.body.user as Record<string, unknown>
      expect(user).to.include({ email: 'new@example.com', name: 'New User', image: 'https://img.test/n.png', role: 'user', hasPassword: false })
      expect(user.emailVerified).to.be.a('string')
      const second = await callback('google', { code: await idpCode(emu, 'google', { email: 'new@example.com', name: 'Renamed' }) })
      expect(second.body).to.include({ is_new_user: false, isNewUser: false })
      expect((second.body.user as { id: string }).id).to.equal(user.id)
      const me = await rest(emu, 'GET', '/v1/auth/me', { key: pk, token: second.body.accessToken as string })
      expect(me.body.id).to.equal(user.id)
      const accounts = await rest(emu, 'GET', '/v1/auth/accounts', { key: pk, token: second.body.accessToken as string })
      expect((accounts.body.items as Array<Record<string, unknown>>).map((a) => [a.type, a.provider])).to.deep.equal([['oauth', 'google']])
    })

    it('leaves emailVerified null for an unverified identity', async () => {
      const reply = await callback('github', { code: await idpCode(emu, 'github', { email: 'unverified@example.com', email_verified: false }) })
      expect((reply.body.user as { emailVerified: unknown }).emailVerified).to.equal(null)
    })

    it('accepts the provider tokens instead of the code: a Google ID token, a GitHub access token', async () => {
      const googleTokens = await token('google', { grant_type: 'authorization_code', code: await idpCode(emu, 'google', { email: 'idt@example.com' }) })
      const viaIdToken = await callback('google', { idToken: googleTokens.body.id_token })
      expect(viaIdToken.status).to.equal(200)
      expect((viaIdToken.body.user as { email: string }).email).to.equal('idt@example.com')
      const githubTokens = await token('github', { grant_type: 'authorization_code', code: await idpCode(emu, 'github', { email: 'act@example.com' }) })
      const viaAccessToken = await callback('github', { accessToken: githubTokens.body.access_token })
      expect(viaAccessToken.status).to.equal(200)
      expect(viaAccessToken.body.isNewUser).to.equal(true)
    })

    it('answers the same JSON on GET with an API key', async () => {
      const code = await idpCode(emu, 'github', { email: 'getter@example.com' })
      const reply = await rest(emu, 'GET', `/v1/auth/github/callback?code=${code}&redirectUri=${encodeURIComponent(APP_REDIRECT)}`, { key: pk })
      expect(reply.status).to.equal(200)
      expect(reply.body).to.include({ isNewUser: true })
    })

    const foreignToken = () => new SignJWT({ typ: 'id', email: 'evil@example.com' }).setProtectedHeader({ alg: 'HS256' }).setIssuer(`${emu.url}/_emulator/oauth/google`).setSubject('1').setExpirationTime('1h').sign(new Uint8Array(32))
    const failures: Array<{ name: string; provider?: string; body: (code: string) => unknown | Promise<unknown>; before?: () => Promise<unknown>; key?: () => string; status: number; code: string }> = [
      { name: 'an unsupported provider', provider: 'facebook', body: (code) => ({ code }), status: 400, code: 'auth/unsupported-provider' },
      { name: 'a disabled provider', body: (code) => ({ code }), before: () => setProvider('google', false), status: 400, code: 'auth/oauth-not-configured' },
      { name: 'a deleted provider', body: (code) => ({ code }), before: () => emu.core.projectSettings.auth.deleteProvider(emu.actor, emu.seed.projectId, 'google'), status: 400, code: 'auth/oauth-not-configured' },
      { name: 'neither code nor token', body: () => ({ redirectUri: APP_REDIRECT }), status: 400, code: 'auth/invalid-request' },
      { name: 'a code that is not a string', body: () => ({ code: 42 }), status: 400, code: 'auth/invalid-request' },
      { name: 'an unknown code', body: () => ({ code: '0'.repeat(32) }), status: 401, code: 'auth/invalid-oauth-code' },
      { name: 'a used code', body: async (code) => (await callback('google', { code }), { code }), status: 401, code: 'auth/invalid-oauth-code' },
      { name: 'a code of another redirect URI', body: (code) => ({ code, redirectUri: 'http://other.test/cb' }), status: 401, code: 'auth/invalid-oauth-code' },
      { name: 'a GitHub code', provider: 'github', body: (code) => ({ code }), status: 401, code: 'auth/invalid-oauth-code' },
      { name: 'an expired code', body: (code) => (emu.core.clock.advance(601), { code }), status: 401, code: 'auth/invalid-oauth-code' },
      { name: 'an ID token signed by someone else', body: async () => ({ idToken: await foreignToken() }), status: 401, code: 'auth/invalid-oauth-code' },
      { name: 'an access token passed as ID token', body: async (code) => ({ idToken: (await token('google', { grant_type: 'authorization_code', code })).body.access_token }), status: 401, code: 'auth/invalid-oauth-code' },
      { name: 'the email of a password user', body: (code) => ({ code }), before: () => rest(emu, 'POST', '/v1/auth/email/signup', { key: pk, body: { email: 'social@example.com', password: 'secret123' } }), status: 409, code: 'auth/account-exists-different-provider' },
      { name: 'no API key', body: (code) => ({ code }), key: () => '', status: 401, code: 'auth/unauthorized' },
    ]
    for (const f of failures) {
      it(`a guest calling back with ${f.name} → ${f.status} ${f.code}`, async () => {
        const code = await idpCode(emu, 'google', { email: 'social@example.com' })
        await f.before?.()
        const reply = await callback(f.provider ?? 'google', await f.body(code), f.key ? f.key() : pk)
        expect(reply.status, JSON.stringify(reply.body)).to.equal(f.status)
        expect(reply.body.error?.code).to.equal(f.code)
      })
    }

    it('a banned user signing in through the provider → 403 auth/account-banned', async () => {
      const first = await callback('google', { code: await idpCode(emu, 'google', { email: 'ban@example.com' }) })
      const env = emu.seed.environment.id
      const user = emu.core.auth.pool.get(env, (first.body.user as { id: string }).id)!
      await emu.core.auth.pool.db(env).put('users', { ...user, banned: true })
      const again = await callback('google', { code: await idpCode(emu, 'google', { email: 'ban@example.com' }) })
      expect(again.status).to.equal(403)
      expect(again.body.error?.code).to.equal('auth/account-banned')
    })
  })

  describe('server-built URL and redirecting callback (Flow B)', () => {
    /** Runs the provider page the way a browser would after following the authorization URL. */
    const throughProvider = async (authorizationUrl: string, fields: Record<string, string>) => {
      const url = new URL(authorizationUrl)
      const reply = await postIdp(url.pathname.split('/')[3] as string, { ...Object.fromEntries(url.searchParams), ...fields })
      expect(reply.status).to.equal(302)
      return new URL(reply.location as string)
    }
    const start = async (provider = 'google', redirect = APP_REDIRECT) => {
      const reply = await rest(emu, 'GET', `/v1/auth/${provider}/authorize?redirect=${encodeURIComponent(redirect)}`, { key: pk })
      expect(reply.status).to.equal(200)
      return reply.body.authorizationUrl as string
    }
    const land = async (callbackUrl: URL): Promise<URL> => {
      const reply: Reply = await rest(emu, 'GET', callbackUrl.pathname + callbackUrl.search)
      expect(reply.status, JSON.stringify(reply.body)).to.equal(302)
      return new URL(reply.headers.get('location') as string)
    }

    it('builds the provider URL with the project client id, the server callback, scopes and a 24-hex state', async () => {
      const url = new URL(await start('google'))
      expect(`${url.origin}${url.pathname}`).to.equal(`${emu.url}/_emulator/oauth/google/authorize`)
      expect(Object.fromEntries(url.searchParams)).to.include({ client_id: 'emulator-google-client-id', redirect_uri: `${emu.url}/v1/auth/google/callback`, response_type: 'code', scope: 'openid email profile' })
      expect(url.searchParams.get('state')).to.match(/^[0-9a-f]{24}$/)
    })

    it('completes at the app redirect with a working token pair and isNewUser', async () => {
      const back = await throughProvider(await start('github', 'http://app.test/done?from=login'), { email: 'flowb@example.com', action: 'approve' })
      expect(`${back.origin}${back.pathname}`).to.equal(`${emu.url}/v1/auth/github/callback`)
      const landed = await land(back)
      expect(`${landed.origin}${landed.pathname}`).to.equal('http://app.test/done')
      expect(Object.fromEntries(landed.searchParams)).to.include({ from: 'login', expiresIn: '3600', isNewUser: 'true' })
      const me = await rest(emu, 'GET', '/v1/auth/me', { key: pk, token: landed.searchParams.get('accessToken') as string })
      expect(me.body.email).to.equal('flowb@example.com')
      const refreshed = await rest(emu, 'POST', '/v1/auth/refresh', { key: pk, body: { refreshToken: landed.searchParams.get('refreshToken') } })
      expect(refreshed.status).to.equal(200)
    })

    it('sends provider cancellations and sign-in failures to the app as error and errorMessage', async () => {
      const cancelled = await land(await throughProvider(await start(), { action: 'cancel' }))
      expect(cancelled.searchParams.get('error')).to.equal('auth/invalid-oauth-code')
      expect(cancelled.searchParams.get('errorMessage')).to.include('access_denied')
      await rest(emu, 'POST', '/v1/auth/email/signup', { key: pk, body: { email: 'taken@example.com', password: 'secret123' } })
      const conflict = await land(await throughProvider(await start(), { email: 'taken@example.com', action: 'approve' }))
      expect(conflict.searchParams.get('error')).to.equal('auth/account-exists-different-provider')
      expect(conflict.searchParams.has('accessToken')).to.equal(false)
    })

    it('a state used twice, expired, or of another provider has no redirect: 401 auth/invalid-oauth-code', async () => {
      const back = await throughProvider(await start(), { email: 'once@example.com', action: 'approve' })
      await land(back)
      const expiredBack = await throughProvider(await start(), { email: 'late@example.com', action: 'approve' })
      emu.core.clock.advance(601)
      const otherBack = await throughProvider(await start(), { email: 'other@example.com', action: 'approve' })
      for (const url of [back, expiredBack, new URL(otherBack.href.replace('/google/', '/github/'))]) {
        const reply = await rest(emu, 'GET', url.pathname + url.search)
        expect(reply.status).to.equal(401)
        expect(reply.body.error?.code).to.equal('auth/invalid-oauth-code')
      }
    })

    const failures: Array<[string, string, boolean, number, string]> = [
      ['no redirect', '/v1/auth/google/authorize', true, 400, 'auth/invalid-request'],
      ['a relative redirect', '/v1/auth/google/authorize?redirect=%2Fhome', true, 400, 'auth/invalid-request'],
      ['an unsupported provider', `/v1/auth/apple/authorize?redirect=${encodeURIComponent(APP_REDIRECT)}`, true, 400, 'auth/unsupported-provider'],
      ['no API key', `/v1/auth/google/authorize?redirect=${encodeURIComponent(APP_REDIRECT)}`, false, 401, 'auth/unauthorized'],
      ['a callback with neither API key nor state', '/v1/auth/google/callback?code=abc', false, 401, 'auth/unauthorized'],
      ['a callback state for an unsupported provider', '/v1/auth/apple/callback?code=abc&state=0123', false, 400, 'auth/unsupported-provider'],
    ]
    for (const [what, path, withKey, status, code] of failures) {
      it(`${what} → ${status} ${code}`, async () => {
        const reply = await rest(emu, 'GET', path, { key: withKey ? pk : undefined })
        expect(reply.status).to.equal(status)
        expect(reply.body.error?.code).to.equal(code)
      })
    }

    it('a disabled provider → 400 auth/oauth-not-configured', async () => {
      await setProvider('github', false)
      const reply = await rest(emu, 'GET', `/v1/auth/github/authorize?redirect=${encodeURIComponent(APP_REDIRECT)}`, { key: pk })
      expect(reply.status).to.equal(400)
      expect(reply.body.error?.code).to.equal('auth/oauth-not-configured')
    })
  })
})
