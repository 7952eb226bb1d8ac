import type { Clock } from '../clock.js'
import { rateLimited } from '../errors.js'

/** rest-auth.md §3.2: 5 failed password sign-ins within 15 minutes lock password sign-in for 15 minutes. */
export const LOGIN_FAILURES = 5
export const LOGIN_WINDOW_MS = 15 * 60_000
export const LOCKOUT_MS = 15 * 60_000
/** rest-auth.md §6: more than 5 e-mails per address per hour → 429. */
export const MAILS_PER_HOUR = 5
const MAIL_WINDOW_MS = 60 * 60_000
/** Bound on tracked addresses, so a flood of distinct e-mails cannot grow memory without limit. */
const MAX_TRACKED = 50_000

/**
 * The optional abuse limits of end-user auth (RA-D23): off by default, on with the emulator's rate limits
 * (`bkend dev --rate-limits`). Counters are per environment and address, in memory: a lockout is a transient
 * protection and a restart lifting it is what a developer wants.
 */
export class AuthLimits {
  private readonly failures = new Map<string, number[]>()
  private readonly lockedUntil = new Map<string, number>()
  private readonly mails = new Map<string, number[]>()

  constructor(
    private readonly clock: Clock,
    readonly enabled: boolean,
  ) {}

  /** Before a password sign-in: 429 while the address is locked out. */
  checkSignIn(environmentId: string, email: string): void {
    if (!this.enabled) return
    const until = this.lockedUntil.get(slot(environmentId, email))
    if (until === undefined) return
    const now = this.clock.nowMs()
    if (until <= now) {
      this.lockedUntil.delete(slot(environmentId, email))
      return
    }
    throw rateLimited('auth/too-many-login-attempts', `Too many failed sign-ins: password sign-in for this address is locked for ${Math.ceil((until - now) / 60_000)} more minute(s)`, (until - now) / 1000)
  }

  /** A failed password sign-in; the fifth within the window starts the lockout. */
  signInFailed(environmentId: string, email: string): void {
    if (!this.enabled) return
    const key = slot(environmentId, email)
    const now = this.clock.nowMs()
    const recent = this.recent(this.failures, key, now - LOGIN_WINDOW_MS)
    recent.push(now)
    if (recent.length >= LOGIN_FAILURES) {
      this.failures.delete(key)
      bounded(this.lockedUntil).set(key, now + LOCKOUT_MS)
    }
  }

  /** A successful sign-in forgets earlier failures. */
  signInSucceeded(environmentId: string, email: string): void {
    if (this.enabled) this.failures.delete(slot(environmentId, email))
  }

  /** Before an auth e-mail to `email` is sent: 429 once the hour's allowance is used. */
  countMail(environmentId: string, email: string): void {
    if (!this.enabled) return
    const now = this.clock.nowMs()
    const recent = this.recent(this.mails, slot(environmentId, email), now - MAIL_WINDOW_MS)
    if (recent.length >= MAILS_PER_HOUR) {
      throw rateLimited('auth/too-many-code-requests', `More than ${MAILS_PER_HOUR} e-mails to this address within an hour: wait before asking for another`, ((recent[0] as number) + MAIL_WINDOW_MS - now) / 1000)
    }
    recent.push(now)
  }

  /** The timestamps of `key` after `since`, kept in the map (created when absent). */
  private recent(map: Map<string, number[]>, key: string, since: number): number[] {
    const kept = (map.get(key) ?? []).filter((at) => at > since)
    bounded(map).set(key, kept)
    return kept
  }
}

const slot = (environmentId: string, email: string) => `${environmentId}\u0000${email}`

function bounded<V>(map: Map<string, V>): Map<string, V> {
  if (map.size >= MAX_TRACKED) map.clear()
  return map
}
