import { expect } from 'chai'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { OrgRole } from '../../src/contract/tenancy.js'
import type { Actor } from '../../src/emulator/core/tenancy/model.js'
import { TOOLS } from '../../src/emulator/mcp/registry.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { connectWithToken, toolJson, toolText } from '../helpers/mcp-client.js'
import { invitationToken, join, memberWith } from '../helpers/teams.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
const ROLES: readonly OrgRole[] = ['owner', 'admin', 'member', 'billing']
const ALL = ROLES
const OWNER_ADMIN: readonly OrgRole[] = ['owner', 'admin']
const WORKERS: readonly OrgRole[] = ['owner', 'admin', 'member']

/**
 * One row per tool: which roles of console-model.md §2.1 may call it. `args` builds the call for a role (fresh
 * resources for destructive tools, made by the owner); a denied role gets FORBIDDEN naming its role and the
 * capability, unless the row names another refusal.
 */
interface Row {
  tool: string
  allowed: readonly OrgRole[]
  capability?: string
  args: (role: OrgRole) => Promise<Json> | Json
  /** A refusal other than the role matrix's for a role (the owner cannot leave). */
  refused?: Partial<Record<OrgRole, string>>
}

describe('e2e: the role matrix on every MCP tool (owner, admin, member, billing × tool)', function () {
  this.timeout(120_000)
  let emu: TestEmulator
  let owner: Actor
  const clients = {} as Record<OrgRole, Client>
  const emails = {} as Record<OrgRole, string>
  let orgId: string
  let projectId: string
  let envId: string
  let tableId: string
  let recordId: string
  let keyId: string
  let extraEmail: string
  let n = 0
  const unique = (prefix: string) => `${prefix}${++n}`

  const call = async (name: string, args: Json = {}): Promise<Json> => {
    const result = await clients.owner.callTool({ name, arguments: args })
    if (result.isError) throw new Error(`${name} failed: ${toolText(result)}`)
    return toolJson(result)
  }
  const freshTable = async () => (await call('backend_table_create', { projectId, environment: 'dev', tableName: unique('t'), schema: { title: { type: 'string' } } })).id as string
  const freshRecord = async () => (await call('backend_data_create', { tableId, body: { title: 'x' } })).id as string
  /** An organization the owner owns alone, for what would break the shared one (deleting it, transferring it). */
  const ownOrg = async (withMember?: { tenantId: string; email: string }) => {
    const org = await call('backend_org_create', { name: unique('Scratch ') })
    if (withMember) await join(emu, { tenantId: owner.tenantId, organizationId: org.id }, withMember.tenantId, withMember.email, 'member')
    return org.id as string
  }
  let club: string
  let extra: { tenantId: string; email: string }

  before(async () => {
    emu = await startEmulator()
    owner = emu.actor
    orgId = owner.organizationId
    projectId = emu.seed.projectId
    envId = emu.seed.environment.id
    emails.owner = 'developer@localhost'
    ;({ client: clients.owner } = await connectWithToken(emu.mcpUrl, emu.ready.tenantToken))
    for (const role of ['admin', 'member', 'billing'] as const) {
      emails[role] = `${role}@example.com`
      clients[role] = (await memberWith(emu, owner, role, emails[role])).client
    }
    extraEmail = 'extra@example.com'
    const extraTenant = await emu.core.orgs.createTenant(extraEmail, 'Extra')
    extra = { tenantId: extraTenant.id, email: extraEmail }
    await join(emu, owner, extra.tenantId, extraEmail, 'member')
    // The organization everyone leaves in the leave row, with the same roles as the shared one.
    club = (await call('backend_org_create', { name: 'Club' })).id
    const clubOwner = { tenantId: owner.tenantId, organizationId: club }
    for (const role of ['admin', 'member', 'billing'] as const) {
      const tenant = (await emu.core.members.list(owner)).find((m) => m.email === emails[role])!
      await join(emu, clubOwner, tenant.tenantId, emails[role], role)
    }
    tableId = await freshTable()
    recordId = await freshRecord()
    keyId = (await call('backend_access_token_list', { projectId, environment: 'dev' })).items[0].id
  })
  after(async () => {
    for (const client of Object.values(clients)) await client.close()
    await emu.dispose()
  })

  const rows: Row[] = [
    { tool: 'get_context', allowed: ALL, args: () => ({}) },
    { tool: 'search_docs', allowed: ALL, args: () => ({ query: 'filters' }) },
    { tool: 'backend_org_list', allowed: ALL, args: () => ({}) },
    { tool: 'backend_org_get', allowed: ALL, args: () => ({ organizationId: orgId }) },
    { tool: 'backend_org_create', allowed: ALL, args: (role) => ({ name: unique(`Org of ${role} `) }) },
    { tool: 'backend_org_update', allowed: OWNER_ADMIN, capability: 'organization:update', args: (role) => ({ organizationId: orgId, body: { description: `set by ${role}` } }) },
    { tool: 'backend_org_delete', allowed: ['owner'], capability: 'organization:delete', args: async (role) => ({ organizationId: role === 'owner' ? await ownOrg() : orgId }) },
    {
      tool: 'backend_org_transfer',
      allowed: ['owner'],
      capability: 'organization:transfer',
      args: async (role) => (role === 'owner' ? { organizationId: await ownOrg(extra), tenantId: extra.tenantId } : { organizationId: orgId, tenantId: extra.tenantId }),
    },
    { tool: 'backend_org_leave', allowed: ['admin', 'member', 'billing'], args: () => ({ organizationId: club }), refused: { owner: 'CONFLICT' } },
    { tool: 'backend_org_usage', allowed: ALL, args: () => ({ organizationId: orgId }) },
    { tool: 'backend_org_activity_list', allowed: ALL, args: () => ({ organizationId: orgId }) },
    { tool: 'backend_access_token_list', allowed: WORKERS, capability: 'project:read', args: () => ({ projectId, environment: 'dev' }) },
    { tool: 'backend_access_token_get', allowed: WORKERS, capability: 'project:read', args: () => ({ accessTokenId: keyId }) },
    { tool: 'backend_access_token_create', allowed: WORKERS, capability: 'access-token:manage', args: (role) => ({ projectId, environment: 'dev', type: 'publishable', name: unique(`key-${role}-`) }) },
    {
      tool: 'backend_access_token_revoke',
      allowed: WORKERS,
      capability: 'access-token:manage',
      args: async () => ({ accessTokenId: (await call('backend_access_token_create', { projectId, environment: 'dev', type: 'publishable', name: unique('doomed-') })).id }),
    },
    {
      tool: 'backend_access_token_delete',
      allowed: WORKERS,
      capability: 'access-token:manage',
      args: async () => ({ accessTokenId: (await call('backend_access_token_create', { projectId, environment: 'dev', type: 'publishable', name: unique('deleted-') })).id }),
    },
    { tool: 'backend_project_list', allowed: WORKERS, capability: 'project:read', args: () => ({}) },
    { tool: 'backend_project_get', allowed: WORKERS, capability: 'project:read', args: () => ({ projectId }) },
    {
      tool: 'backend_project_create',
      allowed: OWNER_ADMIN,
      capability: 'project:create',
      args: () => ({ organizationId: orgId, slug: unique('p-'), name: 'P', primaryCloud: 'aws', primaryRegion: 'local' }),
    },
    { tool: 'backend_project_update', allowed: WORKERS, capability: 'project:update', args: (role) => ({ projectId, body: { description: `by ${role}` } }) },
    {
      tool: 'backend_project_delete',
      allowed: OWNER_ADMIN,
      capability: 'project:delete',
      args: async () => ({ projectId: (await call('backend_project_create', { organizationId: orgId, slug: unique('gone-'), name: 'Gone', primaryCloud: 'aws', primaryRegion: 'local' })).id }),
    },
    { tool: 'backend_env_list', allowed: WORKERS, capability: 'project:read', args: () => ({ projectId }) },
    { tool: 'backend_env_get', allowed: WORKERS, capability: 'project:read', args: () => ({ environmentId: envId }) },
    { tool: 'backend_env_create', allowed: WORKERS, capability: 'environment:manage', args: () => ({ projectId, environment: unique('e'), environmentType: 'custom' }) },
    {
      tool: 'backend_env_delete',
      allowed: WORKERS,
      capability: 'project:read',
      args: async () => ({ environmentId: (await call('backend_env_create', { projectId, environment: unique('x'), environmentType: 'custom' })).id }),
    },
    { tool: 'backend_table_list', allowed: WORKERS, capability: 'project:read', args: () => ({ projectId, environment: 'dev' }) },
    { tool: 'backend_table_get', allowed: WORKERS, capability: 'project:read', args: () => ({ tableId }) },
    { tool: 'backend_table_create', allowed: WORKERS, capability: 'table:manage', args: () => ({ projectId, environment: 'dev', tableName: unique('made'), schema: {} }) },
    { tool: 'backend_table_update', allowed: WORKERS, capability: 'table:manage', args: (role) => ({ tableId, body: { description: `by ${role}` } }) },
    { tool: 'backend_field_manage', allowed: WORKERS, capability: 'table:manage', args: () => ({ tableId, fieldsToAddOrUpdate: { [unique('f')]: { type: 'string' } } }) },
    { tool: 'backend_index_manage', allowed: WORKERS, capability: 'table:manage', args: () => ({ tableId, indexesToAddOrUpdate: [{ name: unique('ix'), fields: { title: 1 } }] }) },
    { tool: 'backend_schema_version_list', allowed: WORKERS, capability: 'project:read', args: () => ({ tableId }) },
    { tool: 'backend_index_version_list', allowed: WORKERS, capability: 'project:read', args: () => ({ tableId }) },
    { tool: 'backend_schema_version_rollback', allowed: WORKERS, capability: 'table:manage', args: () => ({ tableId, version: 1 }) },
    { tool: 'backend_table_delete', allowed: WORKERS, capability: 'table:manage', args: async () => ({ tableId: await freshTable() }) },
    { tool: 'backend_data_list', allowed: WORKERS, capability: 'project:read', args: () => ({ tableId }) },
    { tool: 'backend_data_get', allowed: WORKERS, capability: 'project:read', args: () => ({ tableId, id: recordId }) },
    { tool: 'backend_data_create', allowed: WORKERS, capability: 'project:read', args: (role) => ({ tableId, body: { title: role } }) },
    { tool: 'backend_data_update', allowed: WORKERS, capability: 'project:read', args: (role) => ({ tableId, id: recordId, body: { title: role } }) },
    { tool: 'backend_data_delete', allowed: WORKERS, capability: 'project:read', args: async () => ({ tableId, id: await freshRecord() }) },
    { tool: 'backend_auth_config_get', allowed: WORKERS, capability: 'project:read', args: () => ({ projectId }) },
    { tool: 'backend_auth_config_update', allowed: WORKERS, capability: 'project:update', args: () => ({ projectId, body: { magicLinkEnabled: true } }) },
    {
      tool: 'backend_auth_provider_upsert',
      allowed: WORKERS,
      capability: 'project:update',
      args: () => ({ projectId, provider: 'google', body: { clientId: 'emulator-google-client-id', redirectUri: `${emu.url}/v1/auth/google/callback`, scopes: ['openid', 'email', 'profile'], enabled: true } }),
    },
    {
      tool: 'backend_auth_provider_delete',
      allowed: WORKERS,
      capability: 'project:update',
      args: async () => {
        await call('backend_auth_provider_upsert', { projectId, provider: 'github', body: { clientId: 'emulator-github-client-id', redirectUri: `${emu.url}/v1/auth/github/callback`, scopes: ['user:email'], enabled: true } })
        return { projectId, provider: 'github' }
      },
    },
    { tool: 'backend_email_settings_get', allowed: WORKERS, capability: 'project:read', args: () => ({ projectId }) },
    { tool: 'backend_email_settings_update', allowed: WORKERS, capability: 'project:update', args: (role) => ({ projectId, body: { senderName: `bkend ${role}` } }) },
    { tool: 'backend_email_template_list', allowed: WORKERS, capability: 'project:read', args: () => ({ projectId }) },
    { tool: 'backend_email_template_get', allowed: WORKERS, capability: 'project:read', args: () => ({ projectId, category: 'magic_link' }) },
    { tool: 'backend_email_template_update', allowed: WORKERS, capability: 'project:update', args: (role) => ({ projectId, category: 'magic_link', body: { subject: `Sign in (${role})`, body: '<p>{{magicLink}}</p>' } }) },
    { tool: 'backend_email_template_preview', allowed: WORKERS, capability: 'project:read', args: () => ({ projectId, category: 'magic_link' }) },
    { tool: 'backend_email_template_reset', allowed: WORKERS, capability: 'project:update', args: () => ({ projectId, category: 'magic_link' }) },
    { tool: 'backend_member_list', allowed: ALL, args: () => ({ organizationId: orgId }) },
    { tool: 'backend_member_role_update', allowed: OWNER_ADMIN, capability: 'member:manage', args: () => ({ organizationId: orgId, email: extraEmail, role: 'member' }) },
    {
      tool: 'backend_member_remove',
      allowed: OWNER_ADMIN,
      capability: 'member:manage',
      args: async () => {
        const email = `${unique('leaver')}@example.com`
        const tenant = await emu.core.orgs.createTenant(email, 'Leaver')
        await join(emu, owner, tenant.id, email, 'member')
        return { organizationId: orgId, email }
      },
    },
    { tool: 'backend_member_invite', allowed: OWNER_ADMIN, capability: 'member:manage', args: () => ({ organizationId: orgId, body: { email: `${unique('new')}@example.com`, role: 'member' } }) },
    { tool: 'backend_member_invitation_list', allowed: ALL, args: () => ({ organizationId: orgId }) },
    {
      tool: 'backend_member_invitation_resend',
      allowed: OWNER_ADMIN,
      capability: 'member:manage',
      args: async () => ({ organizationId: orgId, invitationId: (await call('backend_member_invite', { organizationId: orgId, body: { email: `${unique('again')}@example.com`, role: 'billing' } })).id }),
    },
    {
      tool: 'backend_member_invitation_cancel',
      allowed: OWNER_ADMIN,
      capability: 'member:manage',
      args: async () => ({ organizationId: orgId, invitationId: (await call('backend_member_invite', { organizationId: orgId, body: { email: `${unique('off')}@example.com`, role: 'admin' } })).id }),
    },
    {
      tool: 'backend_member_invitation_accept',
      allowed: ALL,
      args: async (role) => {
        // Each role accepts its own invitation to an organization it is not in, from that organization's owner.
        const inviter = await emu.core.orgs.createTenant(`${unique('inviter')}@example.com`, 'Inviter')
        const other = await emu.core.orgs.create(inviter.id, { name: unique('Welcome ') })
        await emu.core.orgInvitations.invite({ tenantId: inviter.id, organizationId: other.id }, { email: emails[role], role: 'member' })
        return { token: invitationToken(emu, emails[role]) }
      },
    },
  ]

  it('has a row for every tool of the registry', () => {
    expect(rows).to.have.length(TOOLS.length)
    expect(rows.map((r) => r.tool)).to.have.members(TOOLS.map((t) => t.name))
  })

  for (const row of rows) {
    it(`${row.tool}: ${ROLES.map((r) => `${r} ${row.allowed.includes(r) ? '✓' : row.refused?.[r] ? '✗ (' + row.refused[r] + ')' : '✗'}`).join(', ')}`, async () => {
      for (const role of ROLES) {
        const result = await clients[role].callTool({ name: row.tool, arguments: await row.args(role) })
        const text = toolText(result)
        if (row.allowed.includes(role)) {
          expect(result.isError, `${role} calling ${row.tool}: ${text}`).to.not.equal(true)
          continue
        }
        expect(result.isError, `${role} calling ${row.tool} must be refused`).to.equal(true)
        const { error } = toolJson<{ error: { code: string; message: string } }>(result)
        const expected = row.refused?.[role] ?? 'FORBIDDEN'
        expect(error.code, `${role} calling ${row.tool}: ${text}`).to.equal(expected)
        if (expected === 'FORBIDDEN') {
          expect(error.message).to.include(`"${role}"`)
          expect(error.message).to.include(row.capability ?? 'a capability')
        }
      }
    })
  }

  it('left nothing of a refused call behind: the shared organization and its project are intact', async () => {
    const org = await call('backend_org_get', { organizationId: orgId })
    expect(org).to.include({ id: orgId, role: 'owner' })
    const members = await call('backend_member_list', { organizationId: orgId })
    const roles = Object.fromEntries((members.items as Json[]).map((m) => [m.email, m.role]))
    expect(roles).to.include({ 'developer@localhost': 'owner', 'admin@example.com': 'admin', 'member@example.com': 'member', 'billing@example.com': 'billing' })
    expect(await call('backend_project_get', { projectId })).to.include({ id: projectId })
  })
})
