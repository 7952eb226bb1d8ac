import type { OrgRole, Organization } from '../../../contract/tenancy.js'
import type { Database, Op } from '../../store/store.js'
import type { Clock } from '../clock.js'
import { conflict, forbidden, invalid, notFound, refused } from '../errors.js'
import { newId } from '../ids.js'
import { onlyKeys, optionalString, requireObject, requireString, SLUG, slugify } from '../input.js'
import { C, type Actor, type MembershipDoc, type OrganizationDoc, type TenantDoc } from './model.js'
import { roleAllows, type Capability } from './roles.js'

/**
 * What another concern removes with an organization: operations committed with it, and work that must follow the
 * commit (dropping environment databases; a crash in between leaves orphans that the next start drops).
 */
export type OrganizationRemoval = (organizationId: string) => { ops: Op[]; after?: () => Promise<void> }

/** Tenants, organizations and memberships. */
export class Organizations {
  private readonly removals: OrganizationRemoval[] = []

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  onDelete(removal: OrganizationRemoval): void {
    this.removals.push(removal)
  }

  tenant(id: string): TenantDoc | undefined {
    return this.db.collection<TenantDoc>(C.tenants).get(id)
  }

  async createTenant(email: string, name: string): Promise<TenantDoc> {
    const tenant: TenantDoc = { id: newId(this.clock.nowMs()), email, name, image: null, createdAt: this.clock.iso() }
    await this.db.put(C.tenants, tenant)
    return tenant
  }

  firstTenant(): TenantDoc | undefined {
    return this.db.collection<TenantDoc>(C.tenants).values().next().value
  }

  /** The tenant's role in an organization, or undefined when not a member. */
  roleOf(tenantId: string, organizationId: string): OrgRole | undefined {
    return this.membership(tenantId, organizationId)?.role
  }

  membership(tenantId: string, organizationId: string): MembershipDoc | undefined {
    for (const m of this.db.collection<MembershipDoc>(C.memberships).values()) {
      if (m.tenantId === tenantId && m.organizationId === organizationId) return m
    }
    return undefined
  }

  /** Memberships of an organization, oldest first. */
  memberships(organizationId: string): MembershipDoc[] {
    return [...this.db.collection<MembershipDoc>(C.memberships).values()]
      .filter((m) => m.organizationId === organizationId)
      .sort((a, b) => a.joinedAt.localeCompare(b.joinedAt) || a.id.localeCompare(b.id))
  }

  /**
   * The actor acting in another organization it names (or its session's): a tenant who is not a member of it
   * learns nothing of it, not even that it exists (404, as `backend_org_get`).
   */
  within(actor: Actor, organizationId: string | undefined): Actor {
    const id = organizationId ?? actor.organizationId
    if (!this.organizationDoc(id) || !this.roleOf(actor.tenantId, id)) throw notFound('common/not-found', `Organization ${id} not found`)
    return { ...actor, organizationId: id }
  }

  /** Throws unless the actor is a member of its organization whose role allows the capability. */
  authorize(actor: Actor, capability: Capability): OrgRole {
    const role = this.roleOf(actor.tenantId, actor.organizationId)
    if (!role) throw forbidden('common/forbidden', 'You are not a member of this organization')
    if (!roleAllows(role, capability)) {
      throw refused('forbidden', 'common/forbidden', `Your organization role "${role}" does not allow ${capability}`, {
        check: 'role',
        details: { organizationRole: role, capability, allow: `ask an owner or admin of the organization for a role that allows ${capability}` },
      })
    }
    return role
  }

  organizationDoc(id: string): OrganizationDoc | undefined {
    return this.db.collection<OrganizationDoc>(C.organizations).get(id)
  }

  /** Organizations the tenant belongs to, oldest first. */
  list(tenantId: string): Organization[] {
    const out: Organization[] = []
    for (const m of this.db.collection<MembershipDoc>(C.memberships).values()) {
      const org = m.tenantId === tenantId ? this.organizationDoc(m.organizationId) : undefined
      if (org) out.push(view(org, m.role))
    }
    return out.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
  }

  get(tenantId: string, organizationId: string): Organization {
    const org = this.organizationDoc(organizationId)
    const role = org ? this.roleOf(tenantId, organizationId) : undefined
    if (!org || !role) throw notFound('common/not-found', `Organization ${organizationId} not found`)
    return view(org, role)
  }

