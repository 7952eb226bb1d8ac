import { expect } from 'chai'
import { consoleActor, consoleCookieName, consoleSession } from '../../src/emulator/http/console/session.js'
import type { FastifyRequest } from 'fastify'
import { authClient } from '../helpers/auth-client.js'
import { join } from '../helpers/teams.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { authorizeUrl, initializeMessage, pkce, registerClient, REDIRECT } from '../helpers/oauth.js'

interface Attempt {
  name: string
  method?: string
  path: string
  headers: Record<string, string>
  body?: unknown
}

/**
 * Tenant credentials (tenant token, console session cookie) and user credentials (API keys, user tokens) are never
 * usable for each other, on every surface: `/v1`, `/mcp`, the `/_emulator` controls and the console.
 */
describe('http: tenant and user credentials stay apart on every surface', function () {
  this.timeout(30_000)
  let emu: TestEmulator
  let userToken: string
  let cookie: string
  before(async () => {
    emu = await startEmulator()
    userToken = (await authClient(emu).signUp('user@example.com')).accessToken
    const { url } = await emu.core.consoleSessions.signInUrl(emu.seed.tenantId)
    const signedIn = await fetch(url, { redirect: 'manual' })
    cookie = (signedIn.headers.get('set-cookie') as string).split(';')[0] as string
    // A second tenant, so the consent page needs a console session.
    await emu.core.tenants.signIn({ email: 'second@example.com' })
  })
  after(() => emu.dispose())

  const send = async (attempt: Attempt) => {
    const response = await fetch(emu.url + attempt.path, {
      method: attempt.method ?? 'GET',
      redirect: 'manual',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...attempt.headers },
      body: attempt.body === undefined ? undefined : JSON.stringify(attempt.body),
    })
    const text = await response.text()
    return { status: response.status, text, location: response.headers.get('location') }
  }

  it('a tenant token or a console cookie is no user credential on /v1', async () => {
    const { tenantToken } = emu.seed
    const pk = emu.seed.environment.publishableKey
    const attempts: Attempt[] = [
      { name: 'tenant token as the API key (X-API-Key)', path: '/v1/data/anything', headers: { 'x-api-key': tenantToken } },
      { name: 'tenant token as bearer, no key', path: '/v1/data/anything', headers: { authorization: `Bearer ${tenantToken}` } },
      { name: 'tenant token as the user JWT beside a key', path: '/v1/auth/me', headers: { 'x-api-key': pk, authorization: `Bearer ${tenantToken}` } },
      { name: 'tenant token as the user JWT listing users', path: '/v1/users', headers: { 'x-api-key': pk, authorization: `Bearer ${tenantToken}` } },
      { name: 'tenant token as the user JWT on files', path: '/v1/files', headers: { 'x-api-key': pk, authorization: `Bearer ${tenantToken}` } },
      { name: 'console cookie alone on data', path: '/v1/data/anything', headers: { cookie } },
      { name: 'console cookie beside a key on /auth/me', path: '/v1/auth/me', headers: { 'x-api-key': pk, cookie } },
    ]
    expect(attempts).to.have.length(7)
    for (const attempt of attempts) {
      const { status, text } = await send(attempt)
      expect(status, `${attempt.name}: ${text}`).to.equal(401)
      expect(JSON.parse(text).success, attempt.name).to.equal(false)
    }
  })

  it('API keys, user tokens and the console cookie are no tenant token on /mcp and the controls', async () => {
    const { publishableKey, secretKey } = emu.seed.environment
    const wrong: Array<[string, Record<string, string>]> = [
      ['no credential', {}],
      ['user access token', { authorization: `Bearer ${userToken}` }],
      ['secret key as bearer', { authorization: `Bearer ${secretKey}` }],
      ['publishable key as bearer', { authorization: `Bearer ${publishableKey}` }],
      ['secret key as X-API-Key', { 'x-api-key': secretKey }],
      ['console cookie', { cookie }],
    ]
    const surfaces: Array<Omit<Attempt, 'headers' | 'name'>> = [
      { method: 'POST', path: '/mcp', body: initializeMessage() },
      { path: '/_emulator/mailbox' },
      { path: '/_emulator/clock' },
      { method: 'POST', path: '/_emulator/console/signin-url', body: {} },
      { path: '/_emulator/logs' },
    ]
    expect(wrong.length * surfaces.length).to.equal(30)
    for (const surface of surfaces) {
      for (const [name, headers] of wrong) {
        const { status, text } = await send({ ...surface, name, headers })
        expect(status, `${name} on ${surface.path}: ${text}`).to.equal(401)
      }
    }
    // The same requests with the tenant token pass, so the 401s above are about the credential.
    expect((await send({ name: 'tenant', path: '/_emulator/clock', headers: { authorization: `Bearer ${emu.seed.tenantToken}` } })).status).to.equal(200)
  })

  it('nothing but the console cookie opens the console or signs in at the consent page', async () => {
    const { tenantToken, environment } = emu.seed
    const presented: Array<[string, Record<string, string>, string]> = [
      ['tenant token as bearer', { authorization: `Bearer ${tenantToken}` }, ''],
      ['tenant token in the query', {}, `access_token=${tenantToken}&token=${tenantToken}`],
      ['user access token as bearer', { authorization: `Bearer ${userToken}` }, ''],
      ['user access token as a cookie of that name', { cookie: `${consoleCookieName(emu.core)}=${userToken}` }, ''],
      ['secret key', { 'x-api-key': environment.secretKey }, ''],
    ]
    expect(presented).to.have.length(5)
    const { challenge } = pkce()
    const { client_id: clientId } = await registerClient(emu.url)
    const authorize = authorizeUrl(emu.url, { response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256' }).slice(emu.url.length)
    for (const [name, headers, query] of presented) {
      const page = await send({ name, path: `/_/signin${query ? `?${query}` : ''}`, headers })
      expect(page.status, name).to.equal(200)
      expect(page.text, name).to.not.include('id="signed-in"')
      const consent = await send({ name, path: `${authorize}${query ? `&${query}` : ''}`, headers })
      expect(consent.status, name).to.equal(302)
      expect(consent.location, name).to.match(/^\/_\/signin\?next=%2Fmcp%2Foauth%2Fauthorize%3F/)
    }
    // With the cookie, both know the tenant.
    expect((await send({ name: 'cookie', path: '/_/signin', headers: { cookie } })).text).to.include('id="signed-in"')
    const consent = await send({ name: 'cookie', path: authorize, headers: { cookie } })
    expect(consent.status).to.equal(200)
    expect(consent.text).to.include('developer@localhost')
  })

  it('a removed member’s console session and tokens stop working in that organization at once', async () => {
    const { tenant } = await emu.core.tenants.signIn({ email: 'leaver@example.com', name: 'Leaver' })
    const local = emu.seed.organizationId
    await join(emu, emu.actor, tenant.id, 'leaver@example.com', 'member')
    const { url } = await emu.core.consoleSessions.signInUrl(tenant.id)
    const leaverCookie = ((await fetch(url, { redirect: 'manual' })).headers.get('set-cookie') as string).split(';')[0] as string
    const request = { headers: { cookie: leaverCookie } } as unknown as FastifyRequest
    expect(emu.core.orgs.authorize(consoleActor(consoleSession(emu.core, request)!, local), 'table:manage')).to.equal('member')
    const token = (await emu.core.tenantTokens.mint({ tenantId: tenant.id, organizationId: local, scopes: ['project:read'], clientId: 'bkend-cli', lifetimeSeconds: 3600 })).token
    const mcp = () => send({ name: 'member', method: 'POST', path: '/mcp', headers: { authorization: `Bearer ${token}` }, body: initializeMessage() })
    expect((await mcp()).status).to.equal(200)
    const { client_id: clientId } = await registerClient(emu.url)
    const consentPath = authorizeUrl(emu.url, { response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, code_challenge: pkce().challenge, code_challenge_method: 'S256' }).slice(emu.url.length)
    expect((await send({ name: 'member', path: consentPath, headers: { cookie: leaverCookie } })).text).to.include(`<option value="${local}"`)

    await emu.core.members.remove(emu.actor, { tenantId: tenant.id })

    // Re-read on the next request: the session still names the tenant, but acts in `local` no more.
    const after = consoleSession(emu.core, request)!
    expect(after.tenant.id).to.equal(tenant.id)
    expect(() => emu.core.orgs.authorize(consoleActor(after, local), 'organization:read')).to.throw('not a member')
    expect((await mcp()).status).to.equal(401)
    const consent = await send({ name: 'removed', path: consentPath, headers: { cookie: leaverCookie } })
    expect(consent.status).to.equal(200)
    expect(consent.text).to.not.include(`<option value="${local}"`).and.include("Leaver's organization")
  })

  it('a tenant invited before their first sign-in gets no organization of their own, and the consent page cannot approve yet', async () => {
    await emu.core.orgInvitations.invite(emu.actor, { email: 'Invited@example.com', role: 'member' })
    const { tenant, created } = await emu.core.tenants.signIn({ email: 'invited@example.com' })
    expect(created).to.equal(true)
    expect(emu.core.orgs.list(tenant.id)).to.deep.equal([])
    const { url } = await emu.core.consoleSessions.signInUrl(tenant.id)
    const invitedCookie = ((await fetch(url, { redirect: 'manual' })).headers.get('set-cookie') as string).split(';')[0] as string
    const { client_id: clientId } = await registerClient(emu.url)
    const consentPath = authorizeUrl(emu.url, { response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, code_challenge: pkce().challenge, code_challenge_method: 'S256' }).slice(emu.url.length)
    const consent = await send({ name: 'invited', path: consentPath, headers: { cookie: invitedCookie } })
    expect(consent.status).to.equal(200)
    expect(consent.text).to.include('id="no-organization"').and.include('value="approve" disabled').and.not.include('<option')
  })
})
