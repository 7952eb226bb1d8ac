import type { IncomingMessage } from 'node:http'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js'
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import type { Core } from '../../core/core.js'
import { DomainError } from '../../core/errors.js'
import { randomHex } from '../../core/ids.js'
import type { TenantPrincipal } from '../../core/tenant-tokens.js'
import type { Logger } from '../../logger.js'
import type { invalidParams as InvalidParams } from '../../mcp/params.js'
import type { McpCaller, createMcpServer as CreateMcpServer } from '../../mcp/server.js'
import type { Surface } from '../surface.js'
import { bearerOf } from '../middleware/context.js'
import { verifyTenant } from '../middleware/tenant.js'
import { publicOrigin, trustedOrigin } from './origin.js'
import { invalidMessage, type RpcId } from './messages.js'
import { McpSessions, type McpSession } from './sessions.js'

/** mcp.md §1 and MCP-D1; unsupported `initialize` versions get the newest. */
export const PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'] as const
const NEWEST = PROTOCOL_VERSIONS[0]
/** Versions on which a POST may carry a JSON-RPC batch. */
const BATCH_VERSIONS = new Set(['2025-03-26', '2024-11-05'])

type JsonRpcMessage = { method?: unknown; params?: unknown; id?: unknown }

// note: the MCP SDK and the tool registry take ~200 ms to load; they load on the first `initialize`, so
// `bkend dev` is ready sooner and apps that never use MCP never pay for it.
let runtime: Promise<{ Transport: typeof StreamableHTTPServerTransport; createMcpServer: typeof CreateMcpServer; invalidParams: typeof InvalidParams }> | undefined
const loadRuntime = () =>
  (runtime ??= Promise.all([import('@modelcontextprotocol/sdk/server/streamableHttp.js'), import('../../mcp/server.js'), import('../../mcp/params.js')]).then(([transport, server, params]) => ({
    Transport: transport.StreamableHTTPServerTransport,
    createMcpServer: server.createMcpServer,
    invalidParams: params.invalidParams,
  })))

/** The first request of the message(s) whose params do not fit its method, with the readable reason. */
async function paramsProblem(messages: JsonRpcMessage[]): Promise<{ id: RpcId; message: string } | undefined> {
  const { invalidParams } = await loadRuntime()
  for (const message of messages) {
    if (typeof message.method !== 'string' || message.id === undefined) continue
    const problem = invalidParams({ method: message.method, params: message.params })
    if (problem) return { id: message.id as RpcId, message: problem }
  }
  return undefined
}

/** `/mcp`: Streamable HTTP with JSON responses, bearer auth on every request, sessions bound to tenant + org. */
export async function registerMcp({ app, core, options }: Surface): Promise<void> {
  const sessions = new McpSessions(core.clock)
  app.addHook('onClose', async () => sessions.endAll())
  await app.register(async (scope) => routes(scope, core, sessions, options.logger, options.version, options.cloudParity))
}

