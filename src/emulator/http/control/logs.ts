import type { ServerResponse } from 'node:http'
import type { FastifyRequest } from 'fastify'
import { LOGS_PATH, type LogList, type RequestEvent } from '../../../contract/request-log.js'
import { notFound } from '../../core/errors.js'
import { eventLine as line } from '../../core/observe/event-json.js'
import { parseLogQuery } from '../../core/observe/log-filter.js'
import { LogPump } from '../../core/observe/log-pump.js'
import { verifyTenant } from '../middleware/tenant.js'
import type { Surface } from '../surface.js'

/** A blank line this often keeps a quiet follow stream's connection from counting as idle (`SERVER_LIMITS`). */
const HEARTBEAT_MS = 10_000


/**
 * `GET /_emulator/logs`: the request log for another terminal (`bkend dev logs`), tenant token required. Without
 * `follow`, the most recent matching events as `{ items }`; with `follow=1`, those as NDJSON and then every new one
 * as it happens, with a blank line as heartbeat. Each follower reads the ring with its own cursor at the pace its
 * socket drains, so a reader that stops reading holds nothing back: it is told with a `missed` line how many events
 * went by.
 */
export function registerLogs({ app, core }: Surface): void {
  const tenant = { preHandler: async (request: FastifyRequest) => void (await verifyTenant(core, request)) }
  const followers = new Set<ServerResponse>()
  app.addHook('onClose', async () => {
    for (const raw of followers) raw.end()
  })

  app.get(LOGS_PATH, tenant, async (request, reply): Promise<LogList | void> => {
    const query = parseLogQuery(request.query as Record<string, unknown>)
    const log = core.requestLog
    const recent = query.limit === 0 ? [] : log.since(log.oldest).events.filter(query.matches).slice(-query.limit)
    if (!query.follow) return { items: recent }

    reply.hijack()
    const raw = reply.raw
    raw.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store', 'X-Request-Id': request.id })
    raw.write(recent.map(line).join(''))
    const pump = new LogPump(log, raw, { format: (event) => (query.matches(event) ? line(event) : undefined), missed: (count) => line({ event: 'missed', count }) })
    const heartbeat = setInterval(() => raw.write('\n'), HEARTBEAT_MS)
    followers.add(raw)
    raw.on('close', () => {
      clearInterval(heartbeat)
      pump.stop()
      followers.delete(raw)
    })
  })

  // `bkend dev explain`: one request with its full explanation. The log is a bounded ring, so an id it no longer
  // holds is a 404 that says how far back it goes.
  app.get<{ Params: { requestId: string } }>(`${LOGS_PATH}/:requestId`, tenant, async (request): Promise<RequestEvent> => {
    const log = core.requestLog
    const event = log.find(request.params.requestId)
    if (event) return event
    throw notFound(
      'common/not-found',
      `No request ${request.params.requestId} in the request log: it holds the last ${log.capacity} requests (${log.head - log.oldest} now), older ones are gone. Take the id from the X-Request-Id response header or bkend dev logs`,
    )
  })
}
