import { randomBytes } from 'node:crypto'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import type { IncomingMessage, Server } from 'node:http'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { RequestEvent, Who } from '../../../contract/request-log.js'
import type { RequestCounts } from '../../core/observe/request-counts.js'
import type { RequestLog } from '../../core/observe/request-log.js'
import type { KeyContext } from '../../core/keys/api-keys.js'
import type { TenantPrincipal } from '../../core/tenant-tokens.js'
import { isControlPath } from '../control/control.js'
import { bearerOf, presentedKey } from './context.js'
import { loggedUrl, redactBody, summariseBody } from './redact.js'

/** What the request log records (`bkend dev --log-bodies`; the benchmark switches the log off to measure it). */
export interface RequestLogOptions {
  enabled: boolean
  bodies: boolean
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant whose token this request's route verified (MCP, the controls), for the request log. */
    tenant: TenantPrincipal | null
    /** The error code the error envelope of a refusal carried, for the request log. */
    errorCode: string | null
    /** With `--log-bodies`: the response body as sent, for the request log. */
    responsePayload: unknown
  }
}

/** A client's own request id is kept when it is short and plain; anything else is replaced, never echoed. */
const SANE_ID = /^[A-Za-z0-9._:-]{1,64}$/

/**
 * Request ids: the client's `X-Request-Id` when sane, else a short one unique in this process (a counter) and
 * across restarts (a random prefix), so ids in a `--log-file` that spans several runs do not collide.
 */
export function requestIdGenerator(): (raw: { headers: Record<string, string | string[] | undefined> }) => string {
  const prefix = randomBytes(3).toString('hex')
  let counter = 0
  return (raw) => {
    const incoming = raw.headers['x-request-id']
    return typeof incoming === 'string' && SANE_ID.test(incoming) ? incoming : `${prefix}-${(counter++).toString(36)}`
  }
}

/** Declares what the log reads from a request; always, so the request objects keep one shape. */
export function decorateRequestLog(app: FastifyInstance): void {
  app.decorateRequest('tenant', null)
  app.decorateRequest('errorCode', null)
  app.decorateRequest('responsePayload', undefined)
}

/** Node's own notice of every finished response (node:http publishes it only while someone listens). */
const RESPONSE_FINISHED = 'http.server.response.finish'
const kReply = Symbol('bkend.logReply')
const kStarted = Symbol('bkend.logStarted')
/** The raw request of a request the log follows: its reply, and when the emulator started on it. */
type Followed = IncomingMessage & { [kReply]?: FastifyReply; [kStarted]?: number }

/**
 * One event per request, appended to the ring when the response is done. This is the only work the request path
 * does for the log: a small object and an O(1) append; formatting and writing happen in the readers. The root
 * onRequest hook calls the returned `follow` for each request; the event is appended from node:http's
 * response-finished channel rather than a fastify `onResponse` hook, which would cost every request a closure and
 * four listener changes on its response (with no such hook, fastify sets none up).
 */
export function registerRequestLog(app: FastifyInstance, log: RequestLog, counts: RequestCounts, options: RequestLogOptions): (request: FastifyRequest, reply: FastifyReply) => void {
  if (!options.enabled) return () => undefined
  if (options.bodies) {
    app.addHook('onSend', (request, _reply, payload, done) => {
      request.responsePayload = payload
      done(null, payload)
    })
  }
  const finished = (message: unknown) => {
    const { request: raw, server } = message as { request: Followed; server: Server }
    const reply = raw[kReply]
    if (server !== app.server || reply === undefined) return
    const request = reply.request
    log.append(requestEvent(request, reply, options.bodies))
    if (request.keyContext) counts.add(request.keyContext.environment.id)
  }
  subscribe(RESPONSE_FINISHED, finished)
  app.addHook('onClose', (_instance, done) => {
    unsubscribe(RESPONSE_FINISHED, finished)
    done()
  })
  return (request, reply) => {
    const raw = request.raw as Followed
    raw[kReply] = reply
    raw[kStarted] = performance.now()
  }
}

/** A request the emulator dropped without an answer (an injected timeout): logged with status 0, since no response finishes. */
export function logDropped(log: RequestLog, request: FastifyRequest, reply: FastifyReply): void {
  log.append({ ...requestEvent(request, reply, false), status: 0 })
}