async function routes(app: FastifyInstance, core: Core, sessions: McpSessions, logger: Logger, version: string, cloudParity: boolean): Promise<void> {
  // JSON-RPC errors instead of the REST envelope for anything that fails before the transport takes over.
  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof DomainError && error.kind === 'invalid') return rpcError(reply, 400, -32700, `Parse error: ${error.message}`)
    const status = (error as { statusCode?: unknown }).statusCode
    // Unsupported content types (415), oversized bodies (413) and other client errors fastify raised itself.
    if (typeof status === 'number' && status >= 400 && status < 500) return rpcError(reply, status, -32600, `Invalid Request: ${(error as Error).message}`)
    logger.error(`/mcp failed: ${(error as Error).stack ?? String(error)}`)
    return rpcError(reply, 500, -32603, 'Internal error')
  })

  /** Origin and bearer checks shared by POST and DELETE; answers the request itself when they fail. */
  const admit = async (request: FastifyRequest, reply: FastifyReply): Promise<TenantPrincipal | undefined> => {
    if (!trustedOrigin(request.headers.origin, core.origin())) {
      rpcError(reply, 403, -32600, `Origin ${request.headers.origin} is not allowed: only the emulator's own and loopback origins may call /mcp`)
      return undefined
    }
    const token = bearerOf(request)
    try {
      return await verifyTenant(core, request, token)
    } catch (error) {
      const base = `Bearer resource_metadata="${publicOrigin(request.headers.host, core.origin())}/.well-known/oauth-protected-resource/mcp"`
      reply.header('WWW-Authenticate', token ? `${base}, error="invalid_token", error_description="${(error as Error).message}"` : base)
      rpcError(reply, 401, -32001, token ? `Unauthorized: ${(error as Error).message}` : 'Unauthorized: send Authorization: Bearer <access token>')
      return undefined
    }
  }

  /** The session named by the request, or answers 400 / 404 (mcp.md §1). */
  const sessionOf = (request: FastifyRequest, reply: FastifyReply, principal: TenantPrincipal): McpSession | undefined => {
    const id = request.headers['mcp-session-id']
    if (typeof id !== 'string' || id === '') {
      rpcError(reply, 400, -32600, 'Bad Request: the Mcp-Session-Id header is required; initialize first')
      return undefined
    }
    const session = sessions.touch(id)
    if (!session || session.tenantId !== principal.tenantId || session.organizationId !== principal.organizationId) {
      rpcError(reply, 404, -32002, 'Session expired or unknown: initialize a new session')
      return undefined
    }
    return session
  }

  app.post('/mcp', async (request, reply) => {
    const principal = await admit(request, reply)
    if (!principal) return reply
    const header = request.headers['mcp-protocol-version']
    if (typeof header === 'string' && !(PROTOCOL_VERSIONS as readonly string[]).includes(header)) {
      return rpcError(reply, 400, -32600, `Unsupported MCP-Protocol-Version ${header}; supported: ${PROTOCOL_VERSIONS.join(', ')}`)
    }
    const body = request.body as JsonRpcMessage | JsonRpcMessage[] | undefined
    if (typeof body !== 'object' || body === null) return rpcError(reply, 400, -32600, 'Invalid Request: expected a JSON-RPC message')
    const invalid = invalidMessage(body)
    if (invalid) return rpcError(reply, 400, -32600, invalid.message, invalid.id)
    const messages = Array.isArray(body) ? body : [body]
    if (messages.some((m) => m?.method === 'initialize')) {
      if (Array.isArray(body)) return rpcError(reply, 400, -32600, 'Invalid Request: initialize must not be part of a batch')
      return initialize(request, reply, principal, body)
    }
    const session = sessionOf(request, reply, principal)
    if (!session) return reply
    if (Array.isArray(body) && !BATCH_VERSIONS.has(session.protocolVersion)) {
      return rpcError(reply, 400, -32600, `Invalid Request: batches are not supported on protocol version ${session.protocolVersion}`)
    }
    const bad = await paramsProblem(messages)
    // A single request gets its error as the SDK would answer it; a batch is refused whole, naming the request.
    if (bad) return rpcError(reply, Array.isArray(body) ? 400 : 200, -32602, bad.message, bad.id)
    return handOver(request, reply, session.transport, principal, body)
  })

  app.delete('/mcp', async (request, reply) => {
    const principal = await admit(request, reply)
    if (!principal) return reply
    const session = sessionOf(request, reply, principal)
    if (!session) return reply
    await sessions.end(session.id)
    return reply.status(204).send()
  })

  // The server never pushes messages, so there is no SSE stream to open (mcp.md §1).
  app.get('/mcp', async (_request, reply) => {
    reply.header('Allow', 'POST, DELETE')
    return rpcError(reply, 405, -32600, 'Method Not Allowed: this server does not open SSE streams')
  })

  const initialize = async (request: FastifyRequest, reply: FastifyReply, principal: TenantPrincipal, message: JsonRpcMessage) => {
    const bad = await paramsProblem([message])
    if (bad) return rpcError(reply, 200, -32602, bad.message, bad.id)
    const params = (typeof message.params === 'object' && message.params !== null ? message.params : {}) as Record<string, unknown>
    const requested = typeof params.protocolVersion === 'string' ? params.protocolVersion : ''
    const protocolVersion = (PROTOCOL_VERSIONS as readonly string[]).includes(requested) ? requested : NEWEST
    const session: Omit<McpSession, 'id' | 'transport' | 'server'> = {
      tenantId: principal.tenantId,
      organizationId: principal.organizationId,
      protocolVersion,
      lastSeenMs: core.clock.nowMs(),
    }
    const { Transport, createMcpServer } = await loadRuntime()
    const server = createMcpServer(core, { protocolVersion: () => protocolVersion }, logger, version, cloudParity)
    const transport: StreamableHTTPServerTransport = new Transport({
      sessionIdGenerator: () => randomHex(16),
      enableJsonResponse: true,
      onsessioninitialized: (id) => sessions.add({ ...session, id, transport, server }),
    })
    await server.connect(transport)
    return handOver(request, reply, transport, principal, { ...message, params: { ...params, protocolVersion } })
  }
}

/** Gives the raw request to the SDK transport, keeping the headers fastify already set (CORS). */
async function handOver(request: FastifyRequest, reply: FastifyReply, transport: StreamableHTTPServerTransport, principal: TenantPrincipal, body: unknown) {
  const caller: McpCaller = { tenantId: principal.tenantId, organizationId: principal.organizationId }
  const auth: AuthInfo = {
    token: bearerOf(request) as string,
    clientId: principal.clientId,
    scopes: principal.scopes,
    expiresAt: Math.floor(principal.expiresAt / 1000),
    extra: { ...caller },
  }
  ;(request.raw as IncomingMessage & { auth?: AuthInfo }).auth = auth
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) reply.raw.setHeader(name, value)
  reply.hijack()
  await transport.handleRequest(request.raw, reply.raw, body)
}

function rpcError(reply: FastifyReply, status: number, code: number, message: string, id: RpcId = null) {
  return reply.status(status).header('Content-Type', 'application/json').send({ jsonrpc: '2.0', error: { code, message }, id })
}
