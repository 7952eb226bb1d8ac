import type { InvitationStatus, Member, Organization, OrgInvitation } from '../../../contract/tenancy.js'
import type { Database } from '../../store/store.js'
import type { Clock } from '../clock.js'
import { conflict, forbidden, notFound } from '../errors.js'
import { newId, randomHex, sha256 } from '../ids.js'
import { onlyKeys, optionalString, requireEnum, requireObject, requireString } from '../input.js'
import type { Mailbox } from '../mail/mailbox.js'
import type { Members } from './members.js'
import { requireMemberRole } from './members.js'
import { C, type Actor, type MembershipDoc, type OrganizationDoc } from './model.js'
import type { Organizations } from './organizations.js'
import { normalizeTenantEmail, requireTenantEmail } from './tenants.js'

const COLLECTION = 'orgInvitations'
/** An invitation's link works for 7 days by the emulator clock (console-model.md §2.1 names no lifetime). */
export const INVITATION_LIFETIME_MS = 7 * 24 * 3600 * 1000
const STATUSES: readonly InvitationStatus[] = ['pending', 'accepted', 'cancelled', 'expired']

/** The stored invitation: the wire shape, with the stored status (`expired` is derived) and the token's hash only. */
type InvitationDoc = Omit<OrgInvitation, 'status'> & { [key: string]: unknown; status: Exclude<InvitationStatus, 'expired'>; tokenHash: string }

const expiry = (nowMs: number) => new Date(nowMs + INVITATION_LIFETIME_MS).toISOString()

/** The path of the page an invitation's link opens. */
export const invitationPath = (token: string) => `/_/invitations/${token}`

/**
 * Invitations to an organization (console-model.md §2.1): a mail with a link carrying a token (stored only as its
 * SHA-256); resending replaces the token, so only the newest link works; accepting adds the member at once.
 */
export class Invitations {
  constructor(
    private readonly db: Database,
    private readonly orgs: Organizations,
    private readonly members: Members,
    private readonly mailbox: Mailbox,
    private readonly clock: Clock,
    private readonly origin: () => string,
  ) {
    orgs.onDelete((organizationId) => ({ ops: this.docs().filter((d) => d.organizationId === organizationId).map((d) => ({ c: COLLECTION, d: d.id })) }))
  }

  private docs(): InvitationDoc[] {
    return [...this.db.collection<InvitationDoc>(COLLECTION).values()]
  }

  async invite(actor: Actor, input: unknown): Promise<OrgInvitation> {
    this.orgs.authorize(actor, 'member:manage')
    const body = requireObject('body', input)
    onlyKeys('body', body, ['email', 'role', 'name'])
    const email = requireTenantEmail(body.email)
    const role = requireMemberRole(body.role)
    const name = optionalString('name', body.name, { max: 100 })
    if (this.orgs.memberships(actor.organizationId).some((m) => this.orgs.tenant(m.tenantId)?.email.toLowerCase() === email)) {
      throw conflict('member/already-member', `${email} is already a member of this organization; change their role with backend_member_role_update`)
    }
    const pending = this.docs().find((d) => d.organizationId === actor.organizationId && d.email === email && this.status(d) === 'pending')
    if (pending) throw conflict('member/invitation-pending', `${email} already has a pending invitation (${pending.id}); resend it with backend_member_invitation_resend`)
    const nowMs = this.clock.nowMs()
    const now = new Date(nowMs).toISOString()
    const token = randomHex(32)
    const doc: InvitationDoc = {
      id: newId(nowMs),
      organizationId: actor.organizationId,
      email,
      name,
      role,
      status: 'pending',
      invitedBy: actor.tenantId,
      createdAt: now,
      expiresAt: expiry(nowMs),
      sentCount: 1,
      lastSentAt: now,
      acceptedAt: null,
      tokenHash: sha256(token),
    }
    await this.db.put(COLLECTION, doc)
    await this.mail(doc, token)
    return this.view(doc)
  }

  /** The organization's invitations, newest first; pending ones unless a status is asked for. */
  list(actor: Actor, status: unknown = 'pending'): OrgInvitation[] {
    this.orgs.authorize(actor, 'member:read')
    const wanted = requireEnum('status', status, STATUSES)
    return this.docs()
      .filter((d) => d.organizationId === actor.organizationId && this.status(d) === wanted)
      .reverse()
      .map((d) => this.view(d))
  }

  /** A new token and a new mail (the old link stops working); the 7 days start again. */
  async resend(actor: Actor, invitationId: string): Promise<OrgInvitation> {
    this.orgs.authorize(actor, 'member:manage')
    const doc = this.open(actor, invitationId, 'resent')
    const token = randomHex(32)
    const nowMs = this.clock.nowMs()
    const next: InvitationDoc = { ...doc, tokenHash: sha256(token), expiresAt: expiry(nowMs), sentCount: doc.sentCount + 1, lastSentAt: new Date(nowMs).toISOString() }
    await this.db.put(COLLECTION, next)
    await this.mail(next, token)
    return this.view(next)
  }

