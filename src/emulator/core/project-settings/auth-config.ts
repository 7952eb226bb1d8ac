import { DEFAULT_PROVIDER_SCOPES, SOCIAL_PROVIDERS, type SocialProvider } from '../../../contract/auth-settings.js'
import type { Database } from '../../store/store.js'
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from '../auth/passwords.js'
import type { AuthSettingsSource } from '../auth/auth-settings.js'
import type { Clock } from '../clock.js'
import { invalid, notFound } from '../errors.js'
import { onlyKeys, requireEnum, requireObject, requireString } from '../input.js'
import type { Actor } from '../tenancy/model.js'
import type { Organizations } from '../tenancy/organizations.js'
import type { Projects } from '../tenancy/projects.js'

export { SOCIAL_PROVIDERS, type SocialProvider }

/** A project's password rules plus the stored-but-not-enforced `expirationDays` (CM-D9). */
export interface StoredPasswordPolicy extends PasswordPolicy {
  expirationDays: number | null
}

/** A social provider's configuration, secret included: only for the sign-in flow, never for tenants. */
export interface ProviderConfig {
  clientId: string
  clientSecret: string | null
  redirectUri: string
  scopes: string[]
  enabled: boolean
  updatedAt: string | null
}

/** What tenants see of a provider: `hasClientSecret` instead of the secret. */
export type ProviderView = Omit<ProviderConfig, 'clientSecret'> & { provider: SocialProvider; hasClientSecret: boolean }

export interface AuthConfigView {
  projectId: string
  email: {
    enabled: boolean
    passwordPolicy: StoredPasswordPolicy
    magicLinkEnabled: boolean
    magicLinkExpirationMinutes: number
    emailVerificationRequired: boolean
  }
  /** null = not configured (deleted): social sign-in with it fails with `auth/oauth-not-configured`. */
  oauth: Record<SocialProvider, ProviderView | null>
  updatedAt: string | null
}

/** Stored per project (id = project id); absent fields take the defaults of console-model.md §7. */
interface AuthConfigDoc {
  [key: string]: unknown
  id: string
  email: Partial<Omit<AuthConfigView['email'], 'passwordPolicy'>> & { passwordPolicy?: Partial<StoredPasswordPolicy> }
  oauth: Partial<Record<SocialProvider, ProviderConfig | null>>
  updatedAt: string | null
}

export const AUTH_COLLECTION = 'projectAuthConfigs'
const COLLECTION = AUTH_COLLECTION
const CODE = 'common/invalid-parameters'

/**
 * Project authentication settings (console-model.md §7): password policy, magic links, e-mail verification and
 * the Google/GitHub providers. Tenant methods take an Actor; the runtime methods (`AuthSettingsSource`, `provider`)
 * serve the sign-up/sign-in flows of the project's environments.
 */
export class AuthConfigs implements AuthSettingsSource {
  constructor(
    private readonly db: Database,
    private readonly orgs: Organizations,
    private readonly projects: Projects,
    private readonly clock: Clock,
    private readonly origin: () => string,
  ) {}

  private doc(projectId: string): AuthConfigDoc {
    return this.db.collection<AuthConfigDoc>(COLLECTION).get(projectId) ?? { id: projectId, email: {}, oauth: {}, updatedAt: null }
  }

  // ── runtime side (no tenant): what user flows consult ──

  passwordPolicy(projectId: string): PasswordPolicy {
    const { expirationDays: _ignored, ...policy } = this.resolved(projectId).email.passwordPolicy
    return policy
  }

  emailVerificationRequired(projectId: string): boolean {
    return this.resolved(projectId).email.emailVerificationRequired
  }

  magicLink(projectId: string): { enabled: boolean; expirationMinutes: number } {
    const { magicLinkEnabled, magicLinkExpirationMinutes } = this.resolved(projectId).email
    return { enabled: magicLinkEnabled, expirationMinutes: magicLinkExpirationMinutes }
  }

  /** The effective e-mail settings of a project (defaults applied). */
  resolved(projectId: string): Omit<AuthConfigView, 'oauth'> {
    const doc = this.doc(projectId)
    return {
      projectId,
      email: {
        enabled: doc.email.enabled ?? true,
        passwordPolicy: { ...DEFAULT_PASSWORD_POLICY, expirationDays: null, ...doc.email.passwordPolicy },
        magicLinkEnabled: doc.email.magicLinkEnabled ?? true,
        magicLinkExpirationMinutes: doc.email.magicLinkExpirationMinutes ?? 15,
        emailVerificationRequired: doc.email.emailVerificationRequired ?? false,
      },
      updatedAt: doc.updatedAt,
    }
  }

  /** A provider's full configuration for the sign-in flow, or null when deleted; disabled ones are returned too. */
  provider(projectId: string, provider: SocialProvider): ProviderConfig | null {
    const stored = this.doc(projectId).oauth[provider]
    if (stored === null) return null
    return stored ?? { clientId: `emulator-${provider}-client-id`, clientSecret: null, redirectUri: `${this.origin()}/v1/auth/${provider}/callback`, scopes: [...DEFAULT_PROVIDER_SCOPES[provider]], enabled: true, updatedAt: null }
  }

  // ── tenant side ──

  get(actor: Actor, projectId: string): AuthConfigView {
    this.orgs.authorize(actor, 'project:read')
    return this.view(this.projects.owned(actor, projectId).id)
  }

