// note: types only from the SDK: this module loads with the registry at start-up, the SDK with the first MCP session.
import type { Resource, ResourceTemplate } from '@modelcontextprotocol/sdk/types.js'
import type { McpScope } from '../../contract/scopes.js'
import { pageOf } from '../core/paging.js'
import type { ToolContext } from './tool.js'
import { withoutValue } from './tools/access-tokens.js'

/** JSON-RPC error codes of mcp.md §10 for resources. */
export const UNAUTHORIZED = -32001
export const NOT_FOUND = -32002

/** A read-only view (mcp.md §9): a collection or one object, guarded by the matching read scope. */
export interface ResourceDef {
  name: string
  description: string
  /** `bkend://projects` or `bkend://projects/{projectId}`. */
  uri: string
  scope: McpScope
  read(ctx: ToolContext, id: string | undefined): unknown
}

/** Every item at once: resources are not paged (`limit` = total). */
export const all = <T>(items: readonly T[]) => pageOf(items, 1, items.length)

export function pattern(uri: string): RegExp {
  const source = uri.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[A-Za-z]+\}/, '([^/]+)')
  return new RegExp(`^${source}$`)
}

export const isTemplate = (def: ResourceDef) => def.uri.includes('{')

export function resourceList(defs: readonly ResourceDef[]): Resource[] {
  return defs.filter((d) => !isTemplate(d)).map((d) => ({ uri: d.uri, name: d.name, description: d.description, mimeType: 'application/json' }))
}

export function templateList(defs: readonly ResourceDef[]): ResourceTemplate[] {
  return defs.filter(isTemplate).map((d) => ({ uriTemplate: d.uri, name: d.name, description: d.description, mimeType: 'application/json' }))
}

/** Organizations, projects, environments and access tokens (tables are added by the table module). */
export const tenancyResources: ResourceDef[] = [
  { name: 'Organization', description: 'Organizations you are a member of', uri: 'bkend://organizations', scope: 'organization:read', read: ({ core, actor }) => all(core.orgs.list(actor.tenantId)) },
  { name: 'Organization', description: 'One organization', uri: 'bkend://organizations/{organizationId}', scope: 'organization:read', read: ({ core, actor }, id) => core.orgs.get(actor.tenantId, id!) },
  { name: 'Project', description: 'Projects of the session organization', uri: 'bkend://projects', scope: 'project:read', read: ({ core, actor }) => all(core.projects.list(actor)) },
  { name: 'Project', description: 'One project with its environments', uri: 'bkend://projects/{projectId}', scope: 'project:read', read: ({ core, actor }, id) => core.projects.get(actor, id!) },
  { name: 'Environment', description: 'Environments of the organization', uri: 'bkend://environments', scope: 'environment:read', read: ({ core, actor }) => all(core.envs.list(actor)) },
  { name: 'Environment', description: 'One environment', uri: 'bkend://environments/{environmentId}', scope: 'environment:read', read: ({ core, actor }, id) => core.envs.get(actor, id!) },
  { name: 'Access Token', description: 'API keys (access tokens) of the organization', uri: 'bkend://access-tokens', scope: 'access-token:read', read: ({ core, actor }) => all(core.keys.list(actor).map(withoutValue)) },
  { name: 'Access Token', description: 'One API key (access token)', uri: 'bkend://access-tokens/{accessTokenId}', scope: 'access-token:read', read: ({ core, actor }, id) => withoutValue(core.keys.get(actor, id!)) },
]
