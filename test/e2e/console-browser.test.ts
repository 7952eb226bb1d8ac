import { expect } from 'chai'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { tenantPrincipal } from '../../src/emulator/core/principal.js'
import { launchChromium } from '../helpers/browser.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { join } from '../helpers/teams.js'

const ENV = '/_/o/local/p/local/e/dev'

describe('e2e: the local console in headless Chromium', function () {
  this.timeout(90_000)
  let emu: TestEmulator
  let browser: Browser

  before(async () => {
    emu = await startEmulator()
    browser = await launchChromium()
  })
  after(async () => {
    await browser?.close()
    await emu?.dispose()
  })

  /** A fresh browser signed in through a one-time sign-in URL, as `bkend dev` prints it. */
  async function signIn(tenantId: string, options: { javaScriptEnabled?: boolean; viewport?: { width: number; height: number } } = {}): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ javaScriptEnabled: options.javaScriptEnabled ?? true, viewport: options.viewport ?? { width: 1280, height: 800 } })
    const page = await context.newPage()
    const { url } = await emu.core.consoleSessions.signInUrl(tenantId)
    // The sign-in answers a page that moves on to the console, so the SameSite=Strict cookie goes with it.
    await Promise.all([page.waitForURL(/\/_\/o\//), page.goto(url)])
    return { context, page }
  }

  /** A second tenant who joined the seeded organization with a role (invited, then accepting). */
  async function memberWith(role: 'member' | 'billing'): Promise<string> {
    const email = `${role}@example.com`
    const { tenant } = await emu.core.tenants.signIn({ email })
    await join(emu, emu.actor, tenant.id, email, role)
    return tenant.id
  }

  it('signs in with the one-time URL and shows the organization with its project', async () => {
    const { context, page } = await signIn(emu.seed.tenantId)
    try {
      expect(new URL(page.url()).pathname).to.equal('/_/o/local')
      expect(await page.textContent('#who')).to.include('developer@localhost').and.include('owner')
      expect(await page.locator('#projects [data-project]').count()).to.equal(1)
      // choosing an environment in the top bar goes there at once
      await Promise.all([page.waitForURL(/\/e\/dev\/tables$/), page.selectOption('#env-switch', `${ENV}/tables`)])
      expect(await page.getAttribute('nav.side a[aria-current=page]', 'href')).to.equal(`${ENV}/tables`)
      const cookies = await context.cookies()
      const session = cookies.filter((c) => c.name.startsWith('bkend_console_'))
      expect(session).to.have.length(1)
      expect(session[0]).to.include({ httpOnly: true, sameSite: 'Strict' })
      // the URL is single-use: a second browser opening it gets no session and stays out
      const used = await emu.core.consoleSessions.signInUrl(emu.seed.tenantId)
      for (const expected of [1, 0]) {
        const browserContext = await browser.newContext()
        const tab = await browserContext.newPage()
        await tab.goto(used.url)
        expect((await browserContext.cookies()).filter((c) => c.name.startsWith('bkend_console_')), `cookies after use ${2 - expected}`).to.have.length(expected)
        await browserContext.close()
      }
      const outside = await (await browser.newContext()).newPage()
      await outside.goto(`${emu.url}${ENV}/tables`)
      expect(new URL(outside.url()).pathname).to.equal('/_/signin')
      await outside.context().close()
    } finally {
      await context.close()
    }
  })

  it('creates a table, shows a validation error at the field, then inserts a valid record', async () => {
    const { context, page } = await signIn(emu.seed.tenantId)
    try {
      await page.goto(`${emu.url}${ENV}/tables`)
      await page.fill('#t-tableName', 'books')
      await page.fill('#t-schema', '{ "title": { "type": "string", "required": true }, "pages": { "type": "int" } }')
      await Promise.all([page.waitForURL(/\/tables\/books/), page.click('#create-table button[type=submit]')])
      expect(await page.textContent('#notice')).to.include('Table books created')
      expect(await page.locator('#field-list [data-field]').allTextContents()).to.have.length(2)

      await page.click('#open-records')
      await page.click('#insert summary')
      await page.fill('#insert-form-title', 'Dune')
      await page.fill('#insert-form-pages', 'many')
      await page.click('#insert-form button[type=submit]')
      expect(await page.textContent('#error')).to.include('VALIDATION_ERROR')
      const atField = await page.textContent('#insert-form-pages-error')
      expect(atField).to.match(/int/i)
      expect(await page.getAttribute('#insert-form-pages', 'aria-invalid')).to.equal('true')
      expect(await page.inputValue('#insert-form-title')).to.equal('Dune')
      expect(emu.core.tables.documentCount(emu.core.tables.resolve(emu.seed.environment.id, 'books'))).to.equal(0)

      await page.fill('#insert-form-pages', '412')
      await Promise.all([page.waitForURL(/notice=/), page.click('#insert-form button[type=submit]')])
      expect(await page.textContent('#notice')).to.include('created')
      expect(await page.locator('#records tbody tr').count()).to.equal(1)
      expect(await page.textContent('#records tbody tr [data-column=title]')).to.equal('Dune')
      expect(await page.textContent('#records tbody tr [data-column=pages]')).to.equal('412')
    } finally {
      await context.close()
    }
  })

  it('sorts, filters and pages the grid; edits a record and deletes one after the dialog confirms', async () => {
    const table = emu.core.tables.resolve(emu.seed.environment.id, 'books')
    const { context, page } = await signIn(emu.seed.tenantId)
    try {
      for (let i = 1; i <= 59; i++) await emu.core.records.create(table, tenantPrincipal(), { title: `Book ${String(i).padStart(2, '0')}`, pages: i })
      await page.goto(`${emu.url}${ENV}/tables/books/records`)
      expect(await page.textContent('#page-info')).to.equal('Page 1 of 2 · 60 records')
      expect(await page.locator('#records tbody tr').count()).to.equal(50)
      await page.click('#next-page')
      expect(await page.textContent('#page-info')).to.equal('Page 2 of 2 · 60 records')
      expect(await page.locator('#records tbody tr').count()).to.equal(10)

      await page.click('a[data-sort=pages]')
      await page.click('a[data-sort=pages]')
      expect(await page.getAttribute('th[aria-sort]', 'aria-sort')).to.equal('ascending')
      const ascending = await page.locator('#records tbody [data-column=pages]').allTextContents()
      expect(ascending).to.have.length(50)
      expect(ascending.slice(0, 3)).to.deep.equal(['1', '2', '3'])

      await page.selectOption('#filter-field', 'pages')
      await page.selectOption('#filter-op', 'gte')
      await page.fill('#filter-value', '55')
      await page.click('#filter-form button[type=submit]')
      expect(await page.textContent('#page-info')).to.equal('Page 1 of 1 · 6 records')
      expect(await page.locator('#records tbody [data-column=pages]').allTextContents()).to.deep.equal(['55', '56', '57', '58', '59', '412'])
      await page.fill('#q', 'Dune')
      await page.click('#filter-form button[type=submit]')
      expect(await page.locator('#records tbody [data-column=title]').allTextContents()).to.deep.equal(['Dune'])

      const id = (await page.getAttribute('#records tbody tr', 'data-id')) as string
      await page.click(`tr[data-id="${id}"] a:text("Edit")`)
      await page.fill('#edit-form-title', 'Dune Messiah')
      await Promise.all([page.waitForURL(/notice=/), page.click('#edit-form button[type=submit]')])
      expect(await page.textContent('#notice')).to.include(`Record ${id} saved`)
      expect(emu.core.tables.documentCount(table)).to.equal(60)

      await page.goto(`${emu.url}${ENV}/tables/books/records?q=Messiah`)
      // Cancel first: nothing is deleted.
      await page.click(`#delete-${id}`)
      expect(await page.isVisible('#confirm-dialog')).to.equal(true)
      expect(await page.textContent('#confirm-message')).to.include(`Delete the record ${id}`)
      await page.click('#confirm-dialog button[value=cancel]')
      expect(emu.core.tables.documentCount(table)).to.equal(60)
      await page.click(`#delete-${id}`)
      await Promise.all([page.waitForURL(/notice=/), page.click('#confirm-dialog button[value=confirm]')])
      expect(await page.textContent('#notice')).to.include(`Record ${id} deleted`)
      expect(emu.core.tables.documentCount(table)).to.equal(59)
    } finally {
      await context.close()
    }
  })

  it('without scripts, a destructive step asks on a confirmation page', async () => {
    const table = emu.core.tables.resolve(emu.seed.environment.id, 'books')
    const { context, page } = await signIn(emu.seed.tenantId, { javaScriptEnabled: false })
    try {
      await page.goto(`${emu.url}${ENV}/tables/books/records?q=Book%2001`)
      const id = (await page.getAttribute('#records tbody tr', 'data-id')) as string
      await page.click(`#delete-${id}`)
      expect(await page.textContent('#confirm-text')).to.include(`Delete the record ${id}`)
      expect(emu.core.tables.documentCount(table)).to.equal(59)
      await page.click('#confirm')
      expect(await page.textContent('#notice')).to.include('deleted')
      expect(emu.core.tables.documentCount(table)).to.equal(58)
    } finally {
      await context.close()
    }
  })

  it('advances the clock and resets it', async () => {
    const { context, page } = await signIn(emu.seed.tenantId)
    try {
      await page.goto(`${emu.url}${ENV}/clock`)
      expect(await page.textContent('#clock-offset')).to.equal('0s (real time)')
      await page.fill('#amount', '2')
      await page.selectOption('#unit', 'hours')
      await page.click('#advance-form button[type=submit]')
      expect(await page.textContent('#clock-offset')).to.equal('+2h')
      expect(emu.core.clock.offsetSeconds).to.equal(7200)
      await page.click('#reset-clock')
      await page.click('#confirm-dialog button[value=confirm]')
      await page.waitForSelector('#notice:has-text("real time")')
      expect(await page.textContent('#clock-offset')).to.equal('0s (real time)')
      expect(emu.core.clock.offsetSeconds).to.equal(0)
    } finally {
      await context.close()
    }
  })

  it('a Member manages tables; a Billing member sees the organization but no project or table', async () => {
    const member = await memberWith('member')
    const billing = await memberWith('billing')
    const asMember = await signIn(member)
    try {
      expect(await asMember.page.textContent('#who')).to.include('member')
      expect(await asMember.page.locator('#projects [data-project]').count()).to.equal(1)
      await asMember.page.goto(`${emu.url}${ENV}/tables`)
      await asMember.page.fill('#t-tableName', 'member_notes')
      await Promise.all([asMember.page.waitForURL(/\/tables\/member_notes/), asMember.page.click('#create-table button[type=submit]')])
      expect(emu.core.tables.resolve(emu.seed.environment.id, 'member_notes').tableName).to.equal('member_notes')
    } finally {
      await asMember.context.close()
    }
    const asBilling = await signIn(billing)
    try {
      expect(await asBilling.page.textContent('#who')).to.include('billing')
      expect(await asBilling.page.locator('#projects').count()).to.equal(0)
      expect(await asBilling.page.locator('#env-switch').count()).to.equal(0)
      expect(await asBilling.page.textContent('#error')).to.include('FORBIDDEN').and.include('billing')
      // usage is what a Billing member is there for: every environment's figures
      expect(await asBilling.page.locator('#usage tbody tr').count()).to.equal(1)
      expect(await asBilling.page.textContent('#usage [data-usage="local/dev"] [data-figure=records]')).to.equal(String(emu.core.tables.documentCount(emu.core.tables.resolve(emu.seed.environment.id, 'books'))))
      const refused = await asBilling.page.goto(`${emu.url}${ENV}/tables`)
      expect(refused?.status()).to.equal(403)
      expect(await asBilling.page.textContent('#error')).to.include('does not allow project:read')
    } finally {
      await asBilling.context.close()
    }
  })

  it('fits a phone-width window: no page wider than the screen, the side bar above the content', async () => {
    const { context, page } = await signIn(emu.seed.tenantId, { viewport: { width: 390, height: 844 } })
    try {
      for (const path of [`${ENV}/tables`, `${ENV}/tables/books`, `${ENV}/tables/books/records`, `${ENV}/clock`]) {
        await page.goto(`${emu.url}${path}`)
        expect(await page.evaluate('document.documentElement.scrollWidth'), path).to.be.at.most(390)
      }
      const nav = await page.locator('nav.side').boundingBox()
      const main = await page.locator('main').boundingBox()
      expect(nav!.y + nav!.height).to.be.at.most(main!.y + 1)
      // keyboard: the first Tab lands on the skip link, which moves focus to the content
      await page.keyboard.press('Tab')
      expect(await page.evaluate('document.activeElement?.className')).to.equal('skip')
      await page.keyboard.press('Enter')
      expect(await page.evaluate('document.activeElement?.id')).to.equal('main')
    } finally {
      await context.close()
    }
  })
})
