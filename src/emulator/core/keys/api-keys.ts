import { hash, randomBytes } from 'node:crypto'
import type { KeyLookup } from '../../../contract/emulator.js'
import type { AccessToken, CreatedAccessToken, KeyType } from '../../../contract/tenancy.js'
import type { Database } from '../../store/store.js'
import type { Clock } from '../clock.js'
import { invalid, notFound, unauthorized } from '../errors.js'
import { newId } from '../ids.js'
import { onlyKeys, requireEnum, requireObject, requireString } from '../input.js'
import type { Environments } from '../tenancy/environments.js'
import { C, type Actor, type EnvironmentDoc, type ProjectDoc } from '../tenancy/model.js'
import type { Organizations } from '../tenancy/organizations.js'
import type { Projects } from '../tenancy/projects.js'

export const API_KEY = /^(pk|sk)_[a-fA-F0-9]{64}$/
const SCOPE = /^(?:\*|(?:[A-Za-z]|_[A-Za-z0-9])[A-Za-z0-9_-]{0,63}):(?:\*|create|read|update|delete|list)$/
const LAST_USED_RESOLUTION_MS = 60_000

export interface ApiKeyDoc {
  [key: string]: unknown
  id: string
  name: string
  type: KeyType
  keyHash: string
  /** Kept for publishable keys only, so they can be shown again; a secret key's plaintext is never stored. */
  plaintext: string | null
  maskedKey: string
  organizationId: string
  projectId: string
  environmentId: string
  environment: string
  scopes: string[] | null
  expiresAt: string | null
  createdBy: string
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
}

/** What a valid API key resolves to (spec README "Order of checks", steps 2–3). */
export interface KeyContext {
  key: ApiKeyDoc
  project: ProjectDoc
  environment: EnvironmentDoc
}

/** SHA-256 of the full key string: the only form in which keys are looked up and stored. */
export function hashKey(plaintext: string): string {
  return hash('sha256', plaintext.toLowerCase(), 'hex')
}

export function generateKey(type: KeyType): string {
  return `${type === 'publishable' ? 'pk' : 'sk'}_${randomBytes(32).toString('hex')}`
}

export function maskKey(plaintext: string): string {
  return `${plaintext.slice(0, 11)}…${plaintext.slice(-4)}`
}

export interface CreateKeyInput {
  projectId: string
  environment: string
  type: KeyType
  name: string
  scopes?: string[] | null
  expiresAt?: string | null
}

/** API keys ("access tokens" in MCP): creation, listing, revocation and the per-request lookup. */
export class ApiKeys {
  private readonly byHash = new Map<string, string>()
  /** When each key was last recorded as used, so the per-request check parses no dates. */
  private readonly lastUsed = new Map<string, number>()

  constructor(
    private readonly db: Database,
    private readonly orgs: Organizations,
    private readonly projects: Projects,
    private readonly envs: Environments,
    private readonly clock: Clock,
  ) {
    this.reindex()
    // Keys come and go with a snapshot restore (or a refused write): the lookup map follows the collection.
    db.onRollBack(() => this.reindex())
  }

  private reindex(): void {
    this.byHash.clear()
    for (const key of this.docs()) this.byHash.set(key.keyHash, key.id)
  }

  private docs(): Iterable<ApiKeyDoc> {
    return this.db.collection<ApiKeyDoc>(C.apiKeys).values()
  }

  status(key: ApiKeyDoc): AccessToken['status'] {
    if (key.revokedAt) return 'revoked'
    if (key.expiresAt && Date.parse(key.expiresAt) <= this.clock.nowMs()) return 'expired'
    return 'active'
  }

  view(key: ApiKeyDoc): AccessToken {
    const { keyHash: _hash, plaintext, ...rest } = key
    const token: AccessToken = { ...rest, status: this.status(key) }
    if (plaintext) token.key = plaintext
    return token
  }

  list(actor: Actor, filters: { projectId?: string; environment?: string } = {}): AccessToken[] {
    this.orgs.authorize(actor, 'project:read')
    return [...this.docs()]
      .filter((k) => k.organizationId === actor.organizationId)
      .filter((k) => !filters.projectId || k.projectId === filters.projectId)
      .filter((k) => !filters.environment || k.environment === filters.environment)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
      .map((k) => this.view(k))
  }