  /** Creates an organization with the tenant as its owner. */
  async create(tenantId: string, input: unknown): Promise<Organization> {
    const body = requireObject('body', input)
    onlyKeys('body', body, ['name', 'slug', 'description', 'displayName'])
    const name = requireString('name', body.name, { max: 100 })
    const slug = body.slug === undefined ? this.freeSlug(slugify(name)) : requireString('slug', body.slug, { max: 64, pattern: SLUG })
    if (this.bySlug(slug)) throw conflict('common/conflict', `An organization with slug "${slug}" already exists`)
    const now = this.clock.iso()
    const org: OrganizationDoc = {
      id: newId(this.clock.nowMs()),
      name,
      slug,
      displayName: optionalString('displayName', body.displayName, { max: 100 }) ?? name,
      description: optionalString('description', body.description, { max: 1000 }),
      plan: 'free',
      status: 'active',
      createdAt: now,
      updatedAt: now,
    }
    const membership: MembershipDoc = { id: newId(this.clock.nowMs()), organizationId: org.id, tenantId, role: 'owner', joinedAt: now }
    await this.db.commit([
      { c: C.organizations, p: org },
      { c: C.memberships, p: membership },
    ])
    return view(org, 'owner')
  }

  /** Name, display name, description and slug (unique in the emulator, CM-D2). */
  async update(actor: Actor, input: unknown): Promise<Organization> {
    const role = this.authorize(actor, 'organization:update')
    const org = this.organizationDoc(actor.organizationId) as OrganizationDoc
    const body = requireObject('body', input)
    onlyKeys('body', body, ['name', 'slug', 'description', 'displayName'])
    const next: OrganizationDoc = { ...org, updatedAt: this.clock.iso() }
    if (body.name !== undefined) next.name = requireString('name', body.name, { max: 100 })
    if (body.displayName !== undefined) next.displayName = optionalString('displayName', body.displayName, { max: 100 })
    if (body.description !== undefined) next.description = optionalString('description', body.description, { max: 1000 })
    if (body.slug !== undefined && body.slug !== org.slug) {
      next.slug = requireString('slug', body.slug, { max: 64, pattern: SLUG })
      if (this.bySlug(next.slug)) throw conflict('common/conflict', `An organization with slug "${next.slug}" already exists`)
    }
    await this.db.put(C.organizations, next)
    return view(next, role)
  }

  /**
   * Deletes the organization with everything below it (console-model.md §11) in one commit: memberships, and what
   * the other concerns registered (invitations, projects with their environments, API keys, OAuth grants).
   */
  async delete(actor: Actor): Promise<Organization> {
    const role = this.authorize(actor, 'organization:delete')
    const org = this.organizationDoc(actor.organizationId) as OrganizationDoc
    const ops: Op[] = this.memberships(org.id).map((m) => ({ c: C.memberships, d: m.id }))
    const after: Array<() => Promise<void>> = []
    for (const removal of this.removals) {
      const removed = removal(org.id)
      ops.push(...removed.ops)
      if (removed.after) after.push(removed.after)
    }
    ops.push({ c: C.organizations, d: org.id })
    await this.db.commit(ops)
    for (const step of after) await step()
    return view(org, role)
  }

  /** Hands ownership to another member; the former owner becomes an admin, so there is always exactly one owner. */
  async transfer(actor: Actor, toTenantId: string): Promise<Organization> {
    this.authorize(actor, 'organization:transfer')
    const from = this.membership(actor.tenantId, actor.organizationId) as MembershipDoc
    const to = this.membership(toTenantId, actor.organizationId)
    if (!to) throw notFound('common/not-found', `Tenant ${toTenantId} is not a member of this organization; invite them first`)
    if (to.id === from.id) throw invalid('common/invalid-parameters', 'You already own this organization; name another member', [{ field: 'tenantId', rule: 'other-member', message: 'must be another member' }])
    await this.db.commit([
      { c: C.memberships, p: { ...from, role: 'admin' } },
      { c: C.memberships, p: { ...to, role: 'owner' } },
    ])
    return view(this.organizationDoc(actor.organizationId) as OrganizationDoc, 'admin')
  }

  /** Leaves the organization; the owner cannot, so that it never has none. */
  async leave(actor: Actor): Promise<{ organizationId: string; tenantId: string; left: true }> {
    const membership = this.membership(actor.tenantId, actor.organizationId) as MembershipDoc
    if (membership.role === 'owner') {
      throw conflict('member/owner-cannot-leave', 'The owner cannot leave the organization: transfer ownership to another member first (backend_org_transfer), or delete the organization')
    }
    await this.db.delete(C.memberships, membership.id)
    return { organizationId: actor.organizationId, tenantId: actor.tenantId, left: true }
  }

  private bySlug(slug: string): OrganizationDoc | undefined {
    for (const org of this.db.collection<OrganizationDoc>(C.organizations).values()) if (org.slug === slug) return org
    return undefined
  }

  private freeSlug(base: string): string {
    let slug = base
    for (let n = 2; this.bySlug(slug); n++) slug = `${base.slice(0, 60)}-${n}`
    return slug
  }
}

function view(org: OrganizationDoc, role: OrgRole): Organization {
  return { ...org, role } as Organization
}
