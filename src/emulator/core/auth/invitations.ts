import type { Page } from '../../../contract/common.js'
import type { Clock } from '../clock.js'
import { DomainError, forbidden, invalid, notFound, unauthorized } from '../errors.js'
import { isId, newId, randomHex, sha256 } from '../ids.js'
import type { Mailbox } from '../mail/mailbox.js'
import { pageOf, pageParams } from '../paging.js'
import type { Principal, UserIdentity } from '../principal.js'
import type { Environments } from '../tenancy/environments.js'
import type { Projects } from '../tenancy/projects.js'
import type { AuthService, EnvScope } from './auth-service.js'
import { optionalCallbackUrl, withQuery } from './email-links.js'
import { localPart, normalizeEmail, requireEmail, requiredText, type TokenResponse } from './model.js'
import type { UserPool } from './user-pool.js'

/** Invitations live 7 days (rest-auth.md §1.4). */
export const INVITATION_TTL_SECONDS = 7 * 24 * 3600

const COLLECTION = 'invitations'
const TOKEN = /^[0-9a-f]{64}$/
const RESOURCE_TYPES = ['organization', 'project'] as const
const STATUSES = ['pending', 'accepted', 'rejected', 'expired', 'revoked'] as const

export type InvitationStatus = (typeof STATUSES)[number]

/** The invitation object of rest-auth.md §3.10; `status` is stored without `expired`, which is computed. */
export interface InvitationView {
  id: string
  resourceType: string
  resourceId: string
  resourceName: string | null
  resourceRole: string
  email: string
  name: string | null
  inviterName: string | null
  invitedBy: string
  status: InvitationStatus
  expiresAt: string
  acceptedAt: string | null
  acceptedBy: string | null
  respondedAt: string | null
  createdAt: string
  updatedAt: string
}

/** As stored: with the SHA-256 of its token, never the token. */
type InvitationDoc = InvitationView & { [key: string]: unknown; tokenHash: string }

/** The signed-in caller of the Bearer invitation endpoints. */
export interface InvitationCaller {
  identity: UserIdentity
  principal: Principal
}

const bad = (message: string) => invalid('auth/invalid-request', message)

function text(body: Record<string, unknown>, field: string, max: number): string {
  const value = body[field]
  if (typeof value !== 'string' || value.trim() === '' || [...value].length > max) throw bad(`${field} must be a string of 1 to ${max} characters`)
  return value.trim()
}

function optionalText(body: Record<string, unknown>, field: string, max: number): string | null {
  return body[field] === undefined || body[field] === null ? null : text(body, field, max)
}

const invalidToken = () => unauthorized('auth/invalid-token', 'The invitation token is not valid for this e-mail')

/**
 * End-user invitations to an organization or project (rest-auth.md §3.10, RA-D20), stored in the environment's
 * user pool. Each has a 64-hex token that exists raw only in the captured e-mail; the invitation keeps its SHA-256.
 * note: not a one-time token: the token keeps naming its invitation after an answer or expiry, so a second answer
 * learns what became of it (already accepted, rejected, expired) instead of "unknown token".
 */
export class Invitations {
  constructor(
    private readonly auth: AuthService,
    private readonly mailbox: Mailbox,
    private readonly envs: Environments,
    private readonly projects: Projects,
    private readonly clock: Clock,
    private readonly origin: () => string,
  ) {}

  private get pool(): UserPool {
    return this.auth.pool
  }

