import { expect } from 'chai'
import { auth, UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { MCP_SCOPES } from '../../src/contract/scopes.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { MemoryOAuthProvider, toolErrorCode, toolJson } from '../helpers/mcp-client.js'
import { initializeMessage, postForm, rpc } from '../helpers/oauth.js'

const REDIRECT = 'http://127.0.0.1:45123/oauth/callback'

describe('e2e: MCP client OAuth against bkend dev (SDK auth flow)', function () {
  this.timeout(30_000)
  let emu: TestEmulator
  before(async () => (emu = await startEmulator({ oauthAutoApprove: true })))
  after(() => emu.dispose())

  it('401 on initialize carries the discovery header; a bad token adds error="invalid_token"', async () => {
    const none = await rpc(emu.mcpUrl, initializeMessage())
    expect(none.status).to.equal(401)
    expect(none.headers.get('www-authenticate')).to.equal(`Bearer resource_metadata="${emu.url}/.well-known/oauth-protected-resource/mcp"`)
    expect(none.body).to.deep.include({ jsonrpc: '2.0', error: { code: -32001, message: 'Unauthorized: send Authorization: Bearer <access token>' } })
    const bad = await rpc(emu.mcpUrl, initializeMessage(), { authorization: 'Bearer not.a.jwt' })
    expect(bad.status).to.equal(401)
    expect(bad.headers.get('www-authenticate')).to.match(/^Bearer resource_metadata="[^"]+", error="invalid_token"/)
    expect((bad.body as { error: { code: number } }).error.code).to.equal(-32001)
  })

  it('discovers, registers, authorizes with PKCE and connects, all through the SDK', async () => {
    const provider = new MemoryOAuthProvider(REDIRECT)
    const first = new StreamableHTTPClientTransport(new URL(emu.mcpUrl), { authProvider: provider })
    const client = new Client({ name: 'oauth-e2e', version: '1.0.0' })
    let failure: unknown
    await client.connect(first).catch((error) => (failure = error))
    expect(failure).to.be.instanceOf(UnauthorizedError)
    expect(provider.clientInformation()?.client_id).to.match(/^dyn-[0-9a-f]{24}$/)
    expect(provider.authorizationUrl?.searchParams.get('code_challenge_method')).to.equal('S256')
    expect(provider.authorizationUrl?.searchParams.get('resource')).to.equal(`${emu.url}/mcp`)
    expect(provider.code).to.match(/^[0-9a-f]{32}$/)

    await first.finishAuth(provider.code as string)
    const tokens = provider.tokens()
    expect(tokens?.scope?.split(' ')).to.have.members([...MCP_SCOPES])
    expect(tokens?.refresh_token).to.match(/^[0-9a-f]{64}$/)

    const second = new StreamableHTTPClientTransport(new URL(emu.mcpUrl), { authProvider: provider })
    const connected = new Client({ name: 'oauth-e2e', version: '1.0.0' })
    await connected.connect(second)
    const orgs = toolJson<{ items: Array<{ id: string }> }>(await connected.callTool({ name: 'backend_org_list', arguments: {} }))
    expect(orgs.items.map((o) => o.id)).to.deep.equal([emu.seed.organizationId])
    await connected.close()
  })

  it('works when the client was configured with localhost instead of 127.0.0.1', async () => {
    const aliasUrl = emu.mcpUrl.replace('127.0.0.1', 'localhost')
    const unauthorized = await rpc(aliasUrl, initializeMessage())
    expect(unauthorized.headers.get('www-authenticate')).to.include(`resource_metadata="${emu.url.replace('127.0.0.1', 'localhost')}/.well-known`)
    const provider = new MemoryOAuthProvider(REDIRECT)
    expect(await auth(provider, { serverUrl: aliasUrl })).to.equal('REDIRECT')
    expect(provider.authorizationUrl?.searchParams.get('resource')).to.equal(aliasUrl)
    expect(await auth(provider, { serverUrl: aliasUrl, authorizationCode: provider.code })).to.equal('AUTHORIZED')
    const client = new Client({ name: 'alias', version: '1.0.0' })
    await client.connect(new StreamableHTTPClientTransport(new URL(aliasUrl), { authProvider: provider }))
    expect(toolJson<{ items: unknown[] }>(await client.callTool({ name: 'backend_env_list', arguments: {} })).items).to.have.length(1)
    await client.close()
  })

  it('refreshes through auth(): the rotated refresh token replaces the old one, which then fails', async () => {
    const provider = new MemoryOAuthProvider(REDIRECT)
    expect(await auth(provider, { serverUrl: emu.mcpUrl })).to.equal('REDIRECT')
    expect(await auth(provider, { serverUrl: emu.mcpUrl, authorizationCode: provider.code })).to.equal('AUTHORIZED')
    const before = provider.tokens()!
    expect(await auth(provider, { serverUrl: emu.mcpUrl })).to.equal('AUTHORIZED')
    const after = provider.tokens()!
    expect(after.refresh_token).to.not.equal(before.refresh_token)
    const clientId = provider.clientInformation()!.client_id
    const stale = await postForm(`${emu.url}/mcp/oauth/token`, { grant_type: 'refresh_token', refresh_token: before.refresh_token as string, client_id: clientId })
    expect(stale.status).to.equal(400)
    expect(stale.body).to.include({ error: 'invalid_grant' })
    expect((await rpc(emu.mcpUrl, initializeMessage(), { authorization: `Bearer ${after.access_token}` })).status).to.equal(200)
  })

  it('a token without a tool\'s scope gets SCOPE_INSUFFICIENT (tools) and -32001 (resources)', async () => {
    const provider = new MemoryOAuthProvider(REDIRECT)
    await auth(provider, { serverUrl: emu.mcpUrl, scope: 'project:read' })
    await auth(provider, { serverUrl: emu.mcpUrl, authorizationCode: provider.code })
    expect(provider.tokens()?.scope).to.equal('project:read')
    const client = new Client({ name: 'scoped', version: '1.0.0' })
    await client.connect(new StreamableHTTPClientTransport(new URL(emu.mcpUrl), { authProvider: provider }))
    const listed = toolJson<{ items: unknown[] }>(await client.callTool({ name: 'backend_project_list', arguments: {} }))
    expect(listed.items).to.have.length(1)
    const refused = await client.callTool({ name: 'backend_project_create', arguments: { organizationId: emu.seed.organizationId, slug: 'nope', name: 'Nope', primaryCloud: 'aws', primaryRegion: 'local' } })
    expect(toolErrorCode(refused)).to.equal('SCOPE_INSUFFICIENT')
    expect(toolJson<{ error: { message: string } }>(refused).error.message).to.include('project:create')
    expect(emu.core.projects.list(emu.actor).map((p) => p.slug)).to.not.include('nope')
    let code: number | undefined
    await client.readResource({ uri: 'bkend://organizations' }).catch((error: { code: number }) => (code = error.code))
    expect(code).to.equal(-32001)
    await client.close()
  })
})
