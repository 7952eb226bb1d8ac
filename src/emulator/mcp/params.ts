import {
  CallToolRequestSchema,
  InitializeRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  PingRequestSchema,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js'

const SCHEMAS = new Map(
  [InitializeRequestSchema, PingRequestSchema, ListToolsRequestSchema, CallToolRequestSchema, ListResourcesRequestSchema, ListResourceTemplatesRequestSchema, ReadResourceRequestSchema].map(
    (schema) => [schema.shape.method.value as string, schema],
  ),
)

/**
 * Why a request's params do not fit its method, as a readable -32602 message (MCP-D20), or undefined. Checked
 * before the SDK, which would answer -32603 with a dump of its validation issues. Unknown methods are the SDK's
 * (-32601).
 */
export function invalidParams(request: { method: string; params?: unknown }): string | undefined {
  const schema = SCHEMAS.get(request.method)
  if (!schema) return undefined
  const parsed = schema.safeParse(request)
  if (parsed.success) return undefined
  const problems = parsed.error.issues.slice(0, 3).map((issue) => {
    const path = issue.path.filter((part) => part !== 'params').join('.')
    return `${path || 'params'}: ${issue.message.replace(/^Invalid input: /, '').replace(/expected record/, 'expected an object')}`
  })
  return `Invalid params for ${request.method}: ${problems.join('; ')}`
}
