import { invalid } from '../errors.js'
/** End-user documents, stored in each environment's own database (user pools never cross environments). */
export const U = {
  users: 'users',
  sessions: 'sessions',
  accounts: 'accounts',
  mfa: 'mfa',
  meta: 'meta',
} as const

/** What every view of a user shares with its stored document. */
interface UserFields {
  id: string
  email: string
  name: string
  nickname: string | null
  role: string
  emailVerified: string | null
  image: string | null
  mobile: string | null
  gender: string | null
  bio: string | null
  socialLinks: Record<string, string | null> | null
  onboardingStatus: string
  mfaEnabled: boolean
  createdAt: string
  updatedAt: string
}

export interface UserDoc extends UserFields {
  [key: string]: unknown
  passwordHash: string | null
  banned: boolean
  deletedAt: string | null
}

export interface SessionDoc {
  [key: string]: unknown
  id: string
  userId: string
  userAgent: string | null
  ipAddress: string | null
  deviceInfo: string
  /** The id (`jti`) of the only refresh token that may rotate this session. */
  refreshJti: string
  lastActivityAt: string
  createdAt: string
  expiresAt: string
  /** The organization the session switched to (`POST /v1/auth/switch-organization`), carried by its access JWTs. */
  organizationId?: string | null
}

/** A session as the API shows it: both documented field-name sets (RA-D3), no refresh-token id. */
export interface SessionView {
  id: string
  userId: string
  userAgent: string | null
  ipAddress: string | null
  deviceInfo: string
  device: string
  ip: string | null
  lastActivityAt: string
  lastAccessedAt: string
  createdAt: string
  expiresAt: string
  current: boolean
}

export function sessionView(session: SessionDoc, currentSessionId: string | null): SessionView {
  const { id, userId, userAgent, ipAddress, deviceInfo, lastActivityAt, createdAt, expiresAt } = session
  return { id, userId, userAgent, ipAddress, deviceInfo, device: deviceInfo, ip: ipAddress, lastActivityAt, lastAccessedAt: lastActivityAt, createdAt, expiresAt, current: id === currentSessionId }
}

export const ACCOUNT_PROVIDERS = ['email', 'google', 'github'] as const
/** `email` is the password (or magic-link) credential; the others are social identity providers. */
export type AccountProvider = (typeof ACCOUNT_PROVIDERS)[number]
export type AccountType = 'credentials' | 'oauth'

/**
 * A way to sign in (rest-auth.md §3.9): `credentials` + `email` (the provider account id is the email address), or
 * `oauth` + `google`/`github` (the provider's account id).
 */
export interface AccountDoc {
  [key: string]: unknown
  id: string
  userId: string
  type: AccountType
  provider: AccountProvider
  providerAccountId: string
  email: string
  connectedAt: string
}

/** The account object of the API: `linkedAt` repeats `connectedAt` (both names are documented). */
export interface AccountView {
  id: string
  userId: string
  type: AccountType
  provider: AccountProvider
  providerAccountId: string
  email: string
  connectedAt: string
  linkedAt: string
}

export function accountView(account: AccountDoc): AccountView {
  const { id, userId, type, provider, providerAccountId, email, connectedAt } = account
  return { id, userId, type, provider, providerAccountId, email, connectedAt, linkedAt: connectedAt }
}

/** The full user view (the user themself, or admin): never the password hash. */
export interface UserView extends UserFields {
  hasPassword: boolean
}

export interface PublicUserView {
  id: string
  name: string
  nickname: string | null
  image: string | null
  createdAt: string
}

export function fullView(user: UserDoc): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    nickname: user.nickname,
    role: user.role,
    emailVerified: user.emailVerified,
    image: user.image,
    mobile: user.mobile,
    gender: user.gender,
    bio: user.bio,
    socialLinks: user.socialLinks,
    onboardingStatus: user.onboardingStatus,
    mfaEnabled: user.mfaEnabled,
    hasPassword: user.passwordHash !== null,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  }
}

export function publicView(user: UserDoc): PublicUserView {
  return { id: user.id, name: user.name, nickname: user.nickname, image: user.image, createdAt: user.createdAt }
}

export interface TokenResponse {
  accessToken: string
  refreshToken: string
  tokenType: 'Bearer'
  expiresIn: number
  user?: UserView
}

/** A sign-in that may have created the account (magic link, social): both documented spellings of the flag. */
export type NewUserTokenResponse = TokenResponse & { is_new_user: boolean; isNewUser: boolean }

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** Trimmed, lower-cased, format-checked email, or null when it does not look like one. */
export function normalizeEmail(value: unknown): string | null {
  if (typeof value !== 'string') return null
  const email = value.trim().toLowerCase()
  return EMAIL.test(email) ? email : null
}

/** The display name a new user gets from an e-mail address: its local part. */
export function localPart(email: string): string {
  return email.split('@')[0] as string
}

/** `normalizeEmail`, or a 400 `auth/invalid-email`. */
export function requireEmail(value: unknown): string {
  const email = normalizeEmail(value)
  if (!email) throw invalid('auth/invalid-email', 'email must be a valid email address')
  return email
}

/** A required non-empty string field, or a 400 `auth/invalid-request` naming it. */
export function requiredText(value: unknown, name: string): string {
  if (typeof value !== 'string' || value === '') throw invalid('auth/invalid-request', `${name} is required`)
  return value
}

/** "<browser> on <OS>" from a User-Agent, else "Unknown device". */
export function deviceInfo(userAgent: string | null | undefined): string {
  if (!userAgent) return 'Unknown device'
  const browser = /Edg\//.test(userAgent) ? 'Edge' : /Firefox\//.test(userAgent) ? 'Firefox' : /Chrome\//.test(userAgent) ? 'Chrome' : /Safari\//.test(userAgent) ? 'Safari' : /curl\//.test(userAgent) ? 'curl' : /node|undici/i.test(userAgent) ? 'Node.js' : null
  const os = /Windows/.test(userAgent) ? 'Windows' : /Mac OS X|Macintosh/.test(userAgent) ? 'macOS' : /Android/.test(userAgent) ? 'Android' : /iPhone|iPad|iOS/.test(userAgent) ? 'iOS' : /Linux/.test(userAgent) ? 'Linux' : null
  if (!browser && !os) return 'Unknown device'
  return `${browser ?? 'Unknown browser'} on ${os ?? 'unknown OS'}`
}
