/** A project's authentication settings as the management tools return them (console-model.md §7, mcp.md §8). */

export const SOCIAL_PROVIDERS = ['google', 'github'] as const
export type SocialProvider = (typeof SOCIAL_PROVIDERS)[number]

/** The scopes a provider asks for unless configured otherwise (console-model.md §7). */
export const DEFAULT_PROVIDER_SCOPES: Record<SocialProvider, readonly string[]> = { google: ['openid', 'email', 'profile'], github: ['user:email'] }

export interface PasswordPolicySettings {
  minLength: number
  maxLength: number
  requireUppercase: boolean
  requireLowercase: boolean
  requireNumbers: boolean
  requireSpecialChars: boolean
  /** Refuse the bundled list of common passwords with `auth/weak-password` (RA-D1). */
  rejectCommonPasswords: boolean
  /** Stored, not enforced. */
  expirationDays: number | null
}

/** A social provider as tenants see it: never the client secret, only whether one is stored. */
export interface ProviderSettings {
  provider: SocialProvider
  clientId: string
  redirectUri: string
  scopes: string[]
  enabled: boolean
  hasClientSecret: boolean
  updatedAt: string | null
}

export interface AuthConfig {
  projectId: string
  email: {
    enabled: boolean
    passwordPolicy: PasswordPolicySettings
    magicLinkEnabled: boolean
    magicLinkExpirationMinutes: number
    emailVerificationRequired: boolean
  }
  /** null = not configured: sign-in with that provider fails with `auth/oauth-not-configured`. */
  oauth: Record<SocialProvider, ProviderSettings | null>
  updatedAt: string | null
}

/** `backend_auth_config_update` body: every field optional, `passwordPolicy` merged key by key. */
export interface AuthConfigUpdate {
  passwordPolicy?: Partial<PasswordPolicySettings>
  magicLinkEnabled?: boolean
  magicLinkExpirationMinutes?: number
  emailVerificationRequired?: boolean
}

/** `backend_auth_provider_upsert` body; omitting `clientSecret` keeps the stored one. */
export interface ProviderUpsert {
  clientId: string
  clientSecret?: string
  redirectUri: string
  scopes: string[]
  enabled: boolean
}
