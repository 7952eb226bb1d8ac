import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import type { PasswordPolicySettings } from '../../../contract/auth-settings.js'
import { invalid } from '../errors.js'
import { COMMON_PASSWORDS } from './common-passwords.js'

/** scrypt's cost parameters; every stored hash carries the ones it was made with. */
export interface ScryptCost {
  N: number
  r: number
  p: number
}

/** How hard new password hashes are (`bkend dev --password-hash`). */
export type PasswordHashCost = 'local' | 'production'
export const PASSWORD_HASH_COSTS: readonly PasswordHashCost[] = ['local', 'production']

// note: local is scrypt at N=2^6 (64 KiB, ~0.13 ms a hash on a 2-core machine): salted and memory-hard, never the
// password in plain, yet cheap enough for 1,500 sign-ups a second and seeding thousands of test users in seconds.
// (N=2^8 cost ~0.55 ms a hash on a slower 2-core machine, half of a sign-up's CPU: sign-ups stayed below 1,500/s.)
// production is OWASP's scrypt recommendation (N=2^17, 128 MiB, ~0.2 s), for an emulator holding real passwords.
const COSTS: Record<PasswordHashCost, ScryptCost> = {
  local: { N: 2 ** 6, r: 8, p: 1 },
  production: { N: 2 ** 17, r: 8, p: 1 },
}
const KEY_LENGTH = 32
/** Largest cost a stored hash may ask for: beyond it verifying would take seconds and gigabytes. */
const MAX_N = 2 ** 20
const MAX_RP = 16

export function scryptCost(cost: PasswordHashCost): ScryptCost {
  return COSTS[cost]
}

// note: node's async scrypt runs on the libuv thread pool, so a hash never holds the event loop
function scrypt(password: string, salt: Buffer, keylen: number, { N, r, p }: ScryptCost): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; node refuses anything over maxmem, which defaults to 32 MiB
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }
  return new Promise((resolve, reject) => scryptCb(password, salt, keylen, options, (error, key) => (error ? reject(error) : resolve(key))))
}

/** `scrypt$N$r$p$<salt b64>$<hash b64>`: the only form in which passwords are stored. */
export async function hashPassword(password: string, cost: ScryptCost): Promise<string> {
  const salt = randomBytes(16)
  const key = await scrypt(password, salt, KEY_LENGTH, cost)
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$')
}

/** Checks `password` against a stored hash with the parameters stored in it, whatever the current cost setting. */
export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  if (!stored) return false
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const cost = { N: Number(n), r: Number(r), p: Number(p) }
  if (!(Number.isInteger(cost.N) && cost.N > 1 && cost.N <= MAX_N && (cost.N & (cost.N - 1)) === 0 && [cost.r, cost.p].every((v) => Number.isInteger(v) && v >= 1 && v <= MAX_RP))) return false
  const expected = Buffer.from(hash, 'base64')
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, cost)
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
