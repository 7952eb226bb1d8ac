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

/** A tenant account (console-model.md §1): a person who builds on bkend, unrelated to any app's end users. */
export interface Tenant {
  id: string
  email: string
  name: string
  image: string | null
  createdAt: string
}

/** A tenant's membership of an organization, as `backend_member_list` answers it. */
export interface Member {
  organizationId: string
  tenantId: string
  email: string
  name: string
  role: OrgRole
  joinedAt: string
}

export type InvitationStatus = 'pending' | 'accepted' | 'cancelled' | 'expired'

/** An invitation to join an organization; the accept token travels only in the e-mail's link. */
export interface OrgInvitation {
  id: string
  organizationId: string
  email: string
  name: string | null
  role: Exclude<OrgRole, 'owner'>
  status: InvitationStatus
  invitedBy: string
  createdAt: string
  expiresAt: string
  sentCount: number
  lastSentAt: string
  acceptedAt: string | null
}

/** Which kind of client made a design-time change: the bkend CLI, another MCP client, or the console. */
export type ActivityClient = 'cli' | 'mcp' | 'console'

/** One design-time change in an organization's activity log. */
export interface ActivityEntry {
  id: string
  organizationId: string
  /** What was done, as `<resource>.<verb>`: `table.create`, `member.invite`, `api-key.revoke`, … */
  action: string
  resource: { type: string; id: string | null; name: string | null }
  /** The environment the change applies to, when it applies to one. */
  projectId: string | null
  environment: string | null
  actor: { tenantId: string; email: string }
  client: { kind: ActivityClient; clientId: string | null }
  at: string
}

/** Usage figures of one environment, as a console dashboard shows them. */
export interface EnvironmentUsage {
  projectId: string
  projectSlug: string
  environment: string
  records: number
  users: number
  files: number
  storageBytes: number
  /** Requests served today (UTC) since the emulator started. */
  requestsToday: number
}

/** An organization's plan and usage (`backend_org_usage`). */
export interface OrgUsage {
  organizationId: string
  plan: string
  environments: EnvironmentUsage[]
}
