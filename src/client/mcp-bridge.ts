import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js'
import {
  CallToolRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js'
import type { McpTarget } from './mcp-target.js'

export interface BridgeOptions {
  /** The local side; defaults to this process's stdin/stdout. */
  local?: Transport
  clientVersion: string
}

/**
 * Serves a remote MCP server (Streamable HTTP, bearer token) to a local stdio client: tools and resources are
 * forwarded request by request, so errors (tool errors and JSON-RPC errors alike) reach the client unchanged.
 * Resolves when the local side closes.
 */
export async function runMcpBridge(target: McpTarget, options: BridgeOptions): Promise<void> {
  const upstream = new Client({ name: 'bkend-cli-mcp-bridge', version: options.clientVersion })
  await upstream.connect(new StreamableHTTPClientTransport(new URL(target.url), { requestInit: { headers: { Authorization: `Bearer ${target.token}` } } }))
  const info = upstream.getServerVersion() ?? { name: 'bkend', version: options.clientVersion }
  const capabilities = upstream.getServerCapabilities() ?? {}
  const server = new Server(info, { capabilities: { tools: capabilities.tools, resources: capabilities.resources }, instructions: upstream.getInstructions() })

  server.setRequestHandler(ListToolsRequestSchema, (request) => upstream.listTools(request.params))
  server.setRequestHandler(CallToolRequestSchema, (request) => upstream.callTool(request.params))
  server.setRequestHandler(ListResourcesRequestSchema, (request) => upstream.listResources(request.params))
  server.setRequestHandler(ListResourceTemplatesRequestSchema, (request) => upstream.listResourceTemplates(request.params))
  server.setRequestHandler(ReadResourceRequestSchema, (request) => upstream.readResource(request.params))

  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve()
  })
  // The SDK's stdio transport does not notice end of input; the host closing our stdin means the session is over.
  if (!options.local) process.stdin.once('end', () => void server.close())
  await server.connect(options.local ?? new StdioServerTransport())
  await closed
  // Ends the remote session too (DELETE /mcp), so the emulator does not keep it for 24 hours.
  await upstream.close()
}
