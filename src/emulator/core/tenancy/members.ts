import type { Member, OrgRole } from '../../../contract/tenancy.js'
import type { Database } from '../../store/store.js'
import { conflict, invalid, notFound } from '../errors.js'
import { C, type Actor, type MembershipDoc, type TenantDoc } from './model.js'
import type { Organizations } from './organizations.js'

/** Roles a member can be given; ownership moves only by transfer. */
export const MEMBER_ROLES: readonly Exclude<OrgRole, 'owner'>[] = ['admin', 'member', 'billing']

/** Reads a role that is not `owner`, or says which roles there are. */
export function requireMemberRole(value: unknown): Exclude<OrgRole, 'owner'> {
  if (typeof value === 'string' && (MEMBER_ROLES as readonly string[]).includes(value)) return value as Exclude<OrgRole, 'owner'>
  const hint = value === 'owner' ? '; ownership moves only by transfer (backend_org_transfer)' : ''
  throw invalid('common/invalid-parameters', `role must be one of ${MEMBER_ROLES.join(', ')}${hint}`, [{ field: 'role', rule: 'enum', message: `one of ${MEMBER_ROLES.join(', ')}` }])
}

/** Who a tool names: a tenant id or an e-mail address. */
export interface MemberRef {
  tenantId?: string
  email?: string
}

/** The members of an organization: listed with their accounts, given roles, removed. */
export class Members {
  constructor(
    private readonly db: Database,
    private readonly orgs: Organizations,
  ) {}

  list(actor: Actor): Member[] {
    this.orgs.authorize(actor, 'member:read')
    return this.orgs.memberships(actor.organizationId).map((m) => this.view(m))
  }

  /** The membership a reference names in the actor's organization, else 404. */
  find(actor: Actor, ref: MemberRef): MembershipDoc {
    if (!ref.tenantId && !ref.email) throw invalid('common/invalid-parameters', 'Name the member by tenantId or email', [{ field: 'tenantId', rule: 'required', message: 'tenantId or email is required' }])
    const email = ref.email?.trim().toLowerCase()
    const found = this.orgs.memberships(actor.organizationId).find((m) => (ref.tenantId ? m.tenantId === ref.tenantId : this.tenant(m).email.toLowerCase() === email))
    if (!found) throw notFound('member/not-found', `${ref.tenantId ?? ref.email} is not a member of this organization`)
    return found
  }

  async updateRole(actor: Actor, ref: MemberRef, role: unknown): Promise<Member> {
    this.orgs.authorize(actor, 'member:manage')
    const next = requireMemberRole(role)
    const membership = this.find(actor, ref)
    if (membership.role === 'owner') throw conflict('member/owner-role', "The owner's role cannot be changed: transfer ownership first (backend_org_transfer), which makes the former owner an admin")
    const changed: MembershipDoc = { ...membership, role: next }
    await this.db.put(C.memberships, changed)
    return this.view(changed)
  }

  /** Removes a member; their tokens stop working on their next call, since every verification checks membership. */
  async remove(actor: Actor, ref: MemberRef): Promise<Member> {
    this.orgs.authorize(actor, 'member:manage')
    const membership = this.find(actor, ref)
    if (membership.role === 'owner') {
      throw conflict('member/last-owner', 'The owner cannot be removed: an organization always has exactly one owner. Transfer ownership first (backend_org_transfer), or delete the organization')
    }
    await this.db.delete(C.memberships, membership.id)
    return this.view(membership)
  }

  private tenant(m: MembershipDoc): TenantDoc {
    return this.orgs.tenant(m.tenantId) as TenantDoc
  }

  view(m: MembershipDoc): Member {
    const tenant = this.tenant(m)
    return { organizationId: m.organizationId, tenantId: m.tenantId, email: tenant.email, name: tenant.name, role: m.role, joinedAt: m.joinedAt }
  }
}
