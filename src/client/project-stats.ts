import type { EnvironmentUsage, OrgUsage } from '../contract/tenancy.js'
import type { Management } from './management.js'

/** A project's figures as the console's dashboard shows them: the organization's plan, then one row per environment. */
export interface ProjectStats {
  projectId: string
  projectSlug: string
  organizationId: string
  plan: string
  environments: EnvironmentUsage[]
}

/** The usage of one project (default: the context's), from the organization's `backend_org_usage`. */
export async function projectStats(management: Management, projectRef?: string): Promise<ProjectStats> {
  await management.mcp.require('backend_org_usage', 'show usage statistics')
  const project = await management.getProject(projectRef)
  const usage = await management.mcp.call<OrgUsage>('backend_org_usage', { organizationId: project.organizationId })
  return {
    projectId: project.id,
    projectSlug: project.slug,
    organizationId: usage.organizationId,
    plan: usage.plan,
    environments: usage.environments.filter((e) => e.projectId === project.id),
  }
}