  private owned(actor: Actor, id: string): ApiKeyDoc {
    const key = this.db.collection<ApiKeyDoc>(C.apiKeys).get(id)
    if (!key || key.organizationId !== actor.organizationId) throw notFound('common/not-found', `Access token ${id} not found`)
    return key
  }

  get(actor: Actor, id: string): AccessToken {
    this.orgs.authorize(actor, 'project:read')
    return this.view(this.owned(actor, id))
  }

  /** Creates a key; the result carries the plaintext, which for a secret key exists nowhere else afterwards. */
  async create(actor: Actor, input: unknown): Promise<CreatedAccessToken> {
    this.orgs.authorize(actor, 'access-token:manage')
    const body = requireObject('body', input)
    onlyKeys('body', body, ['projectId', 'environment', 'type', 'name', 'scopes', 'expiresAt'])
    const project = this.projects.owned(actor, requireString('projectId', body.projectId, { max: 64 }))
    const envName = requireString('environment', body.environment, { max: 32 })
    const env = this.envs.byName(project.id, envName)
    if (!env) throw notFound('data/environment-not-found', `Environment "${envName}" not found in project ${project.slug}`)
    return this.issue(actor.tenantId, env, {
      projectId: project.id,
      environment: envName,
      type: requireEnum('type', body.type, ['publishable', 'secret'] as const),
      name: requireString('name', body.name, { max: 100 }),
      scopes: parseScopes(body.scopes),
      expiresAt: this.parseExpiry(body.expiresAt),
    })
  }

  /** Mints a key for an environment without role checks (seeding, and `create` after its checks). */
  async issue(createdBy: string, env: EnvironmentDoc, input: CreateKeyInput): Promise<CreatedAccessToken> {
    const plaintext = generateKey(input.type)
    const doc: ApiKeyDoc = {
      id: newId(this.clock.nowMs()),
      name: input.name,
      type: input.type,
      keyHash: hashKey(plaintext),
      plaintext: input.type === 'publishable' ? plaintext : null,
      maskedKey: maskKey(plaintext),
      organizationId: env.organizationId,
      projectId: env.projectId,
      environmentId: env.id,
      environment: env.environment,
      scopes: input.scopes && input.scopes.length > 0 ? input.scopes : null,
      expiresAt: input.expiresAt ?? null,
      createdBy,
      createdAt: this.clock.iso(),
      lastUsedAt: null,
      revokedAt: null,
    }
    await this.db.put(C.apiKeys, doc)
    this.byHash.set(doc.keyHash, doc.id)
    const created: CreatedAccessToken = { ...this.view(doc), key: plaintext }
    if (input.type === 'secret') created.warning = 'This secret key is shown only once. Store it now; it cannot be displayed again.'
    return created
  }

  /** Marks a key revoked (it stays listed); idempotent. */
  async revoke(actor: Actor, id: string): Promise<AccessToken> {
    this.orgs.authorize(actor, 'access-token:manage')
    const key = this.owned(actor, id)
    if (key.revokedAt) return this.view(key)
    const next: ApiKeyDoc = { ...key, revokedAt: this.clock.iso() }
    await this.db.put(C.apiKeys, next)
    return this.view(next)
  }

  /** Removes a key entirely (the console's delete); it stops working at once. */
  async delete(actor: Actor, id: string): Promise<AccessToken> {
    this.orgs.authorize(actor, 'access-token:manage')
    const key = this.owned(actor, id)
    await this.db.delete(C.apiKeys, id)
    this.byHash.delete(key.keyHash)
    return this.view(key)
  }

  /** The key document for a plaintext key, whatever its status, or undefined. */
  find(plaintext: string): ApiKeyDoc | undefined {
    const hash = hashKey(plaintext)
    const id = this.byHash.get(hash)
    const key = id ? this.db.collection<ApiKeyDoc>(C.apiKeys).get(id) : undefined
    if (id && !key) this.byHash.delete(hash)
    return key
  }

