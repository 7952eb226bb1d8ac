import { FAULTS_PATH, type FaultList, type FaultRule, type FaultsRemoved } from '../../../contract/faults.js'
import { notFound } from '../../core/errors.js'
import type { Surface } from '../surface.js'
import { tenantBearer } from './control.js'

/** `/_emulator/faults` (control: tenant bearer, no CORS): list, add, remove and clear the injected-fault rules. */
export function registerFaults({ app, core }: Surface): void {
  const guarded = { preHandler: tenantBearer(core) }
  app.get(FAULTS_PATH, guarded, async (): Promise<FaultList> => ({ items: app.faults.list() }))
  app.post(FAULTS_PATH, guarded, async (request, reply): Promise<FaultRule> => {
    const rule = app.faults.add(request.body)
    reply.code(201)
    return rule
  })
  app.delete(FAULTS_PATH, guarded, async (): Promise<FaultsRemoved> => ({ removed: app.faults.clear() }))
  app.delete<{ Params: { id: string } }>(`${FAULTS_PATH}/:id`, guarded, async (request): Promise<FaultsRemoved> => {
    if (!app.faults.remove(request.params.id)) throw notFound('common/not-found', `No fault rule ${request.params.id}: bkend dev chaos list shows the rules`)
    return { removed: 1 }
  })
}
