import { expect } from 'chai'
import { spawn } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import type { Page as ListPage } from '../../src/contract/common.js'
import type { MailboxMessage } from '../../src/contract/mailbox.js'
import { BIN, withoutMachineBkendEnv } from '../helpers/cli.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { authorizeUrl, pkce, postForm, registerClient } from '../helpers/oauth.js'

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

/** The claims of a JWT, unverified (the emulator verified it). */
const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString()) as Record<string, unknown>

describe('e2e: console sign-in in headless Chromium (JavaScript disabled)', function () {
  this.timeout(90_000)
  let emu: TestEmulator
  let browser: Browser
  const contexts: BrowserContext[] = []

  before(async () => {
    emu = await startEmulator()
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
  })
  after(async () => {
    await browser?.close()
    await emu.dispose()
  })
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close()
  })

  /** A fresh browser profile (no cookies), as a different person would have. */
  const freshPage = async (): Promise<Page> => {
    const context = await browser.newContext({ javaScriptEnabled: false })
    contexts.push(context)
    return context.newPage()
  }

  /** The newest captured e-mail to an address, read through the mailbox control as `bkend mail` reads it. */
  const newestMail = async (to: string): Promise<MailboxMessage> => {
    const response = await fetch(`${emu.url}/_emulator/mailbox?to=${encodeURIComponent(to)}`, { headers: { authorization: `Bearer ${emu.seed.tenantToken}` } })
    const list = (await response.json()) as ListPage<MailboxMessage>
    expect(list.items.length, `mail to ${to}`).to.be.greaterThan(0)
    return list.items[0] as MailboxMessage
  }

  it('magic link: the e-mail lands in the mailbox, its link signs a new tenant in once and goes to next', async () => {
    const page = await freshPage()
    await page.goto(`${emu.url}/_/signin?next=${encodeURIComponent('/_/signin?from=mail')}`)
    expect(await page.textContent('h1')).to.equal('Sign in to the bkend console')
    expect(await page.locator('#signed-in').count()).to.equal(0)
    await page.fill('#email', 'Ada@Example.com')
    await Promise.all([page.waitForURL(/\/_\/signin\/magic$/), page.click('#magic button')])
    expect(await page.textContent('#sent')).to.include('ada@example.com').and.include('bkend mail list --to ada@example.com')

    const mail = await newestMail('ada@example.com')
    expect(mail).to.include({ type: 'magic_link', projectId: null, environmentId: null, from: 'noreply@bkend.local' })
    expect(mail.link).to.match(new RegExp(`^${emu.url}/_/signin/magic/[0-9a-f]{64}$`))
    expect(mail.html).to.include(`href="${mail.link}"`)
    expect(emu.core.tenants.byEmail('ada@example.com')).to.equal(undefined)

    await page.goto(mail.link as string)
    await page.waitForURL(`${emu.url}/_/signin?from=mail`)
    expect(await page.textContent('#tenant')).to.equal('ada')
    const ada = emu.core.tenants.byEmail('ADA@example.com')
    expect(ada).to.include({ email: 'ada@example.com', name: 'ada' })
    expect(emu.core.orgs.list(ada!.id).map((o) => [o.name, o.role])).to.deep.equal([["ada's organization", 'owner']])

    const other = await freshPage()
    const reused = await other.goto(mail.link as string)
    expect(reused?.status()).to.equal(401)
    expect(await other.textContent('#error')).to.include('unknown, used or expired')
    expect((await other.context().cookies()).length).to.equal(0)
  })

  it('Continue with Google: the fake identity provider signs a new tenant in with its name', async () => {
    const page = await freshPage()
    await page.goto(`${emu.url}/_/signin?next=${encodeURIComponent('/_/signin?from=google')}`)
    await Promise.all([page.waitForURL(/\/_emulator\/oauth\/google\/authorize\?/), page.click('#continue-google')])
    expect(await page.textContent('#redirect')).to.equal(`${emu.url}/_/signin/google/callback`)
    await page.fill('#email', 'grace@example.com')
    await page.fill('#name', 'Grace Hopper')
    await Promise.all([page.waitForURL(`${emu.url}/_/signin?from=google`), page.click('#identity button[value=approve]')])
    expect(await page.textContent('#tenant')).to.equal('Grace Hopper')
    const grace = emu.core.tenants.byEmail('grace@example.com')
    expect(grace).to.include({ name: 'Grace Hopper' })
    expect(emu.core.orgs.list(grace!.id).map((o) => o.name)).to.deep.equal(["Grace Hopper's organization"])
    const [cookie] = await page.context().cookies()
    expect(cookie).to.include({ httpOnly: true, sameSite: 'Strict', path: '/', secure: false })
    expect(cookie!.name).to.match(/^bkend_console_[0-9a-f]{8}$/)
  })

  it('the one-time sign-in URL works once: a second browser gets the sign-in page with an error', async () => {
    const { url } = await emu.core.consoleSessions.signInUrl(emu.seed.tenantId, '/_/signin')
    const page = await freshPage()
    await page.goto(url)
    await page.waitForURL(`${emu.url}/_/signin`)
    expect(await page.textContent('#tenant')).to.equal('Local Developer')

    const second = await freshPage()
    const response = await second.goto(url)
    expect(response?.status()).to.equal(401)
    expect(await second.textContent('#error')).to.include('unknown, used or expired')
    expect(await second.locator('#signed-in').count()).to.equal(0)
  })

  describe('with several tenants', () => {
    let callback: Server
    let redirectUri: string
    let clientId: string
    before(async () => {
      callback = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('callback received'))
      await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve))
      redirectUri = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`
      ;({ client_id: clientId } = await registerClient(emu.url, { redirect_uris: [redirectUri], client_name: 'Two Tenants Client' }))
    })
    after(() => new Promise((resolve) => callback.close(resolve)))

    it('the consent page signs the tenant in first, lists only their organizations, and the code is theirs', async () => {
      expect(emu.core.tenants.count()).to.be.greaterThan(1)
      const grace = emu.core.tenants.byEmail('grace@example.com')!
      const { verifier, challenge } = pkce()
      const url = authorizeUrl(emu.url, { response_type: 'code', client_id: clientId, redirect_uri: redirectUri, code_challenge: challenge, code_challenge_method: 'S256', state: 'two', scope: 'project:read' })
      const page = await freshPage()
      await page.goto(url)
      expect(new URL(page.url()).pathname).to.equal('/_/signin')
      expect(new URL(page.url()).searchParams.get('next')).to.equal(url.slice(emu.url.length))

      // Google, reusing the identity the fake provider remembers, comes back to the consent page.
      await Promise.all([page.waitForURL(/\/_emulator\/oauth\/google\/authorize\?/), page.click('#continue-google')])
      await Promise.all([page.waitForURL(/\/mcp\/oauth\/authorize\?/), page.click('#recent button:has-text("grace@example.com")')])
      expect(await page.textContent('h1')).to.include('Two Tenants Client')
      expect(await page.textContent('#tenant')).to.equal('Grace Hopper')
      expect(await page.locator('#organization_id option').allTextContents()).to.deep.equal(["Grace Hopper's organization (grace-hopper-s-organization, owner)"])
      await Promise.all([page.waitForURL(/\/callback\?/), page.click('button[value=approve]')])
      const code = new URL(page.url()).searchParams.get('code') as string
      const tokens = await postForm(`${emu.url}/mcp/oauth/token`, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: clientId, code_verifier: verifier })
      expect(tokens.status).to.equal(200)
      expect(claims(tokens.body.access_token as string)).to.include({ sub: grace.id, org: emu.core.orgs.list(grace.id)[0]!.id })
    })

    it('"not you? sign out" on the consent page signs out and comes back to it through the sign-in page', async () => {
      const { url: once } = await emu.core.consoleSessions.signInUrl(emu.seed.tenantId, '/_/signin')
      const page = await freshPage()
      await page.goto(once)
      await page.waitForURL(`${emu.url}/_/signin`)
      const url = authorizeUrl(emu.url, { response_type: 'code', client_id: clientId, redirect_uri: redirectUri, code_challenge: pkce().challenge, code_challenge_method: 'S256', state: 'out' })
      await page.goto(url)
      expect(await page.textContent('#tenant')).to.equal('Local Developer')
      expect(await page.locator('#organization_id option').allTextContents()).to.deep.equal(['Local (local, owner)'])
      await Promise.all([page.waitForURL(/\/_\/signin\?next=/), page.click('#signed-in button')])
      expect(new URL(page.url()).searchParams.get('next')).to.equal(url.slice(emu.url.length))
      expect(await page.locator('#signed-in').count()).to.equal(0)
      // The old cookie is gone from the browser and dead at the server.
      expect(await page.context().cookies()).to.deep.equal([])
    })

    it('bkend login --target local acts as the tenant signed in at the consent page', async () => {
      const configHome = join(emu.dataDir, 'config')
      const env = { ...withoutMachineBkendEnv(), XDG_CONFIG_HOME: configHome }
      const child = spawn(process.execPath, [BIN, 'login', '--target', 'local', '--data-dir', emu.dataDir, '--no-browser', '--json'], { cwd: emu.dataDir, env })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (chunk) => (stdout += chunk))
      child.stderr.on('data', (chunk) => (stderr += chunk))
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
      const deadline = Date.now() + 20_000
      while (!/\/mcp\/oauth\/authorize\?/.test(stderr) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
      const url = /^(http:\/\/\S+\/mcp\/oauth\/authorize\?\S+)$/m.exec(stderr)?.[1]
      expect(url, stderr).to.be.a('string')

      const grace = emu.core.tenants.byEmail('grace@example.com')!
      const page = await freshPage()
      const { url: once } = await emu.core.consoleSessions.signInUrl(grace.id, new URL(url!).pathname + new URL(url!).search)
      await page.goto(once)
      await page.waitForURL(/\/mcp\/oauth\/authorize\?/)
      expect(await page.textContent('#tenant')).to.equal('Grace Hopper')
      expect(await page.textContent('h1')).to.include('bkend CLI')
      await Promise.all([page.waitForURL(/127\.0\.0\.1:\d+\/callback\?/), page.click('button[value=approve]')])
      expect(await exited, stderr).to.equal(0)
      const result = JSON.parse(stdout) as { target: string; loggedIn: boolean; identity: { authMethod: string; tenantId: string; organization: { role: string } } }
      expect(result).to.include({ target: 'local', loggedIn: true })
      expect(result.identity).to.include({ authMethod: 'oauth-login', tenantId: grace.id })
      expect(result.identity.organization.role).to.equal('owner')

      // Later commands act as Grace; logging out goes back to the runtime.json token (the first tenant).
      const run = (args: string[]) =>
        new Promise<{ code: number | null; out: string }>((resolve) => {
          const c = spawn(process.execPath, [BIN, ...args, '--data-dir', emu.dataDir, '--json'], { cwd: emu.dataDir, env })
          let out = ''
          c.stdout.on('data', (chunk) => (out += chunk))
          c.on('exit', (code) => resolve({ code, out }))
        })
      const whoami = await run(['whoami'])
      expect(JSON.parse(whoami.out)).to.include({ authMethod: 'oauth-login', tenantId: grace.id })
      const opened = JSON.parse((await run(['open'])).out) as { url: string }
      const landing = await fetch(opened.url, { redirect: 'manual' })
      expect(landing.status).to.equal(200)
      expect(await landing.text()).to.include('grace@example.com')
      expect((await run(['logout', '--target', 'local'])).code).to.equal(0)
      expect(JSON.parse((await run(['whoami'])).out)).to.include({ authMethod: 'emulator-tenant-token', tenantId: emu.seed.tenantId })
    })
  })
})
