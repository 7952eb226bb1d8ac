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
