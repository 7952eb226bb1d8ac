import { expect } from 'chai'
import type { Core } from '../../src/emulator/core/core.js'
import type { ActivityChange } from '../../src/emulator/core/tenancy/activity.js'
import { changeOf, clientOf } from '../../src/emulator/mcp/activity.js'
import type { ToolArgs, ToolDef } from '../../src/emulator/mcp/tool.js'

const ORG = 'o'.repeat(24)
const OTHER_ORG = 'a'.repeat(24)
const PROJECT = 'p'.repeat(24)
const TABLE = 't'.repeat(24)
const actor = { tenantId: 'n'.repeat(24), organizationId: ORG }

/** Just what changeOf and clientOf read: a table lookup for records, and registered OAuth clients by id. */
const core = {
  tables: { get: (_actor: unknown, id: string) => (id === TABLE ? { tableName: 'posts', projectId: PROJECT, environment: 'dev' } : undefined) },
  oauth: { clients: { get: (id: string | undefined) => ({ 'dyn-cli': { clientName: 'bkend CLI' }, 'dyn-cursor': { clientName: 'Cursor' } })[id ?? ''] } },
} as unknown as Core

const tool = (name: string, open = false): ToolDef => ({ name, description: '', scope: null, ...(open ? { body: { properties: {}, open: true } } : {}), run: () => undefined })
const args = (params: Record<string, unknown>, body: Record<string, unknown> = {}): ToolArgs => ({ params, body, page: 1, limit: 100 })

describe('unit: how a tool call reads in the activity log', () => {
  const cases: Array<{ name: string; tool: ToolDef; args: ToolArgs; result: unknown; change: Omit<ActivityChange, 'organizationId'> & { organizationId?: string } }> = [
    {
      name: 'a table create: the answer is the table',
      tool: tool('backend_table_create'),
      args: args({}, { projectId: PROJECT, environment: 'dev', tableName: 'posts' }),
      result: { id: TABLE, tableName: 'posts', projectId: PROJECT, environment: 'dev' },
      change: { action: 'table.create', resource: { type: 'table', id: TABLE, name: 'posts' }, projectId: PROJECT, environment: 'dev' },
    },
    {
      name: 'a key create: id and name only, never the value',
      tool: tool('backend_access_token_create'),
      args: args({ projectId: PROJECT, environment: 'dev', type: 'secret', name: 'server' }),
      result: { id: 'k'.repeat(24), name: 'server', key: 'sk_secret', maskedKey: 'sk_…', projectId: PROJECT, environment: 'dev', organizationId: ORG },
      change: { action: 'api-key.create', resource: { type: 'api-key', id: 'k'.repeat(24), name: 'server' }, projectId: PROJECT, environment: 'dev' },
    },
    {
      name: 'a settings tool answers settings: the project comes from the arguments, the client secret is not read',
      tool: tool('backend_auth_provider_upsert'),
      args: args({ projectId: PROJECT, provider: 'google' }, { clientId: 'x', clientSecret: 'hush' }),
      result: { google: { clientId: 'x', hasClientSecret: true } },
      change: { action: 'auth-provider.upsert', resource: { type: 'auth-provider', id: null, name: 'google' }, projectId: PROJECT, environment: null },
    },
    {
      name: 'a record: its table names the project and environment; the record body (a field called projectId) does not count',
      tool: tool('backend_data_create', true),
      args: args({ tableId: TABLE }, { projectId: 'forged', title: 'x' }),
      result: { id: 'r'.repeat(24), title: 'x' },
      change: { action: 'record.create', resource: { type: 'record', id: 'r'.repeat(24), name: 'posts' }, projectId: PROJECT, environment: 'dev' },
    },
    {
      name: 'a member role change: the member is named by tenant id and e-mail',
      tool: tool('backend_member_role_update'),
      args: args({ email: 'kim@example.com', role: 'admin' }),
      result: { organizationId: ORG, tenantId: 'm'.repeat(24), email: 'kim@example.com', role: 'admin' },
      change: { action: 'member.role-update', resource: { type: 'member', id: 'm'.repeat(24), name: 'kim@example.com' }, projectId: null, environment: null },
    },
    {
      name: "an accepted invitation lands in the invitation's organization, not the session's",
      tool: tool('backend_member_invitation_accept'),
      args: args({ token: 'secret-token' }),
      result: { organization: { id: OTHER_ORG }, member: { organizationId: OTHER_ORG, tenantId: 'm'.repeat(24), email: 'kim@example.com' } },
      change: { organizationId: OTHER_ORG, action: 'invitation.accept', resource: { type: 'member', id: 'm'.repeat(24), name: 'kim@example.com' }, projectId: null, environment: null },
    },
    {
      name: 'a new organization is its own log',
      tool: tool('backend_org_create'),
      args: args({}, { name: 'Acme' }),
      result: { id: OTHER_ORG, slug: 'acme', name: 'Acme' },
      change: { organizationId: OTHER_ORG, action: 'organization.create', resource: { type: 'organization', id: OTHER_ORG, name: 'acme' }, projectId: null, environment: null },
    },
    {
      name: 'a tool added later reads its name as <resource>.<verb>',
      tool: tool('backend_project_cors_set'),
      args: args({ projectId: PROJECT }),
      result: { allowedOrigins: [] },
      change: { action: 'project-cors.set', resource: { type: 'project-cors', id: null, name: null }, projectId: PROJECT, environment: null },
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      const change = changeOf(core, actor, c.tool, c.args, c.result)
      expect(change).to.deep.equal({ organizationId: ORG, ...c.change })
      expect(JSON.stringify(change)).not.to.match(/sk_secret|hush|secret-token/)
    })
  }
})

describe('unit: which kind of client made a call', () => {
  const cases: Array<[clientId: string | undefined, session: string | undefined, kind: string]> = [
    ['bkend-cli', 'bkend-cli', 'cli'],
    ['dyn-cli', 'bkend-cli', 'cli'],
    ['dyn-cursor', 'cursor', 'mcp'],
    ['bkend-cli', 'bkend-cli-mcp-bridge', 'mcp'],
    ['dyn-unknown', undefined, 'mcp'],
  ]
  for (const [clientId, session, kind] of cases) {
    it(`client ${clientId} in a session of ${session ?? 'no MCP session'} → ${kind}`, () => {
      expect(clientOf(core, clientId, session)).to.deep.equal({ kind, clientId })
    })
  }
})
