import type { FastifyReply, FastifyRequest } from 'fastify'
import { checkScope, routeOperation, type RuntimeResource } from '../../core/data/permissions/scopes.js'
import type { Principal } from '../../core/principal.js'

/**
 * preHandler after `principalHandler` on `/v1/users` and `/v1/files` routes: the key's scopes (README order of
 * checks, step 7) for the operation the route performs, 403 `data/scope-insufficient` otherwise.
 */
export function keyScope(resource: RuntimeResource) {
  return (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void => {
    try {
      checkScope(request.principal as Principal, resource, routeOperation(resource, request.method, request.routeOptions.url ?? request.url))
      done()
    } catch (error) {
      done(error as Error)
    }
  }
}
