import type { EnvironmentUsage, OrgUsage } from '../../../contract/tenancy.js'
import type { Environments } from './environments.js'
import type { Actor, ProjectDoc } from './model.js'
import type { Organizations } from './organizations.js'
import type { Projects } from './projects.js'

/** Where the figures of one environment come from (the data, auth and storage concerns, the request counter). */
export interface EnvironmentFigures {
  records(environmentId: string): number
  users(environmentId: string): number
  files(environmentId: string): { files: number; bytes: number }
  requestsToday(environmentId: string): number
}

/** An organization's plan and per-environment usage, as the console dashboard shows them; every role sees it. */
export class Usage {
  constructor(
    private readonly orgs: Organizations,
    private readonly envs: Environments,
    private readonly projects: Projects,
    private readonly figures: EnvironmentFigures,
  ) {}

  of(actor: Actor): OrgUsage {
    this.orgs.authorize(actor, 'usage:read')
    const org = this.orgs.get(actor.tenantId, actor.organizationId)
    const environments: EnvironmentUsage[] = this.envs
      .all()
      .filter((env) => env.organizationId === org.id)
      .map((env) => ({ env, project: this.projects.doc(env.projectId) as ProjectDoc }))
      .sort((a, b) => a.project.createdAt.localeCompare(b.project.createdAt) || a.env.createdAt.localeCompare(b.env.createdAt) || a.env.id.localeCompare(b.env.id))
      .map(({ env, project }) => {
        const files = this.figures.files(env.id)
        return {
          projectId: project.id,
          projectSlug: project.slug,
          environment: env.environment,
          records: this.figures.records(env.id),
          users: this.figures.users(env.id),
          files: files.files,
          storageBytes: files.bytes,
          requestsToday: this.figures.requestsToday(env.id),
        }
      })
    return { organizationId: org.id, plan: org.plan, environments }
  }
}
