import { expect } from 'chai'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { BIN } from '../helpers/cli.js'
import { shellQuote as quote, tmuxAvailable, tmuxTerminal } from '../helpers/tmux.js'
import { startManagementHarness, type ManagementHarness } from './management-harness.js'

/** `bkend push` in a real terminal (tmux): the plan, then the question; only `y` applies it. */
describe('cli: bkend push on a terminal (tmux)', function () {
  this.timeout(60_000)
  let h: ManagementHarness
  const terminal = tmuxTerminal(`bkend-push-tty-${process.pid}`)

  before(async function () {
    if (!(await tmuxAvailable())) throw new Error('the terminal tests need tmux: apt-get install tmux (.ci/run installs it)')
    h = await startManagementHarness()
    await mkdir(join(h.dir, 'bkend', 'tables'), { recursive: true })
    await writeFile(join(h.dir, 'bkend', 'tables', 'posts.json'), JSON.stringify({ name: 'posts', fields: { title: { type: 'string', required: true } } }))
  })
  after(async () => {
    await terminal.close()
    await h?.dispose()
  })

  const push = () => terminal.start(`cd ${quote(h.dir)} && XDG_CONFIG_HOME=${quote(h.configHome)} ${quote(process.execPath)} ${quote(BIN)} push --data-dir ${quote(h.emu.dataDir)}; echo "[exit $?]"; sleep 60`)

  it('shows the plan and asks; Enter cancels and changes nothing, y applies it', async () => {
    await push()
    let screen = await terminal.waitForScreen((s) => s.includes('[y/N]'))
    expect(screen).to.contain('Plan for dev (1 change):').and.contain('+ create table posts (1 field, 0 indexes)').and.contain('Push 1 change to dev? [y/N]')
    await terminal.keys('Enter')
    screen = await terminal.waitForScreen((s) => s.includes('[exit'))
    expect(screen).to.contain('cancelled, nothing was changed').and.contain('[exit 1]')
    expect((await h.run(['tables', 'list', '--json'])).json.tables).to.have.length(0)

    await push()
    await terminal.waitForScreen((s) => s.includes('[y/N]'))
    await terminal.keys('y', 'Enter')
    screen = await terminal.waitForScreen((s) => s.includes('[exit'))
    expect(screen).to.contain('Pushed 1 change to dev.').and.contain('[exit 0]')
    expect((await h.run(['tables', 'list', '--json'])).json.tables.map((t: { tableName: string }) => t.tableName)).to.deep.equal(['posts'])
  })
})
