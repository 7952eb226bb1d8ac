import type { Clock } from '../clock.js'
import { conflict, forbidden, invalid } from '../errors.js'
import { onlyKeys, requireEnum } from '../input.js'
import type { Principal } from '../principal.js'
import type { EnvScope } from './auth-service.js'
import type { UserDoc } from './model.js'
import { patchProfile, profileView, type ProfileView } from './profile-fields.js'
import { isSelfOrAdmin, requireAuthenticated, selfOrAdminTarget, targetUser } from './user-access.js'
import type { UserPool } from './user-pool.js'

export interface Preferences {
  locale: string | null
  timezone: string | null
  theme: string | null
}

export interface NotificationSettings {
  service: boolean
  marketing: boolean
  push: boolean
  email: boolean
  sms: boolean
  nightTime: boolean
  securityAlerts: boolean
}

export interface Onboarding {
  onboardingStatus: string
  step: string | null
  data: Record<string, unknown> | null
  completedAt: string | null
}

export interface PublicSettings {
  slug: string | null
  isPublic: boolean
}

/** How the settings sit on the stored user (the status lives on the user itself, it is part of the user view). */
type SettingsDoc = UserDoc & {
  preferences?: Preferences
  notifications?: NotificationSettings
  onboarding?: Omit<Onboarding, 'onboardingStatus'>
  publicSettings?: PublicSettings
}

const DEFAULT_PREFERENCES: Preferences = { locale: null, timezone: null, theme: null }
const DEFAULT_NOTIFICATIONS: NotificationSettings = { service: true, marketing: false, push: true, email: true, sms: false, nightTime: false, securityAlerts: true }
const DEFAULT_PUBLIC: PublicSettings = { slug: null, isPublic: false }
const THEMES = ['light', 'dark', 'system']
const ONBOARDING_STATUSES = ['not_started', 'in_progress', 'completed', 'skipped'] as const
const SLUG = /^[a-z0-9][a-z0-9_-]{1,49}$/
// A BCP 47 language tag of the everyday shape (`ko`, `en-US`, `zh-Hant-TW`); Intl then checks it is well-formed.
const LOCALE = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/
// IANA zone names start with a letter; this keeps out the UTC offsets (`+09:00`) newer Intl versions accept.
const ZONE = /^[A-Za-z][A-Za-z0-9_+\-/]*$/

const bad = (field: string, message: string) => invalid('common/invalid-parameters', `${field} ${message}`, [{ field, rule: 'format', message }])

function nullableString(field: string, value: unknown, valid: (text: string) => boolean, rule: string): string | null {
  if (value === null) return null
  if (typeof value !== 'string' || !valid(value)) throw bad(field, rule)
  return value
}

function isLocale(tag: string): boolean {
  if (tag.length > 35 || !LOCALE.test(tag)) return false
  try {
    return Intl.getCanonicalLocales(tag).length === 1
  } catch {
    return false
  }
}

