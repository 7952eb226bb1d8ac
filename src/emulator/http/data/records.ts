import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Operation } from '../../core/data/model.js'
import { tableOpenApi, tableSpec } from '../../core/data/spec.js'
import { DomainError } from '../../core/errors.js'
import type { Surface } from '../surface.js'
import { principalHandler, scopeOf } from '../middleware/context.js'

/** Route families the shorthand `/v1/:tableName` must never shadow (rest-data.md §1). */
const FAMILIES = new Set(['data', 'auth', 'users', 'files'])

type Params = { tableName: string; id?: string }
type Route = { Params: Params; Querystring: Record<string, unknown> }
type DataRequest = FastifyRequest<Route>

/** An unmatched built-in family path (e.g. `GET /v1/auth`) is an unknown route, not a table called "auth". */
function notAFamily(request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void): void {
  const { tableName } = request.params as Params
  if (FAMILIES.has(tableName)) return done(new DomainError('common/not-found', 'not-found', `No route for ${request.method} ${request.url.split('?', 1)[0]}`))
  done()
}

/**
 * The data REST API (rest-data.md): the same routes under `/v1/data/:tableName` and the shorthand `/v1/:tableName`.
 * Transport only: the key, JWT and group come from `principalHandler`; everything else is `core.records`.
 */
export function registerData({ app, core, limiter }: Surface): void {
  const principal = principalHandler(core, limiter)
  /** Scope check, then the table in the key's environment. */
  const open = (request: DataRequest, op: Operation) => {
    const { scope, principal } = scopeOf(request)
    return { principal, table: core.records.open(scope.environment.id, request.params.tableName, principal, op) }
  }

  // note: reads are synchronous handlers: fastify sends their value without a promise round trip.
  for (const [base, onRequest] of [
    ['/v1/data/:tableName', []],
    ['/v1/:tableName', [notAFamily]],
  ] as const) {
    const options = { onRequest: [...onRequest], preHandler: principal }
    app.post<Route>(base, options, async (request: DataRequest, reply: FastifyReply) => {
      const { table, principal } = open(request, 'create')
      const record = await core.records.create(table, principal, request.body)
      return reply.status(201).send(record)
    })
    app.get<Route>(base, options, (request: DataRequest) => {
      const { table, principal } = open(request, 'list')
      // The request is the trace: a list narrowed by `self` or row filters is noted on `request.denial`.
      const list = () => core.records.list(table, principal, request.query, request)
      return core.records.loading(table)?.then(list) ?? list()
    })
    app.get<Route>(`${base}/spec`, options, (request: DataRequest) => {
      const { table, principal } = open(request, 'read')
      return tableSpec(table, principal)
    })
    app.get<Route>(`${base}/openapi`, options, (request: DataRequest) => {
      const { table, principal } = open(request, 'read')
      return tableOpenApi(table, principal, core.origin())
    })
    app.get<Route>(`${base}/:id`, options, (request: DataRequest) => {
      const { table, principal } = open(request, 'read')
      return core.records.get(table, principal, request.params.id as string, request.query, request)
    })
    app.patch<Route>(`${base}/:id`, options, async (request: DataRequest) => {
      const { table, principal } = open(request, 'update')
      return core.records.update(table, principal, request.params.id as string, request.body)
    })
    app.delete<Route>(`${base}/:id`, options, async (request: DataRequest) => {
      const { table, principal } = open(request, 'delete')
      return core.records.delete(table, principal, request.params.id as string)
    })
  }
}
