import type { MailboxDeleteResponse } from '../../../contract/mailbox.js'
import { MAILBOX_PATH } from '../../../contract/mailbox.js'
import type { Surface } from '../surface.js'
import { tenantBearer } from './control.js'

/** `/_emulator/mailbox`: the captured e-mails (a control: tenant bearer, no CORS). */
export function registerMailbox({ app, core }: Surface): void {
  const guarded = { preHandler: tenantBearer(core) }
  type WithId = { Params: { id: string } }
  const done: MailboxDeleteResponse = { success: true }

  app.get(MAILBOX_PATH, guarded, async (request) => core.mailbox.list(request.query as Record<string, unknown>))
  app.get<WithId>(`${MAILBOX_PATH}/:id`, guarded, async (request) => core.mailbox.get(request.params.id))
  app.delete(MAILBOX_PATH, guarded, async () => {
    await core.mailbox.clear()
    return done
  })
  app.delete<WithId>(`${MAILBOX_PATH}/:id`, guarded, async (request) => {
    await core.mailbox.remove(request.params.id)
    return done
  })
}
