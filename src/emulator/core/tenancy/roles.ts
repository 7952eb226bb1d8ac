import type { OrgRole } from '../../../contract/tenancy.js'

/** What an organization role may do (console-model.md §2.1, CM-D1). */
export type Capability =
  | 'organization:read'
  | 'organization:update'
  | 'usage:read'
  | 'member:read'
  | 'project:read'
  | 'project:create'
  | 'project:delete'
  | 'project:update'
  | 'environment:manage'
  | 'table:manage'
  | 'access-token:manage'
  | 'member:manage'
  | 'billing'
  | 'organization:delete'
  | 'organization:transfer'

const MATRIX: Record<Capability, readonly OrgRole[]> = {
  'organization:read': ['owner', 'admin', 'member', 'billing'],
  // Decision: the organization's settings (name, display name, description, slug) are the Owner's and Admins'.
  'organization:update': ['owner', 'admin'],
  'usage:read': ['owner', 'admin', 'member', 'billing'],
  'member:read': ['owner', 'admin', 'member', 'billing'],
  'project:read': ['owner', 'admin', 'member'],
  'project:create': ['owner', 'admin'],
  'project:delete': ['owner', 'admin'],
  'project:update': ['owner', 'admin', 'member'],
  'environment:manage': ['owner', 'admin', 'member'],
  'table:manage': ['owner', 'admin', 'member'],
  'access-token:manage': ['owner', 'admin', 'member'],
  'member:manage': ['owner', 'admin'],
  billing: ['owner', 'billing'],
  'organization:delete': ['owner'],
  'organization:transfer': ['owner'],
}

export function roleAllows(role: OrgRole, capability: Capability): boolean {
  return MATRIX[capability].includes(role)
}