function isTimeZone(zone: string): boolean {
  if (zone.length > 64 || !ZONE.test(zone)) return false
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/**
 * The per-user resources under `/v1/users/:userId/*` (rest-auth.md §4.3, §4.5): profile, preferences, notification
 * settings, onboarding and public settings. Stored on the user document; every PATCH answers the whole object.
 */
export class UserSettings {
  constructor(
    private readonly pool: UserPool,
    private readonly clock: Clock,
  ) {}

  /** Self and admins see the whole profile; other signed-in users only a public one, without email and mobile. */
  profile(scope: EnvScope, principal: Principal, userId: string): ProfileView {
    requireAuthenticated(principal)
    const user = targetUser(this.pool, scope, userId) as SettingsDoc
    if (isSelfOrAdmin(principal, user.id)) return profileView(user, true)
    if (!user.publicSettings?.isPublic) throw forbidden('user/forbidden', 'This profile is not public')
    return profileView(user, false)
  }

  async updateProfile(scope: EnvScope, principal: Principal, userId: string, body: Record<string, unknown>): Promise<ProfileView> {
    const user = this.owned(scope, principal, userId)
    return profileView(await this.save(scope, user, patchProfile(user, body)), true)
  }

  preferences(scope: EnvScope, principal: Principal, userId: string): Preferences {
    return { ...DEFAULT_PREFERENCES, ...this.owned(scope, principal, userId).preferences }
  }

  async updatePreferences(scope: EnvScope, principal: Principal, userId: string, body: Record<string, unknown>): Promise<Preferences> {
    const user = this.owned(scope, principal, userId)
    const next: Preferences = { ...DEFAULT_PREFERENCES, ...user.preferences }
    onlyKeys('body', body, Object.keys(DEFAULT_PREFERENCES))
    if ('locale' in body) next.locale = nullableString('locale', body.locale, isLocale, 'must be a language tag like ko, en or en-US, or null')
    if ('timezone' in body) next.timezone = nullableString('timezone', body.timezone, isTimeZone, 'must be an IANA time zone like Asia/Seoul or UTC, or null')
    if ('theme' in body) next.theme = nullableString('theme', body.theme, (t) => THEMES.includes(t), `must be one of ${THEMES.join(', ')}, or null`)
    await this.save(scope, user, { ...user, preferences: next })
    return next
  }

  notifications(scope: EnvScope, principal: Principal, userId: string): NotificationSettings {
    return { ...DEFAULT_NOTIFICATIONS, ...this.owned(scope, principal, userId).notifications }
  }

  async updateNotifications(scope: EnvScope, principal: Principal, userId: string, body: Record<string, unknown>): Promise<NotificationSettings> {
    const user = this.owned(scope, principal, userId)
    const next: NotificationSettings = { ...DEFAULT_NOTIFICATIONS, ...user.notifications }
    onlyKeys('body', body, Object.keys(DEFAULT_NOTIFICATIONS))
    for (const [key, value] of Object.entries(body)) {
      if (typeof value !== 'boolean') throw bad(key, 'must be true or false')
      next[key as keyof NotificationSettings] = value
    }
    await this.save(scope, user, { ...user, notifications: next })
    return next
  }

  onboarding(scope: EnvScope, principal: Principal, userId: string): Onboarding {
    return onboardingOf(this.owned(scope, principal, userId))
  }

  /** `completedAt` is server-owned: set when the status becomes `completed`, cleared when it leaves it. */
  async updateOnboarding(scope: EnvScope, principal: Principal, userId: string, body: Record<string, unknown>): Promise<Onboarding> {
    const user = this.owned(scope, principal, userId)
    const next = onboardingOf(user)
    // `completedAt` is accepted and ignored, so a client may send back the object it read.
    onlyKeys('body', body, ['onboardingStatus', 'step', 'data', 'completedAt'])
    if ('onboardingStatus' in body) {
      const status = requireEnum('onboardingStatus', body.onboardingStatus, ONBOARDING_STATUSES)
      if (status === 'completed' && next.onboardingStatus !== 'completed') next.completedAt = this.clock.iso()
      if (status !== 'completed') next.completedAt = null
      next.onboardingStatus = status
    }
    if ('step' in body) next.step = nullableString('step', body.step, (s) => [...s].length <= 200, 'must be a string of at most 200 characters, or null')
    if ('data' in body) {
      const data = body.data
      if (data !== null && (typeof data !== 'object' || Array.isArray(data))) throw bad('data', 'must be an object or null')
      next.data = data as Record<string, unknown> | null
    }
    const { onboardingStatus, ...stored } = next
    await this.save(scope, user, { ...user, onboardingStatus, onboarding: stored })
    return next
  }

  publicSettings(scope: EnvScope, principal: Principal, userId: string): PublicSettings {
    return { ...DEFAULT_PUBLIC, ...this.owned(scope, principal, userId).publicSettings }
  }

  async updatePublicSettings(scope: EnvScope, principal: Principal, userId: string, body: Record<string, unknown>): Promise<PublicSettings> {
    const user = this.owned(scope, principal, userId)
    const next: PublicSettings = { ...DEFAULT_PUBLIC, ...user.publicSettings }
    onlyKeys('body', body, Object.keys(DEFAULT_PUBLIC))
    if ('isPublic' in body) {
      if (typeof body.isPublic !== 'boolean') throw bad('isPublic', 'must be true or false')
      next.isPublic = body.isPublic
    }
    if ('slug' in body) {
      next.slug = nullableString('slug', body.slug, (s) => SLUG.test(s), `must match ${SLUG.source}, or null`)
      // note: a scan of the pool rather than an index: slugs change rarely, and the check and the write below
      // happen in one tick, so two requests cannot claim the same slug.
      if (next.slug !== null && this.pool.all(scope.environment.id).some((u) => u.id !== user.id && (u as SettingsDoc).publicSettings?.slug === next.slug)) {
        throw conflict('user/slug-taken', `The slug ${next.slug} is already taken in this environment`)
      }
    }
    await this.save(scope, user, { ...user, publicSettings: next })
    return next
  }

  private owned(scope: EnvScope, principal: Principal, userId: string): SettingsDoc {
    return selfOrAdminTarget(this.pool, scope, principal, userId)
  }

  private async save(scope: EnvScope, before: UserDoc, after: UserDoc): Promise<UserDoc> {
    const stamped = { ...after, updatedAt: this.clock.iso() }
    await this.pool.save(scope.environment.id, before, stamped)
    return stamped
  }
}

function onboardingOf(user: SettingsDoc): Onboarding {
  return { onboardingStatus: user.onboardingStatus, step: null, data: null, completedAt: null, ...user.onboarding }
}
