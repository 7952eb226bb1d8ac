import type { Tenant } from '../../../contract/tenancy.js'
import type { Database } from '../../store/store.js'
import { Clock } from '../clock.js'
import type { FakeIdp } from '../auth/fake-idp.js'
import { unauthorized } from '../errors.js'
import { randomHex, sha256 } from '../ids.js'
import { OneTimeTokens } from '../one-time-tokens.js'
import type { Mailbox } from '../mail/mailbox.js'
import { redirectWith } from '../oauth/authorization.js'
import type { SocialProvider } from '../project-settings/auth-config.js'
import { C } from './model.js'
import { requireTenantEmail, type Tenants } from './tenants.js'

/** A stored console session: only the SHA-256 of the cookie value is kept. */
export interface ConsoleSessionDoc {
  [key: string]: unknown
  /** SHA-256 hex of the cookie value. */
  id: string
  tenantId: string
  createdAt: string
  /** Epoch milliseconds, wall clock. */
  expiresAt: number
}

const SESSIONS = 'consoleSessions'
const COOKIE_ID = 'console-cookie-id'
const SIGN_IN_PURPOSE = 'console_sign_in'
const MAGIC_PURPOSE = 'console_magic_link'
const SOCIAL_PURPOSE = 'console_social_state'
/** The client id the console presents to the fake Google and GitHub (which accept any). */
const CONSOLE_CLIENT_ID = 'bkend-console'
/** How long a console session lasts (docs/emulator.md, "Console sign-in"). */
export const SESSION_LIFETIME_SECONDS = 7 * 24 * 3600
/** How long the one-time sign-in URL of `bkend dev` / `bkend open` stays usable. */
const SIGN_IN_URL_LIFETIME_SECONDS = 10 * 60
const MAGIC_LINK_LIFETIME_SECONDS = 15 * 60

const usedLink = () => unauthorized('auth/invalid-token', 'This sign-in link is unknown, used or expired: ask for a new one')

/**
 * Console sign-in and sessions (CM-D6): one-time sign-in URLs, magic links into the mailbox, and the sessions they
 * open. Sessions and sign-in links run on the wall clock, not the emulator clock: shifting time to test an app's
 * expiries must not sign the developer out of the console that shifted it.
 */
export class ConsoleSessions {
  private readonly wall = new Clock()
  private readonly links = new OneTimeTokens(this.wall)

  constructor(
    private readonly db: Database,
    private readonly tenants: Tenants,
    private readonly mailbox: Mailbox,
    private readonly idp: FakeIdp,
    private readonly origin: () => string,
  ) {}

  /** Creates the per-data-directory id that names the session cookie, on first start. */
  static async ensureCookieId(db: Database): Promise<void> {
    if (!db.collection(C.secrets).has(COOKIE_ID)) await db.put(C.secrets, { id: COOKIE_ID, value: randomHex(4) })
  }

  /** Part of the cookie name: two emulators on one host (cookies ignore ports) keep apart by data directory. */
  get cookieId(): string {
    return this.db.collection(C.secrets).get(COOKIE_ID)?.value as string
  }

  /** Opens a session for a tenant; the returned value is the cookie, the only time it exists in plain. */
  async open(tenantId: string): Promise<{ value: string; doc: ConsoleSessionDoc }> {
    const value = randomHex(32)
    const now = this.wall.nowMs()
    const doc: ConsoleSessionDoc = { id: sha256(value), tenantId, createdAt: new Date(now).toISOString(), expiresAt: now + SESSION_LIFETIME_SECONDS * 1000 }
    // Expired sessions go with the next sign-in, so the collection holds only live ones.
    const expired = [...this.db.collection<ConsoleSessionDoc>(SESSIONS).values()].filter((d) => d.expiresAt <= now).map((d) => ({ c: SESSIONS, d: d.id }))
    await this.db.commit([...expired, { c: SESSIONS, p: doc }])
    return { value, doc }
  }

  /** The live session a cookie value names, and its tenant; re-read on every request, so nothing stale is trusted. */
  lookup(value: string | undefined): { doc: ConsoleSessionDoc; tenant: Tenant } | undefined {
    if (!value || !/^[0-9a-f]{64}$/.test(value)) return undefined
    const doc = this.db.collection<ConsoleSessionDoc>(SESSIONS).get(sha256(value))
    if (!doc || doc.expiresAt <= this.wall.nowMs()) return undefined
    const tenant = this.tenants.get(doc.tenantId)
    return tenant && { doc, tenant }
  }

