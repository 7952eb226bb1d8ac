import { REQUEST_LOG_PATH } from '../../../contract/emulator.js'
import type { RequestEvent } from '../../../contract/request-log.js'
import { notFound } from '../../core/errors.js'
import type { Surface } from '../surface.js'
import { tenantBearer } from './control.js'

/**
 * `GET /_emulator/logs/:requestId` (tenant bearer): one request of the log with its full explanation, for
 * `bkend dev explain`. The log is a bounded ring, so an id it no longer holds is a 404 that says how far back it goes.
 */
export function registerExplain({ app, core }: Surface): void {
  app.get<{ Params: { requestId: string } }>(`${REQUEST_LOG_PATH}/:requestId`, { preHandler: tenantBearer(core) }, async (request): Promise<RequestEvent> => {
    const log = core.requestLog
    const event = log.find(request.params.requestId)
    if (!event) {
      const held = log.head - log.oldest
      throw notFound(
        'common/not-found',
        `No request ${request.params.requestId} in the request log: it holds the last ${log.capacity} requests (${held} now), older ones are gone. Take the id from the X-Request-Id response header or bkend dev logs`,
      )
    }
    return event
  })
}
