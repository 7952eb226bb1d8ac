import type { Emulator } from '../emulator/server.js'
import type { DashboardHandle, DashboardOptions } from '../ui/dev-dashboard.js'
import type { DevReadyInfo } from '../ui/dashboard/lines.js'

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

/**
 * Puts the live dashboard on the terminal for a running emulator: it reads the request log and the mailbox
 * in-process, resets through the same service as `/_emulator/reset`, and `onQuit` stops the emulator. React and ink
 * are imported here, only when a terminal is attached.
 */
export async function showDevDashboard(emulator: Emulator, info: DevReadyInfo, onQuit: () => void, terminal: Pick<DashboardOptions, 'stdout' | 'stdin'> = {}): Promise<DashboardHandle> {
  // note: React's development build (the default without NODE_ENV) costs the server more than half its throughput
  // while the dashboard draws; nothing in this process reads NODE_ENV after start-up
  process.env.NODE_ENV ??= 'production'
  const { renderDevDashboard } = await import('../ui/dev-dashboard.js')
  const { core, ready } = emulator
  return renderDevDashboard({
    ...terminal,
    info,
    log: core.requestLog,
    latestMails: (limit) => core.mailbox.list({ limit }).items,
    actions: {
      openUrl: async (url) => {
        const { default: open } = await import('open')
        return open(url).then(() => true, () => false)
      },
      mailboxUrl: async () => {
        const actor = await core.tenantTokens.verify(ready.tenantToken)
        const org = core.orgs.organizationDoc(ready.organizationId)
        const project = core.projects.doc(ready.projectId)
        if (!org || !project) throw new Error('the seeded organization or project is gone; run bkend open')
        const path = `/_/o/${encodeURIComponent(org.slug)}/p/${encodeURIComponent(project.slug)}/e/${encodeURIComponent(info.environment.name)}/mailbox`
        return (await core.consoleSessions.signInUrl(actor.tenantId, path)).url
      },
      reset: async (environment) => {
        const actor = await core.tenantTokens.verify(ready.tenantToken)
        const { removed } = await core.devState.reset(actor, { environment })
        return `Reset ${environment}: removed ${plural(removed.records, 'record')}, ${plural(removed.users, 'user')}, ${plural(removed.files, 'file')}; tables, keys and settings kept.`
      },
      quit: onQuit,
    },
  })
}
