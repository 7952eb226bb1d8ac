import type { AppliedFault } from '../../../contract/request-log.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The injected fault that shaped this request's answer (latency, a failure, a timeout), or null: the request log reads it. */
    fault: AppliedFault | null
  }
}
