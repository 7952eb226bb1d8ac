import { expect } from 'chai'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { chromium, type Browser, type Page } from 'playwright-core'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

describe('e2e: social login through the fake Google page in headless Chromium (Flow B, JavaScript disabled)', function () {
  this.timeout(60_000)
  let emu: TestEmulator
  let browser: Browser
  let app: Server
  let appUrl: string

  before(async () => {
    emu = await startEmulator()
    const pk = emu.seed.environment.publishableKey
    // The app under development: /login asks bkend for the provider URL, /callback receives the outcome.
    app = createServer((request, response) => {
      const url = new URL(request.url as string, appUrl)
      if (url.pathname === '/login') {
        fetch(`${emu.url}/v1/auth/google/authorize?redirect=${encodeURIComponent(`${appUrl}/callback`)}`, { headers: { 'X-API-Key': pk } })
          .then((r) => r.json() as Promise<{ authorizationUrl: string }>)
          .then(({ authorizationUrl }) => response.writeHead(302, { location: authorizationUrl }).end(), () => response.writeHead(500).end())
        return
      }
      response.writeHead(200, { 'content-type': 'text/plain' }).end(url.searchParams.has('accessToken') ? 'signed in' : 'sign-in failed')
    })
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve))
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
  })
  after(async () => {
    await browser?.close()
    await new Promise((resolve) => app?.close(resolve))
    await emu.dispose()
  })

  /** Opens the app's login in a fresh JavaScript-free page; it lands on the fake provider. */
  const login = async (): Promise<{ page: Page; close: () => Promise<void> }> => {
    const context = await browser.newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    const response = await page.goto(`${appUrl}/login`)
    expect(response?.status()).to.equal(200)
    expect(page.url()).to.include(`${emu.url}/_emulator/oauth/google/authorize?`)
    return { page, close: () => context.close() }
  }
  const landed = (page: Page) => new URL(page.url())
  const api = (path: string, init: { token?: string; body?: unknown } = {}) =>
    fetch(emu.url + path, {
      method: init.body === undefined ? 'GET' : 'POST',
      headers: { 'X-API-Key': emu.seed.environment.publishableKey, 'Content-Type': 'application/json', ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }))

  it('typing an identity ends at the app callback with a token pair that works', async () => {
    const { page, close } = await login()
    try {
      expect(await page.textContent('h1')).to.equal('Sign in with Google')
      expect(await page.textContent('#redirect')).to.equal(`${emu.url}/v1/auth/google/callback`)
      expect(await page.isChecked('#email_verified')).to.equal(true)
      await page.fill('#email', 'Grace@Example.com')
      await page.fill('#name', 'Grace Hopper')
      await page.fill('#image', 'https://img.test/grace.png')
      await Promise.all([page.waitForURL(`${appUrl}/callback?**`), page.click('#identity button[value=approve]')])
      expect(await page.textContent('body')).to.equal('signed in')
      const params = landed(page).searchParams
      expect(params.get('isNewUser')).to.equal('true')
      expect(params.get('expiresIn')).to.equal('3600')
      const me = await api('/v1/auth/me', { token: params.get('accessToken') as string })
      expect(me.status).to.equal(200)
      expect(me.body).to.include({ email: 'grace@example.com', name: 'Grace Hopper', image: 'https://img.test/grace.png', hasPassword: false })
      expect(me.body.emailVerified).to.be.a('string')
      const refreshed = await api('/v1/auth/refresh', { body: { refreshToken: params.get('refreshToken') } })
      expect(refreshed.status).to.equal(200)
      expect(refreshed.body.accessToken).to.be.a('string')
    } finally {
      await close()
    }
  })

  it('the identity used before is offered for one click and signs the same user in', async () => {
    const { page, close } = await login()
    try {
      expect(await page.textContent('#reuse-0')).to.include('grace@example.com')
      await Promise.all([page.waitForURL(`${appUrl}/callback?**`), page.click('#reuse-0')])
      const params = landed(page).searchParams
      expect(params.get('isNewUser')).to.equal('false')
      const me = await api('/v1/auth/me', { token: params.get('accessToken') as string })
      expect(me.body.email).to.equal('grace@example.com')
    } finally {
      await close()
    }
  })

  it('cancelling at the provider brings the app an error and no tokens', async () => {
    const { page, close } = await login()
    try {
      await Promise.all([page.waitForURL(`${appUrl}/callback?**`), page.click('#identity button[value=cancel]')])
      const params = landed(page).searchParams
      expect(params.get('error')).to.equal('auth/invalid-oauth-code')
      expect(params.get('errorMessage')).to.include('access_denied')
      expect(params.has('accessToken')).to.equal(false)
      expect(await page.textContent('body')).to.equal('sign-in failed')
    } finally {
      await close()
    }
  })
})
