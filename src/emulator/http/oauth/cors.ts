import { trustedOrigin } from '../mcp/origin.js'

/**
 * OAuth endpoints that must not answer CORS to the given Origin: revocation never (RFC 7009 is for clients, not for
 * pages), the token endpoint for any origin but the emulator's own and loopback ones (else a page that obtained a
 * code could read the tokens). The path is compared as the router matches it: percent-decoded, no trailing slash.
 */
export function oauthClosedToCors(path: string, origin: string | undefined, emulatorOrigin: string): boolean {
  let decoded = path
  if (path.includes('%')) {
    try {
      decoded = decodeURIComponent(path)
    } catch {
      return false
    }
  }
  decoded = decoded.replace(/\/+$/, '')
  if (decoded === '/mcp/oauth/revoke') return true
  return decoded === '/mcp/oauth/token' && !trustedOrigin(origin ?? 'null', emulatorOrigin)
}
