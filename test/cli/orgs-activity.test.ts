/* eslint-disable @typescript-eslint/no-explicit-any -- CLI --json output is checked by chai assertions, not typed */
import { expect } from 'chai'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { TenantTokens } from '../../src/emulator/core/tenant-tokens.js'
import { startEmulator } from '../helpers/emulator.js'
import { connectWithToken, toolJson, toolText } from '../helpers/mcp-client.js'
import { invitationToken, registeredClientToken } from '../helpers/teams.js'
import { startManagementHarness, type ManagementHarness } from './management-harness.js'

/**
 * The activity log after a scripted series of changes made through the CLI (the local tenant token, and a second
 * tenant's own token) and through another MCP client (an AI tool's OAuth client): entries, order, client kinds,
 * filters and paging, as `bkend orgs activity` shows them.
 */
describe('cli: bkend orgs activity after a scripted series of changes', function () {
  this.timeout(120_000)
  let h: ManagementHarness
  let tool: Client
  let toolClientId: string
  let keyValue: string
  let inviteeToken: string

  before(async () => {
    h = await startManagementHarness()
    const registered = await registeredClientToken(h.emu, 'Cursor')
    toolClientId = registered.clientId
    ;({ client: tool } = await connectWithToken(h.emu.mcpUrl, registered.token))

    const run = async (args: string[], env?: NodeJS.ProcessEnv) => {
      const result = await h.run(args, env ? { env, dataDir: false } : {})
      expect(result.code, `bkend ${args.join(' ')}: ${result.stderr}`).to.equal(0)
      return result
    }
    await run(['tables', 'create', 'posts', '--field', 'title:string!'])
    await run(['tables', 'fields', 'add', 'posts', 'views', '--type', 'number'])
    const created = await tool.callTool({ name: 'backend_access_token_create', arguments: { projectId: h.emu.seed.projectId, environment: 'dev', type: 'secret', name: 'from-the-ai' } })
    if (created.isError) throw new Error(toolText(created))
    keyValue = toolJson<{ key: string }>(created).key
    await run(['keys', 'revoke', 'from-the-ai', '--yes'])
    await run(['orgs', 'members', 'invite', 'kim@example.com', '--role', 'member', '--name', 'Kim'])
    // Kim signs up (an organization of her own) and accepts with the link of the mail, through the CLI.
    const kim = await h.emu.core.orgs.createTenant('kim@example.com', 'Kim')
    const kims = await h.emu.core.orgs.create(kim.id, { name: 'Kim' })
    inviteeToken = (await h.emu.core.tenantTokens.mint({ tenantId: kim.id, organizationId: kims.id, scopes: TenantTokens.allScopes(), clientId: 'bkend-cli', lifetimeSeconds: 3600 })).token
    await run(['orgs', 'invitations', 'accept', `${h.emu.url}/_/invitations/${invitationToken(h.emu, 'kim@example.com')}`, '--target', h.emu.url], { BKEND_ACCESS_TOKEN: inviteeToken })
    await run(['orgs', 'members', 'role', 'kim@example.com', 'admin'])
    // The config as it is live (posts), plus one new table: the push creates comments and nothing else.
    await run(['pull'])
    await writeFile(join(h.dir, 'bkend', 'tables', 'comments.json'), JSON.stringify({ name: 'comments', fields: { body: { type: 'string' } } }))
    await run(['push', '--yes'])
  })
  after(async () => {
    await tool.close()
    await h.dispose()
  })

  const activity = async (...args: string[]) => {
    const result = await h.run(['orgs', 'activity', ...args, '--json'])
    expect(result.code, result.stderr).to.equal(0)
    return result.json
  }

  it('lists every change newest first, with who, what, which resource, where and through which client', async () => {
    const page = await activity()
    const { projectId, organizationId, tenantId } = h.emu.seed
    expect(page.items).to.have.length(8)
    expect(page.items.map((e: any) => `${e.action} ${e.resource.name} ${e.client.kind}`)).to.deep.equal([
      'table.create comments cli',
      'member.role-update kim@example.com cli',
      'invitation.accept kim@example.com cli',
      'member.invite kim@example.com cli',
      'api-key.revoke from-the-ai cli',
      'api-key.create from-the-ai mcp',
      'field.manage posts cli',
      'table.create posts cli',
    ])
    const [push, role, accept, , revoke, create, field] = page.items
    expect(push).to.deep.include({ organizationId, projectId, environment: 'dev', actor: { tenantId, email: 'developer@localhost' }, client: { kind: 'cli', clientId: 'bkend-cli' } })
    expect(push.resource.type).to.equal('table')
    expect(role.resource).to.include({ type: 'member', name: 'kim@example.com' })
    expect(accept.actor.email).to.equal('kim@example.com')
    expect(accept.organizationId).to.equal(organizationId)
    expect(create.client).to.deep.equal({ kind: 'mcp', clientId: toolClientId })
    expect(create.resource.id).to.equal(revoke.resource.id)
    expect(field.resource.type).to.equal('table')
    const times = page.items.map((e: any) => Date.parse(e.at))
    expect(times).to.deep.equal([...times].sort((a, b) => b - a))
    expect(JSON.stringify(page)).not.to.include(keyValue)
  })

  it('filters by action, client, actor, resource type and time, and pages', async () => {
    expect((await activity('--action', 'api-key')).items.map((e: any) => e.action)).to.deep.equal(['api-key.revoke', 'api-key.create'])
    expect((await activity('--action', 'table.create')).items.map((e: any) => e.resource.name)).to.deep.equal(['comments', 'posts'])
    expect((await activity('--client', 'mcp')).items.map((e: any) => e.action)).to.deep.equal(['api-key.create'])
    expect((await activity('--actor', 'kim@example.com')).items.map((e: any) => e.action)).to.deep.equal(['invitation.accept'])
    expect((await activity('--resource-type', 'member')).items.map((e: any) => e.action)).to.deep.equal(['member.role-update', 'invitation.accept'])
    expect((await activity('--until', '2000-01-01T00:00:00Z')).items).to.deep.equal([])
    const all = (await activity()).items
    const second = await activity('--limit', '3', '--page', '2')
    expect(second.items).to.deep.equal(all.slice(3, 6))
    expect(second.pagination).to.include({ total: 8, page: 2, limit: 3, totalPages: 3, hasNext: true, hasPrev: true })
  })

  it('prints a readable table without --json, and the page line', async () => {
    const human = await h.run(['orgs', 'activity', '--limit', '2'])
    expect(human.code, human.stderr).to.equal(0)
    const lines = human.stdout.trimEnd().split('\n')
    expect(lines).to.have.length(4)
    expect(lines[0]).to.match(/^When\s+Who\s+Action\s+Resource\s+Project\/env\s+Client$/)
    expect(lines[1]).to.match(/developer@localhost\s+table\.create\s+comments\s+local\/dev\s+cli$/)
    expect(lines[2]).to.match(/member\.role-update\s+kim@example\.com/)
    expect(lines[3]).to.equal('page 1 of 4, 8 changes')
  })

  it('refuses a bad filter with the message and a non-zero exit', async () => {
    const bad = await h.run(['orgs', 'activity', '--since', 'yesterday'])
    expect(bad.code).to.equal(1)
    expect(bad.stderr).to.include('since must be an ISO 8601 date-time')
    const usage = await h.run(['orgs', 'activity', '--client', 'browser'])
    expect(usage.code).to.equal(2)
  })

  it('on a target without the teams tools (cloud parity hides them, as the hosted service lacks them), says so from tools/list', async () => {
    const parity = await startEmulator({ cloudParity: true })
    try {
      const env = { BKEND_ACCESS_TOKEN: parity.ready.tenantToken }
      for (const [args, tool] of [
        [['orgs', 'activity'], 'backend_org_activity_list'],
        [['orgs', 'members', 'list'], 'backend_member_list'],
        [['orgs', 'delete', 'local', '--yes'], 'backend_org_delete'],
      ] as const) {
        const run = await h.run([...args, '--target', parity.url, '--json'], { dataDir: false, env })
        expect(run.code, args.join(' ')).to.equal(1)
        expect(run.errorJson.error.code).to.equal('target/unsupported')
        expect(run.errorJson.error.message).to.include(`its MCP server has no ${tool} tool`)
        expect(run.errorJson.error.hint).to.equal("manage the organization, its members and invitations, and read its audit log in the bkend console's organization settings")
      }
    } finally {
      await parity.dispose()
    }
  })
})