/** Milliseconds since the log began following the request, to a tenth. */
function durationOf(request: FastifyRequest): number {
  const started = (request.raw as Followed)[kStarted]
  return started === undefined ? 0 : Math.round((performance.now() - started) * 10) / 10
}

let lastSecond = -1
let secondPrefix = ''

/**
 * `toISOString` of a millisecond, from the formatted second it falls in (`2026-12-02T00:42:58.`) and its three
 * digits: formatting a date is most of the cost of an event, and under load every request of a second shares it.
 */
export function isoTime(ms: number): string {
  const second = Math.floor(ms / 1000)
  if (second !== lastSecond) {
    lastSecond = second
    secondPrefix = new Date(second * 1000).toISOString().slice(0, 20)
  }
  const within = ms - second * 1000
  return `${secondPrefix}${within < 10 ? '00' : within < 100 ? '0' : ''}${within}Z`
}

/** The event of a finished request. */
export function requestEvent(request: FastifyRequest, reply: FastifyReply, bodies: boolean): RequestEvent {
  const durationMs = durationOf(request)
  const status = reply.statusCode
  const event: RequestEvent = {
    event: 'request',
    // note: wall-clock time, not the emulator clock: the log says when a request really happened, even with the clock shifted.
    time: isoTime(Math.round(Date.now() - durationMs)),
    id: request.id,
    method: request.method,
    path: loggedUrl(request.url),
    status,
    durationMs,
    who: whoOf(request, status),
  }
  const ctx = request.keyContext
  if (ctx) {
    event.environment = ctx.environment.environment
    event.project = ctx.project.slug
  }
  if (request.errorCode !== null) event.code = request.errorCode
  if (request.denial) event.denial = request.denial
  if (request.fault) event.fault = request.fault
  if (bodies) {
    if (request.body !== undefined) event.requestBody = redactBody(request.body)
    if (request.responsePayload !== undefined) event.responseBody = summariseBody(request.responsePayload, reply.getHeader('content-type'))
  }
  return event
}

/** Who asked, from what the routes established; a credential the answer refused is `rejected`, by kind only. */
export function whoOf(request: FastifyRequest, status: number): Who {
  const tenant = request.tenant
  if (tenant) return { kind: 'tenant', tenantId: tenant.tenantId, clientId: tenant.clientId }
  const ctx = request.keyContext
  const user = request.user
  // A 401 after the key was accepted refused the user JWT sent along it.
  const jwtRefused = ctx !== null && status === 401 && !user && sentJwt(request)
  if (ctx && !jwtRefused) {
    if (!user) return keyWho(ctx.key)
    return { ...keyWho(ctx.key), userId: user.userId, role: user.role }
  }
  const path = request.url.split('?', 1)[0] as string
  const api = path.startsWith('/v1/')
  const managed = path === '/mcp' || isControlPath(path)
  const presented = request.headers['x-api-key'] !== undefined || request.headers.authorization !== undefined
  if (status === 401 && presented) {
    if (api) return { kind: 'rejected', presented: !jwtRefused && (request.headers['x-api-key'] !== undefined || presentedKey(request) !== undefined) ? 'api-key' : 'bearer' }
    return { kind: 'rejected', presented: managed ? 'tenant-token' : 'unknown' }
  }
  return (api || managed) && !presented ? { kind: 'guest' } : { kind: 'none' }
}

/**
 * The `who` of a request made with a key alone, one frozen object per key document (a document is replaced, never
 * changed, when the key is renamed or used): most requests are these, and the ring holds 10,000 events.
 */
type KeyWho = Extract<Who, { kind: 'key' }>
const keyWhos = new WeakMap<KeyContext['key'], KeyWho>()
function keyWho(key: KeyContext['key']): KeyWho {
  let who = keyWhos.get(key)
  if (!who) keyWhos.set(key, (who = Object.freeze<KeyWho>({ kind: 'key', keyType: key.type, keyName: key.name, keyPrefix: key.maskedKey.slice(0, 11) })))
  return who
}

/** Whether the request sent a user JWT (a Bearer value that is not the API key itself). */
function sentJwt(request: FastifyRequest): boolean {
  const bearer = bearerOf(request)
  return bearer !== undefined && bearer !== presentedKey(request)
}
