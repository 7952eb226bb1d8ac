import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'

/** The real SDK client over Streamable HTTP with a fixed bearer token. */
export async function connectWithToken(mcpUrl: string, token: string, protocolVersion?: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const client = new Client({ name: 'bkend-test', version: '1.0.0' })
  const transport = new StreamableHTTPClientTransport(new URL(mcpUrl), { requestInit: { headers: { Authorization: `Bearer ${token}` } } })
  if (protocolVersion) {
    // The SDK always offers its newest version; older clients are simulated by rewriting the offer.
    const send = transport.send.bind(transport)
    transport.send = (message, options) => {
      const m = message as { method?: string; params?: Record<string, unknown> }
      if (m.method === 'initialize') m.params = { ...m.params, protocolVersion }
      return send(message, options)
    }
  }
  await client.connect(transport)
  return { client, transport }
}

/** The JSON a tool returned (its text content), and whether it is an error result. */
export function toolJson<T = Record<string, unknown>>(result: unknown): T {
  const content = (result as CallToolResult).content[0]
  if (!content || content.type !== 'text') throw new Error('expected a text result')
  return JSON.parse(content.text) as T
}

export function toolText(result: unknown): string {
  const content = (result as CallToolResult).content[0]
  if (!content || content.type !== 'text') throw new Error('expected a text result')
  return content.text
}

/** The tool-error code of an `isError` result. */
export function toolErrorCode(result: unknown): string {
  if (!(result as CallToolResult).isError) throw new Error(`expected an error result, got ${toolText(result).slice(0, 200)}`)
  return toolJson<{ error: { code: string } }>(result).error.code
}

/**
 * An OAuthClientProvider for tests: keeps everything in memory and "opens the browser" by fetching the
 * authorization URL without following the redirect (the emulator auto-approves), remembering the code.
 */
export class MemoryOAuthProvider implements OAuthClientProvider {
  private info: OAuthClientInformationMixed | undefined
  private stored: OAuthTokens | undefined
  private verifier = ''
  /** The code of the last authorization redirect, and the URL the SDK asked to open. */
  code: string | undefined
  authorizationUrl: URL | undefined

  constructor(
    readonly redirectUrl: string,
    private readonly scope?: string,
  ) {}

  get clientMetadata(): OAuthClientMetadata {
    return { client_name: 'SDK test client', redirect_uris: [this.redirectUrl], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none', ...(this.scope ? { scope: this.scope } : {}) }
  }
  clientInformation() {
    return this.info
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.info = info
  }
  tokens() {
    return this.stored
  }
  saveTokens(tokens: OAuthTokens) {
    this.stored = tokens
  }
  async redirectToAuthorization(url: URL) {
    this.authorizationUrl = url
    const response = await fetch(url, { redirect: 'manual' })
    const location = response.headers.get('location')
    this.code = location ? (new URL(location).searchParams.get('code') ?? undefined) : undefined
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier
  }
  codeVerifier() {
    return this.verifier
  }
}
