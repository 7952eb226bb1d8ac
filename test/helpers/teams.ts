import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { OrgRole } from '../../src/contract/tenancy.js'
import { MCP_SCOPES } from '../../src/contract/scopes.js'
import type { Actor } from '../../src/emulator/core/tenancy/model.js'
import type { TestEmulator } from './emulator.js'
import { connectWithToken } from './mcp-client.js'

/** A tenant of a test, with a token bound to one organization and a real MCP SDK session with it. */
export interface TestTenant {
  tenantId: string
  email: string
  token: string
  client: Client
}

/** The token of the invitation mail last captured for an address. */
export function invitationToken(emu: TestEmulator, email: string): string {
  const mail = emu.core.mailbox.list({ to: email, type: 'invitation', limit: 1 }).items[0]
  if (!mail) throw new Error(`no invitation mail for ${email}`)
  return mail.token
}

/** Makes a tenant a member of an organization the way a person would: invited by the owner, then accepting. */
export async function join(emu: TestEmulator, owner: Actor, tenantId: string, email: string, role: Exclude<OrgRole, 'owner'>): Promise<void> {
  await emu.core.orgInvitations.invite(owner, { email, role })
  await emu.core.orgInvitations.accept(tenantId, invitationToken(emu, email))
}

/** A tenant's MCP session in an organization, with every scope (as the seeded CLI token has). */
export async function sessionOf(emu: TestEmulator, tenantId: string, organizationId: string): Promise<{ token: string; client: Client }> {
  const { token } = await emu.core.tenantTokens.mint({ tenantId, organizationId, scopes: MCP_SCOPES, clientId: 'bkend-cli', lifetimeSeconds: 3600 })
  const { client } = await connectWithToken(emu.mcpUrl, token)
  return { token, client }
}

/** A new tenant who joins the organization with a role, and its MCP session there. */
export async function memberWith(emu: TestEmulator, owner: Actor, role: Exclude<OrgRole, 'owner'>, email: string): Promise<TestTenant> {
  const tenant = await emu.core.orgs.createTenant(email, `${role} person`)
  await join(emu, owner, tenant.id, email, role)
  return { tenantId: tenant.id, email, ...(await sessionOf(emu, tenant.id, owner.organizationId)) }
}

/** A token of the seeded tenant in its organization for a newly registered OAuth client (an AI tool, or the CLI's login). */
export async function registeredClientToken(emu: TestEmulator, clientName: string): Promise<{ token: string; clientId: string }> {
  const client = await emu.core.oauth.clients.register({ redirect_uris: ['http://127.0.0.1:9/callback'], client_name: clientName })
  const { token } = await emu.core.tenantTokens.mint({ ...emu.actor, scopes: MCP_SCOPES, clientId: client.client_id, lifetimeSeconds: 3600 })
  return { token, clientId: client.client_id }
}
