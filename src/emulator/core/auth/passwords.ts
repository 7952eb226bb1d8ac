import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import type { PasswordPolicySettings } from '../../../contract/auth-settings.js'
import { invalid } from '../errors.js'
import { COMMON_PASSWORDS } from './common-passwords.js'

// note: scrypt with N=2^14, r=8, p=1 (64 MiB·s class cost, OWASP's minimum) keeps sign-in fast enough for tests
// and local loops while staying memory-hard.
const PARAMS = { N: 16384, r: 8, p: 1 }
const KEY_LENGTH = 32

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))))
}

/** `scrypt$N$r$p$<salt b64>$<hash b64>`: the only form in which passwords are stored. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await scrypt(password, salt, KEY_LENGTH, { ...PARAMS, maxmem: 64 * 1024 * 1024 })
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64'), key.toString('base64')].join('$')
}

export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  if (!stored) return false
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64')
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 })
  return timingSafeEqual(key, expected)
}

/** A project's password rules (console-model.md §7): the settings less the stored-only expiry. */
export type PasswordPolicy = Omit<PasswordPolicySettings, 'expirationDays'>

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minLength: 8,
  maxLength: 128,
  requireUppercase: false,
  requireLowercase: false,
  requireNumbers: false,
  requireSpecialChars: false,
  rejectCommonPasswords: false,
}

/**
 * Throws 400 `auth/invalid-password-format` naming every unmet rule, then 400 `auth/weak-password` for a common
 * password when the policy refuses those.
 */
export function checkPassword(password: unknown, policy: PasswordPolicy): string {
  if (typeof password !== 'string') throw invalid('auth/invalid-request', 'password must be a string')
  const length = [...password].length
  const unmet: string[] = []
  if (length < policy.minLength) unmet.push(`at least ${policy.minLength} characters`)
  if (length > policy.maxLength) unmet.push(`at most ${policy.maxLength} characters`)
  if (policy.requireUppercase && !/\p{Lu}/u.test(password)) unmet.push('an uppercase letter')
  if (policy.requireLowercase && !/\p{Ll}/u.test(password)) unmet.push('a lowercase letter')
  if (policy.requireNumbers && !/\p{Nd}/u.test(password)) unmet.push('a number')
  if (policy.requireSpecialChars && !/[^\p{L}\p{Nd}]/u.test(password)) unmet.push('a special character')
  if (unmet.length > 0) {
    throw invalid('auth/invalid-password-format', `The password must have ${unmet.join(', ')}`, unmet.map((rule) => ({ field: 'password', rule: 'policy', message: rule })))
  }
  if (policy.rejectCommonPasswords && COMMON_PASSWORDS.has(password.toLowerCase())) {
    throw invalid('auth/weak-password', 'This password is one of the most common ones and easy to guess: choose another')
  }
  return password
}
