import type { OrgRole, Organization } from '../../../contract/tenancy.js'
import type { Database } from '../../store/store.js'
import type { Clock } from '../clock.js'
import { conflict, forbidden, notFound, refused } from '../errors.js'
import { newId } from '../ids.js'
import { onlyKeys, optionalString, requireObject, requireString, SLUG, slugify } from '../input.js'
import { C, type Actor, type MembershipDoc, type OrganizationDoc, type TenantDoc } from './model.js'
import { roleAllows, type Capability } from './roles.js'

/** Tenants, organizations and memberships. */
export class Organizations {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

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
    for (const m of this.db.collection<MembershipDoc>(C.memberships).values()) {
      if (m.tenantId === tenantId && m.organizationId === organizationId) return m.role
    }
    return undefined
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
