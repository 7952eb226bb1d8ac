import { Flags, type Interfaces } from '@oclif/core'
import type { AuthConfig, AuthConfigUpdate, PasswordPolicySettings } from '../contract/auth-settings.js'
import { CliError } from './errors.js'

type Kind = 'integer' | 'boolean' | 'days'

/** One setting `bkend auth config set` can change: its key (as `get` prints it), flag, and where it sits in the body. */
interface Setting {
  key: string
  flag: string
  kind: Kind
  inPolicy: boolean
  description: string
}

/**
 * The settings of console-model.md §7 that the CLI changes. Ranges are the server's to check (its message names
 * them); the CLI only turns text into the right JSON type.
 */
export const AUTH_SETTINGS: readonly Setting[] = [
  { key: 'minLength', flag: 'min-length', kind: 'integer', inPolicy: true, description: 'shortest password allowed (1–128)' },
  { key: 'maxLength', flag: 'max-length', kind: 'integer', inPolicy: true, description: 'longest password allowed (≥ min length, ≤ 1024)' },
  { key: 'requireUppercase', flag: 'require-uppercase', kind: 'boolean', inPolicy: true, description: 'passwords need an upper-case letter' },
  { key: 'requireLowercase', flag: 'require-lowercase', kind: 'boolean', inPolicy: true, description: 'passwords need a lower-case letter' },
  { key: 'requireNumbers', flag: 'require-numbers', kind: 'boolean', inPolicy: true, description: 'passwords need a digit' },
  { key: 'requireSpecialChars', flag: 'require-special-chars', kind: 'boolean', inPolicy: true, description: 'passwords need a character that is not a letter or digit' },
  { key: 'rejectCommonPasswords', flag: 'reject-common-passwords', kind: 'boolean', inPolicy: true, description: 'refuse the most common passwords (auth/weak-password)' },
  { key: 'expirationDays', flag: 'expiration-days', kind: 'days', inPolicy: true, description: 'password lifetime in days, or "none" (stored, not enforced)' },
  { key: 'magicLinkEnabled', flag: 'magic-link', kind: 'boolean', inPolicy: false, description: 'allow magic-link sign-in' },
  { key: 'magicLinkExpirationMinutes', flag: 'magic-link-expiration-minutes', kind: 'integer', inPolicy: false, description: 'how long a magic link works (1–1440 minutes)' },
  { key: 'emailVerificationRequired', flag: 'email-verification-required', kind: 'boolean', inPolicy: false, description: 'refuse password sign-in until the e-mail is verified' },
]

const TRUE = new Set(['true', 'yes', 'on', '1'])
const FALSE = new Set(['false', 'no', 'off', '0'])

/** The oclif flags of `auth config set`, one per setting (booleans also take `--no-…`). */
export function authSettingFlags(): Interfaces.FlagInput {
  return Object.fromEntries(
    AUTH_SETTINGS.map((s) => [
      s.flag,
      s.kind === 'boolean'
        ? Flags.boolean({ description: s.description, allowNo: true, helpGroup: 'SETTINGS' })
        : s.kind === 'integer'
          ? Flags.integer({ description: s.description, helpGroup: 'SETTINGS' })
          : Flags.string({ description: s.description, helpGroup: 'SETTINGS' }),
    ]),
  ) as Interfaces.FlagInput
}

/** `key=value` pairs (`minLength=8`, `passwordPolicy.requireNumbers=true`, `magic-link=off`) as an update body. */
export function updateFromPairs(pairs: string[]): AuthConfigUpdate {
  const update: AuthConfigUpdate = {}
  for (const pair of pairs) {
    if (pair.startsWith('-')) throw usage(`unknown flag ${pair}`, 'see bkend auth config set --help for the flags')
    const at = pair.indexOf('=')
    if (at <= 0) throw usage(`"${pair}" is not key=value`, `e.g. minLength=8 magicLinkEnabled=false; keys: ${keyList()}`)
    const name = pair.slice(0, at).trim()
    const setting = AUTH_SETTINGS.find((s) => s.key === name || s.flag === name || `passwordPolicy.${s.key}` === name)
    if (!setting) throw usage(`unknown auth setting "${name}"`, `known keys: ${keyList()}`)
    assign(update, setting, parseValue(setting, pair.slice(at + 1).trim()))
  }
  return update
}

/** The settings given as flags (oclif has already typed integers and booleans) as an update body. */
export function updateFromFlags(flags: Record<string, unknown>): AuthConfigUpdate {
  const update: AuthConfigUpdate = {}
  for (const setting of AUTH_SETTINGS) {
    const value = flags[setting.flag]
    if (value === undefined) continue
    assign(update, setting, setting.kind === 'days' ? parseValue(setting, String(value)) : (value as number | boolean))
  }
  return update
}

/** Both forms together; a setting given twice is a usage error rather than a silent pick. */
export function mergeUpdates(a: AuthConfigUpdate, b: AuthConfigUpdate): AuthConfigUpdate {
  const twice = AUTH_SETTINGS.filter((s) => read(a, s) !== undefined && read(b, s) !== undefined)
  if (twice.length) throw usage(`${twice.map((s) => s.key).join(', ')} given both as key=value and as a flag`, 'give each setting once')
  const merged: AuthConfigUpdate = { ...a, ...b }
  if (a.passwordPolicy || b.passwordPolicy) merged.passwordPolicy = { ...a.passwordPolicy, ...b.passwordPolicy }
  return merged
}

/** The current value of every setting, keyed as `set` accepts them (for `auth config get`). */
export function settingValues(config: AuthConfig): Array<[string, unknown]> {
  return AUTH_SETTINGS.map((s) => [s.key, s.inPolicy ? config.email.passwordPolicy[s.key as keyof PasswordPolicySettings] : config.email[s.key as keyof AuthConfig['email']]])
}

function parseValue(setting: Setting, text: string): number | boolean | null {
  const lower = text.toLowerCase()
  if (setting.kind === 'boolean') {
    if (TRUE.has(lower)) return true
    if (FALSE.has(lower)) return false
    throw usage(`${setting.key} must be true or false, not "${text}"`, `e.g. ${setting.key}=true`)
  }
  if (setting.kind === 'days' && (lower === 'none' || lower === 'null')) return null
  if (!/^\d+$/.test(text)) throw usage(`${setting.key} must be a whole number${setting.kind === 'days' ? ' or "none"' : ''}, not "${text}"`, `e.g. ${setting.key}=${setting.kind === 'days' ? '90' : '8'}`)
  return Number(text)
}

function assign(update: AuthConfigUpdate, setting: Setting, value: number | boolean | null): void {
  if (setting.inPolicy) update.passwordPolicy = { ...update.passwordPolicy, [setting.key]: value }
  else Object.assign(update, { [setting.key]: value })
}

function read(update: AuthConfigUpdate, setting: Setting): unknown {
  return setting.inPolicy ? update.passwordPolicy?.[setting.key as keyof PasswordPolicySettings] : update[setting.key as keyof AuthConfigUpdate]
}

function keyList(): string {
  return AUTH_SETTINGS.map((s) => s.key).join(', ')
}

function usage(message: string, hint: string): CliError {
  return new CliError(message, hint, 2, 'cli/usage')
}
