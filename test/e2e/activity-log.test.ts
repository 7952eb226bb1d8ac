import { expect } from 'chai'
import { rm } from 'node:fs/promises'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { PUSH_PATH } from '../../src/contract/push.js'
import { MCP_SCOPES } from '../../src/contract/scopes.js'
import { invoke } from '../../src/emulator/mcp/dispatch.js'
import { TOOLS } from '../../src/emulator/mcp/registry.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { connectWithToken, toolErrorCode, toolJson, toolText } from '../helpers/mcp-client.js'
import { registeredClientToken } from '../helpers/teams.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

describe('e2e: the activity log records tool calls and pushes, by client kind', function () {
  this.timeout(30_000)
  let emu: TestEmulator
  let cli: Client
  let cursor: Client
  let registeredCli: Client
  let cursorId: string

  const callOn = async (client: Client, name: string, args: Json = {}): Promise<Json> => {
    const result = await client.callTool({ name, arguments: args })
    if (result.isError) throw new Error(`${name} failed: ${toolText(result)}`)
    return toolJson(result)
  }
  const activity = (args: Json = {}) => callOn(cli, 'backend_org_activity_list', args)

  before(async () => {
    emu = await startEmulator()
    ;({ client: cli } = await connectWithToken(emu.mcpUrl, emu.ready.tenantToken))
    const other = await registeredClientToken(emu, 'Cursor')
    cursorId = other.clientId
    ;({ client: cursor } = await connectWithToken(emu.mcpUrl, other.token))
    ;({ client: registeredCli } = await connectWithToken(emu.mcpUrl, (await registeredClientToken(emu, 'bkend CLI')).token))
  })
  after(async () => {
    await Promise.all([cli.close(), cursor.close(), registeredCli.close()].map((p) => p.catch(() => undefined)))
    await emu.dispose()
  })

  it('starts empty: seeding is not activity', async () => {
    const page = await activity()
    expect(page.items).to.deep.equal([])
    expect(page.pagination.total).to.equal(0)
  })

  it('records changes newest first with who, what, which resource and the client; reads are not recorded; key values never', async () => {
    const { projectId } = emu.seed
    const table = await callOn(cli, 'backend_table_create', { projectId, environment: 'dev', tableName: 'posts', schema: { bsonType: 'object', properties: { title: { bsonType: 'string' } } } })
    await callOn(cursor, 'backend_table_list', { projectId, environment: 'dev' })
    const key = await callOn(cursor, 'backend_access_token_create', { projectId, environment: 'dev', type: 'secret', name: 'server' })
    await callOn(registeredCli, 'backend_access_token_revoke', { accessTokenId: key.id })

    const page = await activity()
    expect(page.items).to.have.length(3)
    const [revoke, create, tableCreate] = page.items
    expect(tableCreate).to.deep.include({
      organizationId: emu.seed.organizationId,
      action: 'table.create',
      resource: { type: 'table', id: table.id, name: 'posts' },
      projectId,
      environment: 'dev',
      actor: { tenantId: emu.seed.tenantId, email: 'developer@localhost' },
      client: { kind: 'cli', clientId: 'bkend-cli' },
    })
    expect(create).to.deep.include({ action: 'api-key.create', resource: { type: 'api-key', id: key.id, name: 'server' }, client: { kind: 'mcp', clientId: cursorId } })
    expect(revoke.action).to.equal('api-key.revoke')
    expect(revoke.client.kind).to.equal('cli')
    expect(Date.parse(tableCreate.at)).to.be.at.most(Date.parse(revoke.at))
    expect(JSON.stringify(page)).not.to.include(key.key)
  })

  it('filters by action prefix, client, resource type, e-mail and time, and pages', async () => {
    expect((await activity({ action: 'api-key' })).items.map((e: Json) => e.action)).to.deep.equal(['api-key.revoke', 'api-key.create'])
    expect((await activity({ action: 'api-key.create' })).items).to.have.length(1)
    expect((await activity({ action: 'api' })).items).to.have.length(0)
    expect((await activity({ client: 'mcp' })).items.map((e: Json) => e.action)).to.deep.equal(['api-key.create'])
    expect((await activity({ resourceType: 'table' })).items.map((e: Json) => e.action)).to.deep.equal(['table.create'])
    expect((await activity({ actorEmail: 'DEVELOPER@localhost' })).items).to.have.length(3)
    expect((await activity({ actorEmail: 'someone@else' })).items).to.have.length(0)
    expect((await activity({ until: '2000-01-01T00:00:00Z' })).items).to.have.length(0)
    expect((await activity({ since: '2000-01-01T00:00:00Z' })).items).to.have.length(3)
    const second = await activity({ limit: 2, page: 2 })
    expect(second.items.map((e: Json) => e.action)).to.deep.equal(['table.create'])
    expect(second.pagination).to.include({ total: 3, page: 2, limit: 2, hasNext: false, hasPrev: true })
  })

  it('refuses bad filters and another organization with documented errors', async () => {
    const bad = await cli.callTool({ name: 'backend_org_activity_list', arguments: { since: 'yesterday' } })
    expect(toolErrorCode(bad)).to.equal('VALIDATION_ERROR')
    expect(toolText(bad)).to.include('since must be an ISO 8601 date-time')
    expect(toolErrorCode(await cli.callTool({ name: 'backend_org_activity_list', arguments: { client: 'browser' } }))).to.equal('VALIDATION_ERROR')
    const stranger = await emu.core.orgs.createTenant('stranger@example.com', 'Stranger')
    const foreign = await emu.core.orgs.create(stranger.id, { name: 'Foreign' })
    expect(toolErrorCode(await cli.callTool({ name: 'backend_org_activity_list', arguments: { organizationId: foreign.id } }))).to.equal('NOT_FOUND')
  })

  it('records each step of a push, and nothing of a push that failed', async () => {
    const push = (steps: unknown[]) =>
      fetch(`${emu.url}${PUSH_PATH}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${emu.ready.tenantToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ projectId: emu.seed.projectId, environment: 'dev', steps }),
      })
    const model = (name: string) => ({ name, displayName: null, description: null, schema: { bsonType: 'object', required: [], properties: { body: { bsonType: 'string' } } }, indexes: [], permissions: null, expressionPermissions: null, columnPermissions: null, rowFilters: null })
    const comments = { kind: 'table.create', table: 'comments', model: model('comments') }
    // the second create of comments conflicts: the whole push, the drafts table included, is refused
    const failing = await push([{ kind: 'table.create', table: 'drafts', model: model('drafts') }, comments, comments])
    expect(failing.status).to.equal(409)
    expect((await activity({ action: 'table.create' })).items).to.have.length(1)
    const ok = await push([comments])
    expect(ok.status, await ok.clone().text()).to.equal(200)
    const tables = await activity({ action: 'table.create' })
    expect(tables.items.map((e: Json) => e.resource.name)).to.deep.equal(['comments', 'posts'])
    expect(tables.items[0].client).to.deep.equal({ kind: 'cli', clientId: 'bkend-cli' })
  })

  it('records an AI tool behind the stdio bridge (bkend mcp, the CLI\'s own token) as mcp', async () => {
    const bridge = new Client({ name: 'bkend-cli-mcp-bridge', version: '0.1.0' })
    await bridge.connect(new StreamableHTTPClientTransport(new URL(emu.mcpUrl), { requestInit: { headers: { Authorization: `Bearer ${emu.ready.tenantToken}` } } }))
    try {
      await callOn(bridge, 'backend_env_create', { projectId: emu.seed.projectId, environment: 'staging', environmentType: 'staging' })
    } finally {
      await bridge.close()
    }
    const [entry] = (await activity({ action: 'environment' })).items
    expect(entry).to.deep.include({ action: 'environment.create', client: { kind: 'mcp', clientId: 'bkend-cli' } })
    expect(entry.resource).to.include({ type: 'environment', name: 'staging' })
  })

  it('records what the console does as console: it calls the same tools through the same invoke, with its own client kind', async () => {
    const def = TOOLS.find((tool) => tool.name === 'backend_project_update')!
    const actor = { ...emu.actor, client: { kind: 'console' as const, clientId: null } }
    await invoke(def, { core: emu.core, actor, scopes: MCP_SCOPES }, { projectId: emu.seed.projectId, body: { description: 'from the console' } })
    const page = await activity({ client: 'console' })
    expect(page.items).to.have.length(1)
    expect(page.items[0]).to.deep.include({ action: 'project.update', resource: { type: 'project', id: emu.seed.projectId, name: 'local' }, client: { kind: 'console', clientId: null } })
  })

  it('keeps an organization created over MCP its own log, and deletes it with the organization', async () => {
    const org = await callOn(cursor, 'backend_org_create', { name: 'Side project' })
    const own = await activity({ organizationId: org.id })
    expect(own.items.map((e: Json) => `${e.action} ${e.resource.name} ${e.client.kind}`)).to.deep.equal(['organization.create side-project mcp'])
    expect((await activity({ action: 'organization' })).items).to.deep.equal([])
    await callOn(cli, 'backend_org_delete', { organizationId: org.id })
    const entries = [...emu.core.store.control.collection<Json & { id: string }>('activity').values()]
    expect(entries.length).to.be.greaterThan(0)
    expect(entries.filter((e) => e.organizationId === org.id)).to.deep.equal([])
    expect(toolErrorCode(await cli.callTool({ name: 'backend_org_activity_list', arguments: { organizationId: org.id } }))).to.equal('NOT_FOUND')
  })

  it('survives a restart (durable in the control database)', async () => {
    const before = (await activity()).items
    expect(before.length).to.be.greaterThan(3)
    await Promise.all([cli.close(), cursor.close(), registeredCli.close()])
    await emu.stop()
    const dataDir = emu.dataDir
    const again = await startEmulator({ dataDir })
    emu = Object.assign(again, { dispose: async () => { await again.stop(); await rm(dataDir, { recursive: true, force: true }) } })
    ;({ client: cli } = await connectWithToken(again.mcpUrl, again.ready.tenantToken))
    expect((await activity()).items).to.deep.equal(before)
  })
})
