import { RESET_PATH, SNAPSHOTS_PATH, type ResetResponse, type SnapshotList, type SnapshotSummary } from '../../../contract/emulator.js'
import { verifyTenant } from '../middleware/tenant.js'
import type { Surface } from '../surface.js'
import { tenantBearer } from './control.js'

/** `/_emulator/reset` and `/_emulator/snapshots` (controls: tenant bearer, no CORS). */
export function registerDevState({ app, core }: Surface): void {
  const guarded = { preHandler: tenantBearer(core) }
  type Named = { Params: { name: string } }

  app.post(RESET_PATH, async (request): Promise<ResetResponse> => {
    const actor = await verifyTenant(core, request)
    return core.devState.reset(actor, request.body)
  })
  app.get(SNAPSHOTS_PATH, guarded, async (): Promise<SnapshotList> => ({ items: await core.devState.listSnapshots() }))
  app.post(SNAPSHOTS_PATH, guarded, async (request, reply): Promise<SnapshotSummary> => {
    const saved = await core.devState.saveSnapshot(request.body)
    reply.code(201)
    return saved
  })
  app.post<Named>(`${SNAPSHOTS_PATH}/:name/restore`, guarded, async (request) => core.devState.restoreSnapshot(request.params.name))
  app.delete<Named>(`${SNAPSHOTS_PATH}/:name`, guarded, async (request) => core.devState.deleteSnapshot(request.params.name))
}
