import { expect } from 'chai'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { launchChromium } from '../helpers/browser.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'

const ENV = '/_/o/local/p/local/e/dev'
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c63f8cfc0f01f0005000201e2b4a0a40000000049454e44ae426082', 'hex')

describe('e2e: the console’s users, files, mailbox, request log, keys and settings pages in headless Chromium', function () {
  this.timeout(90_000)
  let emu: TestEmulator
  let browser: Browser
  let app: Server
  let appUrl: string

  before(async () => {
    emu = await startEmulator()
    const pk = emu.seed.environment.publishableKey
    // The app under development: its magic-link callback exchanges the token and says who signed in.
    app = createServer((request, response) => {
      const url = new URL(request.url as string, appUrl)
      if (url.pathname !== '/auth/callback') return void response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>app</title><p>the app</p>')
      fetch(`${emu.url}/v1/auth/email/callback?token=${encodeURIComponent(url.searchParams.get('token') ?? '')}`, { headers: { 'X-API-Key': pk } })
        .then(async (r) => {
          const body = (await r.json()) as { accessToken?: string }
          const me = body.accessToken ? ((await (await fetch(`${emu.url}/v1/auth/me`, { headers: { 'X-API-Key': pk, Authorization: `Bearer ${body.accessToken}` } })).json()) as { email: string }) : null
          response.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><title>app</title><p id="status">${me ? `signed in as ${me.email}` : 'sign-in failed'}</p>`)
        })
        .catch(() => response.writeHead(500).end())
    })
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve))
    appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`
    browser = await launchChromium()
  })
  after(async () => {
    await browser?.close()
    await new Promise((resolve) => app?.close(resolve))
    await emu?.dispose()
  })

  /** A fresh browser signed in through a one-time sign-in URL, as `bkend dev` prints it. */
  async function signIn(target: TestEmulator = emu): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const page = await context.newPage()
    const { url } = await target.core.consoleSessions.signInUrl(target.seed.tenantId, `${ENV}/users`)
    await Promise.all([page.waitForURL(/\/_\/o\//), page.goto(url)])
    return { context, page }
  }

  const api = (path: string, init: { method?: string; body?: unknown; key?: string } = {}) =>
    fetch(emu.url + path, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { 'X-API-Key': init.key ?? emu.seed.environment.publishableKey, ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    })

  it('opens a captured magic link from the mailbox and lands signed in at the app; the mail’s scripts never run', async () => {
    // A template with a script and an inline handler: the sandboxed frame must run neither.
    await emu.core.projectSettings.email.update(emu.actor, emu.seed.projectId, 'magic_link', { subject: 'Your link', body: '<script>parent.document.title = "pwned"</script><img src="x" onerror="parent.document.title = \'pwned\'"><p><a id="go" href="{{magicLink}}">Sign in</a></p>' })
    await emu.core.projectSettings.email.updateSettings(emu.actor, emu.seed.projectId, { overrideDefaults: true })
    expect((await api('/v1/auth/email/signin', { body: { method: 'magiclink', email: 'mia@example.com', callbackUrl: `${appUrl}/auth/callback` } })).status).to.equal(200)
    const { context, page } = await signIn()
    try {
      await page.goto(`${emu.url}${ENV}/mailbox`)
      expect(await page.locator('#mail tbody tr').count()).to.equal(1)
      await Promise.all([page.waitForURL(/\/mailbox\/[0-9a-f]{24}$/), page.click('#mail tbody a')])
      const frame = page.frameLocator('#mail-frame')
      expect(await frame.locator('#go').textContent()).to.equal('Sign in')
      const [tab] = await Promise.all([context.waitForEvent('page'), frame.locator('#go').click()])
      await tab.waitForURL(`${appUrl}/auth/callback?**`)
      await tab.waitForSelector('#status')
      expect(await tab.textContent('#status')).to.equal('signed in as mia@example.com')
      expect(await page.title()).to.not.include('pwned')
    } finally {
      await context.close()
      await emu.core.projectSettings.email.updateSettings(emu.actor, emu.seed.projectId, { overrideDefaults: false })
    }
  })

  it('shows a denied request live in the request log, with its explanation', async () => {
    const { context, page } = await signIn()
    try {
      await page.goto(`${emu.url}${ENV}/logs?status=4xx`)
      const denied = await api(`/v1/users`)
      expect(denied.status).to.equal(401)
      const id = denied.headers.get('x-request-id') as string
      // No reload: the page's script brings the new request in.
      await page.waitForSelector(`[data-request="${id}"]`, { timeout: 10_000 })
      const explanation = page.locator(`[data-explains="${id}"] dl.explanation`)
      expect(await explanation.isVisible()).to.equal(true)
      expect(await explanation.textContent()).to.include('credential: the credential was missing').and.include('To allow')
      expect(await page.locator(`[data-request="${id}"]`).textContent()).to.include('GET /v1/users').and.include('401')
      // Every request of the emulator, yet never the console's own visits and polls of this page.
      await page.goto(`${emu.url}${ENV}/logs?env=*`)
      await page.waitForTimeout(3500)
      const shown = await page.locator('#log tr[data-request] code').allTextContents()
      expect(shown.some((text) => text.includes('GET /v1/users'))).to.equal(true)
      expect(shown.filter((text) => text.includes('/logs'))).to.deep.equal([])
    } finally {
      await context.close()
    }
  })

  it('previews an image file, downloads it and changes its visibility', async () => {
    const secret = emu.seed.environment.secretKey
    const issued = (await (await api('/v1/files/presigned-url', { key: secret, body: { filename: 'dot.png', contentType: 'image/png' } })).json()) as { url: string; key: string }
    expect((await fetch(issued.url, { method: 'PUT', body: PNG, headers: { 'Content-Type': 'image/png' } })).status).to.equal(200)
    const file = (await (await api('/v1/files', { key: secret, body: { s3Key: issued.key, originalName: 'dot.png', mimeType: 'image/png', size: PNG.length } })).json()) as { id: string; visibility: string }
    expect(file.visibility).to.equal('private')
    const { context, page } = await signIn()
    try {
      await page.goto(`${emu.url}${ENV}/files`)
      const row = page.locator('tr[data-file="dot.png"]')
      expect(await row.count()).to.equal(1)
      // The preview loaded: the signed download URL answered the image and the console's policy let it show.
      // note: polled from here, not with waitForFunction, whose page-side polling compiles its predicate with eval,
      // which the console's policy (script-src 'self') refuses
      const thumb = row.locator('img.thumb')
      let width = 0
      for (let tries = 0; tries < 100 && width === 0; tries++) {
        width = await thumb.evaluate((img) => { const image = img as unknown as { complete: boolean; naturalWidth: number }; return image.complete ? image.naturalWidth : 0 })
        if (width === 0) await new Promise((done) => setTimeout(done, 50))
      }
      expect(width).to.equal(1)
      const [download] = await Promise.all([page.waitForEvent('download'), row.locator('a', { hasText: 'Download' }).click()])
      expect(download.suggestedFilename()).to.equal('dot.png')
      const saved = await download.createReadStream()
      const chunks: Buffer[] = []
      for await (const chunk of saved) chunks.push(chunk as Buffer)
      expect(Buffer.concat(chunks).equals(PNG)).to.equal(true)
      await row.locator('select[name=visibility]').selectOption('public')
      await Promise.all([page.waitForURL(/notice=/), row.locator('button', { hasText: 'Set' }).click()])
      expect(await page.textContent('#notice')).to.equal('dot.png is now public')
      expect(await page.locator('tr[data-file="dot.png"] td[data-visibility]').getAttribute('data-visibility')).to.equal('public')
      expect(emu.core.storage.files.record(emu.seed.environment.id, file.id)?.visibility).to.equal('public')
    } finally {
      await context.close()
    }
  })

  it('creates a key and sees the secret once; revoking asks in the dialog first', async () => {
    const { context, page } = await signIn()
    try {
      await page.goto(`${emu.url}${ENV}/keys`)
      await page.fill('#k-name', 'ci server')
      await page.selectOption('#k-type', 'secret')
      await Promise.all([page.waitForLoadState('load'), page.click('#create-key button[type=submit]')])
      const value = (await page.textContent('#key-value')) as string
      expect(value).to.match(/^sk_[0-9a-f]{64}$/)
      expect((await api('/v1/users', { key: value })).status).to.equal(200)
      await page.click('#keys-back')
      await page.waitForSelector('tr[data-key="ci server"]')
      expect(await page.content()).to.not.include(value)
      await page.reload()
      expect(await page.content()).to.not.include(value)
      const id = emu.core.keys.find(value)!.id
      await page.click(`#revoke-${id}`)
      expect(await page.isVisible('#confirm-dialog')).to.equal(true)
      await Promise.all([page.waitForURL(/notice=/), page.click('#confirm-dialog button[value=confirm]')])
      expect(await page.locator('tr[data-key="ci server"] td[data-status]').textContent()).to.equal('revoked')
      expect((await api('/v1/users', { key: value })).status).to.equal(401)
    } finally {
      await context.close()
    }
  })

  it('a bad CORS origin shows the envelope’s message at the field; a good one is saved', async () => {
    const { context, page } = await signIn()
    try {
      await page.goto(`${emu.url}${ENV}/settings`)
      await page.fill('#cors-origins', 'my-app.example')
      await Promise.all([page.waitForLoadState('load'), page.click('#cors-form button[type=submit]')])
      expect(await page.textContent('#cors-origins-error')).to.include('my-app.example').and.include('absolute URL')
      expect(await page.getAttribute('#cors-origins', 'aria-invalid')).to.equal('true')
      expect(emu.core.projects.doc(emu.seed.projectId)?.settings.allowedOrigins ?? []).to.not.include('my-app.example')
      await page.fill('#cors-origins', 'https://my-app.example')
      await Promise.all([page.waitForURL(/notice=/), page.click('#cors-form button[type=submit]')])
      expect(await page.textContent('#notice')).to.equal('Allowed origins saved')
      expect(await page.inputValue('#cors-origins')).to.equal('https://my-app.example')
      expect(emu.core.projects.doc(emu.seed.projectId)?.settings.allowedOrigins).to.deep.equal(['https://my-app.example'])
    } finally {
      await context.close()
    }
  })

  describe('a request from another origin or without the session gets nothing', () => {
    const keyCount = () => emu.core.keys.list(emu.actor).length
    const form = new URLSearchParams({ name: 'stolen', type: 'secret' }).toString()
    let cookie: string
    let close: () => Promise<void>
    before(async () => {
      const { context } = await signIn()
      close = () => context.close()
      const session = (await context.cookies()).find((c) => c.name.startsWith('bkend_console_'))!
      cookie = `${session.name}=${session.value}`
    })
    after(() => close?.())

    it('a post with the session cookie but a foreign Origin → 403 envelope, no key created', async () => {
      const before = keyCount()
      const response = await fetch(`${emu.url}${ENV}/keys`, { method: 'POST', redirect: 'manual', headers: { cookie, origin: 'http://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: form })
      expect(response.status).to.equal(403)
      const body = (await response.json()) as { success: boolean; error: { code: string; message: string } }
      expect(body).to.include({ success: false })
      expect(body.error.code).to.equal('common/forbidden')
      expect(body.error.message).to.include('other origins')
      expect(keyCount()).to.equal(before)
      // the same post from the console's own origin is the control: it does create the key
      const own = await fetch(`${emu.url}${ENV}/keys`, { method: 'POST', redirect: 'manual', headers: { cookie, origin: emu.url, 'content-type': 'application/x-www-form-urlencoded' }, body: form })
      expect(own.status).to.equal(201)
      expect(keyCount()).to.equal(before + 1)
    })

    it('without a cookie: pages redirect to the sign-in and posts change nothing', async () => {
      const before = keyCount()
      for (const page of ['users', 'files', 'mailbox', 'logs', 'keys', 'settings']) {
        const response = await fetch(`${emu.url}${ENV}/${page}`, { redirect: 'manual' })
        expect(response.status, page).to.equal(302)
        expect(response.headers.get('location'), page).to.match(/^\/_\/signin\?next=/)
        expect(await response.text(), page).to.not.include('<table')
      }
      const post = await fetch(`${emu.url}${ENV}/keys`, { method: 'POST', redirect: 'manual', headers: { origin: emu.url, 'content-type': 'application/x-www-form-urlencoded' }, body: form })
      expect(post.status).to.equal(302)
      expect(keyCount()).to.equal(before)
    })

    it('the cookie of another emulator opens nothing here, under its own name or this one’s', async () => {
      const other = await startEmulator()
      try {
        const { context } = await signIn(other)
        const foreign = (await context.cookies()).find((c) => c.name.startsWith('bkend_console_'))!
        await context.close()
        const ownName = cookie.slice(0, cookie.indexOf('='))
        expect(foreign.name).to.not.equal(ownName)
        for (const sent of [`${foreign.name}=${foreign.value}`, `${ownName}=${foreign.value}`]) {
          const response = await fetch(`${emu.url}${ENV}/users`, { redirect: 'manual', headers: { cookie: sent } })
          expect(response.status, sent).to.equal(302)
          expect(response.headers.get('location')).to.match(/^\/_\/signin/)
        }
      } finally {
        await other.dispose()
      }
    })

    it('a page of another origin in the same browser cannot post to the console nor read it', async () => {
      const { context, page } = await signIn()
      try {
        const before = keyCount()
        await page.goto(`${appUrl}/`)
        // SameSite=Strict keeps the cookie off the post, and CORS keeps the answer from the page.
        const outcome = await page.evaluate(
          async ({ target, body }) => {
            await fetch(target, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }).catch(() => undefined)
            const read = await fetch(target, { credentials: 'include' }).then(
              (r) => r.text(),
              () => 'unreadable',
            )
            return { read }
          },
          { target: `${emu.url}${ENV}/keys`, body: form },
        )
        expect(outcome.read).to.equal('unreadable')
        expect(keyCount()).to.equal(before)
      } finally {
        await context.close()
      }
    })
  })
})
