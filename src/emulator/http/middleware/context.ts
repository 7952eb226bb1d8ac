import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Core } from '../../core/core.js'
import { DomainError, unauthorized } from '../../core/errors.js'
import type { KeyContext } from '../../core/keys/api-keys.js'
import { API_KEY } from '../../core/keys/api-keys.js'
import { API_KEY_CREDENTIAL, explainCredential, USER_TOKEN_CREDENTIAL } from '../../core/observe/credential.js'
import { principalFor, type Principal, type UserIdentity } from '../../core/principal.js'
import { withdrawCors } from './cors.js'
import type { RateLimiter } from './rate-limit.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The API key and the environment it selects, once `apiKey` ran (spec README order of checks, steps 2–3). */
    keyContext: KeyContext | null
  }
}

/** The API key a request presents: `X-API-Key`, or a key-shaped Bearer value when that header is absent (README-D3). */
export function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key']
  if (typeof header === 'string' && header !== '') return header.trim()
  const bearer = bearerOf(request)
  return bearer && API_KEY.test(bearer) ? bearer : undefined
}

/** The Bearer credential of the Authorization header, if any. */
export function bearerOf(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization
  if (!auth) return undefined
  const match = /^Bearer\s+(.+)$/i.exec(auth.trim())
  return match?.[1]?.trim()
}

/**
 * The key each connection last presented and the key record it matched. A client sends the same key on every
 * request of a keep-alive connection, so later requests skip the SHA-256 lookup (the dearest step of a cheap
 * request) and only re-check the record: revocation, expiry and deletion still take effect at once. The value
 * lives exactly as long as the connection, which carries the same plaintext in every request anyway; nothing is
 * written anywhere, and a different value on the connection is looked up afresh.
 */
const matchedKeys = new WeakMap<object, { presented: string; keyId: string }>()

/**
 * A credential header that is present but carries nothing usable (`X-API-Key: `, `Authorization: Bearer `, another
 * scheme) is a mistake in the client, never a request without that credential (README-D11): it gets a 401 instead
 * of silently falling back to another key or to guest.
 */
function refuseMalformedCredentials(request: FastifyRequest): void {
  const key = request.headers['x-api-key']
  if (key !== undefined && (typeof key !== 'string' || key.trim() === '')) {
    throw unauthorized('auth/unauthorized', 'The X-API-Key header is empty: send the API key in it (pk_ or sk_ followed by 64 hex characters), or leave the header out')
  }
  if (request.headers.authorization !== undefined && bearerOf(request) === undefined) {
    throw unauthorized('auth/invalid-token', 'The Authorization header is not a Bearer token: send Authorization: Bearer <access token>, or leave the header out')
  }
}

/** Steps 2–3 for `/v1` routes: resolves the API key to its environment and counts it for rate limiting. */
function resolveKey(core: Core, limiter: RateLimiter, request: FastifyRequest, reply: FastifyReply): KeyContext {
  const presented = presentedKey(request)
  const connection = request.raw.socket
  const matched = matchedKeys.get(connection)
  let ctx: KeyContext
  try {
    refuseMalformedCredentials(request)
    ctx = matched !== undefined && matched.presented === presented ? core.keys.authenticateMatched(matched.keyId) : core.keys.authenticate(presented)
  } catch (error) {
    limiter.hit(`ip:${request.ip}`, request, reply)
    throw error instanceof DomainError ? explainCredential(error, API_KEY_CREDENTIAL, presented ?? bearerOf(request)) : error
  }
  if (matched?.presented !== presented) matchedKeys.set(connection, { presented: presented as string, keyId: ctx.key.id })
  limiter.hit(ctx.key.id, request, reply)
  withdrawCors(request, reply, ctx.project.settings.allowedOrigins)
  request.keyContext = ctx
  return ctx
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking (group, user, key scopes), once `principalHandler` ran. */
    principal: Principal | null
    /** The signed-in user behind a Bearer access JWT, if any. */
    user: UserIdentity | null
  }
}

/**
 * preHandler for `/v1` routes: the API key (steps 2–3), then a Bearer user JWT if present (step 4; an invalid one
 * is a 401, never a silent downgrade to guest), then the group (step 8).
 */
export function principalHandler(core: Core, limiter: RateLimiter) {
  // note: callback style rather than async: requests without a user token (most of them) finish the hook
  // synchronously instead of paying for promise hops on every request.
  return (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void): void => {
    let ctx: KeyContext
    try {
      ctx = resolveKey(core, limiter, request, reply)
    } catch (error) {
      return done(error as Error)
    }
    const bearer = bearerOf(request)
    // A key-shaped Bearer value was the API key itself (README-D3), not a user token.
    const jwt = bearer && !(API_KEY.test(bearer) && request.headers['x-api-key'] === undefined) ? bearer : undefined
    if (!jwt) {
      request.user = null
      request.principal = principalFor(ctx.key.type, ctx.key.scopes, null)
      return done()
    }
    core.auth.authenticate(ctx, jwt).then(
      (user) => {
        request.user = user
        request.principal = principalFor(ctx.key.type, ctx.key.scopes, user)
        done()
      },
      (error: Error) => done(error instanceof DomainError ? explainCredential(error, USER_TOKEN_CREDENTIAL, jwt) : error),
    )
  }
}

/** The context of a request that passed `principalHandler`. */
export function scopeOf(request: FastifyRequest): { scope: KeyContext; principal: Principal } {
  return { scope: request.keyContext as KeyContext, principal: request.principal as Principal }
}

/** Where a request came from, for session records. */
export function clientMeta(request: FastifyRequest): { userAgent: string | null; ip: string } {
  return { userAgent: request.headers['user-agent'] ?? null, ip: request.ip }
}

/** The user behind the Bearer access JWT; `/v1/auth/*` routes that need one answer 401 `auth/unauthorized`. */
export function signedIn(request: FastifyRequest): UserIdentity {
  if (!request.user) throw new DomainError('auth/unauthorized', 'unauthorized', 'Sign in first: send Authorization: Bearer <access token>')
  return request.user
}
