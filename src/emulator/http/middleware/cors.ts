import type { FastifyReply, FastifyRequest } from 'fastify'
import { posix } from 'node:path'
import { refuse } from './errors.js'

const ALLOW_HEADERS = 'X-API-Key, Authorization, Content-Type, Mcp-Session-Id, MCP-Protocol-Version, Last-Event-ID'
const EXPOSE_HEADERS = 'ETag, X-Request-Id, Mcp-Session-Id, X-RateLimit-Limit, X-RateLimit-Remaining, Retry-After, WWW-Authenticate, Location'
const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE, OPTIONS'

/**
 * CORS per spec README: reflect the request Origin, answer preflights with 204. Paths for which `isPrivate` says
 * true (the emulator controls) get no CORS headers at all, so a page on another origin can neither call nor read
 * them. A preflight from an origin `refusesOrigin` names (README-D9: no project's allowlist lets it in) is a 403
 * with the envelope. Returns true when it answered the request (a preflight).
 */
export function applyCors(
  request: FastifyRequest,
  reply: FastifyReply,
  isPrivate: (path: string) => boolean,
  refusesOrigin: (origin: string, path: string) => boolean = () => false,
): boolean {
  const origin = request.headers.origin
  if (request.method !== 'OPTIONS' && !origin) return false
  const path = canonicalPath(request.url)
  const open = !isPrivate(path)
  if (request.method === 'OPTIONS' && origin && open && refusesOrigin(origin, path)) {
    const message = `The origin ${origin} is not in the project's allowed origins: add it with bkend projects update --allowed-origin ${origin}`
    request.denial = { check: 'origin', message, details: { origin } }
    refuse(request, reply, 403, 'common/origin-not-allowed', message)
    return true
  }
  if (origin && open) {
    reply.header('Access-Control-Allow-Origin', origin)
    reply.header('Vary', 'Origin')
    reply.header('Access-Control-Expose-Headers', EXPOSE_HEADERS)
  }
  if (request.method !== 'OPTIONS') return false
  if (open) {
    reply.header('Access-Control-Allow-Methods', ALLOW_METHODS)
    reply.header('Access-Control-Allow-Headers', ALLOW_HEADERS)
    reply.header('Access-Control-Max-Age', '600')
  }
  reply.status(204).send()
  return true
}

/**
 * The path as the most lenient router could understand it: percent-decoded (repeatedly, so a double encoding hides
 * nothing), lower-cased, backslashes as slashes, repeated slashes and dot segments collapsed. The private-path check
 * runs on this, so no spelling of a control path (`/_emulator/%6dailbox`, `//_emulator/mailbox`, `/_EMULATOR/…`)
 * gets CORS headers, whichever of those spellings the router itself serves.
 */
export function canonicalPath(url: string): string {
  let path = url.split('?', 1)[0] as string
  for (let round = 0; round < 3 && path.includes('%'); round++) {
    try {
      path = decodeURIComponent(path)
    } catch {
      break
    }
  }
  path = path.split('?', 1)[0] as string
  return posix.normalize(`/${path.toLowerCase().replaceAll('\\', '/')}`)
}

declare module 'fastify' {
  interface FastifyInstance {
    /** `bkend dev --cors any`: every origin is reflected, whatever the projects' allowlists say (README-D9). */
    corsAnyOrigin: boolean
  }
}

/** Whether a project's allowlist lets a browser at `origin` in: an empty list lets every origin in (README-D9). */
export function originAllowed(allowedOrigins: readonly string[], origin: string): boolean {
  return allowedOrigins.length === 0 || allowedOrigins.some((entry) => sameOrigin(entry, origin))
}

/**
 * An actual request from an origin its project does not list is still answered (the browser, not the server, keeps
 * the page from reading it), but without the headers that would let the page read it (README-D9).
 */
export function withdrawCors(request: FastifyRequest, reply: FastifyReply, allowedOrigins: readonly string[]): void {
  const origin = request.headers.origin
  if (origin === undefined || request.server.corsAnyOrigin || originAllowed(allowedOrigins, origin)) return
  reply.removeHeader('Access-Control-Allow-Origin')
  reply.removeHeader('Access-Control-Expose-Headers')
}

function sameOrigin(entry: string, origin: string): boolean {
  try {
    return new URL(entry).origin === new URL(origin).origin
  } catch {
    return false
  }
}
