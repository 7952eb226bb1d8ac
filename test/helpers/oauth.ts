import { createHash, randomBytes } from 'node:crypto'

/** A PKCE pair (RFC 7636, S256). */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}

export const REDIRECT = 'http://localhost:33418/callback'

/** POSTs a form to the emulator and returns status, headers and the parsed JSON (or text) body. */
export async function postForm(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form) })
  const text = await response.text()
  let body: Record<string, unknown> = {}
  try {
    body = JSON.parse(text) as Record<string, unknown>
  } catch {
    body = { text }
  }
  return { status: response.status, headers: response.headers, body }
}

/** Registers a public client with one redirect URI. */
export async function registerClient(origin: string, metadata: Record<string, unknown> = {}): Promise<Record<string, unknown> & { client_id: string }> {
  const response = await fetch(`${origin}/mcp/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ redirect_uris: [REDIRECT], client_name: 'Test Client', ...metadata }) })
  if (response.status !== 201) throw new Error(`registration failed: ${response.status} ${await response.text()}`)
  return (await response.json()) as Record<string, unknown> & { client_id: string }
}

/** The authorization URL for a client, with PKCE and optional overrides. */
export function authorizeUrl(origin: string, params: Record<string, string | undefined>): string {
  const url = new URL(`${origin}/mcp/oauth/authorize`)
  for (const [key, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(key, value)
  return url.toString()
}

/** Runs authorize (auto-approve) and returns the code from the redirect. */
export async function authorizeCode(origin: string, clientId: string, challenge: string, extra: Record<string, string> = {}): Promise<string> {
  const response = await fetch(authorizeUrl(origin, { response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, code_challenge: challenge, code_challenge_method: 'S256', state: 'st', ...extra }), { redirect: 'manual' })
  const location = response.headers.get('location')
  const code = location ? new URL(location).searchParams.get('code') : null
  if (response.status !== 302 || !code) throw new Error(`no code: ${response.status} ${location}`)
  return code
}

/** A plain JSON-RPC POST to /mcp. */
export async function rpc(mcpUrl: string, message: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(mcpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: typeof message === 'string' ? message : JSON.stringify(message),
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined }
}

export const initializeMessage = (protocolVersion = '2025-06-18', id = 1) => ({
  jsonrpc: '2.0',
  id,
  method: 'initialize',
  params: { protocolVersion, capabilities: {}, clientInfo: { name: 'test', version: '1.0.0' } },
})
