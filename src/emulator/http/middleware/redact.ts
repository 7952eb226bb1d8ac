/**
 * A name that holds a secret, wherever it appears (query parameters, body fields at any depth), judged without case,
 * `_` or `-`: `password`, `newPassword`, `access_token`, `client_secret`, `X-API-Key`, `code_verifier`, an OAuth or
 * MFA `code`. Over-redacting is harmless; a missed secret is not.
 */
const SECRET_NAME = /(?:pass(?:word|wd)?|secret|token|key|authori[sz]ation|verifier|otp|cookie|credentials?|signature|assertion)$|^code$/

function secretName(name: string): boolean {
  return SECRET_NAME.test(name.toLowerCase().replace(/[-_]/g, ''))
}

/** Bodies larger than this are summarised, not copied into the log. */
export const MAX_LOGGED_BODY = 16 * 1024

const REDACTED = '[redacted]'

/** Paths whose last part is a capability token: signed storage URLs, invitation pages. */
const TOKEN_PATHS = ['/_emulator/storage/upload/', '/_emulator/storage/download/', '/_emulator/invitations/', '/_/signin/magic/', '/_/signin/once/']

/**
 * The URL as the log shows it: capability tokens in paths and the values of secret-bearing query parameters
 * replaced (`?token=[redacted]`). Most URLs have neither, and are returned as they are.
 */
export function loggedUrl(url: string): string {
  if (url.startsWith('/_emulator/') || url.startsWith('/_/signin/')) {
    const prefix = TOKEN_PATHS.find((p) => url.startsWith(p))
    if (prefix) return `${prefix}${REDACTED}`
  }
  return url.includes('?') ? redactQuery(url) : url
}

function redactQuery(url: string): string {
  const at = url.indexOf('?')
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=')
      if (eq < 0) return pair
      let name = pair.slice(0, eq)
      try {
        name = decodeURIComponent(name)
      } catch {
        // an undecodable name is judged as written
      }
      return secretName(name) ? `${pair.slice(0, eq)}=${REDACTED}` : pair
    })
  return `${url.slice(0, at)}?${query.join('&')}`
}

/** A copy of a JSON value with every field named like a secret replaced, at any depth. */
export function redactBody(value: unknown, depth = 0): unknown {
  if (depth > 32) return '[nested too deep]'
  if (Array.isArray(value)) return value.map((item) => redactBody(item, depth + 1))
  if (value === null || typeof value !== 'object') return value
  // Raw bodies (uploaded bytes, streams) are not walked: only what JSON parsing made.
  const proto = Object.getPrototypeOf(value) as unknown
  if (proto !== Object.prototype && proto !== null) return Buffer.isBuffer(value) ? `[${value.length} bytes]` : '[raw body]'
  const copy: Record<string, unknown> = {}
  for (const [name, field] of Object.entries(value)) copy[name] = secretName(name) ? REDACTED : redactBody(field, depth + 1)
  return copy
}

/** A response payload for the log: JSON parsed and redacted; anything else, or anything large, as a summary. */
export function summariseBody(payload: unknown, contentType: unknown): unknown {
  const type = typeof contentType === 'string' ? contentType.split(';', 1)[0]! : 'unknown type'
  if (typeof payload === 'string') {
    if (payload.length > MAX_LOGGED_BODY) return `[${type}, ${payload.length} characters]`
    if (!type.endsWith('json')) return `[${type}, ${payload.length} characters]`
    try {
      return redactBody(JSON.parse(payload))
    } catch {
      return `[${type}, ${payload.length} characters, not JSON]`
    }
  }
  if (Buffer.isBuffer(payload)) return `[${type}, ${payload.length} bytes]`
  return `[${type}, streamed]`
}
