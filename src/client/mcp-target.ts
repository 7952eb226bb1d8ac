import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { RUNTIME_FILE, type RuntimeFile } from '../contract/emulator.js'

/** Where `bkend mcp` forwards to, and with which bearer token. */
export interface McpTarget {
  url: string
  token: string
  /** Where the values came from, for messages. */
  source: 'flags' | 'runtime'
}

export interface McpTargetOptions {
  dataDir: string
  url?: string
  token?: string
}

/** A failure the command reports with a hint (never a stack trace). */
export class McpTargetError extends Error {
  constructor(
    message: string,
    readonly suggestion: string,
  ) {
    super(message)
    this.name = 'McpTargetError'
  }
}

/** `http://host:port` → `http://host:port/mcp`; URLs that already have a path are kept. */
export function mcpEndpoint(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new McpTargetError(`${url} is not a URL`, 'pass --url http://127.0.0.1:4100/mcp')
  }
  if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = '/mcp'
  return parsed.toString()
}

/**
 * Resolves the target: `--url`/`--token` (or BKEND_ACCESS_TOKEN, passed in as `token`) win; otherwise the
 * running emulator described by `<data-dir>/runtime.json`, with its tenant token.
 */
export async function resolveMcpTarget(options: McpTargetOptions): Promise<McpTarget> {
  if (options.url && options.token) return { url: mcpEndpoint(options.url), token: options.token, source: 'flags' }
  const runtime = await readRuntime(resolve(options.dataDir)).catch((error: unknown) => {
    // With --url the runtime file was only a fallback for the token: say what is really missing.
    if (options.url) throw new McpTargetError(`--url ${options.url} needs an access token`, 'pass --token <token> or set BKEND_ACCESS_TOKEN')
    throw error
  })
  const url = options.url ? mcpEndpoint(options.url) : runtime.mcpUrl
  return { url, token: options.token ?? runtime.tenantToken, source: options.url || options.token ? 'flags' : 'runtime' }
}

async function readRuntime(dataDir: string): Promise<RuntimeFile> {
  const path = join(dataDir, RUNTIME_FILE)
  let runtime: RuntimeFile
  try {
    runtime = JSON.parse(await readFile(path, 'utf8')) as RuntimeFile
  } catch {
    throw new McpTargetError(`no running bkend emulator found (${path} is missing or unreadable)`, 'start one with `bkend dev`, pass --data-dir <its data dir>, or pass --url and --token')
  }
  if (!alive(runtime.pid)) {
    throw new McpTargetError(`the emulator that wrote ${path} (pid ${runtime.pid}) is not running`, 'start it again with `bkend dev`')
  }
  return runtime
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
