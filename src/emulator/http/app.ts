import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify'
import { createRequire } from 'node:module'
import FindMyWay, { type HTTPMethod } from 'find-my-way'
import type { Core } from '../core/core.js'
import { DomainError } from '../core/errors.js'
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../core/input.js'
import { isControlPath } from './control/control.js'
import { isConsolePath } from './console/session.js'
import { BULK_INSERT_PATH } from '../../contract/data-bulk.js'
import { applyCors, originAllowed } from './middleware/cors.js'
import { oauthClosedToCors } from './oauth/cors.js'
import { clientErrorHandler, errorHandler, familyOf, MAX_PATH_SEGMENT, refuse } from './middleware/errors.js'
import { decorateDecision } from './middleware/decision.js'
import { GLOBAL_FAULT_RULE, type FaultRuleInput } from '../../contract/faults.js'
import { FaultRules } from './middleware/fault-rules.js'
import { injectFaults } from './middleware/faults.js'
import { hostGuard } from './middleware/host.js'
import { RateLimiter } from './middleware/rate-limit.js'
import { decorateRequestLog, logDropped, registerRequestLog, requestIdGenerator, type RequestLogOptions } from './middleware/request-log.js'
import { ROUTES, routesFor } from './routes.js'
import type { HttpOptions, SurfaceRoutes } from './surface.js'

const BODY_LIMIT = 1024 * 1024


/** The bulk insert is for the CLI's seed, never for pages: like the controls, it answers no CORS. */
const BULK_PREFIX = BULK_INSERT_PATH.slice(0, BULK_INSERT_PATH.indexOf(':'))
/**
 * How long a connection may take and how many may be open (docs/emulator.md, "Connections and hosts"). Uploads of up to 5 GiB
 * stream through, so nothing bounds a request's total time: what is cut is a connection on which nothing moves.
 */
export interface ServerLimits {
  /** Time to receive a request's complete headers. */
  headersTimeoutMs: number
  /** A connection on which no byte moves either way for this long is closed: a stalled body, a client that stopped reading. */
  idleTimeoutMs: number
  /** How long an idle keep-alive connection waits for its next request. */
  keepAliveTimeoutMs: number
  /** Open connections at once; the next is refused until one closes. */
  maxConnections: number
}

export const SERVER_LIMITS: ServerLimits = { headersTimeoutMs: 10_000, idleTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, maxConnections: 512 }

export interface AppOptions extends HttpOptions {
  /** Host names served besides localhost and IP literals: the bound host, the public URL's host (DNS-rebinding guard). */
  hosts?: readonly string[]
  limits?: Partial<ServerLimits>
  /** Reflect every origin, ignoring the projects' allowlists (`bkend dev --cors any`). */
  corsAnyOrigin?: boolean
  /** The request log (default: on, without bodies). */
  requestLog?: Partial<RequestLogOptions>
  /** The global fault rule (`bkend dev --latency/--fail-rate`); none by default. */
  faults?: FaultRuleInput
}

const METHODS: HTTPMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>
type Factory = (...args: unknown[]) => unknown

/**
 * Fastify's schema compilers (ajv and fast-json-stringify), loaded on the first route that declares a schema.
 * Fastify otherwise requires both when the instance is created: a tenth of every `bkend dev` start, for routes that
 * validate with the data layer's own ajv instead. They resolve from fastify's own dependencies.
 */
function lazyCompilers(): CompilersFactory {
  const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'))
  const lazy = (module: string): Factory => {
    let factory: Factory | undefined
    return (...args) => (factory ??= (fromFastify(module) as () => Factory)())(...args)
  }
  return { buildValidator: lazy('@fastify/ajv-compiler'), buildSerializer: lazy('@fastify/fast-json-stringify-compiler') } as CompilersFactory
}

/**
 * The one-origin HTTP server: shared parsing, CORS, the error envelope, 404/405, and the routes of every surface
 * (`routes.ts`; a test may pass its own).
 */
