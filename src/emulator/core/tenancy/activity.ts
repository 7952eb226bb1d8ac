import type { ActivityClient, ActivityEntry } from '../../../contract/tenancy.js'
import type { Database } from '../../store/store.js'
import type { Clock } from '../clock.js'
import { invalid } from '../errors.js'
import { newId } from '../ids.js'
import { requireEnum, requireString } from '../input.js'
import type { Actor } from './model.js'
import type { Organizations } from './organizations.js'

/** The control-database collection of activity entries, oldest first (insertion order). */
const ACTIVITY = 'activity'
const CLIENTS: readonly ActivityClient[] = ['cli', 'mcp', 'console']

type ActivityDoc = ActivityEntry & { [key: string]: unknown }

/** What changed, as the caller that made the change describes it; who, when and through which client are added here. */
export interface ActivityChange {
  organizationId: string
  action: string
  resource: ActivityEntry['resource']
  projectId: string | null
  environment: string | null
}

/** Filters of an activity list; each is optional, all given ones must hold. */
export interface ActivityFilter {
  /** `table` matches `table.create` and `table.delete`; `table.create` only itself. */
  action?: string
  email?: string
  resourceType?: string
  client?: string
  /** ISO 8601 bounds on `at`, inclusive. */
  since?: string
  until?: string
}

/** The activity log (console "Audit"): every design-time change per organization, durable in the control database. */
export class Activity {
  constructor(
    private readonly db: Database,
    private readonly orgs: Organizations,
    private readonly clock: Clock,
  ) {
    // A deleted organization takes its log with it, in the deletion's own commit.
    orgs.onDelete((organizationId) => ({ ops: this.entries().filter((e) => e.organizationId === organizationId).map((e) => ({ c: ACTIVITY, d: e.id })) }))
  }

  /** Records one change; a change that removed its organization has no log left to land in. */
  async record(actor: Required<Actor>, change: ActivityChange): Promise<void> {
    if (!this.orgs.organizationDoc(change.organizationId)) return
    const entry: ActivityDoc = {
      id: newId(this.clock.nowMs()),
      organizationId: change.organizationId,
      action: change.action,
      resource: change.resource,
      projectId: change.projectId,
      environment: change.environment,
      actor: { tenantId: actor.tenantId, email: this.orgs.tenant(actor.tenantId)?.email ?? '' },
      client: { kind: actor.client.kind, clientId: actor.client.clientId },
      at: this.clock.iso(),
    }
    await this.db.put(ACTIVITY, entry)
  }

  /** The organization's entries that pass the filter, newest first; any member may read them (no secrets are kept). */
  list(actor: Actor, organizationId: string, filter: ActivityFilter = {}): ActivityEntry[] {
    // Another organization's log is as absent as the organization itself (backend_org_get answers not found too).
    this.orgs.authorize(this.orgs.within(actor, organizationId), 'organization:read')
    const match = matcher(filter)
    return this.entries().filter((e) => e.organizationId === organizationId && match(e)).reverse()
  }

  private entries(): ActivityDoc[] {
    return [...this.db.collection<ActivityDoc>(ACTIVITY).values()]
  }
}

function matcher(filter: ActivityFilter): (entry: ActivityEntry) => boolean {
  const action = filter.action === undefined ? undefined : requireString('action', filter.action, { max: 100 })
  const email = filter.email === undefined ? undefined : requireString('email', filter.email, { max: 320 }).toLowerCase()
  const type = filter.resourceType === undefined ? undefined : requireString('resourceType', filter.resourceType, { max: 100 })
  const client = filter.client === undefined ? undefined : requireEnum('client', filter.client, CLIENTS)
  const since = instant('since', filter.since)
  const until = instant('until', filter.until)
  if (since !== undefined && until !== undefined && since > until) throw invalid('common/invalid-parameters', 'since must not be later than until', [{ field: 'since', rule: 'range', message: 'since > until' }])
  return (e) => {
    if (action !== undefined && e.action !== action && !e.action.startsWith(action.endsWith('.') ? action : `${action}.`)) return false
    if (email !== undefined && e.actor.email.toLowerCase() !== email) return false
    if (type !== undefined && e.resource.type !== type) return false
    if (client !== undefined && e.client.kind !== client) return false
    const at = Date.parse(e.at)
    return (since === undefined || at >= since) && (until === undefined || at <= until)
  }
}

function instant(field: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const ms = Date.parse(requireString(field, value, { max: 40 }))
  if (Number.isNaN(ms)) throw invalid('common/invalid-parameters', `${field} must be an ISO 8601 date-time, e.g. 2026-12-01T00:00:00Z`, [{ field, rule: 'date-time', message: 'not a date-time' }])
  return ms
}
