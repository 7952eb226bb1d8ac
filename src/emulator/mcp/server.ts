import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js'
import {
  CallToolRequestSchema,
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js'
import type { Core } from '../core/core.js'
import type { DecisionTrace } from '../core/observe/decision.js'
import type { Logger } from '../logger.js'
import { clientOf } from './activity.js'
import { describe, runTool } from './dispatch.js'
import { readResource } from './resource-read.js'
import { resourceList, templateList } from './resources.js'
import { RESOURCES, toolsFor } from './registry.js'
import type { ToolContext } from './tool.js'

const INSTRUCTIONS = `bkend manages backends: organizations → projects → environments → tables. Call get_context first: it names
your organization, the REST base URL, your projects and environments with their IDs, and the rules for generated
code. Use search_docs for REST usage, auth flows, filters and permissions.`

/** What the transport knows about a session: the negotiated version decides whether results carry structuredContent. */
export interface McpSessionView {
  protocolVersion: () => string
}

/** Claims the transport verified for the current request (carried as the SDK's AuthInfo.extra). */
export interface McpCaller {
  tenantId: string
  organizationId: string
  /** The HTTP request carrying the call: a refused tool call is explained on its log event. */
  trace?: DecisionTrace
}

/**
 * One MCP server per session. note: the low-level `Server` rather than `McpServer`: McpServer turns unknown tool
 * names into tool results (mcp.md §4 wants JSON-RPC -32602) and validates input with zod before our body
 * conventions (flattened arguments, named unknown keys) can apply.
 */
export function createMcpServer(core: Core, session: McpSessionView, logger: Logger, version: string, cloudParity: boolean): Server {
  const server = new Server(
    { name: 'bkend', version },
    { capabilities: { tools: { listChanged: false }, resources: { subscribe: false, listChanged: false } }, instructions: INSTRUCTIONS },
  )
  // note: a hidden tool is refused exactly as an unknown name is, so a client cannot tell it exists.
  const tools = toolsFor(cloudParity)
  const toolsByName = new Map(tools.map((tool) => [tool.name, tool]))
  const contextOf = (authInfo: AuthInfo | undefined): ToolContext => {
    const caller = authInfo?.extra as McpCaller | undefined
    if (!authInfo || !caller) throw new McpError(-32001, 'Unauthorized')
    const client = clientOf(core, authInfo.clientId, server.getClientVersion()?.name)
    return { core, actor: { tenantId: caller.tenantId, organizationId: caller.organizationId, client }, scopes: authInfo.scopes, trace: caller.trace }
  }

  const structured = () => session.protocolVersion() >= '2025-06-18'
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: tools.map((tool) => describe(tool, structured())) }))
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = toolsByName.get(request.params.name)
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`)
    return runTool(tool, contextOf(extra.authInfo), request.params.arguments ?? {}, structured(), (error) =>
      logger.error(`MCP tool ${tool.name} failed: ${(error as Error).stack ?? String(error)}`),
    )
  })
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: resourceList(RESOURCES) }))
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({ resourceTemplates: templateList(RESOURCES) }))
  server.setRequestHandler(ReadResourceRequestSchema, async (request, extra) => readResource(RESOURCES, contextOf(extra.authInfo), request.params.uri))
  return server
}
