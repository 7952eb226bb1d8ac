import type { ResourceDef } from './resources.js'
import { tenancyResources } from './resources.js'
import { tableResources } from './table-resources.js'
import { accessTokenTools } from './tools/access-tokens.js'
import { activityTools } from './tools/activity.js'
import { dataTools } from './tools/data.js'
import { environmentTools } from './tools/environments.js'
import { memberTools } from './tools/members.js'
import { organizationTools } from './tools/organizations.js'
import { projectSettingsTools } from './tools/project-settings.js'
import { projectTools } from './tools/projects.js'
import { sessionTools } from './tools/session.js'
import { tableTools } from './tools/tables.js'
import type { ToolDef } from './tool.js'

/** Every tool of `/mcp`, in the order `tools/list` shows them. */
export const TOOLS: readonly ToolDef[] = [...sessionTools, ...organizationTools, ...accessTokenTools, ...projectTools, ...environmentTools, ...tableTools, ...dataTools, ...projectSettingsTools, ...memberTools, ...activityTools]

/**
 * The tools bkend's own MCP server does not have (mcp.md §8): the console creates and revokes keys and manages
 * settings and records there. Listed by name here rather than on each tool so that the registry is the one place
 * that tells them apart; cloud-parity mode hides them (MCP-D17, README-D12).
 */
export const EXTENSION_TOOLS: ReadonlySet<string> = new Set([
  'backend_org_create',
  'backend_access_token_create',
  'backend_access_token_revoke',
  'backend_project_delete',
  'backend_env_delete',
  'backend_table_delete',
  'backend_schema_version_rollback',
  'backend_data_list',
  'backend_data_get',
  'backend_data_create',
  'backend_data_update',
  'backend_data_delete',
  'backend_auth_config_get',
  'backend_auth_config_update',
  'backend_auth_provider_upsert',
  'backend_auth_provider_delete',
  'backend_email_settings_get',
  'backend_email_settings_update',
  'backend_email_template_list',
  'backend_email_template_get',
  'backend_email_template_update',
  'backend_email_template_preview',
  'backend_access_token_delete',
  'backend_email_template_reset',
  'backend_org_update',
  'backend_org_delete',
  'backend_org_transfer',
  'backend_org_leave',
  'backend_org_usage',
  'backend_member_list',
  'backend_member_role_update',
  'backend_member_remove',
  'backend_member_invite',
  'backend_member_invitation_list',
  'backend_member_invitation_resend',
  'backend_member_invitation_cancel',
  'backend_member_invitation_accept',
  'backend_org_activity_list',
])

/** The tools a session lists and may call: in cloud-parity mode, only those the hosted service has. */
export function toolsFor(cloudParity: boolean): readonly ToolDef[] {
  return cloudParity ? TOOLS.filter((tool) => !EXTENSION_TOOLS.has(tool.name)) : TOOLS
}

/** Every resource and resource template of `/mcp`. */
export const RESOURCES: readonly ResourceDef[] = [
  ...tenancyResources.filter((r) => !r.uri.startsWith('bkend://access-tokens')),
  ...tableResources,
  ...tenancyResources.filter((r) => r.uri.startsWith('bkend://access-tokens')),
]
