import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Tenant } from '../../../contract/tenancy.js'
import type { Core } from '../../core/core.js'
import { refused, unauthorized } from '../../core/errors.js'
import { SESSION_LIFETIME_SECONDS } from '../../core/tenancy/console-sessions.js'
import type { Actor } from '../../core/tenancy/model.js'

/**
 * Console sessions (docs/emulator.md, "Console sign-in"): an HttpOnly, SameSite=Strict cookie whose value is 32
 * random bytes, stored only as its SHA-256. Its name carries an id of the data directory, because browsers keep
 * cookies per host, not per port: two emulators on localhost must not read each other's. `Path=/` because the
 * OAuth consent page (`/mcp/oauth/authorize`) signs the tenant in with it too. No `Secure`: the emulator serves
 * plain http on loopback. Only the cookie opens a session: a tenant token, an API key or a user JWT never does.
 */

/** A signed-in tenant. Callers still check membership and role through an actor (`consoleActor`). */
export interface ConsoleSession {
  tenant: Tenant
  /** The stored id of the session (the cookie's SHA-256), never the cookie itself. */
  sessionId: string
}

const COOKIE_PREFIX = 'bkend_console_'
const SIGN_IN_PATH = '/_/signin'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const signedInRequests = new WeakMap<FastifyRequest, ConsoleSession>()

/** The console's paths (`/_/…`): pages and JSON for its own origin only, so they never answer CORS. */
export function isConsolePath(path: string): boolean {
  return path === '/_' || path.startsWith('/_/')
}

/** The session cookie's name for this emulator's data directory. */
export function consoleCookieName(core: Core): string {
  return `${COOKIE_PREFIX}${core.consoleSessions.cookieId}`
}

/** One cookie's value from the Cookie header, or undefined. */
function cookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return undefined
}

/** The tenant signed in by this request's session cookie, re-checked on every request; undefined without one. */
export function consoleSession(core: Core, request: FastifyRequest): ConsoleSession | undefined {
  const found = core.consoleSessions.lookup(cookie(request, consoleCookieName(core)))
  return found && { tenant: found.tenant, sessionId: found.doc.id }
}

/** The actor a console request acts as inside an organization: the role matrix applies through it. */
export function consoleActor(session: ConsoleSession, organizationId: string): Actor {
  return { tenantId: session.tenant.id, organizationId, client: { kind: 'console', clientId: null } }
}

/** The session a guard (`requireConsolePage`, `requireConsoleApi`) found for this request. */
export function signedIn(request: FastifyRequest): ConsoleSession {
  const session = signedInRequests.get(request)
  if (!session) throw new Error('signedIn() called on a route without a console session guard')
  return session
}

/** Opens a session for a tenant and sets its cookie on the reply. */
export async function startConsoleSession(core: Core, reply: FastifyReply, tenantId: string): Promise<void> {
  const { value } = await core.consoleSessions.open(tenantId)
  reply.header('Set-Cookie', `${consoleCookieName(core)}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${SESSION_LIFETIME_SECONDS}`)
}

/** Ends the request's session, if any, and clears its cookie. */
export async function signOut(core: Core, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const session = consoleSession(core, request)
  if (session) await core.consoleSessions.close(session.sessionId)
  reply.header('Set-Cookie', `${consoleCookieName(core)}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0`)
}

/**
 * Where to go after signing in: a path of this origin (`/_/…`, `/mcp/oauth/authorize?…`), or the console's home.
 * Absolute URLs, scheme-relative `//host` and backslash tricks are refused, so a link cannot redirect elsewhere.
 */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || /[\\\s]|\p{Cc}/u.test(value)) return '/_/'
  try {
    const url = new URL(value, 'http://emulator.invalid')
    return url.origin === 'http://emulator.invalid' ? `${url.pathname}${url.search}` : '/_/'
  } catch {
    return '/_/'
  }
}

/** The sign-in page's URL that comes back to `next` afterwards. */
export function signInUrl(next: string): string {
  return `${SIGN_IN_PATH}?next=${encodeURIComponent(safeNext(next))}`
}

/**
 * True when a browser says the request comes from a page of this emulator: its Origin is the host the request was
 * sent to (which the host guard already limits to this emulator's names), or, without an Origin, Sec-Fetch-Site is
 * `same-origin`. Another port on localhost is another origin; a request with neither header is not trusted.
 */
export function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin
  if (typeof origin === 'string') {
    try {
      const url = new URL(origin)
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === request.headers.host
    } catch {
      return false
    }
  }
  return request.headers['sec-fetch-site'] === 'same-origin'
}

const crossOrigin = () =>
  refused('forbidden', 'common/forbidden', 'The console refuses requests from other origins', {
    check: 'origin',
    details: { allow: 'use the console from its own pages on this emulator' },
  })

/** preHandler for state-changing console routes: a 403 envelope unless the request comes from this emulator's pages. */
export function requireSameOrigin() {
  return async (request: FastifyRequest): Promise<void> => {
    if (!SAFE_METHODS.has(request.method) && !sameOrigin(request)) throw crossOrigin()
  }
}

/** preHandler for console HTML pages: without a session, a redirect to the sign-in page that comes back here. */
export function requireConsolePage(core: Core) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const session = consoleSession(core, request)
    if (session) {
      signedInRequests.set(request, session)
      return
    }
    await reply.header('Cache-Control', 'no-store').redirect(signInUrl(request.url), 302)
  }
}

/**
 * preHandler for console JSON routes: a 401 envelope without a session, a 403 one for a request another site made
 * (Fetch Metadata) or a state change from another origin.
 */
export function requireConsoleApi(core: Core) {
  return async (request: FastifyRequest): Promise<void> => {
    const site = request.headers['sec-fetch-site']
    if (site === 'cross-site' || site === 'same-site' || (!SAFE_METHODS.has(request.method) && !sameOrigin(request))) throw crossOrigin()
    const session = consoleSession(core, request)
    if (!session) throw unauthorized('auth/unauthorized', 'Sign in to the console first: open /_/signin, or run bkend open')
    signedInRequests.set(request, session)
  }
}
