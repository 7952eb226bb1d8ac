import type { ResourceDef } from './resources.js'
import { tenancyResources } from './resources.js'
import { tableResources } from './table-resources.js'
import { accessTokenTools } from './tools/access-tokens.js'
import { dataTools } from './tools/data.js'
import { environmentTools } from './tools/environments.js'
import { organizationTools } from './tools/organizations.js'
import { projectSettingsTools } from './tools/project-settings.js'
import { projectTools } from './tools/projects.js'
import { sessionTools } from './tools/session.js'
import { tableTools } from './tools/tables.js'
import type { ToolDef } from './tool.js'

/** Every tool of `/mcp`, in the order `tools/list` shows them. */
export const TOOLS: readonly ToolDef[] = [...sessionTools, ...organizationTools, ...accessTokenTools, ...projectTools, ...environmentTools, ...tableTools, ...dataTools, ...projectSettingsTools]

/** Every resource and resource template of `/mcp`. */
export const RESOURCES: readonly ResourceDef[] = [
  ...tenancyResources.filter((r) => !r.uri.startsWith('bkend://access-tokens')),
  ...tableResources,
  ...tenancyResources.filter((r) => r.uri.startsWith('bkend://access-tokens')),
]
