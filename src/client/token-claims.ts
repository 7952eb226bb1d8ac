/** Claims of a JWT access token that `whoami` shows; undefined for opaque tokens (any server may use those). */
export interface TokenClaims {
  sub?: string
  org?: string
  scope?: string
  client_id?: string
  exp?: number
}

/** Reads (does not verify: the server does that) the payload of a JWT, for display only. */
export function readTokenClaims(token: string | undefined): TokenClaims | undefined {
  const payload = token?.split('.')[1]
  if (!payload || token!.split('.').length !== 3) return undefined
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenClaims
  } catch {
    return undefined
  }
}