  /**
   * Which project and environment a key of the actor's organization belongs to, whatever its status, so a client
   * can check a key against the environment it means before acting; unknown keys (and keys of deleted
   * environments, which are deleted with them) are not found.
   */
  lookup(actor: Actor, plaintext: string): KeyLookup {
    const key = API_KEY.test(plaintext) ? this.find(plaintext) : undefined
    const project = key && key.organizationId === actor.organizationId ? this.projects.doc(key.projectId) : undefined
    if (!key || !project || !this.envs.doc(key.environmentId)) throw notFound('common/not-found', 'No API key of this organization matches')
    return { projectId: key.projectId, projectSlug: project.slug, environmentId: key.environmentId, environment: key.environment, type: key.type, status: this.status(key) }
  }

  /** Validates a presented API key and resolves its project and environment, or throws the spec's error. */
  authenticate(presented: string | undefined): KeyContext {
    if (!presented) throw unauthorized('auth/unauthorized', 'An API key is required: send it in the X-API-Key header')
    if (!API_KEY.test(presented)) throw unauthorized('auth/invalid-token-format', 'The API key is malformed: expected pk_ or sk_ followed by 64 hex characters')
    const key = this.find(presented)
    if (!key) throw unauthorized('auth/invalid-token', 'The API key is not valid')
    return this.contextOf(key)
  }

  /**
   * `authenticate` for a key the caller already matched to the presented value by hash (the HTTP layer remembers
   * that match for the rest of a connection): every check but the hashing, on the key as it is now. A key deleted
   * since is not valid; a revoked or expired one fails as it would in `authenticate`.
   */
  authenticateMatched(keyId: string): KeyContext {
    const key = this.db.collection<ApiKeyDoc>(C.apiKeys).get(keyId)
    if (!key) throw unauthorized('auth/invalid-token', 'The API key is not valid')
    return this.contextOf(key)
  }

  private contextOf(key: ApiKeyDoc): KeyContext {
    if (key.revokedAt) throw unauthorized('auth/token-revoked', 'The API key has been revoked')
    if (key.expiresAt && Date.parse(key.expiresAt) <= this.clock.nowMs()) throw unauthorized('auth/token-expired', 'The API key has expired')
    const project = this.projects.doc(key.projectId)
    if (!project) throw notFound('common/project-not-found', 'The project of this API key no longer exists')
    const environment = this.envs.doc(key.environmentId)
    if (!environment) throw notFound('data/environment-not-found', 'The environment of this API key no longer exists')
    this.touch(key)
    return { key, project, environment }
  }

  /** Records use at most once a minute, without making the request wait for it. */
  private touch(key: ApiKeyDoc): void {
    const now = this.clock.nowMs()
    const last = this.lastUsed.get(key.id) ?? (key.lastUsedAt ? Date.parse(key.lastUsedAt) : -Infinity)
    if (now - last < LAST_USED_RESOLUTION_MS) return
    this.lastUsed.set(key.id, now)
    void this.db.put(C.apiKeys, { ...key, lastUsedAt: new Date(now).toISOString() }).catch(() => undefined)
  }

  private parseExpiry(value: unknown): string | null {
    if (value === undefined || value === null) return null
    const text = requireString('expiresAt', value, { max: 40 })
    const at = Date.parse(text)
    if (Number.isNaN(at)) throw invalid('common/invalid-parameters', 'expiresAt must be an ISO 8601 date-time', [{ field: 'expiresAt', rule: 'format', message: 'ISO 8601 date-time' }])
    if (at <= this.clock.nowMs()) throw invalid('common/invalid-parameters', 'expiresAt must be in the future', [{ field: 'expiresAt', rule: 'future', message: 'must be in the future' }])
    return new Date(at).toISOString()
  }
}

function parseScopes(value: unknown): string[] | null {
  if (value === undefined || value === null) return null
  if (!Array.isArray(value)) throw invalid('common/invalid-parameters', 'scopes must be an array of table:op patterns', [{ field: 'scopes', rule: 'type', message: 'array of strings' }])
  for (const scope of value) {
    if (typeof scope !== 'string' || !SCOPE.test(scope)) {
      throw invalid('common/invalid-parameters', `scope ${JSON.stringify(scope)} is not a resource:op pattern (resource: a table, users, files or *; op: create, read, update, delete, list or *)`, [{ field: 'scopes', rule: 'pattern', message: 'table:op' }])
    }
  }
  return [...new Set(value as string[])]
}
