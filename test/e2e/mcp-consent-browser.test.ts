import { expect } from 'chai'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { chromium, type Browser } from 'playwright-core'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { authorizeUrl, pkce, postForm, registerClient } from '../helpers/oauth.js'

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

describe('e2e: OAuth consent page in headless Chromium (JavaScript disabled)', function () {
  this.timeout(60_000)
  let emu: TestEmulator
  let browser: Browser
  let callback: Server
  let redirectUri: string
  let clientId: string
  const received: URL[] = []

  before(async () => {
    emu = await startEmulator()
    callback = createServer((request, response) => {
      received.push(new URL(request.url as string, redirectUri))
      response.writeHead(200, { 'content-type': 'text/plain' }).end('callback received')
    })
    await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve))
    redirectUri = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`
    ;({ client_id: clientId } = await registerClient(emu.url, { redirect_uris: [redirectUri], client_name: 'Browser Test Client' }))
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
  })
  after(async () => {
    await browser?.close()
    await new Promise((resolve) => callback?.close(resolve))
    await emu.dispose()
  })

  /** Opens the consent page for a fresh PKCE pair in a JavaScript-free page. */
  const consent = async (scope: string) => {
    const { verifier, challenge } = pkce()
    const context = await browser.newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    const url = authorizeUrl(emu.url, { response_type: 'code', client_id: clientId, redirect_uri: redirectUri, code_challenge: challenge, code_challenge_method: 'S256', state: 'browser-state', scope })
    const response = await page.goto(url)
    expect(response?.status()).to.equal(200)
    return { page, context, verifier }
  }

  it('approving for a chosen organization redirects with a code that yields a token for that organization', async () => {
    const second = await emu.core.orgs.create(emu.seed.tenantId, { name: 'Team Org' })
    const { page, context, verifier } = await consent('project:read table:read')
    try {
      expect(await page.textContent('h1')).to.include('Browser Test Client')
      expect(await page.textContent('.who')).to.include('developer@localhost')
      expect(await page.locator('#scopes li').allTextContents()).to.deep.equal(['project:read', 'table:read'])
      expect(await page.textContent('#redirect')).to.include(redirectUri).and.include(clientId)
      expect(await page.locator('#organization_id option').allTextContents()).to.deep.equal(['Local (local, owner)', 'Team Org (team-org, owner)'])
      await page.selectOption('#organization_id', second.id)
      await Promise.all([page.waitForURL(/\/callback\?/), page.click('button[value=approve]')])
      const landed = new URL(page.url())
      expect(landed.searchParams.get('state')).to.equal('browser-state')
      const code = landed.searchParams.get('code') as string
      expect(code).to.match(/^[0-9a-f]{32}$/)
      expect(received.filter((u) => u.pathname === '/callback').at(-1)?.searchParams.get('code')).to.equal(code)

      const tokens = await postForm(`${emu.url}/mcp/oauth/token`, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: clientId, code_verifier: verifier })
      expect(tokens.status).to.equal(200)
      const claims = JSON.parse(Buffer.from((tokens.body.access_token as string).split('.')[1] as string, 'base64url').toString())
      expect(claims).to.include({ org: second.id, scope: 'project:read table:read' })
    } finally {
      await context.close()
    }
  })

  it('denying redirects with error=access_denied and the state, and issues nothing', async () => {
    const { page, context } = await consent('organization:read')
    try {
      await Promise.all([page.waitForURL(/\/callback\?/), page.click('button[value=deny]')])
      const landed = new URL(page.url())
      expect(landed.searchParams.get('error')).to.equal('access_denied')
      expect(landed.searchParams.get('state')).to.equal('browser-state')
      expect(landed.searchParams.get('code')).to.equal(null)
    } finally {
      await context.close()
    }
  })

  it('an unknown client gets the 400 error page, not a redirect', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false })
    try {
      const page = await context.newPage()
      const response = await page.goto(authorizeUrl(emu.url, { response_type: 'code', client_id: 'dyn-000000000000000000000000', redirect_uri: redirectUri, code_challenge: pkce().challenge, code_challenge_method: 'S256' }))
      expect(response?.status()).to.equal(400)
      expect(await page.textContent('h1')).to.equal('Authorization error')
      expect(page.url()).to.not.include('/callback')
    } finally {
      await context.close()
    }
  })
})
