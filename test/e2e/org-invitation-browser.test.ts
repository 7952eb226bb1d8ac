import { expect } from 'chai'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import type { Browser, BrowserContext } from 'playwright-core'
import { launchChromium } from '../helpers/browser.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { connectWithToken, toolJson } from '../helpers/mcp-client.js'
import { sessionOf } from '../helpers/teams.js'

describe('e2e: accepting an organization invitation in headless Chromium (JavaScript disabled)', function () {
  this.timeout(60_000)
  let emu: TestEmulator
  let browser: Browser
  let owner: Client
  const contexts: BrowserContext[] = []

  before(async () => {
    emu = await startEmulator()
    ;({ client: owner } = await connectWithToken(emu.mcpUrl, emu.ready.tenantToken))
    browser = await launchChromium()
  })
  after(async () => {
    for (const context of contexts) await context.close()
    await browser?.close()
    await owner.close()
    await emu.dispose()
  })

  const newPage = async () => {
    const context = await browser.newContext({ javaScriptEnabled: false })
    contexts.push(context)
    return context.newPage()
  }
  const latest = (to: string, type: 'invitation' | 'magic_link') => {
    const mail = emu.core.mailbox.list({ to, type, limit: 1 }).items[0]
    if (!mail?.link) throw new Error(`no ${type} mail for ${to}`)
    return mail
  }
  const invite = async (email: string, role: string) => {
    const result = await owner.callTool({ name: 'backend_member_invite', arguments: { body: { email, role } } })
    expect(result.isError, JSON.stringify(result.content)).to.not.equal(true)
    return latest(email, 'invitation')
  }
  /** Opens a link, signs in by magic link for `email` on the page it leads to, and lands back on the link's page. */
  const signInThrough = async (link: string, email: string) => {
    const page = await newPage()
    await page.goto(link)
    expect(new URL(page.url()).pathname).to.equal('/_/signin')
    await page.fill('#email', email)
    await page.click('#magic button')
    expect(await page.textContent('#sent')).to.include(email)
    await page.goto(latest(email, 'magic_link').link!)
    await page.waitForURL(link)
    return page
  }

  it('invite → mailbox → sign-in page → accept: the new member joins, and their MCP session sees the organization', async () => {
    const mail = await invite('newcomer@example.com', 'admin')
    expect(mail.link).to.equal(`${emu.url}/_/invitations/${mail.token}`)
    const page = await signInThrough(mail.link!, 'newcomer@example.com')
    expect(await page.textContent('#organization')).to.equal('Local')
    expect(await page.textContent('#role')).to.equal('admin')
    expect(await page.textContent('#inviter')).to.equal('Local Developer')
    expect(await page.textContent('#signed-in')).to.include('newcomer@example.com')

    const tenant = emu.core.tenants.byEmail('newcomer@example.com')!
    // Signing in with a pending invitation made no organization of the newcomer's own.
    expect(emu.core.orgs.list(tenant.id)).to.have.length(0)
    await page.click('#accept')
    expect(await page.textContent('#accepted')).to.include('admin')
    expect(emu.core.orgs.roleOf(tenant.id, emu.seed.organizationId)).to.equal('admin')
    const logged = emu.core.activity.list(emu.actor, emu.seed.organizationId).find((entry) => entry.action === 'invitation.accept')
    expect(logged).to.deep.include({ actor: { tenantId: tenant.id, email: 'newcomer@example.com' }, client: { kind: 'console', clientId: null } })

    const { client } = await sessionOf(emu, tenant.id, emu.seed.organizationId)
    try {
      const org = toolJson(await client.callTool({ name: 'backend_org_get', arguments: { organizationId: emu.seed.organizationId } }))
      expect(org).to.include({ id: emu.seed.organizationId, role: 'admin' })
    } finally {
      await client.close()
    }
    // The link has done its work: opened again, the page says so and offers no button.
    await page.goto(mail.link!)
    expect(await page.textContent('#status')).to.include('accepted')
    expect(await page.locator('#accept').count()).to.equal(0)
  })

  it('shows a foreign invitation without a button, refuses accepting it, and 404s a replaced link', async () => {
    const mail = await invite('right@example.com', 'member')
    const page = await signInThrough(mail.link!, 'wrong@example.com')
    expect(await page.textContent('#foreign')).to.include('right@example.com')
    expect(await page.locator('#accept').count()).to.equal(0)
    // A hand-made POST from the page's own origin is refused by the core as well.
    const posted = await page.request.post(mail.link!, { headers: { Origin: emu.url }, form: {} })
    expect(posted.status()).to.equal(403)
    expect(await posted.text()).to.include('right@example.com')
    const wrong = emu.core.tenants.byEmail('wrong@example.com')!
    expect(emu.core.orgs.roleOf(wrong.id, emu.seed.organizationId)).to.equal(undefined)

    const listed = toolJson<{ items: Array<{ id: string; email: string }> }>(await owner.callTool({ name: 'backend_member_invitation_list', arguments: {} }))
    const pending = listed.items.find((i) => i.email === 'right@example.com')!
    await owner.callTool({ name: 'backend_member_invitation_resend', arguments: { invitationId: pending.id } })
    const old = await page.goto(mail.link!)
    expect(old?.status()).to.equal(404)
    expect(await page.textContent('#error')).to.include('not valid')
  })

  it('refuses an accept posted from another origin, and sends a visitor without a session to the sign-in page', async () => {
    const mail = await invite('careful@example.com', 'billing')
    const page = await signInThrough(mail.link!, 'careful@example.com')
    const forged = await page.request.post(mail.link!, { headers: { Origin: 'http://evil.example' }, form: {} })
    expect(forged.status()).to.equal(403)
    const careful = emu.core.tenants.byEmail('careful@example.com')!
    expect(emu.core.orgs.roleOf(careful.id, emu.seed.organizationId)).to.equal(undefined)

    const anonymous = await fetch(mail.link!, { redirect: 'manual' })
    expect(anonymous.status).to.equal(302)
    expect(anonymous.headers.get('location')).to.equal(`/_/signin?next=${encodeURIComponent(`/_/invitations/${mail.token}`)}`)
    const tokenOnly = await fetch(mail.link!, { method: 'POST', redirect: 'manual', headers: { Authorization: `Bearer ${emu.ready.tenantToken}`, Origin: emu.url } })
    expect(tokenOnly.status).to.equal(302)
    expect(emu.core.orgs.roleOf(careful.id, emu.seed.organizationId)).to.equal(undefined)
  })
})
