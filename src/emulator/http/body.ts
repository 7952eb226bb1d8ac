import type { FastifyRequest } from 'fastify'
import { invalid } from '../core/errors.js'

/** The JSON body as an object (absent → `{}`); anything else is a 400 with the route family's code. */
export function objectBody(request: FastifyRequest, code: string): Record<string, unknown> {
  const body = request.body
  if (body === undefined || body === null) return {}
  if (typeof body !== 'object' || Array.isArray(body)) throw invalid(code, 'The request body must be a JSON object')
  return body as Record<string, unknown>
}