  async update(actor: Actor, projectId: string, input: unknown): Promise<AuthConfigView> {
    this.orgs.authorize(actor, 'project:update')
    const id = this.projects.owned(actor, projectId).id
    const body = requireObject('body', input)
    onlyKeys('body', body, ['passwordPolicy', 'magicLinkEnabled', 'magicLinkExpirationMinutes', 'emailVerificationRequired'])
    const doc = this.doc(id)
    const email = { ...doc.email }
    if (body.passwordPolicy !== undefined) email.passwordPolicy = mergePolicy(this.resolved(id).email.passwordPolicy, body.passwordPolicy)
    if (body.magicLinkEnabled !== undefined) email.magicLinkEnabled = requireBoolean('magicLinkEnabled', body.magicLinkEnabled)
    if (body.magicLinkExpirationMinutes !== undefined) email.magicLinkExpirationMinutes = requireInt('magicLinkExpirationMinutes', body.magicLinkExpirationMinutes, 1, 1440)
    if (body.emailVerificationRequired !== undefined) email.emailVerificationRequired = requireBoolean('emailVerificationRequired', body.emailVerificationRequired)
    await this.db.put(COLLECTION, { ...doc, email, updatedAt: this.clock.iso() })
    return this.view(id)
  }

  async upsertProvider(actor: Actor, projectId: string, providerName: unknown, input: unknown): Promise<ProviderView> {
    this.orgs.authorize(actor, 'project:update')
    const id = this.projects.owned(actor, projectId).id
    const provider = requireEnum('provider', providerName, SOCIAL_PROVIDERS)
    const body = requireObject('body', input)
    onlyKeys('body', body, ['clientId', 'clientSecret', 'redirectUri', 'scopes', 'enabled'])
    const previous = this.provider(id, provider)
    const redirectUri = requireString('redirectUri', body.redirectUri, { max: 2000 })
    if (!/^https?:\/\/\S+$/.test(redirectUri)) throw invalid(CODE, 'redirectUri must be an absolute http(s) URL', [{ field: 'redirectUri', rule: 'url', message: 'absolute URL' }])
    if (!Array.isArray(body.scopes) || body.scopes.some((s) => typeof s !== 'string' || s === '')) {
      throw invalid(CODE, 'scopes must be an array of strings', [{ field: 'scopes', rule: 'type', message: 'array of strings' }])
    }
    const config: ProviderConfig = {
      clientId: requireString('clientId', body.clientId, { max: 500 }),
      // Omitting the secret on update keeps the stored one: tenants never read it back, so they cannot resend it.
      clientSecret: body.clientSecret === undefined ? (previous?.clientSecret ?? null) : body.clientSecret === null ? null : requireString('clientSecret', body.clientSecret, { max: 500 }),
      redirectUri,
      scopes: body.scopes as string[],
      enabled: requireBoolean('enabled', body.enabled),
      updatedAt: this.clock.iso(),
    }
    const doc = this.doc(id)
    await this.db.put(COLLECTION, { ...doc, oauth: { ...doc.oauth, [provider]: config }, updatedAt: config.updatedAt })
    return providerView(provider, config)
  }

  async deleteProvider(actor: Actor, projectId: string, providerName: unknown): Promise<AuthConfigView> {
    this.orgs.authorize(actor, 'project:update')
    const id = this.projects.owned(actor, projectId).id
    const provider = requireEnum('provider', providerName, SOCIAL_PROVIDERS)
    const doc = this.doc(id)
    if (doc.oauth[provider] === null) throw notFound('common/not-found', `The ${provider} provider is not configured`)
    await this.db.put(COLLECTION, { ...doc, oauth: { ...doc.oauth, [provider]: null }, updatedAt: this.clock.iso() })
    return this.view(id)
  }

  private view(projectId: string): AuthConfigView {
    const oauth = Object.fromEntries(SOCIAL_PROVIDERS.map((p) => {
      const config = this.provider(projectId, p)
      return [p, config && providerView(p, config)]
    })) as AuthConfigView['oauth']
    return { ...this.resolved(projectId), oauth }
  }
}

function providerView(provider: SocialProvider, config: ProviderConfig): ProviderView {
  const { clientSecret, ...rest } = config
  return { provider, ...rest, hasClientSecret: clientSecret !== null }
}

function mergePolicy(current: StoredPasswordPolicy, input: unknown): StoredPasswordPolicy {
  const body = requireObject('passwordPolicy', input)
  onlyKeys('passwordPolicy', body, ['minLength', 'maxLength', 'requireUppercase', 'requireLowercase', 'requireNumbers', 'requireSpecialChars', 'rejectCommonPasswords', 'expirationDays'])
  const next = { ...current }
  if (body.minLength !== undefined) next.minLength = requireInt('passwordPolicy.minLength', body.minLength, 1, 128)
  if (body.maxLength !== undefined) next.maxLength = requireInt('passwordPolicy.maxLength', body.maxLength, 1, 1024)
  for (const flag of ['requireUppercase', 'requireLowercase', 'requireNumbers', 'requireSpecialChars', 'rejectCommonPasswords'] as const) {
    if (body[flag] !== undefined) next[flag] = requireBoolean(`passwordPolicy.${flag}`, body[flag])
  }
  if (body.expirationDays !== undefined) next.expirationDays = body.expirationDays === null ? null : requireInt('passwordPolicy.expirationDays', body.expirationDays, 1, 36500)
  if (next.maxLength < next.minLength) throw invalid(CODE, 'passwordPolicy.maxLength must be at least minLength', [{ field: 'passwordPolicy.maxLength', rule: 'min', message: '≥ minLength' }])
  return next
}

function requireBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw invalid(CODE, `${field} must be a boolean`, [{ field, rule: 'type', message: 'boolean' }])
  return value
}

function requireInt(field: string, value: unknown, min: number, max: number): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw invalid(CODE, `${field} must be an integer from ${min} to ${max}`, [{ field, rule: 'range', message: `${min}–${max}` }])
  }
  return value as number
}
