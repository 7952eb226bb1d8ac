import type { ActivityClient } from '../../contract/tenancy.js'
import type { Core } from '../core/core.js'
import { CLI_CLIENT_ID } from '../core/seed.js'
import type { ActivityChange } from '../core/tenancy/activity.js'
import type { Actor } from '../core/tenancy/model.js'
import type { ToolArgs, ToolDef } from './tool.js'

/** The name the CLI registers its OAuth client under at `bkend login` (src/client/oauth-provider.ts). */
const CLI_CLIENT_NAME = 'bkend CLI'

/** The MCP client name of `bkend mcp` (src/client/mcp-bridge.ts): an AI tool speaking through the CLI's credentials. */
const BRIDGE_CLIENT_NAME = 'bkend-cli-mcp-bridge'

/**
 * Which kind of client made a call: the seeded CLI client or one the CLI registered at login, else an MCP client.
 * `sessionClient` is the name the MCP session's initialize gave, when there is a session: through the stdio bridge
 * an AI tool acts with the CLI's token, and is still an AI tool.
 */
export function clientOf(core: Core, clientId: string | undefined, sessionClient?: string): NonNullable<Actor['client']> {
  const cli = clientId === CLI_CLIENT_ID || core.oauth.clients.get(clientId)?.clientName === CLI_CLIENT_NAME
  const kind: ActivityClient = cli && sessionClient !== BRIDGE_CLIENT_NAME ? 'cli' : 'mcp'
  return { kind, clientId: clientId ?? null }
}

interface Naming {
  action: string
  type: string
  /** The tool answers something other than the resource (settings tools answer the settings): only its arguments name it. */
  fromArgs?: boolean
  /** The field of the answer that holds the resource. */
  within?: string
}

/**
 * Tools whose log name is not `<resource>.<verb>` read off the tool name (`backend_table_create` → `table.create`),
 * and the resource each one changes.
 */
const NAMED: Record<string, Naming> = {
  backend_org_create: { action: 'organization.create', type: 'organization' },
  backend_org_update: { action: 'organization.update', type: 'organization' },
  backend_org_delete: { action: 'organization.delete', type: 'organization' },
  backend_org_transfer: { action: 'organization.transfer', type: 'organization' },
  backend_org_leave: { action: 'organization.leave', type: 'organization', fromArgs: true },
  backend_access_token_create: { action: 'api-key.create', type: 'api-key' },
  backend_access_token_revoke: { action: 'api-key.revoke', type: 'api-key' },
  backend_access_token_delete: { action: 'api-key.delete', type: 'api-key' },
  backend_env_create: { action: 'environment.create', type: 'environment' },
  backend_env_delete: { action: 'environment.delete', type: 'environment' },
  backend_field_manage: { action: 'field.manage', type: 'table' },
  backend_index_manage: { action: 'index.manage', type: 'table' },
  backend_schema_version_rollback: { action: 'schema.rollback', type: 'table' },
  backend_data_create: { action: 'record.create', type: 'record' },
  backend_data_update: { action: 'record.update', type: 'record' },
  backend_data_delete: { action: 'record.delete', type: 'record' },
  backend_auth_config_update: { action: 'auth-config.update', type: 'project', fromArgs: true },
  backend_auth_provider_upsert: { action: 'auth-provider.upsert', type: 'auth-provider', fromArgs: true },
  backend_auth_provider_delete: { action: 'auth-provider.delete', type: 'auth-provider', fromArgs: true },
  backend_email_settings_update: { action: 'email-settings.update', type: 'project', fromArgs: true },
  backend_email_template_update: { action: 'email-template.update', type: 'email-template', fromArgs: true },
  backend_member_invite: { action: 'member.invite', type: 'invitation' },
  backend_member_role_update: { action: 'member.role-update', type: 'member' },
  backend_member_remove: { action: 'member.remove', type: 'member' },
  backend_member_invitation_resend: { action: 'invitation.resend', type: 'invitation' },
  backend_member_invitation_cancel: { action: 'invitation.cancel', type: 'invitation' },
  backend_member_invitation_accept: { action: 'invitation.accept', type: 'member', within: 'member' },
}

/** The field people recognise a resource by, per type. */
const NAME_FIELD: Record<string, string> = {
  organization: 'slug',
  project: 'slug',
  environment: 'environment',
  table: 'tableName',
  'api-key': 'name',
  member: 'email',
  invitation: 'email',
  'auth-provider': 'provider',
  'email-template': 'category',
}

/** The argument (and, for members, the result field) holding the resource's id, per type; results otherwise carry `id`. */
const ID_FIELD: Record<string, string> = {
  organization: 'organizationId',
  project: 'projectId',
  environment: 'environmentId',
  table: 'tableId',
  'api-key': 'accessTokenId',
  member: 'tenantId',
  invitation: 'invitationId',
  record: 'id',
}

type Plain = Record<string, unknown>

const text = (...values: unknown[]): string | null => {
  for (const value of values) if (typeof value === 'string' && value !== '') return value
  return null
}

/** Reads `backend_<resource>_<verb>` as `<resource>.<verb>`, resource words joined by hyphens. */
function fromToolName(name: string): Naming {
  const words = name.replace(/^backend_/, '').split('_')
  const verb = words.length > 1 ? words.pop()! : 'call'
  const type = words.join('-')
  return { action: `${type}.${verb}`, type }
}

/**
 * How a successful call of a changing tool reads in the activity log: built only from ids, names and the
 * environment, never from the values written (so no key value, client secret or record content is kept).
 */
export function changeOf(core: Core, actor: Actor, def: ToolDef, args: ToolArgs, result: unknown): ActivityChange {
  const naming = NAMED[def.name] ?? fromToolName(def.name)
  const { action, type } = naming
  const whole = (!naming.fromArgs && typeof result === 'object' && result !== null ? result : {}) as Plain
  const answer = (naming.within ? (whole[naming.within] ?? {}) : whole) as Plain
  // A record's body is its content, whose keys may be anything (a field called projectId): only parameters count.
  const given: Plain = { ...(def.body?.open ? {} : args.body), ...args.params }
  const nameField = NAME_FIELD[type] ?? 'name'
  const idField = ID_FIELD[type]
  const table = type === 'record' ? tableOf(core, actor, given.tableId) : undefined
  const id = text(type === 'member' ? answer.tenantId : answer.id, idField ? given[idField] : undefined)
  const name = type === 'record' ? text(table?.tableName) : text(answer[nameField], given[nameField])
  return {
    organizationId: text(answer.organizationId, given.organizationId, type === 'organization' ? id : undefined, actor.organizationId)!,
    action,
    resource: { type, id, name },
    projectId: text(answer.projectId, given.projectId, table?.projectId, type === 'project' ? id : undefined),
    environment: text(answer.environment, given.environment, table?.environment),
  }
}

/** The table a record tool acted on, for the record's project and environment; a lookup that fails names none. */
function tableOf(core: Core, actor: Actor, tableId: unknown): { tableName: string; projectId: string; environment: string } | undefined {
  if (typeof tableId !== 'string') return undefined
  try {
    return core.tables.get(actor, tableId)
  } catch {
    return undefined
  }
}
