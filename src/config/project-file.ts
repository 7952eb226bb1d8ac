/**
 * `bkend/project.json` and `bkend/overlays/<target>.json` ↔ SettingsModel. The project file holds what every target
 * shares; the overlay of a target the values that differ there (provider client id, redirect URI, enabled, secret
 * reference; CORS origins). Pure: secrets come in as a lookup, problems go to a sink.
 */
import { DEFAULT_PROVIDER_SCOPES, SOCIAL_PROVIDERS, type PasswordPolicySettings, type SocialProvider } from '../contract/auth-settings.js'
import { MAIL_TYPES, type MailType } from '../contract/mailbox.js'
import type { AuthModel, EmailModel, ProviderModel, SettingsModel } from './model.js'
import type { ProblemSink } from './problems.js'

/** Where push reads a secret: the name of an environment variable. */
export interface SecretRef {
  env: string
}

export interface ProviderFile {
  clientId?: string
  clientSecret?: SecretRef
  redirectUri?: string
  scopes?: string[]
  enabled?: boolean
}

export interface ProjectFile {
  $schema?: string
  auth?: {
    passwordPolicy: PasswordPolicySettings
    magicLinkEnabled: boolean
    magicLinkExpirationMinutes: number
    emailVerificationRequired: boolean
    providers?: Partial<Record<SocialProvider, ProviderFile>>
  }
  email?: {
    senderEmail: string
    senderName: string
    logoUrl?: string | null
    brandColor?: string | null
    overrideDefaults: boolean
    templates?: Partial<Record<MailType, { subject: string; body: string }>>
  }
  cors?: { allowedOrigins: string[] }
}

export interface OverlayFile {
  $schema?: string
  auth?: { providers?: Partial<Record<SocialProvider, Omit<ProviderFile, 'scopes'>>> }
  cors?: { allowedOrigins: string[] }
}

/** The target kinds overlays exist for. Settings are project-level, so they differ by target, never by environment. */
export const OVERLAY_KINDS = ['local', 'cloud'] as const
export type OverlayKind = (typeof OVERLAY_KINDS)[number]

const POLICY_KEYS = ['minLength', 'maxLength', 'requireUppercase', 'requireLowercase', 'requireNumbers', 'requireSpecialChars', 'rejectCommonPasswords', 'expirationDays'] as const

/** How `{ "env": NAME }` references become secrets: a value, or undefined when the variable is not set. */
export type SecretLookup = (name: string) => string | undefined

export interface SettingsSources {
  project?: ProjectFile
  overlay?: OverlayFile
  /** Reports against project.json or the overlay, whichever the value came from. */
  projectProblem: ProblemSink
  overlayProblem: ProblemSink
  /** Undefined: references are not read and no secret is pushed (diff compares no secrets). */
  secrets?: SecretLookup
}

/** The settings the project file with its target's overlay declares; undefined when neither manages any. */
export function settingsFromFiles(sources: SettingsSources): SettingsModel | undefined {
  const { project, overlay } = sources
  const settings: SettingsModel = {}
  if (project?.auth) settings.auth = authFromFiles(sources)
  else if (overlay?.auth?.providers && Object.keys(overlay.auth.providers).length) {
    sources.overlayProblem('auth.providers', 'providers are configured here but project.json has no "auth" section', 'add the auth section to project.json (bkend pull writes it), or remove auth from the overlay')
  }
  if (project?.email) settings.email = emailFromFile(project.email)
  const cors = overlay?.cors ?? project?.cors
  if (cors) settings.cors = { allowedOrigins: [...cors.allowedOrigins] }
  return Object.keys(settings).length ? settings : undefined
}

function authFromFiles(sources: SettingsSources): AuthModel {
  const auth = sources.project!.auth!
  const passwordPolicy = Object.fromEntries(POLICY_KEYS.map((k) => [k, auth.passwordPolicy[k]])) as unknown as PasswordPolicySettings
  const providers = {} as AuthModel['providers']
  for (const provider of SOCIAL_PROVIDERS) {
    const base = auth.providers?.[provider]
    const over = sources.overlay?.auth?.providers?.[provider]
    providers[provider] = base || over ? providerFrom(provider, base ?? {}, over ?? {}, sources) : null
  }
  return { passwordPolicy, magicLinkEnabled: auth.magicLinkEnabled, magicLinkExpirationMinutes: auth.magicLinkExpirationMinutes, emailVerificationRequired: auth.emailVerificationRequired, providers }
}

