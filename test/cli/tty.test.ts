import { expect } from 'chai'
import { chmod, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { BIN } from '../helpers/cli.js'
import { shellQuote as quote, tmuxAvailable, tmuxTerminal } from '../helpers/tmux.js'
import { startManagementHarness, type ManagementHarness } from './management-harness.js'

/** What a person sees: the built CLI in a real terminal (tmux), the screen captured as text. */
describe('cli: on a terminal (tmux)', function () {
  this.timeout(60_000)
  let h: ManagementHarness
  const terminal = tmuxTerminal(`bkend-tty-${process.pid}`)
  const { waitForScreen } = terminal
  before(async function () {
    if (!(await tmuxAvailable())) throw new Error('the terminal tests need tmux: apt-get install tmux (.ci/run installs it)')
    h = await startManagementHarness()
    expect((await h.run(['tables', 'create', 'posts', '--field', 'title:string!', '--field', 'views:number'])).code).to.equal(0)
    expect((await h.run(['tables', 'create', 'comments'])).code).to.equal(0)
  })
  after(async () => {
    await terminal.close()
    await h?.dispose()
  })

  /** Starts `bkend <command>` in a fresh tmux session; the shell prints `[exit N]` when it ends. */
  function start(command: string, env: Record<string, string> = {}): Promise<void> {
    const vars = Object.entries(env).map(([k, v]) => `${k}=${quote(v)} `).join('')
    return terminal.start(`cd ${quote(h.dir)} && XDG_CONFIG_HOME=${quote(h.configHome)} ${vars}${quote(process.execPath)} ${quote(BIN)} ${command} --data-dir ${quote(h.emu.dataDir)}; echo "[exit $?]"; sleep 60`)
  }

  it('tables list draws a table with headers and one row per table', async () => {
    await start('tables list')
    const screen = await waitForScreen((s) => s.includes('[exit'))
    const lines = screen.split('\n').filter((l) => l.trim() !== '')
    expect(lines[0]).to.match(/^Name\s+Fields\s+Rows\s+Schema v\s+Id\s*$/)
    expect(lines[1]).to.match(/^posts\s+2\s+0\s+1\s+[0-9a-f]{24}\s*$/)
    expect(lines[2]).to.match(/^comments\s+0\s+0\s+1\s+[0-9a-f]{24}\s*$/)
    expect(lines[3]).to.equal('[exit 0]')
  })

  it('a destructive command asks first on a terminal; answering no changes nothing', async () => {
    await start('tables delete posts')
    expect(await waitForScreen((s) => s.includes('[y/N]'))).to.include('Delete table posts in dev with its 0 records? [y/N]')
    await terminal.keys('n', 'Enter')
    const screen = await waitForScreen((s) => s.includes('[exit'))
    expect(screen).to.include('Error: cancelled, nothing was changed').and.include('[exit 1]')
    expect((await h.run(['tables', 'get', 'posts', '--json'])).code).to.equal(0)
  })

  it('mail open prints the e-mail and opens its link in the browser; mail list draws a table', async () => {
    const link = `${h.emu.url}/v1/auth/signup/email/confirm?token=tty-token&email=ada%40example.com`
    await h.emu.core.mailbox.capture({ projectId: h.emu.seed.projectId, environmentId: h.emu.seed.environment.id, type: 'signup_confirmation', to: 'ada@example.com', token: 'tty-token', link })
    // the browser `open` starts on Linux is $BROWSER (through xdg-open): a script that records what it was given
    const browser = join(h.dir, 'browser.sh')
    const opened = join(h.dir, 'opened.txt')
    await writeFile(browser, `#!/bin/sh\necho "$1" >> ${quote(opened)}\n`)
    await chmod(browser, 0o755)
    await start('mail open --latest', { BROWSER: browser, DISPLAY: '' })
    const screen = await waitForScreen((s) => s.includes('[exit'))
    expect(screen).to.include('To        ada@example.com').and.include('Token     tty-token').and.include('Opening the link in your browser').and.include('[exit 0]')
    expect((await readFile(opened, 'utf8')).trim()).to.equal(link)

    await start('mail list')
    const table = (await waitForScreen((s) => s.includes('[exit'))).split('\n').filter((l) => l.trim() !== '')
    expect(table[0]).to.match(/^Id\s+Received\s+Type\s+To\s+Subject\s*$/)
    expect(table[1]).to.match(/^[0-9a-f]{24}\s+\S+Z\s+signup_confirmation\s+ada@example\.com\s+\S/)
  })
})
