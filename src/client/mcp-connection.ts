import { endpointLabel, type Endpoint, type TargetScope } from './endpoint.js'
import { ClientError, type ClientErrorDetails } from './errors.js'
import { Client, McpError, StreamableHTTPClientTransport, StreamableHTTPError, type CallToolResult } from './mcp-sdk.js'
import type { StoredOAuthProvider } from './oauth-provider.js'
import { baselineWasmOnly } from './wasm-tier.js'

/** How the CLI authenticated to the MCP server, for `whoami` and `status` (never the token itself). */
export type AuthMethod = 'emulator-tenant-token' | 'access-token-env' | 'oauth-login'

/** The credentials a session uses: a fixed bearer token, or a stored OAuth login the SDK refreshes. */
export type McpAuth = { method: 'emulator-tenant-token' | 'access-token-env'; token: string } | { method: 'oauth-login'; provider: StoredOAuthProvider }

/** HTTP statuses matching the MCP tool error codes (mcp.md §4), so callers can treat both doors alike. */
const TOOL_ERROR_STATUS: Record<string, number> = { VALIDATION_ERROR: 400, FORBIDDEN: 403, SCOPE_INSUFFICIENT: 403, NOT_FOUND: 404, CONFLICT: 409, INTERNAL_ERROR: 500 }

/**
 * The spec code for a tool's NOT_FOUND, from the id the call named: the most specific id argument is the missing
 * thing (a table id before its project's), so management and runtime commands name one condition one way.
 */
const NOT_FOUND_BY_ARGUMENT: Array<[string, string, string]> = [
  ['id', 'data/not-found', 'record'],
  ['tableId', 'data/table-not-found', 'table'],
  ['accessTokenId', 'common/key-not-found', 'key'],
  ['environmentId', 'data/environment-not-found', 'environment'],
  ['projectId', 'common/project-not-found', 'project'],
  ['organizationId', 'common/organization-not-found', 'organization'],
]

/** A Streamable HTTP transport to `mcpUrl` carrying the credentials. */
export function mcpTransport(mcpUrl: string, auth: McpAuth): StreamableHTTPClientTransport {
  const options = auth.method === 'oauth-login' ? { authProvider: auth.provider } : { requestInit: { headers: { Authorization: `Bearer ${auth.token}` } } }
  return new StreamableHTTPClientTransport(new URL(mcpUrl), options)
}

/** What the caller knows about the server before asking it. */
export interface McpSessionOptions {
  /**
   * Whether a server, as its initialize result names it, offers every tool this client calls: then `has` and
   * `require` answer without a tools/list round trip.
   */
  offersEveryTool?: (server: { name: string; version: string }) => boolean
}

/**
 * One MCP session with a target: the SDK Client over Streamable HTTP, authenticated with what the caller passes (a
 * fixed token, or a stored OAuth login the SDK refreshes when the server says 401). Tool results come back as plain
 * objects; tool errors and transport failures as ClientErrors. The tool list is asked for only when a capability
 * is, once per session.
 */
export class McpConnection {
  private tools: Promise<ReadonlySet<string>> | undefined

  private constructor(
    private readonly client: Client,
    private readonly transport: StreamableHTTPClientTransport,
    /** The target, and the project and environment the session's management calls act in. */
    readonly context: TargetScope,
    readonly authMethod: AuthMethod,
    /** The stored OAuth login, when that is how the session authenticates. */
    readonly provider: StoredOAuthProvider | undefined,
    /** The bearer token when it is a fixed one (emulator tenant token or BKEND_ACCESS_TOKEN). */
    private readonly fixedToken: string | undefined,
    private readonly offersEveryTool: boolean,
  ) {}

  static async open(context: TargetScope, auth: McpAuth, version: string, options: McpSessionOptions = {}): Promise<McpConnection> {
    // note: the SDK's transport speaks through global fetch, whose parser is WebAssembly too
    baselineWasmOnly()
    const transport = mcpTransport(context.mcpUrl, auth)
    const client = new Client({ name: 'bkend-cli', version })
    try {
      await client.connect(transport)
    } catch (error) {
      await client.close().catch(() => undefined)
      throw mcpConnectionError(error, context, auth.method)
    }
    const server = client.getServerVersion()
    const everyTool = server !== undefined && options.offersEveryTool?.(server) === true
    const provider = auth.method === 'oauth-login' ? auth.provider : undefined
    return new McpConnection(client, transport, context, auth.method, provider, auth.method === 'oauth-login' ? undefined : auth.token, everyTool)
  }

