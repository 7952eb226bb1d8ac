
/** Control-database collections of the OAuth authorization server. */
export const OC = {
  clients: 'oauthClients',
  codes: 'oauthCodes',
  grants: 'oauthGrants',
} as const

export type ClientAuthMethod = 'none' | 'client_secret_post' | 'client_secret_basic'
export const CLIENT_AUTH_METHODS: readonly ClientAuthMethod[] = ['none', 'client_secret_post', 'client_secret_basic']

/** A registered client (RFC 7591). The secret, when there is one, is kept only as its SHA-256. */
export interface OAuthClientDoc {
  [key: string]: unknown
  id: string
  clientName: string | null
  redirectUris: string[]
  grantTypes: string[]
  responseTypes: string[]
  tokenEndpointAuthMethod: ClientAuthMethod
  scope: string | null
  secretHash: string | null
  issuedAt: number
}

/** An authorization code, stored by its hash; `usedAt`/`grantId` survive redemption to detect replays. */
export interface AuthCodeDoc {
  [key: string]: unknown
  id: string
  clientId: string
  redirectUri: string
  codeChallenge: string
  scopes: string[]
  tenantId: string
  organizationId: string
  expiresAt: number
  usedAt: number | null
  grantId: string | null
}

/** One consent, alive until revoked: its current refresh token (hashed) and the access tokens that name it. */
export interface GrantDoc {
  [key: string]: unknown
  id: string
  clientId: string
  tenantId: string
  organizationId: string
  scopes: string[]
  refreshHash: string
  refreshExpiresAt: number
  revokedAt: number | null
  createdAt: number
}

// SHA-256 hex: the only form in which codes, refresh tokens and client secrets are stored.
export { sha256 } from '../ids.js'

export const CODE_LIFETIME_MS = 10 * 60 * 1000
export const REFRESH_LIFETIME_MS = 30 * 24 * 3600 * 1000
export const ACCESS_LIFETIME_SECONDS = 3600
