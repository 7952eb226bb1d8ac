import type { Environment, PrimaryCloud, Project } from '../../../contract/tenancy.js'
import type { Database, Op } from '../../store/store.js'
import type { Clock } from '../clock.js'
import { conflict, forbidden, invalid, notFound } from '../errors.js'
import { newId } from '../ids.js'
import { onlyKeys, optionalString, requireEnum, requireObject, requireString, SLUG } from '../input.js'
import type { Environments } from './environments.js'
import { C, type Actor, type ProjectDoc } from './model.js'
import type { Organizations } from './organizations.js'

const CLOUDS: readonly PrimaryCloud[] = ['aws', 'gcp', 'azu']

export type ProjectWithEnvironments = Project & { environments: Environment[] }

/** Operations that remove what another concern keeps per project, committed with the project's deletion. */
export type ProjectRemoval = (projectId: string) => Op[]

/** Projects of an organization; creating one creates its `dev` environment, deleting one cascades. */
export class Projects {
  private readonly removals: ProjectRemoval[] = []

  constructor(
    private readonly db: Database,
    private readonly orgs: Organizations,
    private readonly envs: Environments,
    private readonly clock: Clock,
  ) {
    orgs.onDelete((organizationId) => {
      const ids = [...this.db.collection<ProjectDoc>(C.projects).values()].filter((p) => p.organizationId === organizationId).map((p) => p.id)
      const { ops, envIds } = this.removal(ids)
      return { ops, after: () => this.envs.drop(envIds) }
    })
  }

  onDelete(removal: ProjectRemoval): void {
    this.removals.push(removal)
  }

  doc(id: string): ProjectDoc | undefined {
    return this.db.collection<ProjectDoc>(C.projects).get(id)
  }

  /** Every project's CORS allowlist (README-D9), for preflights, which carry no key to tell the project by. */
  allowlists(): string[][] {
    return [...this.db.collection<ProjectDoc>(C.projects).values()].map((p) => p.settings.allowedOrigins)
  }

  /** The project when it belongs to the actor's organization, else not found. */
  owned(actor: Actor, projectId: string): ProjectDoc {
    const project = this.doc(projectId)
    if (!project || project.organizationId !== actor.organizationId) throw notFound('common/project-not-found', `Project ${projectId} not found`)
    return project
  }

  view(project: ProjectDoc): Project {
    return { ...project, environmentCount: this.envs.ofProject(project.id).length }
  }

  list(actor: Actor, organizationId?: string): Project[] {
    this.orgs.authorize(actor, 'project:read')
    if (organizationId && organizationId !== actor.organizationId) {
      throw forbidden('common/forbidden', `Organization ${organizationId} is not the organization of this session`)
    }
    return [...this.db.collection<ProjectDoc>(C.projects).values()]
      .filter((p) => p.organizationId === actor.organizationId)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
      .map((p) => this.view(p))
  }

  get(actor: Actor, projectId: string): ProjectWithEnvironments {
    this.orgs.authorize(actor, 'project:read')
    const project = this.owned(actor, projectId)
    return { ...this.view(project), environments: this.envs.ofProject(project.id) }
  }

  async create(actor: Actor, input: unknown): Promise<ProjectWithEnvironments> {
    const body = requireObject('body', input)
    onlyKeys('body', body, ['organizationId', 'slug', 'name', 'primaryCloud', 'primaryRegion', 'description'])
    const organizationId = requireString('organizationId', body.organizationId, { max: 64 })
    if (organizationId !== actor.organizationId) throw forbidden('common/forbidden', `Organization ${organizationId} is not the organization of this session`)
    this.orgs.authorize(actor, 'project:create')
    const slug = requireString('slug', body.slug, { max: 64, pattern: SLUG })
    const now = this.clock.iso()
    const project: ProjectDoc = {
      id: newId(this.clock.nowMs()),
      organizationId,
      name: requireString('name', body.name, { max: 100 }),
      slug,
      description: optionalString('description', body.description, { max: 1000 }),
      primaryCloud: requireEnum('primaryCloud', body.primaryCloud, CLOUDS),
      primaryRegion: requireString('primaryRegion', body.primaryRegion, { max: 64 }),
      settings: { allowedOrigins: [] },
      status: 'active',
      createdAt: now,
      updatedAt: now,
    }
    this.assertFreeSlug(organizationId, slug)
    const dev = this.envs.build(project, 'dev', 'dev')
    await this.db.commit([
      { c: C.projects, p: project },
      { c: C.environments, p: dev },
    ])
    await this.envs.provision(dev)
    return { ...this.view(project), environments: [dev] }
  }

