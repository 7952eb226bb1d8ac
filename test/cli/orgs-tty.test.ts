import { expect } from 'chai'
import { BIN } from '../helpers/cli.js'
import { join } from '../helpers/teams.js'
import { shellQuote as quote, tmuxAvailable, tmuxTerminal } from '../helpers/tmux.js'
import { startManagementHarness, type ManagementHarness } from './management-harness.js'

/** The destructive orgs commands at a real terminal (tmux): delete wants the slug typed, the others y; without a terminal, --yes. */
describe('cli: destructive orgs commands confirm on a terminal (tmux) and need --yes without one', function () {
  this.timeout(90_000)
  let h: ManagementHarness
  const terminal = tmuxTerminal(`bkend-orgs-tty-${process.pid}`)

  before(async function () {
    if (!(await tmuxAvailable())) throw new Error('the terminal tests need tmux: apt-get install tmux (.ci/run installs it)')
    h = await startManagementHarness()
    await h.emu.core.orgs.create(h.emu.actor.tenantId, { name: 'Acme', slug: 'acme' })
    const kim = await h.emu.core.orgs.createTenant('kim@example.com', 'Kim')
    await join(h.emu, h.emu.actor, kim.id, 'kim@example.com', 'member')
  })
  after(async () => {
    await terminal.close()
    await h?.dispose()
  })

  const bkend = (args: string) => terminal.start(`cd ${quote(h.dir)} && XDG_CONFIG_HOME=${quote(h.configHome)} ${quote(process.execPath)} ${quote(BIN)} ${args} --data-dir ${quote(h.emu.dataDir)}; echo "[exit $?]"; sleep 60`)
  const slugs = async () => (await h.run(['orgs', 'list', '--json'])).json.organizations.map((o: { slug: string }) => o.slug)
  const emails = async () => (await h.run(['orgs', 'members', 'list', '--json'])).json.members.map((m: { email: string }) => m.email)

  it('orgs delete: says what goes, a wrong slug cancels, the slug deletes', async () => {
    await bkend('orgs delete acme')
    let screen = await terminal.waitForScreen((s) => s.includes('Type acme to confirm:'), { joinWrapped: true })
    expect(screen).to.contain('Deleting organization acme (').and.contain('with all its projects, members, API keys and activity').and.contain('This cannot be undone.')
    await terminal.keys('local', 'Enter')
    screen = await terminal.waitForScreen((s) => s.includes('[exit'))
    expect(screen).to.contain('cancelled, nothing was changed').and.contain('[exit 1]')
    expect(await slugs()).to.include('acme')

    await bkend('orgs delete acme')
    await terminal.waitForScreen((s) => s.includes('Type acme to confirm:'))
    await terminal.keys('acme', 'Enter')
    screen = await terminal.waitForScreen((s) => s.includes('[exit'))
    expect(screen).to.contain('Deleted organization acme.').and.contain('[exit 0]')
    expect(await slugs()).to.deep.equal(['local'])
  })

  it('orgs members remove: Enter cancels, y removes', async () => {
    await bkend('orgs members remove kim@example.com')
    let screen = await terminal.waitForScreen((s) => s.includes('[y/N]'), { joinWrapped: true })
    expect(screen).to.contain('Remove kim@example.com (member) from local? Their access ends at once. [y/N]')
    await terminal.keys('Enter')
    screen = await terminal.waitForScreen((s) => s.includes('[exit'))
    expect(screen).to.contain('[exit 1]')
    expect(await emails()).to.include('kim@example.com')

    await bkend('orgs members remove kim@example.com')
    await terminal.waitForScreen((s) => s.includes('[y/N]'))
    await terminal.keys('y', 'Enter')
    screen = await terminal.waitForScreen((s) => s.includes('[exit'))
    expect(screen).to.contain('Removed kim@example.com from local.').and.contain('[exit 0]')
    expect(await emails()).to.deep.equal(['developer@localhost'])
  })

  it('without a terminal, every destructive command refuses without --yes (exit 2) and changes nothing', async () => {
    await h.run(['orgs', 'members', 'invite', 'lee@example.com'])
    const cases = [
      ['orgs', 'delete', 'local'],
      ['orgs', 'transfer', 'developer@localhost'],
      ['orgs', 'leave', 'local'],
      ['orgs', 'members', 'remove', 'developer@localhost'],
      ['orgs', 'invitations', 'cancel', 'lee@example.com'],
    ]
    for (const args of cases) {
      const run = await h.run(args)
      expect(run.code, args.join(' ')).to.equal(2)
      expect(run.stderr, args.join(' ')).to.include('needs confirmation').and.include('Hint: pass --yes to confirm when no terminal is attached')
    }
    expect(await slugs()).to.deep.equal(['local'])
    const pending = (await h.run(['orgs', 'invitations', 'list', '--json'])).json.invitations
    expect(pending.map((i: { email: string }) => i.email)).to.deep.equal(['lee@example.com'])
  })
})
