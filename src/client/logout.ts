import type { CredentialStore } from './credentials.js'
import { StoredOAuthProvider } from './oauth-provider.js'

export interface LogoutOutcome {
  /** Whether a login was stored for the profile and server. */
  wasLoggedIn: boolean
  /** Whether the server confirmed revoking the refresh token (RFC 7009); false when it has no revocation endpoint. */
  revoked: boolean
}

/**
 * Revokes the stored refresh token (which ends its access tokens too) when the server offers revocation, then
 * forgets the login. Forgetting happens even when the server cannot be reached: logging out must always work.
 */
export async function logout(options: { store: CredentialStore; profile: string; mcpUrl: string; target: string }): Promise<LogoutOutcome> {
  const provider = await StoredOAuthProvider.load(options)
  const { tokens, clientInformation, discovery } = provider.stored
  if (!tokens) return { wasLoggedIn: false, revoked: false }
  // note: OIDC-shaped metadata has no revocation_endpoint in the SDK's type, OAuth metadata does.
  const endpoint = (discovery?.authorizationServerMetadata as { revocation_endpoint?: string } | undefined)?.revocation_endpoint
  let revoked = false
  if (endpoint && clientInformation) {
    const token = tokens.refresh_token ?? tokens.access_token
    const body = new URLSearchParams({ token, token_type_hint: tokens.refresh_token ? 'refresh_token' : 'access_token', client_id: clientInformation.client_id })
    if (clientInformation.client_secret) body.set('client_secret', clientInformation.client_secret)
    revoked = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, signal: AbortSignal.timeout(10_000) }).then(
      (response) => response.ok,
      () => false,
    )
  }
  await provider.forget()
  return { wasLoggedIn: true, revoked }
}
