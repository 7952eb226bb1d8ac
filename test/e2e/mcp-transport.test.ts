import { expect } from 'chai'
import { VERSION } from '../../src/emulator/version.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { connectWithToken } from '../helpers/mcp-client.js'
import { initializeMessage, rpc } from '../helpers/oauth.js'

describe('e2e: /mcp Streamable HTTP transport', function () {
  let emu: TestEmulator
  let auth: Record<string, string>
  before(async () => {
    emu = await startEmulator()
    auth = { authorization: `Bearer ${emu.ready.tenantToken}` }
  })
  after(() => emu.dispose())

  /** Initializes a session and sends `notifications/initialized`; returns the session id. */
  const open = async (version = '2025-06-18') => {
    const init = await rpc(emu.mcpUrl, initializeMessage(version), auth)
    const session = init.headers.get('mcp-session-id') as string
    const note = await rpc(emu.mcpUrl, { jsonrpc: '2.0', method: 'notifications/initialized' }, { ...auth, 'mcp-session-id': session })
    expect(note.status, 'notifications only → 202').to.equal(202)
    return { init, session, headers: { ...auth, 'mcp-session-id': session } }
  }

  it('initialize answers JSON with a 32-hex session id, capabilities, serverInfo and instructions', async () => {
    const { init } = await open()
    expect(init.status).to.equal(200)
    expect(init.headers.get('content-type')).to.match(/^application\/json/)
    expect(init.headers.get('mcp-session-id')).to.match(/^[0-9a-f]{32}$/)
    const result = (init.body as { result: Record<string, unknown> }).result
    expect(result.protocolVersion).to.equal('2025-06-18')
    expect(result.capabilities).to.deep.equal({ tools: { listChanged: false }, resources: { subscribe: false, listChanged: false } })
    expect(result.serverInfo).to.deep.equal({ name: 'bkend', version: VERSION })
    expect(result.instructions).to.include('get_context')
  })

  for (const version of ['2024-11-05', '2025-03-26', '2025-06-18', '2025-11-25']) {
    it(`negotiates ${version}`, async () => {
      const init = await rpc(emu.mcpUrl, initializeMessage(version), auth)
      expect((init.body as { result: { protocolVersion: string } }).result.protocolVersion).to.equal(version)
    })
  }

  it('answers unsupported versions with the newest', async () => {
    for (const version of ['2024-10-07', '1999-01-01']) {
      const init = await rpc(emu.mcpUrl, initializeMessage(version), auth)
      expect((init.body as { result: { protocolVersion: string } }).result.protocolVersion).to.equal('2025-11-25')
    }
  })

  it('ping works; an unsupported MCP-Protocol-Version header → 400', async () => {
    const { headers } = await open()
    const ping = await rpc(emu.mcpUrl, { jsonrpc: '2.0', id: 7, method: 'ping' }, headers)
    expect(ping.body).to.deep.equal({ jsonrpc: '2.0', id: 7, result: {} })
    const bad = await rpc(emu.mcpUrl, { jsonrpc: '2.0', id: 8, method: 'ping' }, { ...headers, 'mcp-protocol-version': '2024-10-07' })
    expect(bad.status).to.equal(400)
  })

  it('missing session id → 400 -32600; unknown → 404 -32002', async () => {
    const missing = await rpc(emu.mcpUrl, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, auth)
    expect(missing.status).to.equal(400)
    expect((missing.body as { error: { code: number } }).error.code).to.equal(-32600)
    const unknown = await rpc(emu.mcpUrl, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { ...auth, 'mcp-session-id': 'f'.repeat(32) })
    expect(unknown.status).to.equal(404)
    expect((unknown.body as { error: { code: number } }).error.code).to.equal(-32002)
  })

  it('DELETE ends the session (204), after which it is 404 -32002', async () => {
    const { headers } = await open()
    const deleted = await fetch(emu.mcpUrl, { method: 'DELETE', headers })
    expect(deleted.status).to.equal(204)
    const after = await rpc(emu.mcpUrl, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, headers)
    expect(after.status).to.equal(404)
    expect((after.body as { error: { code: number } }).error.code).to.equal(-32002)
  })

  it('sessions idle for more than 24 h expire (emulator clock)', async () => {
    const { headers } = await open()
    emu.core.clock.advance(24 * 3600 + 5)
    try {
      const after = await rpc(emu.mcpUrl, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, headers)
      expect(after.status).to.equal(404)
    } finally {
      emu.core.clock.advance(-(24 * 3600 + 5))
    }
  })

  it('GET → 405 (no SSE stream)', async () => {
    const response = await fetch(emu.mcpUrl, { headers: { ...auth, accept: 'text/event-stream' } })
    expect(response.status).to.equal(405)
  })

  it('foreign origins → 403; loopback and own origins pass', async () => {
    expect((await rpc(emu.mcpUrl, initializeMessage(), { ...auth, origin: 'https://evil.example' })).status).to.equal(403)
    expect((await rpc(emu.mcpUrl, initializeMessage(), { ...auth, origin: 'http://localhost:5173' })).status).to.equal(200)
    const own = await rpc(emu.mcpUrl, initializeMessage(), { ...auth, origin: emu.url })
    expect(own.status).to.equal(200)
    expect(own.headers.get('access-control-allow-origin')).to.equal(emu.url)
  })

  it('invalid JSON → -32700', async () => {
    const response = await rpc(emu.mcpUrl, '{"jsonrpc":', auth)
    expect(response.status).to.equal(400)
    expect((response.body as { error: { code: number } }).error.code).to.equal(-32700)
  })

  it('messages that are not valid JSON-RPC requests → 400 -32600 naming the problem, an empty batch included (MCP-D20)', async () => {
    const old = await open('2025-03-26')
    const cases: Array<[unknown, string, number | null]> = [
      [[], 'an empty batch', null],
      [{ jsonrpc: '1.0', id: 2, method: 'ping' }, 'jsonrpc must be "2.0"', 2],
      [{ jsonrpc: '2.0', id: 3 }, 'exactly one of result and error', 3],
      [{ jsonrpc: '2.0', id: { x: 1 }, method: 'ping' }, 'id must be a string or an integer', null],
      [{ jsonrpc: '2.0', id: 5, method: 'tools/call', params: 'x' }, 'params must be an object', 5],
      [[{ jsonrpc: '2.0', id: 6, method: 'ping' }, 7], 'batch message 1', null],
    ]
    expect(cases).to.have.length(6)
    for (const [message, problem, id] of cases) {
      const response = await rpc(emu.mcpUrl, message, old.headers)
      expect(response.status, JSON.stringify(message)).to.equal(400)
      const body = response.body as { error: { code: number; message: string }; id: unknown }
      expect(body.error.code, JSON.stringify(message)).to.equal(-32600)
      expect(body.error.message).to.include(problem)
      expect(body.id).to.equal(id)
    }
    const init = await rpc(emu.mcpUrl, { ...initializeMessage(), jsonrpc: '2' }, auth)
    expect(init.status).to.equal(400)
    expect(init.headers.get('mcp-session-id'), 'no session for an invalid initialize').to.equal(null)
  })

  it('valid requests with invalid params → -32602 with a readable message, not -32603 with a validation dump (MCP-D20)', async () => {
    const { headers } = await open()
    const cases: Array<[string, unknown, string]> = [
      ['tools/call', {}, 'Invalid params for tools/call: name: expected string, received undefined'],
      ['tools/call', { name: 'backend_org_list', arguments: 'x' }, 'Invalid params for tools/call: arguments: expected an object, received string'],
      ['resources/read', {}, 'Invalid params for resources/read: uri: expected string, received undefined'],
      ['tools/list', { cursor: 5 }, 'Invalid params for tools/list: cursor: expected string, received number'],
    ]
    expect(cases).to.have.length(4)
    for (const [index, [method, params, message]] of cases.entries()) {
      const response = await rpc(emu.mcpUrl, { jsonrpc: '2.0', id: 10 + index, method, params }, headers)
      expect(response.status).to.equal(200)
      expect(response.body).to.deep.equal({ jsonrpc: '2.0', id: 10 + index, error: { code: -32602, message } })
    }
    const init = await rpc(emu.mcpUrl, { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18' } }, auth)
    expect((init.body as { error: { code: number; message: string } }).error).to.deep.equal({ code: -32602, message: 'Invalid params for initialize: capabilities: expected object, received undefined; clientInfo: expected object, received undefined' })
  })

  it('an unsupported content type → 415 with a JSON-RPC error body', async () => {
    const response = await fetch(emu.mcpUrl, { method: 'POST', headers: { ...auth, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json, text/event-stream' }, body: 'a=1' })
    expect(response.status).to.equal(415)
    expect(((await response.json()) as { error: { code: number } }).error.code).to.equal(-32600)
  })

  it('batches only on 2025-03-26 / 2024-11-05 sessions', async () => {
    const batch = [
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
    ]
    const old = await open('2025-03-26')
    const ok = await rpc(emu.mcpUrl, batch, old.headers)
    expect(ok.status).to.equal(200)
    expect((ok.body as unknown as Array<{ id: number }>).map((r) => r.id).sort()).to.deep.equal([1, 2])
    const current = await open('2025-06-18')
    expect((await rpc(emu.mcpUrl, batch, current.headers)).status).to.equal(400)
  })

  it('a session is bound to the tenant and organization of its token', async () => {
    const { session } = await open()
    const org = await emu.core.orgs.create(emu.seed.tenantId, { name: 'Other Org' })
    const { token } = await emu.core.tenantTokens.mint({ tenantId: emu.seed.tenantId, organizationId: org.id, scopes: ['*:*'], clientId: 'bkend-cli', lifetimeSeconds: 60 })
    const foreign = await rpc(emu.mcpUrl, { jsonrpc: '2.0', id: 1, method: 'tools/list' }, { authorization: `Bearer ${token}`, 'mcp-session-id': session })
    expect(foreign.status).to.equal(404)
  })

  it('structuredContent only from 2025-06-18 on', async () => {
    const older = await connectWithToken(emu.mcpUrl, emu.ready.tenantToken, '2025-03-26')
    const newer = await connectWithToken(emu.mcpUrl, emu.ready.tenantToken)
    try {
      expect(older.client.getServerCapabilities()).to.have.property('tools')
      const a = await older.client.callTool({ name: 'backend_org_get', arguments: { organizationId: emu.seed.organizationId } })
      expect(a).to.not.have.property('structuredContent')
      const b = await newer.client.callTool({ name: 'backend_org_get', arguments: { organizationId: emu.seed.organizationId } })
      expect(b.structuredContent).to.deep.include({ id: emu.seed.organizationId, slug: 'local' })
    } finally {
      await older.client.close()
      await newer.client.close()
    }
  })

  it('documented tools declare an outputSchema from 2025-06-18 on, and the SDK client accepts their structuredContent (MCP-D20)', async () => {
    const documented = [
      'backend_org_list', 'backend_org_get', 'backend_access_token_list', 'backend_access_token_get', 'backend_project_list', 'backend_project_get',
      'backend_project_create', 'backend_project_update', 'backend_env_list', 'backend_env_get', 'backend_env_create', 'backend_table_list',
      'backend_table_get', 'backend_table_create', 'backend_table_update', 'backend_field_manage', 'backend_index_manage',
      'backend_schema_version_list', 'backend_index_version_list',
    ]
    const older = await connectWithToken(emu.mcpUrl, emu.ready.tenantToken, '2025-03-26')
    const newer = await connectWithToken(emu.mcpUrl, emu.ready.tenantToken)
    try {
      const { tools } = await newer.client.listTools()
      const declaring = tools.filter((t) => t.outputSchema).map((t) => t.name)
      expect(declaring.sort()).to.deep.equal([...documented].sort())
      for (const tool of tools.filter((t) => t.outputSchema)) expect(tool.outputSchema?.type, tool.name).to.equal('object')
      expect((await older.client.listTools()).tools.filter((t) => t.outputSchema)).to.have.length(0)

      // the SDK client checks structuredContent against the declared schema and throws on a mismatch
      const { organizationId, projectId } = emu.seed
      const project = await newer.client.callTool({ name: 'backend_project_get', arguments: { projectId } })
      expect(project.structuredContent).to.deep.include({ id: projectId })
      const table = await newer.client.callTool({ name: 'backend_table_create', arguments: { body: { projectId, environment: 'dev', tableName: 'shaped', schema: { title: { type: 'string' } } } } })
      const tableId = (table.structuredContent as { id: string }).id
      const calls: Array<[string, Record<string, unknown>]> = [
        ['backend_org_list', {}], ['backend_org_get', { organizationId }], ['backend_access_token_list', {}], ['backend_project_list', {}],
        ['backend_env_list', { projectId }], ['backend_table_list', { projectId }], ['backend_table_get', { tableId }],
        ['backend_field_manage', { tableId, body: { fieldsToAddOrUpdate: { summary: { type: 'string' } } } }], ['backend_index_manage', { tableId, body: { indexesToAddOrUpdate: [{ name: 'by_title', fields: { title: 1 } }] } }],
        ['backend_schema_version_list', { tableId }], ['backend_index_version_list', { tableId }], ['backend_project_update', { projectId }],
      ]
      for (const [name, args] of calls) {
        const result = await newer.client.callTool({ name, arguments: args })
        expect(result.isError, `${name}: ${JSON.stringify(result.content)}`).to.equal(undefined)
        expect(result.structuredContent, name).to.be.an('object')
      }
      const tokens = await newer.client.callTool({ name: 'backend_access_token_list', arguments: {} })
      const tokenId = (tokens.structuredContent as { items: Array<{ id: string }> }).items[0]?.id
      expect((await newer.client.callTool({ name: 'backend_access_token_get', arguments: { accessTokenId: tokenId } })).structuredContent).to.deep.include({ id: tokenId })
      // an error does not fit the output schema: text only, which the client accepts
      const failed = await newer.client.callTool({ name: 'backend_table_get', arguments: { tableId: 'f'.repeat(24) } })
      expect(failed.isError).to.equal(true)
      expect(failed).to.not.have.property('structuredContent')
      await newer.client.callTool({ name: 'backend_table_delete', arguments: { tableId } })
    } finally {
      await older.client.close()
      await newer.client.close()
    }
  })

  it('unknown tools are JSON-RPC -32602', async () => {
    const { headers } = await open()
    const response = await rpc(emu.mcpUrl, { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'backend_nope', arguments: {} } }, headers)
    expect((response.body as { error: { code: number } }).error.code).to.equal(-32602)
  })
})
