import type { DomainError } from '../errors.js'

/** What a presented credential looks like, told from its shape and unverified claims: never its value. */
export type CredentialKind = 'publishable key' | 'secret key' | 'malformed API key' | 'user access token' | 'refresh token' | 'tenant token' | 'unknown token'

/** The claims of a JWT, unverified: only to tell what kind of token was sent where another was expected. */
function claimsOf(token: string): Record<string, unknown> | null {
  const part = token.split('.')[1]
  if (token.split('.').length !== 3 || !part) return null
  try {
    const claims: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'))
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : null
  } catch {
    return null
  }
}

export function credentialKind(value: string): CredentialKind {
  if (/^pk_/.test(value)) return /^pk_[0-9a-f]{64}$/.test(value) ? 'publishable key' : 'malformed API key'
  if (/^sk_/.test(value)) return /^sk_[0-9a-f]{64}$/.test(value) ? 'secret key' : 'malformed API key'
  const claims = claimsOf(value)
  if (claims?.typ === 'access' && typeof claims.eid === 'string') return 'user access token'
  if (claims?.typ === 'refresh') return 'refresh token'
  if (typeof claims?.org === 'string' && claims.client_id !== undefined) return 'tenant token'
  return 'unknown token'
}

/** Which credential a surface takes, where, and which kinds a caller could mistake for it. */
export interface ExpectedCredential {
  expected: string
  header: string
  accepts: readonly CredentialKind[]
  /** What would let the request in. */
  allow: string
}

export const API_KEY_CREDENTIAL: ExpectedCredential = { expected: 'a publishable or secret API key', header: 'X-API-Key', accepts: ['publishable key', 'secret key'], allow: 'send a publishable or secret key of this environment in X-API-Key (bkend dev prints them; bkend keys list)' }
export const USER_TOKEN_CREDENTIAL: ExpectedCredential = { expected: 'a user access token of this environment', header: 'Authorization: Bearer', accepts: ['user access token'], allow: 'sign in again (or refresh the token) and send the new access token, or leave Authorization out to act as a guest' }
export const TENANT_CREDENTIAL: ExpectedCredential = { expected: 'a tenant token (bkend dev prints it; bkend login gets one)', header: 'Authorization: Bearer', accepts: ['tenant token'], allow: 'send the tenant token from the data directory\'s runtime.json (the CLI does this for you), not an app credential' }

/**
 * Explains a refused credential on the error that refuses it: what was expected in which header, what kind of
 * credential was presented instead, and, when it is of another kind altogether, says so.
 */
export function explainCredential(error: DomainError, want: ExpectedCredential, presented: string | undefined): DomainError {
  const kind = presented === undefined || presented === '' ? null : credentialKind(presented)
  const wrongKind = kind !== null && kind !== 'unknown token' && kind !== 'malformed API key' && !want.accepts.includes(kind)
  error.denial = {
    check: 'credential',
    message: wrongKind ? `A ${kind} was sent where ${want.expected} is expected (${want.header}): ${error.message}` : error.message,
    details: { code: error.code, expected: want.expected, header: want.header, presented: kind ?? 'nothing', ...(wrongKind ? { wrongKind: true } : {}), allow: want.allow },
  }
  return error
}