  /** `POST /v1/auth/invitations`: revokes a pending invitation for the same resource and e-mail, then invites. */
  async create(scope: EnvScope, caller: InvitationCaller, body: Record<string, unknown>): Promise<InvitationView> {
    const resourceType = body.resourceType
    if (typeof resourceType !== 'string' || !(RESOURCE_TYPES as readonly string[]).includes(resourceType)) throw bad(`resourceType must be one of ${RESOURCE_TYPES.join(', ')}`)
    const resourceId = text(body, 'resourceId', 200)
    const resourceRole = text(body, 'resourceRole', 100)
    if (body.email === undefined) throw bad('email is required')
    const email = requireEmail(body.email)
    const resourceName = optionalText(body, 'resourceName', 200)
    const name = optionalText(body, 'name', 100)
    const inviterName = optionalText(body, 'inviterName', 100)
    const callbackUrl = optionalCallbackUrl(body.callbackUrl)

    const db = this.pool.db(scope.environment.id)
    const now = this.clock.nowMs()
    const iso = new Date(now).toISOString()
    const token = randomHex(32)
    const previous = this.docs(scope).filter((i) => this.statusOf(i) === 'pending' && i.resourceType === resourceType && i.resourceId === resourceId && i.email === email)
    const invitation: InvitationDoc = {
      id: newId(now),
      resourceType,
      resourceId,
      resourceName,
      resourceRole,
      email,
      name,
      inviterName,
      invitedBy: caller.identity.userId,
      status: 'pending',
      expiresAt: new Date(now + INVITATION_TTL_SECONDS * 1000).toISOString(),
      acceptedAt: null,
      acceptedBy: null,
      respondedAt: null,
      createdAt: iso,
      updatedAt: iso,
      tokenHash: sha256(token),
    }
    await db.commit([...previous.map((p) => ({ c: COLLECTION, p: { ...p, status: 'revoked', updatedAt: iso } })), { c: COLLECTION, p: invitation }])
    const link = callbackUrl ? withQuery(callbackUrl, { token, email }) : `${this.origin()}/_emulator/invitations/${token}`
    const inviter = this.pool.get(scope.environment.id, caller.identity.userId)
    await this.mailbox.capture({
      projectId: scope.project.id,
      environmentId: scope.environment.id,
      type: 'invitation',
      to: email,
      token,
      link,
      values: { userName: name ?? localPart(email), inviterName: inviterName ?? inviter?.name ?? caller.identity.email, resourceName: resourceName ?? `${resourceType} ${resourceId}` },
    })
    return this.view(invitation)
  }

  /** `GET /v1/auth/invitations`: what the caller invited or was invited to (everything for admins), newest first. */
  list(scope: EnvScope, caller: InvitationCaller, query: Record<string, unknown>): Page<InvitationView> {
    const { page, limit } = pageParams(query, 10)
    const resourceType = filter(query, 'resourceType', [...RESOURCE_TYPES, 'user'])
    const resourceId = filter(query, 'resourceId')
    const status = filter(query, 'status', STATUSES)
    const views = this.docs(scope)
      .filter((i) => this.visible(i, caller))
      .map((i) => this.view(i))
      .filter((i) => (resourceType === 'user' ? i.email === caller.identity.email : !resourceType || i.resourceType === resourceType))
      .filter((i) => (!resourceId || i.resourceId === resourceId) && (!status || i.status === status))
      .reverse()
    return pageOf(views, page, limit)
  }

  /** `GET /v1/auth/invitations/:id`: 404 unless the caller may see it. */
  get(scope: EnvScope, caller: InvitationCaller, invitationId: string): InvitationView {
    const invitation = this.doc(scope, invitationId)
    if (!invitation || !this.visible(invitation, caller)) throw this.notFound(invitationId)
    return this.view(invitation)
  }

  /** `DELETE /v1/auth/invitations/:id`: the inviter or an admin withdraws a pending invitation. */
  async revoke(scope: EnvScope, caller: InvitationCaller, invitationId: string): Promise<{ message: string }> {
    const invitation = this.doc(scope, invitationId)
    if (!invitation) throw this.notFound(invitationId)
    if (invitation.invitedBy !== caller.identity.userId && caller.principal.group !== 'admin') throw forbidden('auth/forbidden', 'Only the inviter or an admin may revoke this invitation')
    const status = this.statusOf(invitation)
    if (status !== 'pending') throw bad(`The invitation is ${status}; only pending invitations can be revoked`)
    await this.pool.db(scope.environment.id).put(COLLECTION, { ...invitation, status: 'revoked', updatedAt: this.clock.iso() })
    return { message: 'Invitation revoked' }
  }

  /**
   * `POST /v1/auth/invitations/accept`: `acceptedBy` is the signed-in user, else the live user with the invited
   * e-mail, else null.
   */
  async accept(scope: EnvScope, body: Record<string, unknown>, signedIn: UserIdentity | null): Promise<InvitationView> {
    const invitation = this.pending(scope, body, false)
    const now = this.clock.iso()
    const acceptedBy = signedIn?.userId ?? this.pool.byEmailAddress(scope.environment.id, invitation.email)?.id ?? null
    const accepted: InvitationDoc = { ...invitation, status: 'accepted', acceptedAt: now, acceptedBy, respondedAt: now, updatedAt: now }
    await this.pool.db(scope.environment.id).put(COLLECTION, accepted)
    return this.view(accepted)
  }

  /** `POST /v1/auth/invitations/reject`. */
  async reject(scope: EnvScope, body: Record<string, unknown>): Promise<Record<string, never>> {
    const invitation = this.pending(scope, body, true)
    const now = this.clock.iso()
    await this.pool.db(scope.environment.id).put(COLLECTION, { ...invitation, status: 'rejected', respondedAt: now, updatedAt: now })
    return {}
  }

