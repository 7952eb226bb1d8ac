import type { Endpoint } from './endpoint.js'
import { mcpConnectionError, mcpTransport, type McpAuth } from './mcp-connection.js'
import {
  CallToolRequestSchema,
  Client,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  Server,
  StdioServerTransport,
  type StreamableHTTPClientTransport,
  type Transport,
} from './mcp-sdk.js'

/** The remote side of the bridge: where it is and how to authenticate. */
export interface BridgeTarget {
  endpoint: Endpoint
  auth: McpAuth
}

export interface BridgeOptions {
  /** Finds the remote server; asked again after a connection loss (an emulator restart may change its port). */
  resolveTarget: () => Promise<BridgeTarget>
  /** The local side; defaults to this process's stdin/stdout. */
  local?: Transport
  clientVersion: string
}

/**
 * Serves a remote MCP server (Streamable HTTP, a bearer token or an OAuth login) to a local stdio client: tools and
 * resources are forwarded request by request, so errors (tool errors and JSON-RPC errors alike) reach the client
 * unchanged. Resolves when the local side closes; fails with a ClientError when the first connection fails.
 */
export async function runMcpBridge(options: BridgeOptions): Promise<void> {
  const connect = async () => {
    const target = await options.resolveTarget()
    const client = new Client({ name: 'bkend-cli-mcp-bridge', version: options.clientVersion })
    try {
      await client.connect(mcpTransport(target.endpoint.mcpUrl, target.auth))
    } catch (error) {
      throw mcpConnectionError(error, target.endpoint, target.auth.method)
    }
    return client
  }
  let upstream = await connect()
  /**
   * Runs a call upstream; when the connection itself failed (emulator restarted, session expired) rather than the
   * server answering with a JSON-RPC error, reconnects once and retries.
   */
  const forwardOnce = async <T>(call: (client: Client) => Promise<T>): Promise<T> => {
    try {
      return await call(upstream)
    } catch (error) {
      if (error instanceof McpError) throw error
      await upstream.close().catch(() => undefined)
      upstream = await connect()
      return call(upstream)
    }
  }
  // Requests being forwarded, so the end of input can wait for their answers.
  const inFlight = new Set<Promise<unknown>>()
  const forward = <T>(call: (client: Client) => Promise<T>): Promise<T> => {
    const request = forwardOnce(call)
    inFlight.add(request)
    void request.finally(() => inFlight.delete(request)).catch(() => undefined)
    return request
  }
  /** Resolves once every forwarded request has settled and its answer has been handed to the local side. */
  const answered = async () => {
    // note: a message read just before the end is dispatched a tick later; a settled request's answer is sent a
    // microtask after it resolves
    do {
      await new Promise((resolve) => setImmediate(resolve))
      await Promise.allSettled([...inFlight])
    } while (inFlight.size > 0)
    await new Promise((resolve) => setImmediate(resolve))
  }

  const info = upstream.getServerVersion() ?? { name: 'bkend', version: options.clientVersion }
  const capabilities = upstream.getServerCapabilities() ?? {}
  const server = new Server(info, { capabilities: { tools: capabilities.tools, resources: capabilities.resources }, instructions: upstream.getInstructions() })
  server.setRequestHandler(ListToolsRequestSchema, (request) => forward((c) => c.listTools(request.params)))
  server.setRequestHandler(CallToolRequestSchema, (request) => forward((c) => c.callTool(request.params)))
  server.setRequestHandler(ListResourcesRequestSchema, (request) => forward((c) => c.listResources(request.params)))
  server.setRequestHandler(ListResourceTemplatesRequestSchema, (request) => forward((c) => c.listResourceTemplates(request.params)))
  server.setRequestHandler(ReadResourceRequestSchema, (request) => forward((c) => c.readResource(request.params)))

  const closed = new Promise<void>((resolve) => {
    server.onclose = () => resolve()
  })
  // The SDK's stdio transport does not notice end of input; the host closing our stdin means the session is over,
  // once the requests it sent before are answered.
  if (!options.local) process.stdin.once('end', () => void answered().then(() => server.close()))
  await server.connect(options.local ?? new StdioServerTransport())
  await closed
  // Ends the remote session (DELETE /mcp) before closing, so the emulator does not keep it for 24 hours.
  await (upstream.transport as StreamableHTTPClientTransport | undefined)?.terminateSession().catch(() => undefined)
  await upstream.close()
}
