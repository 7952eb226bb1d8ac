/** MCP/OAuth scopes (spec mcp.md §3). */
export const MCP_SCOPES = [
  'organization:read',
  'organization:create',
  'organization:update',
  'organization:delete',
  'member:read',
  'member:create',
  'member:update',
  'member:delete',
  'project:read',
  'project:create',
  'project:update',
  'project:delete',
  'environment:read',
  'environment:create',
  'environment:delete',
  'table:read',
  'table:create',
  'table:update',
  'table:delete',
  'table:data:read',
  'table:data:create',
  'table:data:update',
  'table:data:delete',
  'access-token:read',
  'access-token:create',
  'access-token:delete',
] as const

export type McpScope = (typeof MCP_SCOPES)[number]

/**
 * The scopes of the emulator's extension tools only (mcp.md §3: organization create, the team scopes of
 * console-model.md, creating and deleting access tokens): cloud-parity mode hides those tools, and its OAuth
 * metadata does not offer these scopes.
 */
export const EXTENSION_SCOPES: readonly McpScope[] = [
  'organization:create',
  'organization:update',
  'organization:delete',
  'member:read',
  'member:create',
  'member:update',
  'member:delete',
  'access-token:create',
  'access-token:delete',
]

/** The scopes the OAuth metadata offers: all of them, or in cloud-parity mode those the hosted service documents. */
export function offeredScopes(cloudParity: boolean): McpScope[] {
  return cloudParity ? MCP_SCOPES.filter((scope) => !EXTENSION_SCOPES.includes(scope)) : [...MCP_SCOPES]
}

/**
 * Whether granted patterns cover a required scope. The action is the last segment; wildcards replace a whole
 * resource or action, so `table:*` does not cover `table:data:read` (MCP-D7).
 */
export function scopeGranted(granted: readonly string[], required: string): boolean {
  const cut = required.lastIndexOf(':')
  const resource = required.slice(0, cut)
  const action = required.slice(cut + 1)
  return granted.some((pattern) => {
    const at = pattern.lastIndexOf(':')
    if (at <= 0) return false
    const r = pattern.slice(0, at)
    const a = pattern.slice(at + 1)
    return (r === '*' || r === resource) && (a === '*' || a === action)
  })
}
