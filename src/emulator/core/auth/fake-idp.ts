import { createHash } from 'node:crypto'
import { SignJWT } from 'jose/jwt/sign'
import { jwtVerify } from 'jose/jwt/verify'
import type { Database } from '../../store/store.js'
import type { Clock } from '../clock.js'
import { randomHex } from '../ids.js'
import type { OneTimeTokens } from '../one-time-tokens.js'
import { SOCIAL_PROVIDERS, type SocialProvider } from '../project-settings/auth-config.js'
import { C } from '../tenancy/model.js'
import { localPart, normalizeEmail } from './model.js'

/** Who the developer says they are at the fake provider. */
export interface Identity {
  /** The provider account id. */
  sub: string
  email: string
  name: string
  image: string | null
  emailVerified: boolean
}

/** The provider's answer to a code exchange (an OAuth 2.0 token response). */
export interface IdpTokens {
  access_token: string
  token_type: 'Bearer'
  expires_in: number
  scope: string
  id_token?: string
}

/** A form submission, or the reason it cannot become an identity. */
export type IdentityCheck = { ok: true; identity: Identity } | { ok: false; message: string }

/** What an authorization code is bound to. */
export interface IdpGrant {
  [key: string]: unknown
  provider: SocialProvider
  clientId: string
  redirectUri: string
  scope: string
  identity: Identity
}

interface RecentDoc extends Identity {
  [key: string]: unknown
  id: string
  provider: SocialProvider
  usedAt: number
}

const CODE_PURPOSE = 'fake_idp_code'
const REFUSED = new Error('refused')
const RECENT = 'fakeIdpIdentities'
const SECRET_ID = 'fake-idp-jwt'
const ALG = 'HS256'
const CODE_LIFETIME_SECONDS = 600
const TOKEN_LIFETIME_SECONDS = 3600
const RECENT_SHOWN = 8

export function isSocialProvider(value: unknown): value is SocialProvider {
  return (SOCIAL_PROVIDERS as readonly unknown[]).includes(value)
}

/**
 * The provider account id a provider would give this email, stable across runs: 21 digits for Google (which start
 * with 1), 8 for GitHub.
 */
export function defaultSubject(provider: SocialProvider, email: string): string {
  const n = BigInt(`0x${createHash('sha256').update(`${provider}:${email}`).digest('hex')}`)
  return provider === 'google' ? `1${(n % 10n ** 20n).toString().padStart(20, '0')}` : String(10_000_000n + (n % 90_000_000n))
}

/** Turns submitted fields (`email`, `name`, `image`, `sub`, `email_verified`) into an identity. */
export function identityFrom(provider: SocialProvider, fields: Record<string, unknown>): IdentityCheck {
  const email = normalizeEmail(fields.email)
  if (!email) return { ok: false, message: 'Enter a valid email address.' }
  const text = (value: unknown) => (typeof value === 'string' ? value.trim() : '')
  const name = text(fields.name) || localPart(email)
  if ([...name].length > 100) return { ok: false, message: 'The display name may have at most 100 characters.' }
  const image = text(fields.image) || null
  if (image !== null && !/^https?:\/\/\S+$/.test(image)) return { ok: false, message: 'The picture URL must be an absolute http(s) URL.' }
  const sub = text(fields.sub) || defaultSubject(provider, email)
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(sub)) return { ok: false, message: 'The provider account id may use letters, digits, "_", "." and "-" (at most 64).' }
  // A form sends a hidden "false" before the checkbox, so the last value wins; JSON may send a boolean.
  const verified = fields.email_verified
  const emailVerified = verified === undefined ? true : verified === true || verified === 'true' || verified === 'on'
  return { ok: true, identity: { sub, email, name, image, emailVerified } }
}

/**
 * The local stand-in for Google and GitHub (rest-auth.md §3.4, RA-D10): any client, no credentials; codes are
 * single use (one-time tokens of the control database), bound to provider, redirect URI and identity; tokens are JWTs signed with a secret of the data directory.
 */
export class FakeIdp {
  constructor(
    private readonly db: Database,
    private readonly codes: OneTimeTokens,
    private readonly clock: Clock,
    private readonly origin: () => string,
  ) {}

