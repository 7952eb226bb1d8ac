import type { OAuthClientInformationMixed, OAuthDiscoveryState, OAuthTokens } from './mcp-sdk.js'

/** One OAuth login: what the SDK's client auth stores, bound to one MCP server. */
export interface StoredLogin {
  clientInformation?: OAuthClientInformationMixed
  tokens?: OAuthTokens
  /** When the access token expires (ms since epoch), computed from expires_in when it was saved. */
  expiresAt?: number
  discovery?: OAuthDiscoveryState
  /** The loopback callback registered with the client, so the SDK can refresh without a new login. */
  redirectUrl?: string
  savedAt?: string
}

/**
 * Where logins are kept, per profile and MCP server. The client only reads and replaces them; the caller decides
 * where they live (the CLI: its credentials file, mode 0600).
 */
export interface CredentialStore {
  /** The login stored for a profile and server, if any. */
  loadLogin(profile: string, mcpUrl: string): Promise<StoredLogin | undefined>
  /** Replaces the stored login; `undefined` forgets it. */
  saveLogin(profile: string, mcpUrl: string, login: StoredLogin | undefined): Promise<void>
}