export async function buildApp(core: Core, options: AppOptions, surfaces: readonly SurfaceRoutes[] = ROUTES): Promise<FastifyInstance> {
  const limits = { ...SERVER_LIMITS, ...options.limits }
  const onError = errorHandler(options.logger)
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node checks the headers deadline on this interval (30 s by default), so a slow header would live up to 30 s
    // past it.
    http: { headersTimeout: limits.headersTimeoutMs, requestTimeout: 0, connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs) },
    logger: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PATH_SEGMENT },
    // A path the router cannot decode (a bad % escape, an overlong segment) fails before any route; without this,
    // fastify answers it in its own format instead of the error envelope.
    frameworkErrors: onError,
    schemaController: { compilersFactory: lazyCompilers() },
    clientErrorHandler,
    genReqId: requestIdGenerator(),
  })
  // A shadow router of every registered route tells a wrong method (405) from an unknown path (404). It is built on
  // the first unmatched request: inserting each route twice at start-up would cost every `bkend dev` start.
  const routes: Array<[HTTPMethod, string]> = []
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    for (const method of methods) if (METHODS.includes(method as HTTPMethod)) routes.push([method as HTTPMethod, route.url])
  })
  let shadow: FindMyWay.Instance<FindMyWay.HTTPVersion.V1> | undefined
  const shadowRouter = () => {
    if (!shadow) {
      shadow = FindMyWay({ ignoreTrailingSlash: true })
      for (const [method, url] of routes) shadow.on(method, url, () => undefined)
    }
    return shadow
  }

  app.server.maxConnections = limits.maxConnections
  app.decorate('corsAnyOrigin', options.corsAnyOrigin ?? false)
  const faults = new FaultRules()
  const logRequests = options.requestLog?.enabled ?? true
  if (options.faults) faults.add(options.faults, GLOBAL_FAULT_RULE)
  app.decorate('faults', faults)

  app.decorateRequest('keyContext', null)
  app.decorateRequest('principal', null)
  app.decorateRequest('user', null)
  decorateRequestLog(app)
  decorateDecision(app)
  app.decorateRequest('fault', null)
  // Cloud-parity mode refuses the lenient content types (README-D8) as the hosted service would (README-D12).
  const lenient = !options.cloudParity
  registerJsonParsers(app, lenient)
  // One root onRequest hook for everything every request needs: each hook is a step on the hot path.
  const foreignHost = hostGuard(options.hosts ?? [])
  // A preflight names no project (it carries no key): it is refused only when no project's allowlist lets the
  // origin in, which with the usual single project is exactly that project's list.
  const refusesOrigin = (origin: string, path: string) => {
    if (app.corsAnyOrigin || !path.startsWith('/v1/')) return false
    const lists = core.projects.allowlists()
    return lists.length > 0 && !lists.some((list) => originAllowed(list, origin))
  }
  let follow: (request: FastifyRequest, reply: FastifyReply) => void = () => undefined
  app.addHook('onRequest', (request, reply, done) => {
    follow(request, reply)
    reply.header('X-Request-Id', request.id)
    // Answered here rather than through the error handler, so that no surface's own error format (OAuth's) applies.
    const refused = foreignHost(request)
    if (refused) {
      request.denial = { check: 'origin', message: refused.message, details: { host: request.headers.host } }
      return void refuse(request, reply, 403, refused.code, refused.message)
    }
    if (lenient) defaultContentType(request)
    if (!applyCors(request, reply, (path) => isControlPath(path) || isConsolePath(path) || path.startsWith(BULK_PREFIX) || oauthClosedToCors(path, request.headers.origin, core.origin()), refusesOrigin)) injectFaults(faults, request, reply, done, () => logRequests && logDropped(core.requestLog, request, reply))
  })
  app.setErrorHandler(onError)
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?', 1)[0] as string
    const allowed = METHODS.filter((method) => method !== request.method && shadowRouter().find(method, path))
    if (allowed.length > 0) {
      reply.header('Allow', allowed.join(', '))
      return refuse(request, reply, 405, 'common/method-not-allowed', `${request.method} is not allowed on ${path}; use ${allowed.join(', ')}`)
    }
    return refuse(request, reply, 404, 'common/not-found', `No route for ${request.method} ${path}`)
  })
  app.options('*', async (_request, reply) => reply.status(204).send())

  follow = registerRequestLog(app, core.requestLog, core.requestCounts, { enabled: logRequests, bodies: options.requestLog?.bodies ?? false })
  const limiter = new RateLimiter(options.rateLimit, () => core.clock.nowMs())
  for (const { register } of routesFor(options.cloudParity, surfaces)) await register({ app, core, limiter, options })
  return app
}

/**
 * JSON bodies arrive as `application/json`, and when `lenient`, also as `text/plain` or with no content type at all
 * (README-D8); an empty body is no body. Prototype poisoning is rejected by fastify's secure parser; bodies nested
 * deeper than MAX_JSON_DEPTH are refused here, once, before any route walks them recursively.
 */
function registerJsonParsers(app: FastifyInstance, lenient: boolean): void {
  const parse = app.getDefaultJsonParser('error', 'error')
  const parser = (request: FastifyRequest, body: string, done: (err: Error | null, body?: unknown) => void) => {
    if (body === '' || body.trim() === '') return done(null, undefined)
    parse(request, body, (error, value) => {
      const code = familyOf(request.url) === 'data' ? 'data/validation-error' : 'common/invalid-parameters'
      if (error) return done(new DomainError(code, 'invalid', 'The request body is not valid JSON'))
      if (nestsDeeperThan(value)) return done(new DomainError(code, 'invalid', `The request body nests deeper than ${MAX_JSON_DEPTH} levels of objects and arrays; flatten it`))
      done(null, value)
    })
  }
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(lenient ? ['application/json', 'text/plain'] : ['application/json'], { parseAs: 'string' }, parser)
}

/** A body without a content type is JSON (README-D8). */
function defaultContentType(request: FastifyRequest): void {
  // Signed uploads take raw bytes of any type; their own parser reads them (files/storage.ts).
  if (request.url.startsWith('/_emulator/storage/')) return
  if (request.headers['content-type'] === undefined && (request.headers['content-length'] || request.headers['transfer-encoding'])) {
    request.headers['content-type'] = 'application/json'
  }
}