  private async secret(): Promise<Uint8Array> {
    let stored = this.db.collection(C.secrets).get(SECRET_ID)
    if (!stored) {
      stored = { id: SECRET_ID, value: randomHex(32) }
      await this.db.put(C.secrets, stored)
    }
    return Buffer.from(stored.value as string, 'hex')
  }

  private issuer(provider: SocialProvider): string {
    return `${this.origin()}/_emulator/oauth/${provider}`
  }

  /** Identities used before with this provider, most recent first, for one-click reuse. */
  recent(provider: SocialProvider): Identity[] {
    return [...this.db.collection<RecentDoc>(RECENT).values()]
      .filter((r) => r.provider === provider)
      .sort((a, b) => b.usedAt - a.usedAt)
      .slice(0, RECENT_SHOWN)
      .map(({ sub, email, name, image, emailVerified }) => ({ sub, email, name, image, emailVerified }))
  }

  /** The developer approved: a code for the redirect URI (the identity is remembered for the page). */
  async approve(provider: SocialProvider, request: { clientId: string; redirectUri: string; scope: string }, identity: Identity): Promise<string> {
    const grant: IdpGrant = { provider, ...request, identity }
    const { token } = await this.codes.issue(this.db, { purpose: CODE_PURPOSE, ttlSeconds: CODE_LIFETIME_SECONDS, data: grant, bytes: 16 })
    await this.db.put(RECENT, { id: `${provider}:${identity.sub}`, provider, ...identity, usedAt: this.clock.nowMs() } satisfies RecentDoc)
    return token
  }

  /**
   * Consumes a code: its identity and request, or null when it is unknown, used, expired, of another provider or
   * (when one is given) of another redirect URI. Any failed presentation burns the code too.
   */
  async redeem(provider: SocialProvider, code: unknown, redirectUri?: string): Promise<IdpGrant | null> {
    let grant: IdpGrant
    try {
      grant = (await this.codes.consume(this.db, CODE_PURPOSE, code, { fail: () => REFUSED })).data as IdpGrant
    } catch (error) {
      if (error === REFUSED) return null
      throw error
    }
    if (grant.provider !== provider || (redirectUri !== undefined && redirectUri !== grant.redirectUri)) return null
    return grant
  }

  /** The token endpoint's answer for a redeemed code: an access token, and an ID token for Google. */
  async tokens(code: IdpGrant): Promise<IdpTokens> {
    const tokens: IdpTokens = {
      access_token: await this.sign(code.provider, code.identity, code.clientId, 'access'),
      token_type: 'Bearer',
      expires_in: TOKEN_LIFETIME_SECONDS,
      scope: code.scope,
    }
    if (code.provider === 'google') tokens.id_token = await this.sign(code.provider, code.identity, code.clientId, 'id')
    return tokens
  }

  /** The identity an emulator-signed token of this provider describes, or null (foreign, expired, other kind). */
  async verify(provider: SocialProvider, token: unknown, kind: 'access' | 'id'): Promise<Identity | null> {
    if (typeof token !== 'string' || token === '') return null
    try {
      const { payload } = await jwtVerify(token, await this.secret(), { algorithms: [ALG], issuer: this.issuer(provider), currentDate: this.clock.now() })
      if (payload.typ !== kind || typeof payload.sub !== 'string' || typeof payload.email !== 'string') return null
      return {
        sub: payload.sub,
        email: payload.email,
        name: typeof payload.name === 'string' ? payload.name : payload.email,
        image: typeof payload.picture === 'string' ? payload.picture : null,
        emailVerified: payload.email_verified === true,
      }
    } catch {
      return null
    }
  }

  private async sign(provider: SocialProvider, identity: Identity, clientId: string, kind: 'access' | 'id'): Promise<string> {
    const iat = Math.floor(this.clock.nowMs() / 1000)
    return new SignJWT({ typ: kind, email: identity.email, email_verified: identity.emailVerified, name: identity.name, picture: identity.image })
      .setProtectedHeader({ alg: ALG, typ: 'JWT' })
      .setIssuer(this.issuer(provider))
      .setSubject(identity.sub)
      .setAudience(clientId)
      .setIssuedAt(iat)
      .setExpirationTime(iat + TOKEN_LIFETIME_SECONDS)
      .sign(await this.secret())
  }
}
