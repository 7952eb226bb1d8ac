import type { ActivityClient, Environment, Organization, OrgRole, Project } from '../../../contract/tenancy.js'

/** A wire type as a store document (documents carry an index signature). */
type Stored<T> = T & { [key: string]: unknown }

/** Stored control-plane documents and their collection names. */
export const C = {
  tenants: 'tenants',
  organizations: 'organizations',
  memberships: 'memberships',
  projects: 'projects',
  environments: 'environments',
  apiKeys: 'apiKeys',
  secrets: 'secrets',
} as const

export interface TenantDoc {
  [key: string]: unknown
  id: string
  email: string
  name: string
  image: string | null
  createdAt: string
}

/** A stored organization: the wire shape without the caller's role. */
export type OrganizationDoc = Stored<Omit<Organization, 'role'>>

export interface MembershipDoc {
  [key: string]: unknown
  id: string
  organizationId: string
  tenantId: string
  role: OrgRole
  joinedAt: string
}

/** A stored project: the wire shape without derived counts. */
export type ProjectDoc = Stored<Omit<Project, 'environmentCount' | 'status'> & { status: 'active' }>

export type EnvironmentDoc = Stored<Omit<Environment, 'status'> & { status: 'active' }>

/** Who performs a management operation: a tenant acting inside the organization its token is bound to. */
export interface Actor {
  tenantId: string
  organizationId: string
  /** The client it acts through, for the activity log; absent for the emulator's own seeding. */
  client?: { kind: ActivityClient; clientId: string | null }
}

/** The name of an environment's own database. */
export const envDatabaseName = (environmentId: string) => `env-${environmentId}`
