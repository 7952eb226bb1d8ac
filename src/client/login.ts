import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { CredentialStore } from './credentials.js'
import { ClientError } from './errors.js'
import { auth } from './mcp-sdk.js'
import { StoredOAuthProvider } from './oauth-provider.js'

export interface LoginOptions {
  store: CredentialStore
  profile: string
  mcpUrl: string
  target: string
  /** Shows the authorization URL to the person (open a browser, or print it). */
  present: (url: URL) => void | Promise<void>
  /** How long to wait for the browser to come back. */
  timeoutMs: number
}

const CALLBACK_PATH = '/callback'

/**
 * OAuth 2.1 authorization code + PKCE through the SDK's `auth()`: discovery, dynamic client registration, the
 * authorization URL, the code exchange. The redirect lands on a loopback listener on 127.0.0.1 (RFC 8252 §7.3),
 * on the port registered before when it is free, else on a new random port with a new registration.
 */
export async function login(options: LoginOptions): Promise<StoredOAuthProvider> {
  const previous = await StoredOAuthProvider.load({ store: options.store, profile: options.profile, mcpUrl: options.mcpUrl, target: options.target })
  const { server, port } = await listen(portOf(previous.stored.redirectUrl))
  const redirectUrl = `http://127.0.0.1:${port}${CALLBACK_PATH}`
  try {
    let presented: URL | undefined
    const provider = await StoredOAuthProvider.load({ ...options, redirectUrl, onAuthorize: async (url) => {
      presented = url
      await options.present(url)
    } })
    // A fresh login: forget old tokens, and the client too when it was registered for another callback.
    await provider.invalidateCredentials(previous.stored.redirectUrl === redirectUrl ? 'tokens' : 'all')
    const callback = waitForCallback(server, options.timeoutMs)
    // note: awaited only after the redirect; marked handled so an early failure does not leave a stray rejection
    callback.catch(() => undefined)
    const first = await auth(provider, { serverUrl: options.mcpUrl })
    if (first === 'AUTHORIZED') return provider
    if (!presented) throw new ClientError('auth/failed', 'the server did not ask for authorization')
    const params = await callback
    if (params.get('state') !== provider.sentState) throw new ClientError('auth/state-mismatch', 'the authorization response does not match this login (state mismatch)')
    const error = params.get('error')
    if (error) {
      throw new ClientError(`auth/${error}`, `authorization failed: ${error}${params.get('error_description') ? ` (${params.get('error_description')})` : ''}`)
    }
    const code = params.get('code')
    if (!code) throw new ClientError('auth/failed', 'the authorization response carried no code')
    await auth(provider, { serverUrl: options.mcpUrl, authorizationCode: code })
    return provider
  } catch (error) {
    if (error instanceof ClientError) throw error
    throw new ClientError('auth/failed', `login to ${options.mcpUrl} failed: ${(error as Error).message}`)
  } finally {
    server.closeAllConnections()
    server.close()
  }
}

/** Listens on 127.0.0.1, on the preferred port when it is free. */
async function listen(preferred: number | undefined): Promise<{ server: Server; port: number }> {
  const attempt = (port: number) =>
    new Promise<Server>((resolve, reject) => {
      const server = createServer()
      server.once('error', reject)
      server.listen(port, '127.0.0.1', () => resolve(server))
    })
  const server = preferred ? await attempt(preferred).catch(() => attempt(0)) : await attempt(0)
  return { server, port: (server.address() as AddressInfo).port }
}

/** Resolves with the query of the first request to the callback path, answering the browser with a short page. */
function waitForCallback(server: Server, timeoutMs: number): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new ClientError('auth/timeout', `no answer from the browser within ${Math.round(timeoutMs / 1000)} s`)), timeoutMs)
    timer.unref()
    server.on('request', (request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1')
      if (url.pathname !== CALLBACK_PATH) {
        response.writeHead(404).end()
        return
      }
      const ok = url.searchParams.has('code')
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', connection: 'close' })
      response.end(`<!doctype html><title>bkend CLI</title><p>${ok ? 'Logged in. You can close this tab and return to the terminal.' : 'Login was not completed. Return to the terminal for details.'}</p>`)
      clearTimeout(timer)
      resolve(url.searchParams)
    })
  })
}

function portOf(url: string | undefined): number | undefined {
  if (!url) return undefined
  const port = Number(new URL(url).port)
  return Number.isInteger(port) && port > 0 ? port : undefined
}
