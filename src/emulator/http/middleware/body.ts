import type { FastifyInstance, FastifyRequest } from 'fastify'
import { invalid } from '../../core/errors.js'

/** The JSON body as an object (absent → `{}`); anything else is a 400 with the route family's code. */
export function objectBody(request: FastifyRequest, code: string): Record<string, unknown> {
  const body = request.body
  if (body === undefined || body === null) return {}
  if (typeof body !== 'object' || Array.isArray(body)) throw invalid(code, 'The request body must be a JSON object')
  return body as Record<string, unknown>
}

/**
 * Lets the routes of one encapsulated scope (a fastify plugin) also take HTML form posts; the rest of the app keeps
 * accepting JSON only. Repeated fields keep their last value.
 */
export function acceptFormBodies(scope: FastifyInstance): void {
  scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)))
  })
}

/** The string values of the named fields of a query or body; anything else is ignored. */
export function stringFields<K extends string>(source: unknown, keys: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {}
  if (typeof source !== 'object' || source === null) return out
  for (const key of keys) {
    const value = (source as Record<string, unknown>)[key]
    if (typeof value === 'string') out[key] = value
  }
  return out
}
