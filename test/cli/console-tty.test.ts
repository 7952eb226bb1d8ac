import { expect } from 'chai'
import { BIN } from '../helpers/cli.js'
import { shellQuote as quote, tmuxAvailable, tmuxTerminal } from '../helpers/tmux.js'
import { startManagementHarness, type ManagementHarness } from './management-harness.js'

/** The console commands' confirmations as a person sees them at a terminal (tmux). */
describe('cli: console commands on a terminal (tmux)', function () {
  this.timeout(60_000)
  let h: ManagementHarness
  const terminal = tmuxTerminal(`bkend-console-tty-${process.pid}`)
  const { waitForScreen } = terminal

  before(async function () {
    if (!(await tmuxAvailable())) throw new Error('the terminal tests need tmux: apt-get install tmux (.ci/run installs it)')
    h = await startManagementHarness()
  })
  after(async () => {
    await terminal.close()
    await h?.dispose()
  })

  function start(command: string): Promise<void> {
    return terminal.start(`cd ${quote(h.dir)} && XDG_CONFIG_HOME=${quote(h.configHome)} ${quote(process.execPath)} ${quote(BIN)} ${command} --data-dir ${quote(h.emu.dataDir)}; echo "[exit $?]"; sleep 60`)
  }
  const keyIds = async () => ((await h.run(['keys', 'list', '--json'])).json.keys as Array<{ id: string }>).map((k) => k.id)

  it('keys delete asks for the key name: a wrong name cancels, the right one deletes', async () => {
    const created = (await h.run(['keys', 'create', 'web-app', '--json'])).json as { id: string; maskedKey: string }
    await start('keys delete web-app')
    const question = await waitForScreen((s) => s.includes('Type web-app to confirm:'))
    expect(question).to.include(`Deleting publishable key web-app (${created.maskedKey}) in dev: apps using it stop working.`)
    expect(question).to.include('This cannot be undone.')
    await terminal.keys('y', 'Enter')
    const cancelled = await waitForScreen((s) => s.includes('[exit'))
    expect(cancelled).to.include('Error: cancelled, nothing was changed').and.include('[exit 1]')
    expect(await keyIds()).to.include(created.id)

    await start('keys delete web-app')
    await waitForScreen((s) => s.includes('Type web-app to confirm:'))
    await terminal.keys('web-app', 'Enter')
    const screen = await waitForScreen((s) => s.includes('[exit'))
    expect(screen).to.include(`Deleted publishable key web-app (${created.maskedKey}).`).and.include('[exit 0]')
    expect(await keyIds()).to.not.include(created.id)
  })

  it('auth providers delete asks y/N; n keeps the configuration', async () => {
    await start('auth providers delete google')
    expect(await waitForScreen((s) => s.includes('[y/N]'))).to.include('Delete the google sign-in configuration (users can no longer sign in with google)? [y/N]')
    await terminal.keys('n', 'Enter')
    expect(await waitForScreen((s) => s.includes('[exit'))).to.include('[exit 1]')
    const list = (await h.run(['auth', 'providers', 'list', '--json'])).json as { providers: Array<{ provider: string; settings: unknown }> }
    expect(list.providers.find((p) => p.provider === 'google')?.settings).to.not.equal(null)
  })
})
