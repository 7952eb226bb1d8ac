import type { ResetResponse, SnapshotSummary } from '../../contract/emulator.js'
import { SnapshotError, type SnapshotInfo, type Store } from '../store/store.js'
import { U } from './auth/model.js'
import { DC } from './data/model.js'
import { invalid, notFound } from './errors.js'
import { onlyKeys, optionalString, requireObject, requireString } from './input.js'
import { S } from './storage/model.js'
import type { Environments } from './tenancy/environments.js'
import type { Actor } from './tenancy/model.js'
import type { Projects } from './tenancy/projects.js'

/**
 * What a reset keeps of an environment's database: its tables (schemas, indexes, permissions, version history)
 * and the secret its user tokens are signed with. Everything else there is data: records, users with their
 * sessions, accounts, MFA and invitations, file records, uploads in progress, avatars. Keys and settings live in
 * the control database and are not touched.
 */
const KEPT = new Set<string>([DC.tables, DC.schemaVersions, DC.indexVersions, U.meta])
const RECORDS_PREFIX = DC.records('')

/** The development loop's controls over local state: reset an environment, save and restore snapshots. */
export class DevState {
  constructor(
    private readonly store: Store,
    private readonly projects: Projects,
    private readonly envs: Environments,
  ) {}

  /** Empties one environment's data, in one journal line, and removes its file bytes. */
  async reset(actor: Actor, input: unknown): Promise<ResetResponse> {
    const body = requireObject('body', input ?? {})
    onlyKeys('body', body, ['project', 'environment'])
    const ref = optionalString('project', body.project, { max: 64 })
    const wanted = optionalString('environment', body.environment, { max: 64 }) ?? 'dev'
    const projects = this.projects.list(actor)
    const project = ref ? projects.find((p) => p.id === ref || p.slug === ref) : projects[0]
    if (!project) throw notFound('common/project-not-found', ref ? `No project ${ref} in this organization` : 'This tenant has no project to reset: pass "project"')
    const env = this.envs.ofProject(project.id).find((e) => e.environment === wanted || e.id === wanted)
    if (!env) throw notFound('data/environment-not-found', `Project ${project.id} has no environment "${wanted}"`)
    const db = this.envs.database(env.id)
    if (!db) throw notFound('data/environment-not-found', `Environment ${env.id} has no data`)
    const cleared = db.collectionNames().filter((name) => !KEPT.has(name))
    const removed = tally(cleared.map((name) => [name, db.collection(name).size]))
    await db.replace(cleared)
    await this.store.blobs.drop(env.id)
    return { projectId: project.id, environmentId: env.id, environment: env.environment, removed }
  }

  /** Saves the whole emulator state as `{ name }`, replacing a snapshot of that name only once it is complete. */
  async saveSnapshot(input: unknown): Promise<SnapshotSummary> {
    const body = requireObject('body', input ?? {})
    onlyKeys('body', body, ['name'])
    const name = requireString('name', body.name, { max: 200 })
    return summary(await snapshotCall(() => this.store.snapshots.save(name)))
  }

  async restoreSnapshot(name: string): Promise<SnapshotSummary> {
    return summary(await snapshotCall(() => this.store.snapshots.restore(name)))
  }

  async deleteSnapshot(name: string): Promise<SnapshotSummary> {
    return summary(await snapshotCall(() => this.store.snapshots.delete(name)))
  }

  async listSnapshots(): Promise<SnapshotSummary[]> {
    return (await this.store.snapshots.list()).map(summary)
  }
}

async function snapshotCall(fn: () => Promise<SnapshotInfo>): Promise<SnapshotInfo> {
  try {
    return await fn()
  } catch (error) {
    if (!(error instanceof SnapshotError)) throw error
    throw error.kind === 'invalid-name' ? invalid('common/invalid-parameters', error.message) : notFound('common/not-found', error.message)
  }
}

/** Records, users and files among collection sizes (of one database or many). */
function tally(sizes: Iterable<readonly [collection: string, size: number]>): ResetResponse['removed'] {
  const removed = { records: 0, users: 0, files: 0 }
  for (const [name, size] of sizes) {
    if (name.startsWith(RECORDS_PREFIX)) removed.records += size
    else if (name === U.users) removed.users += size
    else if (name === S.files) removed.files += size
  }
  return removed
}

function summary(info: SnapshotInfo): SnapshotSummary {
  const totals = tally(Object.values(info.collections).flatMap((sizes) => Object.entries(sizes)))
  return { name: info.name, createdAt: info.createdAt, size: info.size, ...totals }
}
