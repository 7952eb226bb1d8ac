import { expect } from 'chai'
import { BIN } from '../helpers/cli.js'
import { shellQuote as quote, tmuxAvailable, tmuxTerminal } from '../helpers/tmux.js'
import { startManagementHarness, type ManagementHarness } from './management-harness.js'

/** Did-you-mean at a terminal: Enter never runs the suggestion, and `dev` or a delete is never offered at all. */
describe('cli: did-you-mean on a terminal (tmux)', function () {
  this.timeout(60_000)
  let h: ManagementHarness
  const terminal = tmuxTerminal(`bkend-tty-suggest-${process.pid}`)
  before(async function () {
    if (!(await tmuxAvailable())) throw new Error('the terminal tests need tmux: apt-get install tmux (.ci/run installs it)')
    h = await startManagementHarness()
    expect((await h.run(['tables', 'create', 'posts'])).code).to.equal(0)
  })
  after(async () => {
    await terminal.close()
    await h?.dispose()
  })

  function start(command: string): Promise<void> {
    return terminal.start(`cd ${quote(h.dir)} && XDG_CONFIG_HOME=${quote(h.configHome)} ${quote(process.execPath)} ${quote(BIN)} ${command} --data-dir ${quote(h.emu.dataDir)}; echo "[exit $?]"; sleep 60`)
  }

  it('asks with No as the default: Enter runs nothing and exits 2', async () => {
    await start('tabels list')
    const prompt = await terminal.waitForScreen((s) => s.includes('[y/N]'))
    expect(prompt).to.include('Error: "tabels list" is not a bkend command').and.include('Did you mean "bkend tables list"? Run it? [y/N]')
    await terminal.keys('Enter')
    const screen = await terminal.waitForScreen((s) => s.includes('[exit'))
    expect(screen).to.include('[exit 2]').and.not.include('posts')
  })

  it('runs the suggestion, with the flags given, on an explicit y', async () => {
    await start('tabels list')
    await terminal.waitForScreen((s) => s.includes('[y/N]'))
    await terminal.keys('y', 'Enter')
    const screen = await terminal.waitForScreen((s) => s.includes('[exit'))
    expect(screen).to.match(/^posts\s+0\s+0\s+1\s+[0-9a-f]{24}\s*$/m)
    expect(screen).to.include('[exit 0]')
  })

  it('never offers to run dev (long-running) or a delete: prints the suggestion and exits 2', async () => {
    for (const [typed, meant] of [['dve', 'dev'], ['tables delte posts', 'tables delete']] as const) {
      await start(typed)
      const screen = await terminal.waitForScreen((s) => s.includes('[exit'))
      expect(screen).to.include(`Hint: did you mean "bkend ${meant}"?`).and.include('[exit 2]').and.not.include('[y/N]')
    }
    expect((await h.run(['tables', 'get', 'posts', '--json'])).code).to.equal(0)
  })
})
