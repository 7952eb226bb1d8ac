import type { Tenant } from '../../../contract/tenancy.js'
import type { Database } from '../../store/store.js'
import type { Clock } from '../clock.js'
import { invalid } from '../errors.js'
import { newId } from '../ids.js'
import { C, type TenantDoc } from './model.js'
import type { Organizations } from './organizations.js'

/** Who a sign-in says the tenant is: the e-mail of a magic link, or a fake Google/GitHub identity. */
export interface TenantIdentity {
  email: string
  name?: string | null
  image?: string | null
}

// note: looser than end-user e-mail validation, because the seeded tenant is `developer@localhost` (no dot).
const TENANT_EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/

/** A tenant e-mail as stored and compared (case-insensitive), or null when it is not an address. */
export function normalizeTenantEmail(value: unknown): string | null {
  if (typeof value !== 'string') return null
  const email = value.trim().toLowerCase()
  return TENANT_EMAIL.test(email) ? email : null
}

/** `normalizeTenantEmail`, or a 400 naming the field. */
export function requireTenantEmail(value: unknown): string {
  const email = normalizeTenantEmail(value)
  if (!email) throw invalid('common/invalid-parameters', 'email must be an e-mail address such as ada@example.com')
  return email
}

/**
 * Tenant accounts (console-model.md §1, CM-D6): any number, found by id or by e-mail without regard to case, and
 * created on their first sign-in from what the identity says.
 */
export class Tenants {
  /**
   * Asked when a new tenant signs in: is an invitation to an organization waiting for this e-mail? Then the
   * invitation page accepts it and no organization of their own is made. Set by the organization invitations.
   */
  hasPendingInvitation: (email: string) => boolean = () => false

  constructor(
    private readonly db: Database,
    private readonly orgs: Organizations,
    private readonly clock: Clock,
  ) {}

  get(id: string): Tenant | undefined {
    const doc = this.db.collection<TenantDoc>(C.tenants).get(id)
    return doc && view(doc)
  }

  byEmail(email: string): Tenant | undefined {
    const wanted = normalizeTenantEmail(email)
    if (!wanted) return undefined
    for (const doc of this.db.collection<TenantDoc>(C.tenants).values()) if (doc.email.toLowerCase() === wanted) return view(doc)
    return undefined
  }

  /** The oldest tenant: the one seeded on the first start, owner of `local`. */
  first(): Tenant | undefined {
    const doc = this.db.collection<TenantDoc>(C.tenants).values().next().value
    return doc && view(doc)
  }

  count(): number {
    return this.db.collection(C.tenants).size
  }

  /**
   * The tenant behind a sign-in, created on the first one with the identity's name and picture. A new tenant without
   * a pending invitation gets an organization of their own ("<Name>'s organization", owner), as hosted onboarding
   * would give them; with one, they join through the invitation instead.
   */
  async signIn(identity: TenantIdentity): Promise<{ tenant: Tenant; created: boolean }> {
    const email = requireTenantEmail(identity.email)
    const existing = this.byEmail(email)
    if (existing) return { tenant: existing, created: false }
    const name = identity.name?.trim() || (email.split('@')[0] as string)
    const doc: TenantDoc = { id: newId(this.clock.nowMs()), email, name: name.slice(0, 100), image: identity.image ?? null, createdAt: this.clock.iso() }
    // One transaction: a tenant is never kept without the organization onboarding gives them.
    const transaction = this.db.begin()
    let keep = false
    try {
      await this.db.put(C.tenants, doc)
      if (!this.hasPendingInvitation(email)) await this.orgs.create(doc.id, { name: `${doc.name}'s organization`.slice(0, 100) })
      keep = true
    } finally {
      await transaction.end(keep)
    }
    return { tenant: view(doc), created: true }
  }
}

function view(doc: TenantDoc): Tenant {
  return { id: doc.id, email: doc.email, name: doc.name, image: doc.image, createdAt: doc.createdAt }
}