  /** The invitation behind a raw token and its environment, for the page that needs no API key; undefined if none. */
  byToken(token: string): { scope: EnvScope; invitation: InvitationView } | undefined {
    if (!TOKEN.test(token)) return undefined
    for (const environment of this.envs.all()) {
      const project = this.projects.doc(environment.projectId)
      if (!project || !this.envs.database(environment.id)) continue
      const scope = { environment, project }
      const invitation = this.withToken(scope, token)
      if (invitation) return { scope, invitation: this.view(invitation) }
    }
    return undefined
  }

  /**
   * `POST /v1/auth/switch-organization` (rest-auth.md §3.7, low fidelity: RA-D20): allowed only into an organization
   * whose invitation the caller accepted.
   */
  async switchOrganization(scope: EnvScope, identity: UserIdentity, body: Record<string, unknown>): Promise<TokenResponse> {
    const organizationId = text(body, 'organizationId', 200)
    const accepted = this.docs(scope).some((i) => i.status === 'accepted' && i.acceptedBy === identity.userId && i.resourceType === 'organization' && i.resourceId === organizationId)
    if (!accepted) throw forbidden('auth/forbidden', `You have not accepted an invitation to organization ${organizationId}`)
    return this.auth.switchOrganization(scope, identity, organizationId)
  }

  /** The invitation a token names, if it is still pending: the shared checks of accept and reject. */
  private pending(scope: EnvScope, body: Record<string, unknown>, emailRequired: boolean): InvitationDoc {
    const token = requiredText(body.token, 'token')
    if (body.email !== undefined && body.email !== null && typeof body.email !== 'string') throw bad('email must be a string')
    if (emailRequired && typeof body.email !== 'string') throw bad('email is required')
    const email = typeof body.email === 'string' ? (normalizeEmail(body.email) ?? '') : null
    const invitation = this.withToken(scope, token)
    if (!invitation || (email !== null && invitation.email !== email)) throw invalidToken()
    const status = this.statusOf(invitation)
    if (status === 'accepted') throw invalid('auth/invitation-already-accepted', 'This invitation was already accepted')
    if (status === 'expired') throw new DomainError('auth/invitation-expired', 'gone', 'This invitation has expired: ask for a new one')
    if (status !== 'pending') throw bad(`This invitation was ${status}`)
    return invitation
  }

  /** note: a scan rather than an index: invitations are few, and answering one is rare. */
  private withToken(scope: EnvScope, token: string): InvitationDoc | undefined {
    if (!TOKEN.test(token)) return undefined
    const hash = sha256(token)
    return this.docs(scope).find((i) => i.tokenHash === hash)
  }

  private docs(scope: EnvScope): InvitationDoc[] {
    return [...this.pool.db(scope.environment.id).collection<InvitationDoc>(COLLECTION).values()]
  }

  private doc(scope: EnvScope, id: string): InvitationDoc | undefined {
    return isId(id) ? this.pool.db(scope.environment.id).collection<InvitationDoc>(COLLECTION).get(id) : undefined
  }

  private visible(invitation: InvitationDoc, caller: InvitationCaller): boolean {
    return caller.principal.group === 'admin' || invitation.invitedBy === caller.identity.userId || invitation.email === caller.identity.email
  }

  private statusOf(invitation: InvitationDoc): InvitationStatus {
    return invitation.status === 'pending' && Date.parse(invitation.expiresAt) <= this.clock.nowMs() ? 'expired' : invitation.status
  }

  private view(invitation: InvitationDoc): InvitationView {
    const { id, resourceType, resourceId, resourceName, resourceRole, email, name, inviterName, invitedBy, expiresAt, acceptedAt, acceptedBy, respondedAt, createdAt, updatedAt } = invitation
    return { id, resourceType, resourceId, resourceName, resourceRole, email, name, inviterName, invitedBy, status: this.statusOf(invitation), expiresAt, acceptedAt, acceptedBy, respondedAt, createdAt, updatedAt }
  }

  private notFound(id: string): DomainError {
    return notFound('auth/invitation-not-found', `Invitation ${id} not found`)
  }
}

/** An optional single-valued list filter, from a fixed set when given. */
function filter(query: Record<string, unknown>, name: string, allowed?: readonly string[]): string | undefined {
  const value = query[name]
  if (value === undefined || value === '') return undefined
  if (typeof value !== 'string' || (allowed && !allowed.includes(value))) throw bad(`${name} must be ${allowed ? `one of ${allowed.join(', ')}` : 'given once'}`)
  return value
}
