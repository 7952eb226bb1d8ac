import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport, StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { CliError } from '../cli/errors.js'
import type { TargetContext } from '../cli/target.js'
import { loginHint, StoredOAuthProvider } from './oauth-provider.js'

/** How the CLI authenticated to the MCP server, for `whoami` and `status` (never the token itself). */
export type AuthMethod = 'emulator-tenant-token' | 'access-token-env' | 'oauth-login'

/** Hints per MCP tool error code (mcp.md §4): what a person can do next. */
const TOOL_ERROR_HINTS: Record<string, string> = {
  NOT_FOUND: 'check the name or id; the matching `list` command shows what exists',
  VALIDATION_ERROR: 'check the values you passed (see --help for the accepted forms)',
  CONFLICT: 'the name is taken: choose another, or change the existing one',
  FORBIDDEN: 'your organization role does not allow this; ask an owner or admin of the organization',
  SCOPE_INSUFFICIENT: "the login lacks the scope this needs: run 'bkend login' again and grant it",
  INTERNAL_ERROR: 'the server failed; try again, and report it if it keeps happening',
}

/**
 * One MCP session with a target: the SDK Client over Streamable HTTP, authenticated with the emulator's tenant
 * token (local), BKEND_ACCESS_TOKEN, or the stored OAuth login (refreshed by the SDK when the server says 401).
 * Tool results come back as plain objects; tool errors and transport failures as CliErrors.
 */
export class McpConnection {
  private constructor(
    private readonly client: Client,
    private readonly transport: StreamableHTTPClientTransport,
    readonly context: TargetContext,
    readonly authMethod: AuthMethod,
    readonly tools: ReadonlySet<string>,
    /** The stored OAuth login, when that is how the session authenticates. */
    readonly provider: StoredOAuthProvider | undefined,
    /** The bearer token when it is a fixed one (emulator tenant token or BKEND_ACCESS_TOKEN). */
    private readonly fixedToken: string | undefined,
  ) {}

  static async open(context: TargetContext, version: string): Promise<McpConnection> {
    const { method, token, provider } = await credentialsFor(context)
    const transport = new StreamableHTTPClientTransport(new URL(context.mcpUrl), token ? { requestInit: { headers: { Authorization: `Bearer ${token}` } } } : { authProvider: provider })
    const client = new Client({ name: 'bkend-cli', version })
    try {
      await client.connect(transport)
      const { tools } = await client.listTools()
      return new McpConnection(client, transport, context, method, new Set(tools.map((t) => t.name)), provider, token)
    } catch (error) {
      await client.close().catch(() => undefined)
      throw connectionError(error, context, method)
    }
  }

  /** The access token this session uses right now (for `whoami` to read its claims). */
  get accessToken(): string | undefined {
    return this.fixedToken ?? this.provider?.tokens()?.access_token
  }

  /** Calls a tool and returns its JSON result; `isError` results become CliErrors with the server's code. */
  async call<T>(tool: string, args: Record<string, unknown> = {}): Promise<T> {
    let result: CallToolResult
    try {
      result = (await this.client.callTool({ name: tool, arguments: args })) as CallToolResult
    } catch (error) {
      throw connectionError(error, this.context, this.authMethod)
    }
    const text = result.content.find((c) => c.type === 'text')?.text ?? ''
    if (result.isError) {
      const parsed = parseJson<{ error?: { code?: string; message?: string } }>(text)
      const code = parsed?.error?.code ?? 'INTERNAL_ERROR'
      throw new CliError(parsed?.error?.message ?? (text || `${tool} failed`), TOOL_ERROR_HINTS[code] ?? TOOL_ERROR_HINTS.INTERNAL_ERROR, 1, code)
    }
    if (result.structuredContent) return result.structuredContent as T
    const parsed = parseJson<T>(text)
    return (parsed ?? text) as T
  }

  /** Whether the target offers a tool (capabilities differ: bkend's hosted MCP cannot create keys). */
  has(tool: string): boolean {
    return this.tools.has(tool)
  }

  /** Fails with an explanation when the target lacks a tool. */
  require(tool: string, what: string, hint: string): void {
    if (!this.has(tool)) throw new CliError(`${targetLabel(this.context)} cannot ${what} (its MCP server has no ${tool} tool)`, hint, 1, 'target/unsupported')
  }

  /** Ends the server-side session (DELETE /mcp; closing alone would leave it open until it idles out), then closes. */
  async close(): Promise<void> {
    await this.transport.terminateSession().catch(() => undefined)
    await this.client.close().catch(() => undefined)
  }
}

async function credentialsFor(context: TargetContext): Promise<{ method: AuthMethod; token?: string; provider?: StoredOAuthProvider }> {
  if (context.kind === 'local') return { method: 'emulator-tenant-token', token: context.runtime!.tenantToken }
  const envToken = process.env.BKEND_ACCESS_TOKEN
  if (envToken) return { method: 'access-token-env', token: envToken }
  const provider = await StoredOAuthProvider.load({ profile: context.profile, mcpUrl: context.mcpUrl, target: context.target })
  if (!provider.loggedIn) throw new CliError(`not logged in to ${context.mcpUrl}`, loginHint(context.target), 1, 'auth/login-required')
  return { method: 'oauth-login', provider }
}

/** Transport and protocol failures as CliErrors that say what to do next. */
function connectionError(error: unknown, context: TargetContext, method: AuthMethod): CliError {
  if (error instanceof CliError) return error
  if (error instanceof StreamableHTTPError && error.code === 401) {
    const hint = method === 'emulator-tenant-token' ? 'the tenant token in runtime.json was revoked; restart bkend dev to mint a new one' : method === 'access-token-env' ? 'BKEND_ACCESS_TOKEN was rejected: use a fresh token' : loginHint(context.target)
    return new CliError(`${context.mcpUrl} rejected the credentials (401)`, hint, 1, 'auth/unauthorized')
  }
  if (error instanceof McpError) return new CliError(`${context.mcpUrl}: ${error.message}`, 'the server refused the request; check the values you passed', 1, `mcp/${error.code}`)
  const cause = errnoCode(error) ?? (error as Error).message
  const hint = context.kind === 'local' ? `is bkend dev still running? start it with 'bkend dev'` : 'check the URL and your network connection'
  return new CliError(`cannot reach ${context.mcpUrl} (${cause})`, hint, 1, 'target/unreachable')
}

/** `local`, `cloud` or the URL, as a person would name the target. */
export function targetLabel(context: TargetContext): string {
  return context.kind === 'local' ? `the local emulator (${context.restUrl})` : context.kind === 'cloud' ? `bkend cloud (${context.mcpUrl})` : context.target
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
