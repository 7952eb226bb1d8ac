import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import type { FaultStatus } from '../../../contract/faults.js'
import type { AppliedFault } from '../../../contract/request-log.js'
import { refuse } from './errors.js'
import type { FaultRules } from './fault-rules.js'
import { rateLimitCode } from './rate-limit.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The injected fault that shaped this request's answer (latency, a failure, a timeout), or null: the request log reads it. */
    fault: AppliedFault | null
  }
  interface FastifyInstance {
    /** The injected-fault rules (`bkend dev --latency/--fail-rate`, `/_emulator/faults`); empty by default. */
    faults: FaultRules
  }
}

const CODES: Record<Exclude<FaultStatus, 429>, string> = {
  500: 'common/internal-error',
  502: 'common/bad-gateway',
  503: 'common/service-unavailable',
  504: 'common/gateway-timeout',
}

/** Seconds a client is told to wait after an injected 429. */
const RETRY_AFTER_SECONDS = 1

/**
 * Applies the fault rules to a request, from the root onRequest hook: with no rule it only calls `done`. Latency is
 * a timer, so a held request holds nothing else; a client that goes away while held cancels it.
 */
export function injectFaults(rules: FaultRules, request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction, onDropped: () => void = () => undefined): void {
  if (!rules.active) return done()
  const decision = rules.decide(request.method, request.url.split('?', 1)[0] as string)
  if (!decision) return done()
  request.fault = decision.applied
  const { failure } = decision
  const act = () => {
    if (!failure) return done()
    if (failure.mode === 'timeout') {
      // No answer at all: the client sees its connection close, as when a backend or a proxy gives up.
      // It gets no response hook either, so the request log hears of it here.
      reply.hijack()
      onDropped()
      return void request.raw.socket.destroy()
    }
    const status = failure.status
    const code = status === 429 ? rateLimitCode(request.url) : CODES[status]
    if (status === 429) reply.header('Retry-After', String(RETRY_AFTER_SECONDS))
    refuse(request, reply, status, code, `Injected fault (bkend dev, rule ${decision.applied.rule}): this request was answered ${status} without running`)
  }
  if (decision.latencyMs === 0) return act()
  const timer = setTimeout(act, decision.latencyMs)
  reply.raw.once('close', () => clearTimeout(timer))
}