  /** The access token this session uses right now (for `whoami` to read its claims). */
  get accessToken(): string | undefined {
    return this.fixedToken ?? this.provider?.tokens()?.access_token
  }

  /** Calls a tool and returns its JSON result; `isError` results become ClientErrors (NOT_FOUND as the spec's code). */
  async call<T>(tool: string, args: Record<string, unknown> = {}): Promise<T> {
    let result: CallToolResult
    try {
      result = (await this.client.callTool({ name: tool, arguments: args })) as CallToolResult
    } catch (error) {
      throw mcpConnectionError(error, this.context, this.authMethod)
    }
    const text = result.content.find((c) => c.type === 'text')?.text ?? ''
    if (result.isError) throw toolError(tool, args, parseJson<{ error?: { code?: string; message?: string } }>(text)?.error, text)
    if (result.structuredContent) return result.structuredContent as T
    const parsed = parseJson<T>(text)
    return (parsed ?? text) as T
  }

  /** Whether the target offers a tool (capabilities differ: bkend's hosted MCP cannot create keys). */
  async has(tool: string): Promise<boolean> {
    if (this.offersEveryTool) return true
    this.tools ??= this.listTools()
    return (await this.tools).has(tool)
  }

  /** Fails with `target/unsupported` when the target lacks a tool; `what` says what the caller wanted to do. */
  async require(tool: string, what: string): Promise<void> {
    if (!(await this.has(tool))) throw new ClientError('target/unsupported', `${endpointLabel(this.context)} cannot ${what} (its MCP server has no ${tool} tool)`, 0, { tool, target: this.context.target })
  }

  private async listTools(): Promise<ReadonlySet<string>> {
    try {
      const { tools } = await this.client.listTools()
      return new Set(tools.map((t) => t.name))
    } catch (error) {
      throw mcpConnectionError(error, this.context, this.authMethod)
    }
  }

  /** Ends the server-side session (DELETE /mcp; closing alone would leave it open until it idles out), then closes. */
  async close(): Promise<void> {
    await this.transport.terminateSession().catch(() => undefined)
    await this.client.close().catch(() => undefined)
  }
}

/** An `isError` tool result as a ClientError: the tool's code, except NOT_FOUND, which becomes the spec's code for the missing thing. */
function toolError(tool: string, args: Record<string, unknown>, error: { code?: string; message?: string } | undefined, text: string): ClientError {
  const code = error?.code ?? 'INTERNAL_ERROR'
  const message = error?.message ?? (text || `${tool} failed`)
  const status = TOOL_ERROR_STATUS[code] ?? 500
  if (code !== 'NOT_FOUND') return new ClientError(code, message, status, { tool }, tool)
  const named = NOT_FOUND_BY_ARGUMENT.find(([argument]) => typeof args[argument] === 'string' || typeof (args.body as Record<string, unknown> | undefined)?.[argument] === 'string')
  const [argument, spec, resource] = named ?? ['', 'common/not-found', undefined]
  const ref = (args[argument] ?? (args.body as Record<string, unknown> | undefined)?.[argument]) as string | undefined
  return new ClientError(spec, message, status, { tool, resource, ref }, tool)
}

/** Transport and protocol failures of a session to `endpoint` as ClientErrors. */
export function mcpConnectionError(error: unknown, endpoint: Endpoint, method: AuthMethod): ClientError {
  if (error instanceof ClientError) return error
  const details: ClientErrorDetails = { target: endpoint.target, auth: method === 'emulator-tenant-token' ? 'tenant-token' : method === 'access-token-env' ? 'access-token' : 'oauth-login' }
  if (error instanceof StreamableHTTPError && error.code === 401) return new ClientError('auth/unauthorized', `${endpoint.mcpUrl} rejected the credentials (401)`, 401, details)
  if (error instanceof McpError) return new ClientError(`mcp/${error.code}`, `${endpoint.mcpUrl}: ${error.message}`, 400, details)
  const cause = errnoCode(error) ?? (error as Error).message
  return new ClientError('target/unreachable', `cannot reach ${endpoint.mcpUrl} (${cause})`, 0, { target: endpoint.target })
}

/** The first errno-style code (ECONNREFUSED, ENOTFOUND) along an error's cause chain: fetch nests it. */
function errnoCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) return e.code
  }
  return undefined
}

function parseJson<T>(text: string): T | undefined {
  try {
    return JSON.parse(text) as T
  } catch {
    return undefined
  }
}