  async update(actor: Actor, projectId: string, input: unknown): Promise<Project> {
    this.orgs.authorize(actor, 'project:update')
    const project = this.owned(actor, projectId)
    const body = requireObject('body', input)
    for (const immutable of ['primaryCloud', 'primaryRegion', 'organizationId']) {
      if (immutable in body) throw invalid('common/invalid-parameters', `${immutable} cannot be changed`, [{ field: immutable, rule: 'immutable', message: 'cannot be changed' }])
    }
    onlyKeys('body', body, ['name', 'slug', 'description', 'settings'])
    const next: ProjectDoc = { ...project, updatedAt: this.clock.iso() }
    if (body.name !== undefined) next.name = requireString('name', body.name, { max: 100 })
    if (body.description !== undefined) next.description = optionalString('description', body.description, { max: 1000 })
    if (body.slug !== undefined && body.slug !== project.slug) {
      next.slug = requireString('slug', body.slug, { max: 64, pattern: SLUG })
      this.assertFreeSlug(project.organizationId, next.slug)
    }
    if (body.settings !== undefined) {
      const settings = requireObject('settings', body.settings)
      if (settings.allowedOrigins !== undefined) validateOrigins(settings.allowedOrigins)
      next.settings = { ...project.settings, ...settings } as ProjectDoc['settings']
    }
    await this.db.put(C.projects, next)
    return this.view(next)
  }

  /** Deletes the project with its environments, their data and the project's API keys. */
  async delete(actor: Actor, projectId: string): Promise<Project> {
    this.orgs.authorize(actor, 'project:delete')
    const project = this.owned(actor, projectId)
    const view = this.view(project)
    const { ops, envIds } = this.removal([project.id])
    await this.db.commit(ops)
    await this.envs.drop(envIds)
    return view
  }

  /** The operations that remove projects with their environments, API keys and what other concerns registered. */
  private removal(projectIds: readonly string[]): { ops: Op[]; envIds: string[] } {
    const projects = new Set(projectIds)
    const envIds = projectIds.flatMap((id) => this.envs.ofProject(id).map((env) => env.id))
    const ops = this.envs.removalOps(envIds)
    const envSet = new Set(envIds)
    for (const key of this.db.collection(C.apiKeys).values()) {
      if (projects.has(key.projectId as string) && !envSet.has(key.environmentId as string)) ops.push({ c: C.apiKeys, d: key.id })
    }
    for (const id of projectIds) {
      for (const removal of this.removals) ops.push(...removal(id))
      ops.push({ c: C.projects, d: id })
    }
    return { ops, envIds }
  }

  private assertFreeSlug(organizationId: string, slug: string): void {
    for (const p of this.db.collection<ProjectDoc>(C.projects).values()) {
      if (p.organizationId === organizationId && p.slug === slug) throw conflict('common/conflict', `A project with slug "${slug}" already exists in this organization`)
    }
  }
}

/** At most 3 absolute origins with a protocol and no wildcard (console-model.md §9). */
function validateOrigins(value: unknown): void {
  const fail = (message: string) => invalid('common/invalid-parameters', `settings.allowedOrigins ${message}`, [{ field: 'settings.allowedOrigins', rule: 'origins', message }])
  if (!Array.isArray(value)) throw fail('must be an array of URLs')
  if (value.length > 3) throw fail('allows at most 3 entries')
  for (const origin of value) {
    if (typeof origin !== 'string' || origin.includes('*')) throw fail(`entry ${JSON.stringify(origin)} must be a URL without wildcards`)
    let url: URL
    try {
      url = new URL(origin)
    } catch {
      throw fail(`entry ${JSON.stringify(origin)} must be an absolute URL with protocol`)
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fail(`entry ${JSON.stringify(origin)} must use http or https`)
  }
}
