import type { FastifyReply, FastifyRequest } from 'fastify'
import { rateLimited } from '../../core/errors.js'
import { familyOf } from './errors.js'

export interface RateLimitOptions {
  /** Enforce the limit (429). Off by default: the headers are always sent (README-D7). */
  enabled: boolean
  /** Requests per key per minute. */
  limit: number
}

interface Window {
  start: number
  count: number
}

const WINDOW_MS = 60_000

/** A fixed one-minute window per API key; headers on every `/v1` response, 429 only when enabled. */
export class RateLimiter {
  private readonly windows = new Map<string, Window>()
  private readonly limitHeader: string

  constructor(
    private readonly options: RateLimitOptions,
    private readonly now: () => number,
  ) {
    this.limitHeader = String(options.limit)
  }

  /** Counts the request, sets the headers, and throws when the limit is enforced and exceeded. */
  hit(bucket: string, request: FastifyRequest, reply: FastifyReply): void {
    const now = this.now()
    let window = this.windows.get(bucket)
    if (!window || now - window.start >= WINDOW_MS) {
      if (this.windows.size > 10_000) this.windows.clear()
      window = { start: now, count: 0 }
      this.windows.set(bucket, window)
    }
    window.count += 1
    const remaining = Math.max(0, this.options.limit - window.count)
    reply.header('X-RateLimit-Limit', this.limitHeader)
    reply.header('X-RateLimit-Remaining', String(remaining))
    if (this.options.enabled && window.count > this.options.limit) {
      throw rateLimited(rateLimitCode(request.url), `Rate limit of ${this.options.limit} requests per minute exceeded for this API key`, (window.start + WINDOW_MS - now) / 1000)
    }
  }
}

/** The documented 429 code of a route's family (spec README, "Rate-limit headers"). */
export function rateLimitCode(url: string): string {
  const family = familyOf(url)
  return family === 'data' ? 'data/rate-limit-exceeded' : family === 'files' ? 'common/rate-limit-exceeded' : 'auth/too-many-requests'
}
