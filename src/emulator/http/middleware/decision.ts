import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Denial } from '../../../contract/request-log.js'
import type { DomainError } from '../../core/errors.js'

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Which check refused this request (every 401 and 403), or which rules narrowed the list it answered, as the
     * permission evaluator decided it; null when nothing was refused or filtered. Read when the request's log
     * event is built.
     */
    denial: Denial | null
  }
}

/** Declares `request.denial`, null until a check decides. */
export function decorateDecision(app: FastifyInstance): void {
  app.decorateRequest('denial', null)
}

/**
 * Notes on the request why it was refused: the Denial the deciding check attached to its error, or, for a 401 or
 * 403 raised without one (a credential check outside the evaluator), the refusal's own message under the kind of
 * check its status implies.
 */
export function noteRefusal(request: FastifyRequest, error: DomainError): void {
  if (error.denial) request.denial = error.denial
  else if (error.kind === 'unauthorized') request.denial = { check: 'credential', message: error.message, details: { code: error.code } }
  else if (error.kind === 'forbidden') request.denial = { check: 'other', message: error.message, details: { code: error.code } }
}