  /** Ends a session (sign-out); an unknown one is already ended. */
  async close(sessionId: string): Promise<void> {
    if (this.db.collection(SESSIONS).has(sessionId)) await this.db.delete(SESSIONS, sessionId)
  }

  /** A single-use, short-lived URL that signs this tenant in and lands on `next` (a console path). */
  async signInUrl(tenantId: string, next = '/_/'): Promise<{ url: string; expiresAt: string }> {
    const { token, doc } = await this.links.issue(this.db, { purpose: SIGN_IN_PURPOSE, userId: tenantId, ttlSeconds: SIGN_IN_URL_LIFETIME_SECONDS })
    const url = new URL(`/_/signin/once/${token}`, this.origin())
    if (next !== '/_/') url.searchParams.set('next', next)
    return { url: url.toString(), expiresAt: new Date(doc.expiresAt).toISOString() }
  }

  /** Uses up a one-time sign-in URL's token: the tenant it signs in. */
  async redeemSignIn(token: string): Promise<Tenant> {
    const doc = await this.links.consume(this.db, SIGN_IN_PURPOSE, token, { fail: usedLink })
    const tenant = this.tenants.get(doc.userId as string)
    if (!tenant) throw usedLink()
    return tenant
  }

  /** Sends a magic link to an e-mail (it lands in the mailbox); the account is created when the link is used. */
  async sendMagicLink(email: unknown, next: string): Promise<void> {
    const to = requireTenantEmail(email)
    const { token } = await this.links.issue(this.db, { purpose: MAGIC_PURPOSE, email: to, ttlSeconds: MAGIC_LINK_LIFETIME_SECONDS, data: { next } })
    const link = new URL(`/_/signin/magic/${token}`, this.origin()).toString()
    await this.mailbox.captureConsole({ type: 'magic_link', to, token, link, values: { userName: this.tenants.byEmail(to)?.name ?? to.split('@')[0] } })
  }

  /** Uses up a magic link: the tenant (created on first sign-in) and where the link was asked from. */
  async redeemMagicLink(token: string): Promise<{ tenant: Tenant; next: string }> {
    const doc = await this.links.consume(this.db, MAGIC_PURPOSE, token, { fail: usedLink })
    const { tenant } = await this.tenants.signIn({ email: doc.email as string })
    return { tenant, next: String(doc.data?.next ?? '/_/') }
  }

  /** "Continue with Google/GitHub": the fake provider's URL, with a single-use state that remembers `next`. */
  async startSocial(provider: SocialProvider, next: string): Promise<string> {
    const { token: state } = await this.links.issue(this.db, { purpose: SOCIAL_PURPOSE, ttlSeconds: MAGIC_LINK_LIFETIME_SECONDS, data: { provider, next }, bytes: 16 })
    return redirectWith(`${this.origin()}/_emulator/oauth/${provider}/authorize`, {
      client_id: CONSOLE_CLIENT_ID,
      redirect_uri: this.socialCallback(provider),
      response_type: 'code',
      scope: provider === 'google' ? 'openid email profile' : 'user:email',
      state,
    })
  }

  /**
   * The browser back from the provider: the state must be one this emulator issued for that provider (so no one
   * can sign a browser in as someone else by sending it a callback URL), the code one the fake provider issued.
   */
  async finishSocial(provider: SocialProvider, query: { code?: string; state?: string; error?: string }): Promise<{ tenant: Tenant; next: string }> {
    const doc = await this.links.consume(this.db, SOCIAL_PURPOSE, query.state, { fail: usedLink })
    if (doc.data?.provider !== provider) throw usedLink()
    if (query.error) throw unauthorized('auth/invalid-oauth-code', `The sign-in was not completed at the provider (${query.error})`)
    const grant = await this.idp.redeem(provider, query.code, this.socialCallback(provider))
    if (!grant) throw unauthorized('auth/invalid-oauth-code', 'The provider code is unknown, used or expired: start again')
    const { tenant } = await this.tenants.signIn({ email: grant.identity.email, name: grant.identity.name, image: grant.identity.image })
    return { tenant, next: String(doc.data.next ?? '/_/') }
  }

  private socialCallback(provider: SocialProvider): string {
    return `${this.origin()}/_/signin/${provider}/callback`
  }
}
