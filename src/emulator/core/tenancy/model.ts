import type { EnvironmentType, OrgRole, PrimaryCloud, ProjectSettings } from '../../../contract/tenancy.js'

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

export interface OrganizationDoc {
  [key: string]: unknown
  id: string
  name: string
  slug: string
  displayName: string | null
  description: string | null
  plan: string
  status: string
  createdAt: string
  updatedAt: string
}

export interface MembershipDoc {
  [key: string]: unknown
  id: string
  organizationId: string
  tenantId: string
  role: OrgRole
  joinedAt: string
}

export interface ProjectDoc {
  [key: string]: unknown
  id: string
  organizationId: string
  name: string
  slug: string
  description: string | null
  primaryCloud: PrimaryCloud
  primaryRegion: string
  settings: ProjectSettings
  status: 'active'
  createdAt: string
  updatedAt: string
}

export interface EnvironmentDoc {
  [key: string]: unknown
  id: string
  projectId: string
  organizationId: string
  environment: string
  environmentType: EnvironmentType
  status: 'active'
  cloud: string
  region: string
  cluster: string | null
  createdAt: string
  updatedAt: string
}

/** Who performs a management operation: a tenant acting inside the organization its token is bound to. */
export interface Actor {
  tenantId: string
  organizationId: string
}

/** The name of an environment's own database. */
export const envDatabaseName = (environmentId: string) => `env-${environmentId}`
