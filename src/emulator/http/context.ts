import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Core } from '../core/core.js'
import type { KeyContext } from '../core/keys/api-keys.js'
import { API_KEY } from '../core/keys/api-keys.js'
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

/** preHandler for `/v1` routes: resolves the API key to its environment, counts it for rate limiting. */
export function apiKeyHandler(core: Core, limiter: RateLimiter) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    try {
      request.keyContext = core.keys.authenticate(presentedKey(request))
    } catch (error) {
      limiter.hit(`ip:${request.ip}`, request, reply)
      throw error
    }
    limiter.hit(request.keyContext.key.id, request, reply)
  }
}
