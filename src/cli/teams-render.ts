import type { ActivityEntry, Member, Organization, OrgInvitation, OrgUsage } from '../contract/tenancy.js'
import { printFields, printTable, type Column } from './output.js'

/** Human renderings of organizations, members, invitations, usage and activity (only called when --json is off). */

const identity = (key: string, header: string): Column => ({ key, header, identity: true })
const column = (key: string, header: string): Column => ({ key, header })

/** One organization as key/value lines. */
export function printOrg(org: Organization): void {
  printFields([['Id', org.id], ['Slug', org.slug], ['Name', org.name], ['Display name', org.displayName], ['Description', org.description], ['Role', org.role], ['Plan', org.plan], ['Status', org.status], ['Created', org.createdAt]])
}

export function printMembers(members: Member[], wanted?: string): Promise<void> {
  return printTable([identity('email', 'Email'), column('name', 'Name'), column('role', 'Role'), column('joinedAt', 'Joined'), identity('tenantId', 'Tenant id')], members as unknown as Array<Record<string, unknown>>, wanted)
}

export function printInvitations(invitations: OrgInvitation[], wanted?: string): Promise<void> {
  return printTable(
    [identity('email', 'Email'), column('role', 'Role'), column('status', 'Status'), column('expiresAt', 'Expires'), column('sentCount', 'Sent'), identity('id', 'Id')],
    invitations as unknown as Array<Record<string, unknown>>,
    wanted,
  )
}

/** Usage per environment, with the plan above it. */
export async function printUsage(org: Organization, usage: OrgUsage, wanted?: string): Promise<void> {
  process.stdout.write(`Organization ${org.slug}, plan ${usage.plan}\n`)
  const rows = usage.environments.map((e) => ({ ...e, where: `${e.projectSlug}/${e.environment}` }))
  await printTable(
    [identity('where', 'Environment'), column('records', 'Records'), column('users', 'Users'), column('files', 'Files'), column('storageBytes', 'Storage bytes'), column('requestsToday', 'Requests today')],
    rows,
    wanted,
  )
}

/** Activity entries, newest first: when, who, what, which resource, where (a project's slug when known), through which client. */
export function printActivity(entries: ActivityEntry[], projectSlugs: ReadonlyMap<string, string>, wanted?: string): Promise<void> {
  const rows = entries.map((e) => {
    const project = e.projectId ? (projectSlugs.get(e.projectId) ?? e.projectId) : ''
    return { at: e.at, actor: e.actor.email, action: e.action, resource: e.resource.name ?? e.resource.id ?? '', where: e.environment ? `${project}/${e.environment}` : project, client: e.client.kind }
  })
  return printTable([column('at', 'When'), identity('actor', 'Who'), column('action', 'Action'), identity('resource', 'Resource'), column('where', 'Project/env'), column('client', 'Client')], rows, wanted)
}
