import { expect } from 'chai'
import { Secret, TOTP } from 'otpauth'
import type { DevClockResult } from '../../src/commands/dev/clock.js'
import type { MailListResult } from '../../src/commands/mail/list.js'
import type { MailOpenResult } from '../../src/commands/mail/open.js'
import type { Page } from '../../src/contract/common.js'
import type { MailboxMessage, MailType } from '../../src/contract/mailbox.js'
import { startDevHarness, type DevHarness } from '../helpers/dev-harness.js'

interface Reply {
  status: number
  body: Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any -- each step asserts the fields it reads
  location: string | null
}

interface Tokens {
  accessToken: string
  refreshToken: string
}

const APP = 'http://app.test'

/**
 * End-user auth across features, as an app and a developer meet it: a spawned `bkend dev`, real HTTP with the
 * publishable key, e-mails read from the mailbox (through `bkend mail` and over HTTP), MFA codes computed with
 * otpauth at the emulator's clock, and expiry driven by `bkend dev clock`.
 */
describe('e2e: end-user auth flows against bkend dev', function () {
  this.timeout(120_000)
  let h: DevHarness
  let pk: string

  before(async () => {
    h = await startDevHarness()
    pk = h.dev.ready.environments[0]!.publishableKey
  })
  after(() => h?.dispose())

  /** A JSON request as an app sends it (redirects not followed, so confirmation links show where they go). */
  async function api(method: string, path: string, options: { body?: unknown; token?: string; key?: string | null } = {}): Promise<Reply> {
    const headers: Record<string, string> = {}
    if (options.key !== null) headers['x-api-key'] = options.key ?? pk
    if (options.token) headers.authorization = `Bearer ${options.token}`
    if (options.body !== undefined) headers['content-type'] = 'application/json'
    const url = path.startsWith('http') ? path : h.dev.ready.url + path
    const response = await fetch(url, { method, headers, redirect: 'manual', body: options.body === undefined ? undefined : JSON.stringify(options.body) })
    const text = await response.text()
    return { status: response.status, body: text ? (JSON.parse(text) as Reply['body']) : {}, location: response.headers.get('location') }
  }

  async function ok(method: string, path: string, options: Parameters<typeof api>[2] = {}, status = 200): Promise<Reply['body']> {
    const reply = await api(method, path, options)
    expect(reply.status, `${method} ${path}: ${JSON.stringify(reply.body)}`).to.equal(status)
    return reply.body
  }

  async function refused(method: string, path: string, options: Parameters<typeof api>[2], status: number, code: string): Promise<void> {
    const reply = await api(method, path, options)
    expect(reply.status, `${method} ${path}: ${JSON.stringify(reply.body)}`).to.equal(status)
    expect(reply.body.error?.code).to.equal(code)
  }

  /** Runs the built CLI against the emulator and parses its one JSON document. */
  async function bkend<T>(...args: string[]): Promise<T> {
    const out = await h.run([...args, '--json'])
    expect(out.code, `bkend ${args.join(' ')}: ${out.stderr}`).to.equal(0)
    return out.json as T
  }

  /** The newest e-mail of a kind to an address, over HTTP with the tenant token (as a test harness would). */
  async function newestMail(to: string, type: MailType): Promise<MailboxMessage> {
    const response = await fetch(`${h.dev.ready.url}/_emulator/mailbox?${new URLSearchParams({ to, type, limit: '1' })}`, { headers: { authorization: `Bearer ${h.dev.ready.tenantToken}` } })
    const page = (await response.json()) as Page<MailboxMessage>
    expect(page.items, `no ${type} mail to ${to}`).to.have.length(1)
    return page.items[0]!
  }

  /** The current TOTP code of a secret at the emulator's clock (which `bkend dev clock` may have shifted). */
  async function totp(secret: string): Promise<string> {
    const clock = await bkend<DevClockResult>('dev', 'clock')
    return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: Date.parse(clock.now) })
  }

  const signIn = (email: string, password: string, mfaCode?: string) => api('POST', '/v1/auth/email/signin', { body: { email, password, ...(mfaCode ? { mfaCode } : {}) } })

  it('sign-up → confirmation mail → confirm → sign in → MFA → refresh → sessions → revoke', async () => {
    const email = 'ada@example.com'
    const signup = await ok('POST', '/v1/auth/email/signup', { body: { email, password: 'correct-horse', name: 'Ada' } }, 201)
    expect(signup.user).to.include({ email, emailVerified: null })

    // the developer reads the confirmation the app's user would get, with the CLI
    const mails = await bkend<MailListResult>('mail', 'list', '--to', email, '--type', 'signup_confirmation')
    expect(mails.items).to.have.length(1)
    const confirmation = mails.items[0]!
    expect(confirmation.link).to.equal(`${h.dev.ready.url}/v1/auth/signup/email/confirm?token=${confirmation.token}&email=${encodeURIComponent(email)}`)
    const confirmed = await ok('GET', confirmation.link!, { key: null })
    expect(confirmed).to.deep.equal({ success: true, data: { verified: true, email } })

    const session1 = (await ok('POST', '/v1/auth/email/signin', { body: { email, password: 'correct-horse' } })) as unknown as Tokens & { user: { emailVerified: string | null } }
    expect(session1.user.emailVerified).to.be.a('string')

    const setup = await ok('POST', '/v1/auth/mfa/enable', { token: session1.accessToken, body: { password: 'correct-horse' } })
    await ok('POST', '/v1/auth/mfa/confirm', { token: session1.accessToken, body: { code: await totp(setup.secret) } })
    const withoutCode = await signIn(email, 'correct-horse')
    expect([withoutCode.status, withoutCode.body.error?.code]).to.deep.equal([403, 'auth/mfa-required'])
    const session2 = (await signIn(email, 'correct-horse', await totp(setup.secret))).body as Tokens
    expect(session2.accessToken).to.be.a('string')

    const refreshed = (await ok('POST', '/v1/auth/refresh', { body: { refreshToken: session2.refreshToken } })) as Tokens
    expect(refreshed).to.include({ tokenType: 'Bearer', expiresIn: 3600 })
    expect((await ok('GET', '/v1/auth/me', { token: refreshed.accessToken })).mfaEnabled).to.equal(true)

    const sessions = await ok('GET', '/v1/auth/sessions', { token: refreshed.accessToken })
    expect(sessions.items).to.have.length(3) // sign-up, first sign-in, MFA sign-in
    const sid = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sid: string }).sid
    expect(sessions.items.filter((s: { current: boolean }) => s.current).map((s: { id: string }) => s.id)).to.deep.equal([sid(refreshed.accessToken)])

    // revoking the first sign-in's session ends its tokens, and only those
    const first = sessions.items.find((s: { id: string }) => s.id === sid(session1.accessToken))
    expect(first, 'the first sign-in session is listed').to.include({ current: false })
    expect(await ok('DELETE', `/v1/auth/sessions/${first.id}`, { token: refreshed.accessToken })).to.deep.equal({ message: 'Session terminated' })
    await refused('GET', '/v1/auth/me', { token: session1.accessToken }, 401, 'auth/invalid-token')
    await refused('POST', '/v1/auth/refresh', { body: { refreshToken: session1.refreshToken } }, 401, 'auth/invalid-refresh-token')
    await ok('GET', '/v1/auth/me', { token: refreshed.accessToken })
  })

  it('magic link: request → mail → exchange creates the user; a used link is refused', async () => {
    const email = 'grace@example.com'
    expect(await ok('POST', '/v1/auth/email/signin', { body: { method: 'magiclink', email, callbackUrl: `${APP}/auth/magic` } })).to.deep.equal({ message: 'Magic link sent', email })
    const mail = await newestMail(email, 'magic_link')
    expect(mail.link).to.equal(`${APP}/auth/magic?token=${mail.token}`)
    const signedIn = await ok('POST', '/v1/auth/email/callback', { body: { token: mail.token } })
    expect(signedIn).to.include({ is_new_user: true, isNewUser: true })
    expect(signedIn.user.emailVerified).to.be.a('string')
    await refused('POST', '/v1/auth/email/callback', { body: { token: mail.token } }, 401, 'auth/invalid-token')
  })

  it('password reset: request → mail → confirm revokes every session → sign in with the new password', async () => {
    const email = 'linus@example.com'
    const before = (await ok('POST', '/v1/auth/email/signup', { body: { email, password: 'old-password' } }, 201)) as unknown as Tokens
    await ok('POST', '/v1/auth/password/reset/request', { body: { email, callbackUrl: `${APP}/reset` } })
    // a script gets the token the way docs/cli.md shows: the newest matching e-mail as JSON, nothing opened
    const mail = await bkend<MailOpenResult>('mail', 'open', '--latest', '--to', email, '--type', 'password_reset')
    expect(mail.opened).to.equal(false)
    expect(mail.link).to.equal(`${APP}/reset?token=${mail.token}&email=${encodeURIComponent(email)}`)
    await ok('POST', '/v1/auth/password/reset/confirm', { body: { email, token: mail.token, newPassword: 'new-password' } })
    await refused('GET', '/v1/auth/me', { token: before.accessToken }, 401, 'auth/invalid-token')
    expect((await signIn(email, 'old-password')).status).to.equal(401)
    expect((await signIn(email, 'new-password')).status).to.equal(200)
  })

  it('invitation: create → mail → accept', async () => {
    const inviter = (await ok('POST', '/v1/auth/email/signup', { body: { email: 'owner@example.com', password: 'secret123' } }, 201)) as unknown as Tokens
    const invitation = await ok('POST', '/v1/auth/invitations', { token: inviter.accessToken, body: { resourceType: 'organization', resourceId: 'org-1', resourceRole: 'member', email: 'new@example.com', callbackUrl: `${APP}/invite` } }, 201)
    expect(invitation).to.include({ status: 'pending', email: 'new@example.com' })
    const mail = await newestMail('new@example.com', 'invitation')
    expect(mail.link).to.equal(`${APP}/invite?token=${mail.token}&email=${encodeURIComponent('new@example.com')}`)
    const accepted = await ok('POST', '/v1/auth/invitations/accept', { body: { token: mail.token, email: 'new@example.com' } })
    expect(accepted).to.include({ id: invitation.id, status: 'accepted' })
    await refused('POST', '/v1/auth/invitations/accept', { body: { token: mail.token, email: 'new@example.com' } }, 400, 'auth/invitation-already-accepted')
  })

  it('bkend dev clock +2h expires the access token (auth/token-expired); refresh still works', async () => {
    const tokens = (await ok('POST', '/v1/auth/email/signup', { body: { email: 'clock@example.com', password: 'secret123' } }, 201)) as unknown as Tokens
    await ok('GET', '/v1/auth/me', { token: tokens.accessToken })
    try {
      expect(await bkend<DevClockResult>('dev', 'clock', '+2h')).to.include({ offsetSeconds: 7200 })
      await refused('GET', '/v1/auth/me', { token: tokens.accessToken }, 401, 'auth/token-expired')
      const renewed = (await ok('POST', '/v1/auth/refresh', { body: { refreshToken: tokens.refreshToken } })) as unknown as Tokens
      await ok('GET', '/v1/auth/me', { token: renewed.accessToken })
    } finally {
      await bkend('dev', 'clock', '--reset')
    }
  })

  it('a reused refresh token revokes the whole session family', async () => {
    const first = (await ok('POST', '/v1/auth/email/signup', { body: { email: 'reuse@example.com', password: 'secret123' } }, 201)) as unknown as Tokens
    const other = (await signIn('reuse@example.com', 'secret123')).body as Tokens
    const rotated = (await ok('POST', '/v1/auth/refresh', { body: { refreshToken: first.refreshToken } })) as unknown as Tokens
    await refused('POST', '/v1/auth/refresh', { body: { refreshToken: first.refreshToken } }, 401, 'auth/invalid-refresh-token')
    // theft assumed: the rotated pair and the user's other session are gone too
    await refused('POST', '/v1/auth/refresh', { body: { refreshToken: rotated.refreshToken } }, 401, 'auth/invalid-refresh-token')
    await refused('GET', '/v1/auth/me', { token: rotated.accessToken }, 401, 'auth/invalid-token')
    await refused('GET', '/v1/auth/me', { token: other.accessToken }, 401, 'auth/invalid-token')
  })
})
