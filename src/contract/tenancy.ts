/** Management objects as the MCP tools and the CLI see them (spec mcp.md §5, console-model.md). */

export type OrgRole = 'owner' | 'admin' | 'member' | 'billing'

export interface Organization {
  id: string
  name: string
  slug: string
  displayName: string | null
  description: string | null
  plan: string
  status: string
  role: OrgRole
  createdAt: string
  updatedAt: string
}

export type PrimaryCloud = 'aws' | 'gcp' | 'azu'

export interface ProjectSettings {
  allowedOrigins: string[]
  [key: string]: unknown
}

export interface Project {
  id: string
  organizationId: string
  name: string
  slug: string
  description: string | null
  primaryCloud: PrimaryCloud
  primaryRegion: string
  settings: ProjectSettings
  status: 'active' | 'provisioning'
  environmentCount: number
  createdAt: string
  updatedAt: string
}

export type EnvironmentType = 'dev' | 'staging' | 'prod' | 'custom'

export interface Environment {
  id: string
  projectId: string
  organizationId: string
  environment: string
  environmentType: EnvironmentType
  status: 'active' | 'provisioning' | 'deleting'
  cloud: string
  region: string
  cluster: string | null
  createdAt: string
  updatedAt: string
}

export type KeyType = 'publishable' | 'secret'

/** An API key ("access token" in MCP vocabulary). `key` is present only in the creation result (MCP-D11). */
export interface AccessToken {
  id: string
  organizationId: string
  projectId: string
  environmentId: string
  environment: string
  name: string
  type: KeyType
  key?: string
  maskedKey: string
  scopes: string[] | null
  expiresAt: string | null
  status: 'active' | 'revoked' | 'expired'
  createdBy: string
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
}

/** The creation result: the full key, once; secret keys add a warning. */
export interface CreatedAccessToken extends AccessToken {
  key: string
  warning?: string
}
