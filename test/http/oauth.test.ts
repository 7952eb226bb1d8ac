import { expect } from 'chai'
import { MCP_SCOPES } from '../../src/contract/scopes.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { authorizeCode, authorizeUrl, initializeMessage, pkce, postForm, REDIRECT, registerClient, rpc } from '../helpers/oauth.js'

describe('http: OAuth 2.1 authorization server of /mcp', function () {
  let emu: TestEmulator
  before(async () => (emu = await startEmulator({ oauthAutoApprove: true })))
  after(() => emu.dispose())

  const token = (form: Record<string, string>, headers?: Record<string, string>) => postForm(`${emu.url}/mcp/oauth/token`, form, headers)
  const mcpStatus = async (accessToken: string) => (await rpc(emu.mcpUrl, initializeMessage(), { authorization: `Bearer ${accessToken}` })).status

  describe('metadata', () => {
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/oauth-authorization-server/mcp']) {
      it(`RFC 8414 at ${path}`, async () => {
        const body = await (await fetch(emu.url + path)).json()
        expect(body).to.deep.equal({
          issuer: `${emu.url}/mcp`,
          authorization_endpoint: `${emu.url}/mcp/oauth/authorize`,
          token_endpoint: `${emu.url}/mcp/oauth/token`,
          registration_endpoint: `${emu.url}/mcp/oauth/register`,
          revocation_endpoint: `${emu.url}/mcp/oauth/revoke`,
          response_types_supported: ['code'],
          grant_types_supported: ['authorization_code', 'refresh_token'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
          revocation_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
          scopes_supported: [...MCP_SCOPES],
        })
      })
    }
    for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
      it(`RFC 9728 at ${path}`, async () => {
        const body = await (await fetch(emu.url + path)).json()
        expect(body).to.deep.equal({ resource: `${emu.url}/mcp`, authorization_servers: [`${emu.url}/mcp`], bearer_methods_supported: ['header'], scopes_supported: [...MCP_SCOPES], resource_name: 'bkend (local emulator)' })
      })
    }
  })

  describe('dynamic registration', () => {
    it('registers a public client with a dyn- id and defaults', async () => {
      const client = await registerClient(emu.url, { redirect_uris: ['http://127.0.0.1:5000/cb', 'cursor://anysphere.cursor-retrieval/oauth/callback'] })
      expect(client.client_id).to.match(/^dyn-[0-9a-f]{24}$/)
      expect(client).to.deep.include({ client_name: 'Test Client', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' })
      expect(client).to.not.have.property('client_secret')
      expect(client.client_id_issued_at).to.be.a('number')
    })

    it('issues a 64-hex secret for client_secret_post, stored only hashed', async () => {
      const client = await registerClient(emu.url, { token_endpoint_auth_method: 'client_secret_post' })
      expect(client.client_secret).to.match(/^[0-9a-f]{64}$/)
      expect(client.client_secret_expires_at).to.equal(0)
      const stored = emu.core.store.control.collection('oauthClients').get(client.client_id)
      expect(JSON.stringify(stored)).to.not.include(client.client_secret as string)
    })

    const bad: Array<[string, unknown, string]> = [
      ['no redirect_uris', {}, 'invalid_redirect_uri'],
      ['empty redirect_uris', { redirect_uris: [] }, 'invalid_redirect_uri'],
      ['plain http on a public host', { redirect_uris: ['http://example.com/cb'] }, 'invalid_redirect_uri'],
      ['a fragment', { redirect_uris: ['https://example.com/cb#x'] }, 'invalid_redirect_uri'],
      ['javascript: URI', { redirect_uris: ['javascript:alert(1)'] }, 'invalid_redirect_uri'],
      ['an unknown auth method', { redirect_uris: [REDIRECT], token_endpoint_auth_method: 'private_key_jwt' }, 'invalid_client_metadata'],
      ['an implicit grant', { redirect_uris: [REDIRECT], grant_types: ['implicit'] }, 'invalid_client_metadata'],
      ['an unknown scope', { redirect_uris: [REDIRECT], scope: 'project:read root:all' }, 'invalid_client_metadata'],
    ]
    for (const [name, body, error] of bad) {
      it(`rejects ${name} → 400 ${error}`, async () => {
        const response = await fetch(`${emu.url}/mcp/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
        expect(response.status).to.equal(400)
        expect(await response.json()).to.include({ error })
      })
    }
  })

  describe('authorization endpoint', () => {
    let clientId: string
    const { challenge } = pkce()
    before(async () => ({ client_id: clientId } = await registerClient(emu.url)))
    const base = () => ({ response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 'xyz' })

    it('unknown client → 400 HTML page, never a redirect', async () => {
      const response = await fetch(authorizeUrl(emu.url, { ...base(), client_id: 'dyn-000000000000000000000000' }), { redirect: 'manual' })
      expect(response.status).to.equal(400)
      expect(response.headers.get('content-type')).to.match(/text\/html/)
      expect(await response.text()).to.include('Unknown client_id')
    })

    it('unregistered redirect_uri → 400 page', async () => {
      const response = await fetch(authorizeUrl(emu.url, { ...base(), redirect_uri: 'http://localhost:9/other' }), { redirect: 'manual' })
      expect(response.status).to.equal(400)
      expect(response.headers.get('location')).to.equal(null)
    })

    const redirects: Array<[string, Record<string, string | undefined>, string]> = [
      ['response_type=token', { response_type: 'token' }, 'unsupported_response_type'],
      ['no code_challenge', { code_challenge: undefined }, 'invalid_request'],
      ['code_challenge_method=plain', { code_challenge_method: 'plain' }, 'invalid_request'],
      ['no code_challenge_method', { code_challenge_method: undefined }, 'invalid_request'],
      ['an unknown scope', { scope: 'project:read project:explode' }, 'invalid_scope'],
      ['a foreign resource', { resource: 'https://example.com/mcp' }, 'invalid_target'],
    ]
    for (const [name, override, error] of redirects) {
      it(`${name} → 302 to the client with error=${error} and the state`, async () => {
        const response = await fetch(authorizeUrl(emu.url, { ...base(), ...override }), { redirect: 'manual' })
        expect(response.status).to.equal(302)
        const location = new URL(response.headers.get('location') as string)
        expect(`${location.origin}${location.pathname}`).to.equal(REDIRECT)
        expect(location.searchParams.get('error')).to.equal(error)
        expect(location.searchParams.get('state')).to.equal('xyz')
      })
    }

    it('auto-approve honours organization_id and refuses organizations of others', async () => {
      const org = await emu.core.orgs.create(emu.seed.tenantId, { name: 'Auto Org' })
      const { verifier, challenge } = pkce()
      const code = await authorizeCode(emu.url, clientId, challenge, { organization_id: org.id })
      const tokens = await postForm(`${emu.url}/mcp/oauth/token`, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier })
      expect(JSON.parse(Buffer.from((tokens.body.access_token as string).split('.')[1] as string, 'base64url').toString()).org).to.equal(org.id)
      const foreign = await fetch(authorizeUrl(emu.url, { ...base(), organization_id: 'f'.repeat(24) }), { redirect: 'manual' })
      expect(new URL(foreign.headers.get('location') as string).searchParams.get('error')).to.equal('invalid_request')
    })

    it('the built-in bkend-cli client accepts any loopback http callback, nothing else', async () => {
      const cli = (redirect: string) => fetch(authorizeUrl(emu.url, { ...base(), client_id: 'bkend-cli', redirect_uri: redirect }), { redirect: 'manual' })
      const loopback = await cli('http://127.0.0.1:53682/callback')
      expect(loopback.status).to.equal(302)
      expect(new URL(loopback.headers.get('location') as string).searchParams.get('code')).to.match(/^[0-9a-f]{32}$/)
      expect((await cli('https://example.com/callback')).status).to.equal(400)
    })

    it('auto-approve only for loopback redirect URIs: any other host gets the consent page', async () => {
      const hosts = ['http://127.0.0.1:41234/cb', 'http://[::1]:8080/cb', 'http://localhost/cb', 'https://app.example/cb', 'cursor://anysphere.cursor-retrieval/oauth/callback']
      const client = await registerClient(emu.url, { redirect_uris: hosts })
      const statuses: number[] = []
      for (const redirect of hosts) {
        const response = await fetch(authorizeUrl(emu.url, { ...base(), client_id: client.client_id, redirect_uri: redirect }), { redirect: 'manual' })
        statuses.push(response.status)
        if (response.status === 200) expect(await response.text()).to.include('Approve')
      }
      expect(statuses).to.deep.equal([302, 302, 302, 200, 200])
    })

    it('auto-approve redirects with a 32-hex code and the state', async () => {
      const response = await fetch(authorizeUrl(emu.url, { ...base(), resource: `${emu.url}/mcp` }), { redirect: 'manual' })
      const location = new URL(response.headers.get('location') as string)
      expect(location.searchParams.get('code')).to.match(/^[0-9a-f]{32}$/)
      expect(location.searchParams.get('state')).to.equal('xyz')
    })
  })

  describe('token endpoint', () => {
    let clientId: string
    before(async () => ({ client_id: clientId } = await registerClient(emu.url)))
    const exchange = (code: string, verifier: string, extra: Record<string, string> = {}, headers?: Record<string, string>) =>
      token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier, ...extra }, headers)

    it('exchanges a code for tokens (no-store), and the access token opens /mcp', async () => {
      const { verifier, challenge } = pkce()
      const response = await exchange(await authorizeCode(emu.url, clientId, challenge, { scope: 'project:read organization:read' }), verifier)
      expect(response.status).to.equal(200)
      expect(response.headers.get('cache-control')).to.equal('no-store')
      expect(response.body).to.include({ token_type: 'Bearer', expires_in: 3600, scope: 'project:read organization:read' })
      expect(response.body.refresh_token).to.match(/^[0-9a-f]{64}$/)
      const claims = JSON.parse(Buffer.from((response.body.access_token as string).split('.')[1] as string, 'base64url').toString())
      expect(claims).to.include({ iss: `${emu.url}/mcp`, aud: `${emu.url}/mcp`, sub: emu.seed.tenantId, org: emu.seed.organizationId, scope: 'project:read organization:read', client_id: clientId })
      expect(claims.exp - claims.iat).to.equal(3600)
      expect(await mcpStatus(response.body.access_token as string)).to.equal(200)
    })

    it('answers CORS only to loopback origins, on the request and its preflight, however the path is spelled', async () => {
      const { verifier, challenge } = pkce()
      const evil = await exchange(await authorizeCode(emu.url, clientId, challenge), verifier, {}, { origin: 'https://evil.example' })
      expect(evil.status).to.equal(200)
      expect(evil.headers.get('access-control-allow-origin')).to.equal(null)
      const local = await token({ grant_type: 'refresh_token', refresh_token: evil.body.refresh_token as string, client_id: clientId }, { origin: 'http://localhost:5173' })
      expect(local.status).to.equal(200)
      expect(local.headers.get('access-control-allow-origin')).to.equal('http://localhost:5173')
      for (const path of ['/mcp/oauth/token', '/mcp/oauth/%74oken', '/mcp/oauth/token/']) {
        const preflight = await fetch(emu.url + path, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } })
        expect(preflight.headers.get('access-control-allow-origin'), path).to.equal(null)
      }
      const loopbackPreflight = await fetch(`${emu.url}/mcp/oauth/token`, { method: 'OPTIONS', headers: { origin: 'http://127.0.0.1:3000', 'access-control-request-method': 'POST' } })
      expect(loopbackPreflight.headers.get('access-control-allow-origin')).to.equal('http://127.0.0.1:3000')
    })

    it('checks the RFC 8707 resource: anything but this server\'s /mcp is invalid_target, and no token is issued', async () => {
      const { verifier, challenge } = pkce()
      const code = await authorizeCode(emu.url, clientId, challenge)
      for (const resource of ['https://example.com/mcp', `${emu.url}/v1`, `${emu.url}/mcp?x=1`]) {
        const refused = await exchange(code, verifier, { resource })
        expect(refused.status, resource).to.equal(400)
        expect(refused.body, resource).to.include({ error: 'invalid_target' })
        expect(refused.body.error_description).to.include(`${emu.url}/mcp`)
      }
      const issued = await exchange(code, verifier, { resource: `${emu.url}/mcp` })
      expect(issued.status, 'the refused attempts did not spend the code').to.equal(200)
      const loopbackAlias = `${emu.url.replace('127.0.0.1', 'localhost')}/mcp`
      const refreshed = await token({ grant_type: 'refresh_token', refresh_token: issued.body.refresh_token as string, client_id: clientId, resource: loopbackAlias })
      expect(refreshed.status).to.equal(200)
      expect((await token({ grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token as string, client_id: clientId, resource: 'https://evil.example/mcp' })).body).to.include({ error: 'invalid_target' })
    })

    it('accepts a JSON body too', async () => {
      const { verifier, challenge } = pkce()
      const code = await authorizeCode(emu.url, clientId, challenge)
      const response = await fetch(`${emu.url}/mcp/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier }) })
      expect(response.status).to.equal(200)
      expect(((await response.json()) as { scope: string }).scope.split(' ')).to.have.length(MCP_SCOPES.length)
    })

    it('rejects a wrong code_verifier with invalid_grant', async () => {
      const { challenge } = pkce()
      const response = await exchange(await authorizeCode(emu.url, clientId, challenge), pkce().verifier)
      expect(response.status).to.equal(400)
      expect(response.body).to.include({ error: 'invalid_grant' })
      expect(response.headers.get('cache-control')).to.equal('no-store')
    })

    it('rejects a mismatching redirect_uri', async () => {
      const { verifier, challenge } = pkce()
      const response = await exchange(await authorizeCode(emu.url, clientId, challenge), verifier, { redirect_uri: 'http://localhost:33418/other' })
      expect(response.body).to.include({ error: 'invalid_grant' })
    })

    it('a replayed code fails and revokes the tokens it produced', async () => {
      const { verifier, challenge } = pkce()
      const code = await authorizeCode(emu.url, clientId, challenge)
      const first = await exchange(code, verifier)
      expect(await mcpStatus(first.body.access_token as string)).to.equal(200)
      const replay = await exchange(code, verifier)
      expect(replay.status).to.equal(400)
      expect(replay.body).to.include({ error: 'invalid_grant' })
      expect(await mcpStatus(first.body.access_token as string)).to.equal(401)
      const refreshed = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string, client_id: clientId })
      expect(refreshed.body).to.include({ error: 'invalid_grant' })
    })

    it('codes expire after 10 minutes on the emulator clock', async () => {
      const { verifier, challenge } = pkce()
      const code = await authorizeCode(emu.url, clientId, challenge)
      emu.core.clock.advance(601)
      try {
        expect((await exchange(code, verifier)).body).to.include({ error: 'invalid_grant', error_description: 'The authorization code has expired' })
      } finally {
        emu.core.clock.advance(-601)
      }
    })

    it('rotates refresh tokens: the old one stops working, scope may narrow', async () => {
      const { verifier, challenge } = pkce()
      const first = await exchange(await authorizeCode(emu.url, clientId, challenge), verifier)
      const second = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string, client_id: clientId, scope: 'project:read' })
      expect(second.status).to.equal(200)
      expect(second.body.scope).to.equal('project:read')
      expect(second.body.refresh_token).to.not.equal(first.body.refresh_token)
      const again = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string, client_id: clientId })
      expect(again.status).to.equal(400)
      expect(again.body).to.include({ error: 'invalid_grant' })
      const wider = await token({ grant_type: 'refresh_token', refresh_token: second.body.refresh_token as string, client_id: clientId, scope: 'project:read root:all' })
      expect(wider.body).to.include({ error: 'invalid_scope' })
    })

    it('refresh tokens expire after 30 days', async () => {
      const { verifier, challenge } = pkce()
      const first = await exchange(await authorizeCode(emu.url, clientId, challenge), verifier)
      emu.core.clock.advance(30 * 24 * 3600 + 1)
      try {
        expect((await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string, client_id: clientId })).body).to.include({ error: 'invalid_grant' })
      } finally {
        emu.core.clock.advance(-(30 * 24 * 3600 + 1))
      }
    })

    it('answers unsupported_grant_type, invalid_request and 401 invalid_client', async () => {
      expect((await token({ grant_type: 'password', client_id: clientId })).body).to.include({ error: 'unsupported_grant_type' })
      expect((await token({ client_id: clientId })).body).to.include({ error: 'invalid_request' })
      const unknown = await token({ grant_type: 'authorization_code', code: 'x', client_id: 'dyn-ffffffffffffffffffffffff', code_verifier: 'y', redirect_uri: REDIRECT })
      expect(unknown.status).to.equal(401)
      expect(unknown.body).to.include({ error: 'invalid_client' })
    })

    it('authenticates confidential clients by their registered method', async () => {
      const basic = await registerClient(emu.url, { token_endpoint_auth_method: 'client_secret_basic' })
      const { verifier, challenge } = pkce()
      const code = await authorizeCode(emu.url, basic.client_id, challenge)
      const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }
      const wrong = await token(form, { authorization: `Basic ${Buffer.from(`${basic.client_id}:nope`).toString('base64')}` })
      expect(wrong.status).to.equal(401)
      expect(wrong.body).to.include({ error: 'invalid_client' })
      const inBody = await token({ ...form, client_id: basic.client_id, client_secret: basic.client_secret as string })
      expect(inBody.status, 'secret in the body for a client_secret_basic client').to.equal(401)
      const right = await token(form, { authorization: `Basic ${Buffer.from(`${basic.client_id}:${basic.client_secret as string}`).toString('base64')}` })
      expect(right.status).to.equal(200)
    })
  })

  describe('revocation', () => {
    let clientId: string
    before(async () => ({ client_id: clientId } = await registerClient(emu.url)))
    const tokens = async () => {
      const { verifier, challenge } = pkce()
      const code = await authorizeCode(emu.url, clientId, challenge)
      return (await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: clientId, code_verifier: verifier })).body as { access_token: string; refresh_token: string }
    }
    const revoke = (value: string) => postForm(`${emu.url}/mcp/oauth/revoke`, { token: value, client_id: clientId })

    it('revoking a refresh token ends its grant and its access tokens', async () => {
      const issued = await tokens()
      const response = await revoke(issued.refresh_token)
      expect(response.status).to.equal(200)
      expect(response.body).to.deep.equal({ text: '' })
      expect(await mcpStatus(issued.access_token)).to.equal(401)
      expect((await token({ grant_type: 'refresh_token', refresh_token: issued.refresh_token, client_id: clientId })).body).to.include({ error: 'invalid_grant' })
    })

    it('revoking an access token ends only that token', async () => {
      const issued = await tokens()
      expect((await revoke(issued.access_token)).status).to.equal(200)
      expect(await mcpStatus(issued.access_token)).to.equal(401)
      expect((await token({ grant_type: 'refresh_token', refresh_token: issued.refresh_token, client_id: clientId })).status).to.equal(200)
    })

    it('the seeded tenant token is revocable like any access token', async () => {
      const { token } = await emu.core.tenantTokens.mint({ tenantId: emu.seed.tenantId, organizationId: emu.seed.organizationId, scopes: ['*:*'], clientId: 'bkend-cli', lifetimeSeconds: 3600 })
      expect(await mcpStatus(token)).to.equal(200)
      expect((await postForm(`${emu.url}/mcp/oauth/revoke`, { token, client_id: 'bkend-cli' })).status).to.equal(200)
      expect(await mcpStatus(token)).to.equal(401)
    })

    it('a token of another client is not revoked, and a wrong client secret is 401', async () => {
      const issued = await tokens()
      const other = await registerClient(emu.url, { token_endpoint_auth_method: 'client_secret_post' })
      expect((await postForm(`${emu.url}/mcp/oauth/revoke`, { token: issued.refresh_token, client_id: other.client_id, client_secret: other.client_secret as string })).status).to.equal(200)
      expect(await mcpStatus(issued.access_token)).to.equal(200)
      expect((await postForm(`${emu.url}/mcp/oauth/revoke`, { token: issued.refresh_token, client_id: other.client_id, client_secret: 'wrong' })).status).to.equal(401)
    })

    it('unknown tokens still get 200', async () => {
      expect((await revoke('not-a-token')).status).to.equal(200)
      expect((await revoke('f'.repeat(64))).status).to.equal(200)
    })

    it('requires client authentication (RFC 7009 §2.1): no client_id is 401, a public client revokes only its own tokens', async () => {
      const issued = await tokens()
      const anonymous = await postForm(`${emu.url}/mcp/oauth/revoke`, { token: issued.refresh_token })
      expect(anonymous.status).to.equal(401)
      expect(anonymous.body).to.include({ error: 'invalid_client' })
      expect(anonymous.body.error_description).to.include('client_id')
      const seeded = emu.seed.tenantToken
      expect((await postForm(`${emu.url}/mcp/oauth/revoke`, { token: seeded })).status).to.equal(401)
      expect((await postForm(`${emu.url}/mcp/oauth/revoke`, { token: seeded, client_id: clientId })).status).to.equal(200)
      expect(await mcpStatus(seeded), 'the tenant token belongs to bkend-cli, not to this client').to.equal(200)
      expect(await mcpStatus(issued.access_token)).to.equal(200)
      expect((await postForm(`${emu.url}/mcp/oauth/revoke`, { client_id: clientId })).body).to.include({ error: 'invalid_request' })
    })

    it('answers no CORS, whatever the origin', async () => {
      const issued = await tokens()
      for (const origin of ['https://evil.example', 'http://localhost:5173']) {
        const response = await postForm(`${emu.url}/mcp/oauth/revoke`, { token: issued.access_token, client_id: clientId }, { origin })
        expect(response.status).to.equal(200)
        expect(response.headers.get('access-control-allow-origin'), origin).to.equal(null)
        const preflight = await fetch(`${emu.url}/mcp/oauth/revoke`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST' } })
        expect(preflight.headers.get('access-control-allow-origin'), origin).to.equal(null)
      }
    })
  })
})
