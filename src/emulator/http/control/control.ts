import type { FastifyReply, FastifyRequest } from 'fastify'
import { KEY_LOOKUP_PATH, type ClockState, type HealthResponse, type KeyLookup } from '../../../contract/emulator.js'
import type { Core } from '../../core/core.js'
import { invalid } from '../../core/errors.js'
import { requireObject, requireString } from '../../core/input.js'
import { verifyTenant } from '../middleware/tenant.js'
import type { Surface } from '../surface.js'

/** Controls read or change state that holds secrets: tenant bearer required, no CORS (spec README). */
const CONTROL_PREFIXES = ['/_emulator/mailbox', '/_emulator/clock', '/_emulator/keys', '/_emulator/reset', '/_emulator/snapshots', '/_emulator/push', '/_emulator/logs', '/_emulator/faults', '/_emulator/console']

export function isControlPath(path: string): boolean {
  return CONTROL_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))
}

/** preHandler: the caller must present a valid tenant token. */
export function tenantBearer(core: Core) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    await verifyTenant(core, request)
  }
}

/** `/_emulator/*`: health (open), the clock control and the key lookup (tenant bearer). */
export function registerControl({ app, core, options }: Surface): void {
  app.get('/_emulator/health', async (): Promise<HealthResponse> => ({
    status: core.store.condition === 'ok' ? 'ok' : 'degraded',
    storage: core.store.condition,
    version: options.version,
    origin: core.origin(),
    startedAt: options.startedAt,
  }))

  const clockView = (): ClockState => ({ now: core.clock.iso(), offsetSeconds: core.clock.offsetSeconds })
  const guarded = { preHandler: tenantBearer(core) }
  app.get('/_emulator/clock', guarded, async () => clockView())
  app.post('/_emulator/clock', guarded, async (request) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    const finite = (v: unknown) => typeof v === 'number' && Number.isFinite(v)
    if (body.advanceSeconds !== undefined && finite(body.advanceSeconds)) core.clock.advance(body.advanceSeconds as number)
    else if (body.offsetSeconds !== undefined && finite(body.offsetSeconds)) core.clock.setOffset(body.offsetSeconds as number)
    else throw invalid('common/invalid-parameters', 'Send { "advanceSeconds": n } or { "offsetSeconds": n } with a finite number of seconds')
    return clockView()
  })
  // POST, so the key travels in the body and never in a URL or an access log.
  app.post(KEY_LOOKUP_PATH, async (request): Promise<KeyLookup> => {
    const { tenantId, organizationId } = await verifyTenant(core, request)
    const key = requireString('key', requireObject('body', request.body ?? {}).key, { max: 100 })
    return core.keys.lookup({ tenantId, organizationId }, key)
  })
}
