import type { Server } from '@modelcontextprotocol/sdk/server/index.js'
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import type { Clock } from '../../core/clock.js'

/** Sessions idle longer than this are gone (mcp.md §1): the client gets 404 and re-initializes. */
export const SESSION_IDLE_MS = 24 * 3600 * 1000

/** One MCP session, bound to the tenant and organization of the token that initialized it. */
export interface McpSession {
  id: string
  tenantId: string
  organizationId: string
  protocolVersion: string
  lastSeenMs: number
  transport: StreamableHTTPServerTransport
  server: Server
}

/** Live sessions by id; idleness is measured on the emulator clock so tests can shift time. */
export class McpSessions {
  private readonly sessions = new Map<string, McpSession>()

  constructor(private readonly clock: Clock) {}

  add(session: McpSession): void {
    this.sweep()
    this.sessions.set(session.id, session)
  }

  /** The live session and marks it used, or undefined when unknown, ended or idle too long. */
  touch(id: string): McpSession | undefined {
    const session = this.sessions.get(id)
    if (!session) return undefined
    const now = this.clock.nowMs()
    if (now - session.lastSeenMs > SESSION_IDLE_MS) {
      void this.end(id)
      return undefined
    }
    session.lastSeenMs = now
    return session
  }

  async end(id: string): Promise<void> {
    const session = this.sessions.get(id)
    if (!session) return
    this.sessions.delete(id)
    await session.server.close().catch(() => undefined)
  }

  async endAll(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.end(id)))
  }

  private sweep(): void {
    const now = this.clock.nowMs()
    for (const [id, session] of this.sessions) if (now - session.lastSeenMs > SESSION_IDLE_MS) void this.end(id)
  }
}
