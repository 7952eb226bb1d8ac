import { expect } from 'chai'
import type { MailClearResult } from '../../src/commands/mail/clear.js'
import type { MailListResult } from '../../src/commands/mail/list.js'
import type { MailOpenResult } from '../../src/commands/mail/open.js'
import type { MailboxMessage } from '../../src/contract/mailbox.js'
import { startDevHarness, type DevHarness } from '../helpers/dev-harness.js'

/** `bkend mail` against a spawned bkend dev whose mailbox holds the e-mails of three real flows. */
describe('cli: bkend mail', function () {
  this.timeout(60_000)
  let h: DevHarness
  /** Oldest first: ada's sign-up confirmation, ada's password reset (no link), bob's magic link. */
  let sent: MailboxMessage[]

  before(async () => {
    h = await startDevHarness()
    const post = async (path: string, body: unknown) => {
      const response = await fetch(h.dev.ready.url + path, { method: 'POST', headers: { 'x-api-key': h.dev.ready.environments[0]!.publishableKey, 'content-type': 'application/json' }, body: JSON.stringify(body) })
      expect(response.status, `${path}: ${await response.text()}`).to.be.oneOf([200, 201])
    }
    await post('/v1/auth/email/signup', { email: 'ada@example.com', password: 'secret123' })
    await post('/v1/auth/password/reset/request', { email: 'ada@example.com' })
    await post('/v1/auth/email/signin', { method: 'magiclink', email: 'bob@example.com', callbackUrl: 'http://localhost:3000/auth/callback' })
    const list = await fetch(`${h.dev.ready.url}/_emulator/mailbox`, { headers: { authorization: `Bearer ${h.dev.ready.tenantToken}` } })
    sent = ((await list.json()) as MailListResult).items.reverse()
    expect(sent.map((m) => m.type)).to.deep.equal(['signup_confirmation', 'password_reset', 'magic_link'])
  })
  after(() => h?.dispose())

  it('lists newest first, filters by --to and --type, and pages', async () => {
    const all = await h.run(['mail', 'list', '--json'])
    expect(all.code, all.stderr).to.equal(0)
    const list = all.json as MailListResult
    expect(list.items.map((m) => m.id)).to.deep.equal(sent.map((m) => m.id).reverse())
    expect(list.pagination).to.include({ total: 3, page: 1, limit: 20 })

    const toAda = (await h.run(['mail', 'list', '--to', 'ADA@example.com', '--json'])).json as MailListResult
    expect(toAda.items.map((m) => m.type)).to.deep.equal(['password_reset', 'signup_confirmation'])
    const magic = (await h.run(['mail', 'list', '--type', 'magic_link', '--json'])).json as MailListResult
    expect(magic.items.map((m) => m.to)).to.deep.equal(['bob@example.com'])
    const second = (await h.run(['mail', 'list', '--limit', '1', '--page', '2', '--json'])).json as MailListResult
    expect(second.items.map((m) => m.id)).to.deep.equal([sent[1]!.id])
    expect(second.pagination).to.include({ total: 3, totalPages: 3, hasNext: true, hasPrev: true })
  })

  it('prints a plain table with a page line when piped', async () => {
    const out = await h.run(['mail', 'list'])
    expect(out.code).to.equal(0)
    const lines = out.stdout.trimEnd().split('\n')
    expect(lines[0]).to.match(/^Id\s+Received\s+Type\s+To\s+Subject$/)
    expect(lines[1]).to.match(new RegExp(`^${sent[2]!.id}\\s+\\d{4}-\\d\\d-\\d\\dT\\S+Z\\s+magic_link\\s+bob@example\\.com\\s+${sent[2]!.subject.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`))
    expect(lines).to.have.length(5)
    expect(lines.at(-1)).to.equal('page 1 of 1, 3 e-mails')
  })

  it('opens a message by id, or the newest matching one; without a terminal it only prints', async () => {
    const byId = await h.run(['mail', 'open', sent[0]!.id])
    expect(byId.code, byId.stderr).to.equal(0)
    expect(byId.stderr).to.equal('')
    expect(byId.stdout).to.include('From      noreply@bkend.local\nTo        ada@example.com\n')
    expect(byId.stdout).to.include(`Type      signup_confirmation\nLink      ${sent[0]!.link}\nToken     ${sent[0]!.token}\n`)
    expect(byId.stdout).to.include(`\n\n${sent[0]!.text.trimEnd()}\n`)

    const latest = (await h.run(['mail', 'open', '--latest', '--json'])).json as MailOpenResult
    expect(latest).to.include({ id: sent[2]!.id, token: sent[2]!.token, opened: false })
    const latestAda = (await h.run(['mail', 'open', '--latest', '--to', 'ada@example.com', '--type', 'signup_confirmation', '--json'])).json as MailOpenResult
    expect(latestAda).to.include({ id: sent[0]!.id, link: sent[0]!.link })

    const noLink = await h.run(['mail', 'open', '--latest', '--type', 'password_reset', '--no-open'])
    expect(noLink.stdout).to.include(`Link      none\nToken     ${sent[1]!.token}\n`)
  })

  const failures: Array<[string[], number, string, string]> = [
    [['mail', 'open'], 2, 'name one message: an id, or --latest', 'e.g. bkend mail open --latest'],
    [['mail', 'open', 'abc', '--latest'], 2, 'name one message: an id, or --latest', 'e.g. bkend mail open --latest'],
    [['mail', 'open', '0123456789abcdef01234567'], 1, 'Mailbox message 0123456789abcdef01234567 not found', "list the messages with 'bkend mail list'"],
    [['mail', 'open', '--latest', '--type', 'invitation'], 1, 'the mailbox has no e-mail (invitation)', 'run the flow that sends it first; bkend mail list'],
    [['mail', 'list', '--type', 'postcard'], 2, 'Expected --type=postcard to be one of', ''],
    [['mail', 'list', '--target', 'cloud'], 1, 'the mailbox exists only in the local emulator, and the target is cloud', "start 'bkend dev'"],
  ]
  for (const [args, code, message, hint] of failures) {
    it(`bkend ${args.join(' ')} → exit ${code}: ${message}`, async () => {
      const out = await h.run(args)
      expect(out.code).to.equal(code)
      expect(out.stdout).to.equal('')
      expect(out.stderr).to.include(message)
      if (hint) expect(out.stderr).to.include(`Hint: ${hint}`)
    })
  }

  it('says clearly when no emulator runs', async () => {
    const out = await h.run(['mail', 'list', '--data-dir', `${h.dir}/nowhere`, '--json'], { dataDir: false })
    expect(out.code).to.equal(1)
    expect(out.errorJson.error).to.include({ code: 'target/no-emulator' })
    expect(out.errorJson.error.message).to.include('no running bkend dev found in')
  })

  it('clears only with --yes when no terminal is attached', async () => {
    const refused = await h.run(['mail', 'clear'])
    expect(refused.code).to.equal(2)
    expect(refused.stderr).to.include('Error: Delete all 3 e-mails in the mailbox: needs confirmation')
    expect(((await h.run(['mail', 'list', '--json'])).json as MailListResult).pagination.total).to.equal(3)

    const cleared = await h.run(['mail', 'clear', '--yes', '--json'])
    expect(cleared.json as MailClearResult).to.deep.equal({ deleted: 3 })
    expect(((await h.run(['mail', 'list', '--json'])).json as MailListResult).items).to.deep.equal([])
    expect((await h.run(['mail', 'clear'])).stdout).to.equal('The mailbox is already empty.\n')
  })
})