  async cancel(actor: Actor, invitationId: string): Promise<OrgInvitation> {
    this.orgs.authorize(actor, 'member:manage')
    const doc = this.open(actor, invitationId, 'cancelled')
    const next: InvitationDoc = { ...doc, status: 'cancelled' }
    await this.db.put(COLLECTION, next)
    return this.view(next)
  }

  /** The pending invitation a link's token names, with what its page shows; undefined when the token is not valid. */
  preview(token: string): { invitation: OrgInvitation; organization: OrganizationDoc; inviterName: string } | undefined {
    const doc = this.byToken(token)
    const organization = doc ? this.orgs.organizationDoc(doc.organizationId) : undefined
    if (!doc || !organization) return undefined
    return { invitation: this.view(doc), organization, inviterName: this.orgs.tenant(doc.invitedBy)?.name ?? '' }
  }

  /** Pending invitations for an e-mail address (sign-in decides from these whether a new tenant needs an organization). */
  pendingFor(email: string): OrgInvitation[] {
    const address = normalizeTenantEmail(email)
    return this.docs().filter((d) => d.email === address && this.status(d) === 'pending').map((d) => this.view(d))
  }

  /**
   * Accepts by token for the signed-in tenant, whose e-mail must be the invitation's; the membership and the
   * invitation's new status are one commit.
   */
  async accept(tenantId: string, token: unknown): Promise<{ organization: Organization; member: Member }> {
    const raw = requireString('token', token, { max: 200 })
    const doc = this.byToken(raw)
    if (!doc || !this.orgs.organizationDoc(doc.organizationId)) {
      throw notFound('member/invitation-not-found', 'This invitation link is not valid: it was replaced by a newer e-mail (resent) or never existed. Use the newest invitation e-mail')
    }
    const status = this.status(doc)
    if (status === 'expired') throw conflict('member/invitation-expired', `This invitation expired at ${doc.expiresAt}; ask an admin of the organization to resend it`)
    if (status !== 'pending') throw conflict(`member/invitation-${status}`, `This invitation was ${status}; ask an admin of the organization for a new one`)
    const tenant = this.orgs.tenant(tenantId)
    if (!tenant || tenant.email.toLowerCase() !== doc.email) {
      throw forbidden('member/invitation-foreign', `This invitation is for ${doc.email}; sign in as that tenant to accept it`)
    }
    if (this.orgs.roleOf(tenantId, doc.organizationId)) throw conflict('member/already-member', 'You are already a member of this organization')
    const now = this.clock.iso()
    const membership: MembershipDoc = { id: newId(this.clock.nowMs()), organizationId: doc.organizationId, tenantId, role: doc.role, joinedAt: now }
    await this.db.commit([
      { c: C.memberships, p: membership },
      { c: COLLECTION, p: { ...doc, status: 'accepted', acceptedAt: now } },
    ])
    return { organization: this.orgs.get(tenantId, doc.organizationId), member: this.members.view(membership) }
  }

  private byToken(token: string): InvitationDoc | undefined {
    const hash = sha256(token)
    return this.docs().find((d) => d.tokenHash === hash)
  }

  /** A pending or expired invitation of the actor's organization, which can still be resent or cancelled. */
  private open(actor: Actor, invitationId: string, verb: string): InvitationDoc {
    const doc = this.db.collection<InvitationDoc>(COLLECTION).get(invitationId)
    if (!doc || doc.organizationId !== actor.organizationId) throw notFound('member/invitation-not-found', `Invitation ${invitationId} not found`)
    if (doc.status !== 'pending') throw conflict(`member/invitation-${doc.status}`, `Invitation ${invitationId} was ${doc.status} and cannot be ${verb}; invite again with backend_member_invite`)
    return doc
  }

  private status(doc: InvitationDoc): InvitationStatus {
    return doc.status === 'pending' && Date.parse(doc.expiresAt) <= this.clock.nowMs() ? 'expired' : doc.status
  }

  private async mail(doc: InvitationDoc, token: string): Promise<void> {
    const org = this.orgs.organizationDoc(doc.organizationId) as OrganizationDoc
    const inviter = this.orgs.tenant(doc.invitedBy)
    await this.mailbox.captureConsole({
      type: 'invitation',
      to: doc.email,
      token,
      link: `${this.origin()}${invitationPath(token)}`,
      values: { userName: doc.name ?? undefined, inviterName: inviter?.name, resourceName: org.displayName ?? org.name },
    })
  }

  private view(doc: InvitationDoc): OrgInvitation {
    const { tokenHash: _hash, ...rest } = doc
    return { ...rest, status: this.status(doc) }
  }
}
