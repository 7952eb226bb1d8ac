import type { EnvironmentType } from '../../../contract/tenancy.js'
import type { Database, Op, Store } from '../../store/store.js'
import type { Clock } from '../clock.js'
import { conflict, notFound } from '../errors.js'
import { newId } from '../ids.js'
import { onlyKeys, requireEnum, requireObject, requireString } from '../input.js'
import { C, envDatabaseName, type Actor, type EnvironmentDoc, type ProjectDoc } from './model.js'
import type { Organizations } from './organizations.js'

export const ENVIRONMENT_TYPES: readonly EnvironmentType[] = ['dev', 'staging', 'prod', 'custom']
const ENV_NAME = /^[a-z][a-z0-9-]{0,31}$/

/** Runs when an environment's data goes away, so other concerns (file bytes, caches) can clean up. */
export type EnvironmentDropHook = (environmentId: string) => Promise<void> | void

/** Environments: each one owns a database of its own, so nothing inside one can leak into another. */
export class Environments {
  private readonly dropHooks: EnvironmentDropHook[] = []

  constructor(
    private readonly store: Store,
    private readonly orgs: Organizations,
    private readonly clock: Clock,
  ) {}

  private get db(): Database {
    return this.store.control
  }

  onDrop(hook: EnvironmentDropHook): void {
    this.dropHooks.push(hook)
  }

  doc(id: string): EnvironmentDoc | undefined {
    return this.db.collection<EnvironmentDoc>(C.environments).get(id)
  }

  /** Ids of every environment, of every organization. */
  ids(): string[] {
    return [...this.db.collection(C.environments).keys()]
  }

  /** The environment's own database (tables, records, users, files metadata). */
  database(environmentId: string): Database | undefined {
    return this.store.database(envDatabaseName(environmentId))
  }

  /** Every environment of every project (flows that find their environment from a token, not an API key). */
  all(): EnvironmentDoc[] {
    return [...this.db.collection<EnvironmentDoc>(C.environments).values()]
  }

  ofProject(projectId: string): EnvironmentDoc[] {
    return [...this.db.collection<EnvironmentDoc>(C.environments).values()]
      .filter((env) => env.projectId === projectId)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
  }

  byName(projectId: string, name: string): EnvironmentDoc | undefined {
    return this.ofProject(projectId).find((env) => env.environment === name)
  }

  /** Environments of the actor's organization, optionally of one project. */
  list(actor: Actor, projectId?: string): EnvironmentDoc[] {
    this.orgs.authorize(actor, 'project:read')
    return [...this.db.collection<EnvironmentDoc>(C.environments).values()]
      .filter((env) => env.organizationId === actor.organizationId && (!projectId || env.projectId === projectId))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
  }

  get(actor: Actor, environmentId: string): EnvironmentDoc {
    this.orgs.authorize(actor, 'project:read')
    const env = this.doc(environmentId)
    if (!env || env.organizationId !== actor.organizationId) throw notFound('data/environment-not-found', `Environment ${environmentId} not found`)
    return env
  }

  /** Builds (without committing) an environment of a project; `create` and project creation commit it. */
  build(project: ProjectDoc, name: string, type: EnvironmentType): EnvironmentDoc {
    const now = this.clock.iso()
    return {
      id: newId(this.clock.nowMs()),
      projectId: project.id,
      organizationId: project.organizationId,
      environment: name,
      environmentType: type,
      status: 'active',
      cloud: project.primaryCloud,
      region: project.primaryRegion,
      cluster: null,
      createdAt: now,
      updatedAt: now,
    }
  }

  /** Creates the database of a freshly committed environment. */
  async provision(env: EnvironmentDoc): Promise<void> {
    await this.store.ensureDatabase(envDatabaseName(env.id))
  }

  async create(actor: Actor, input: unknown, project: ProjectDoc): Promise<EnvironmentDoc> {
    this.orgs.authorize(actor, 'environment:manage')
    const body = requireObject('body', input)
    onlyKeys('body', body, ['projectId', 'environment', 'environmentType'])
    const name = requireString('environment', body.environment, { max: 32, pattern: ENV_NAME })
    const type = requireEnum('environmentType', body.environmentType, ENVIRONMENT_TYPES)
    if (this.byName(project.id, name)) throw conflict('common/conflict', `Environment "${name}" already exists in project ${project.slug}`)
    const env = this.build(project, name, type)
    await this.db.put(C.environments, env)
    await this.provision(env)
    return env
  }

  async delete(actor: Actor, environmentId: string): Promise<EnvironmentDoc> {
    const env = this.get(actor, environmentId)
    this.orgs.authorize(actor, 'environment:manage')
    await this.db.commit(this.removalOps([env.id]))
    await this.drop([env.id])
    return env
  }

  /** Control-plane operations that remove environments and their API keys. */
  removalOps(environmentIds: readonly string[]): Op[] {
    const ids = new Set(environmentIds)
    const ops: Op[] = environmentIds.map((id) => ({ c: C.environments, d: id }))
    for (const key of this.db.collection(C.apiKeys).values()) {
      if (ids.has(key.environmentId as string)) ops.push({ c: C.apiKeys, d: key.id })
    }
    return ops
  }

  /** Removes the environments' databases after their control records are gone. */
  async drop(environmentIds: readonly string[]): Promise<void> {
    for (const id of environmentIds) {
      await this.store.dropDatabase(envDatabaseName(id))
      for (const hook of this.dropHooks) await hook(id)
    }
  }

  /** Drops databases whose environment no longer exists (a crash between the two steps of a deletion). */
  async dropOrphans(): Promise<void> {
    const orphans = this.store
      .databaseNames()
      .filter((name) => name.startsWith('env-') && !this.doc(name.slice(4)))
      .map((name) => name.slice(4))
    await this.drop(orphans)
  }
}
