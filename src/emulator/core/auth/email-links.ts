import { invalid } from '../errors.js'

const HTTP_URL = /^https?:\/\//i

/** An optional `callbackUrl`: absent → null; present, it must be an absolute http(s) URL (rest-auth.md §1.6). */
export function optionalCallbackUrl(value: unknown, code = 'auth/invalid-request'): string | null {
  if (value === undefined || value === null || value === '') return null
  if (typeof value !== 'string' || !HTTP_URL.test(value) || !URL.canParse(value)) throw invalid(code, 'callbackUrl must be an absolute http(s) URL')
  return value
}

/** A required `callbackUrl` (magic links). */
export function requiredCallbackUrl(value: unknown): string {
  const url = optionalCallbackUrl(value)
  if (url === null) throw invalid('auth/invalid-request', 'callbackUrl is required: the URL of your app page that receives the token')
  return url
}

/** Appends query parameters, with `&` when the URL already has a query (rest-auth.md §1.6). */
export function withQuery(url: string, params: Record<string, string>): string {
  const hashAt = url.indexOf('#')
  const base = hashAt === -1 ? url : url.slice(0, hashAt)
  const fragment = hashAt === -1 ? '' : url.slice(hashAt)
  const query = new URLSearchParams(params).toString()
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&'
  return `${base}${separator}${query}${fragment}`
}