function providerFrom(provider: SocialProvider, base: ProviderFile, over: Omit<ProviderFile, 'scopes'>, sources: SettingsSources): ProviderModel {
  const at = `auth.providers.${provider}`
  const merged = { ...base, ...over }
  for (const key of ['clientId', 'redirectUri'] as const) {
    if (merged[key] === undefined) sources.projectProblem(at, `${provider} sign-in has no ${key}`, `write "${key}" in overlays/<local|cloud>.json (or in project.json when every target shares it)`)
  }
  const model: ProviderModel = { clientId: merged.clientId ?? '', redirectUri: merged.redirectUri ?? '', scopes: [...(merged.scopes ?? DEFAULT_PROVIDER_SCOPES[provider])], enabled: merged.enabled ?? true }
  const ref = over.clientSecret ?? base.clientSecret
  if (ref && sources.secrets) {
    const value = sources.secrets(ref.env)
    const problem = over.clientSecret ? sources.overlayProblem : sources.projectProblem
    if (value === undefined || value === '') problem(`${at}.clientSecret.env`, `the environment variable ${ref.env} is not set`, `set ${ref.env} to the ${provider} client secret before running this, or remove clientSecret to keep the stored secret`)
    else model.clientSecret = value
  }
  return model
}

function emailFromFile(email: NonNullable<ProjectFile['email']>): EmailModel {
  const templates: EmailModel['templates'] = {}
  for (const category of MAIL_TYPES) {
    const t = email.templates?.[category]
    if (t) templates[category] = { subject: t.subject, body: t.body }
  }
  return {
    sender: { senderEmail: email.senderEmail, senderName: email.senderName, logoUrl: email.logoUrl ?? null, brandColor: email.brandColor ?? null, overrideDefaults: email.overrideDefaults },
    templates,
  }
}

/**
 * The settings split into what the project file holds and what the target's overlay holds. Parts the model leaves
 * undefined are absent, so the writer can keep what the files said (a target that cannot read them says nothing).
 * `secretRefs` carries the references of the files being replaced: live state never returns a secret.
 */
export function settingsToFiles(settings: SettingsModel, secretRefs: Partial<Record<SocialProvider, SecretRef>> = {}): { project: ProjectFile; overlay: OverlayFile } {
  const project: ProjectFile = {}
  const overlay: OverlayFile = {}
  if (settings.auth) {
    const { auth } = settings
    const shared: Partial<Record<SocialProvider, ProviderFile>> = {}
    const own: NonNullable<NonNullable<OverlayFile['auth']>['providers']> = {}
    for (const provider of SOCIAL_PROVIDERS) {
      const p = auth.providers[provider]
      if (!p) continue
      shared[provider] = { scopes: [...p.scopes] }
      const ref = secretRefs[provider]
      own[provider] = { clientId: p.clientId, ...(ref ? { clientSecret: { env: ref.env } } : {}), redirectUri: p.redirectUri, enabled: p.enabled }
    }
    project.auth = {
      passwordPolicy: Object.fromEntries(POLICY_KEYS.map((k) => [k, auth.passwordPolicy[k]])) as unknown as PasswordPolicySettings,
      magicLinkEnabled: auth.magicLinkEnabled,
      magicLinkExpirationMinutes: auth.magicLinkExpirationMinutes,
      emailVerificationRequired: auth.emailVerificationRequired,
      ...(Object.keys(shared).length ? { providers: shared } : {}),
    }
    if (Object.keys(own).length) overlay.auth = { providers: own }
  }
  if (settings.email) {
    const { sender, templates } = settings.email
    const custom = Object.fromEntries(MAIL_TYPES.filter((c) => templates[c]).map((c) => [c, { subject: templates[c]!.subject, body: templates[c]!.body }]))
    project.email = {
      senderEmail: sender.senderEmail,
      senderName: sender.senderName,
      logoUrl: sender.logoUrl,
      brandColor: sender.brandColor,
      overrideDefaults: sender.overrideDefaults,
      ...(Object.keys(custom).length ? { templates: custom } : {}),
    }
  }
  if (settings.cors) overlay.cors = { allowedOrigins: [...settings.cors.allowedOrigins] }
  return { project, overlay }
}
