import { expect } from 'chai'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { RuntimeFile } from '../../src/contract/emulator.js'
import { BIN } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'
import { shellQuote as quote, tmuxAvailable, tmuxTerminal } from '../helpers/tmux.js'

/** `bkend dev` as a person runs it: a real terminal (tmux), real requests, the screen read back as text. */
describe('cli: bkend dev dashboard on a terminal (tmux)', function () {
  this.timeout(60_000)
  let dir: string
  let cleanup: () => Promise<void>
  const sessions: Array<ReturnType<typeof tmuxTerminal>> = []
  before(async function () {
    if (!(await tmuxAvailable())) throw new Error('the terminal tests need tmux: apt-get install tmux (.ci/run installs it)')
    ;({ dir, cleanup } = await tempDir())
  })
  after(async () => {
    for (const session of sessions) await session.close()
    await cleanup?.()
  })

  /** Starts `bkend dev` on a fresh data dir in a terminal of `columns`; the shell prints `[exit N]` when it ends. */
  async function startDev(name: string, columns: number, redirect = '', envPrefix = '') {
    const terminal = tmuxTerminal(`bkend-dash-${name}-${process.pid}`, { columns, rows: 40 })
    sessions.push(terminal)
    const dataDir = join(dir, name)
    await terminal.start(`${envPrefix}${quote(process.execPath)} ${quote(BIN)} dev --port 0 --data-dir ${quote(dataDir)}${redirect}; echo "[exit $?]"; sleep 60`)
    await terminal.waitForScreen((s) => s.includes('/ filter  p pause') || s.includes('keys are off'))
    const runtime = JSON.parse(await readFile(join(dataDir, 'runtime.json'), 'utf8')) as RuntimeFile
    return { terminal, runtime }
  }

  it('shows each key whole on one line, the requests sent as they come with the denial reason, and q quits with exit 0', async () => {
    const { terminal, runtime } = await startDev('wide', 120)
    const env = runtime.environments[0]!
    const lines = (await terminal.waitForScreen(() => true)).split('\n')
    expect(lines).to.include(`Publishable key  ${env.publishableKey}`)
    expect(lines).to.include(`Secret key       ${env.secretKey}`)
    expect(lines).to.include(`REST API         ${runtime.url}/v1`)

    expect((await fetch(`${runtime.url}/v1/data/posts`)).status).to.equal(401)
    expect((await fetch(`${runtime.url}/v1/users?limit=1`, { headers: { 'X-API-Key': env.secretKey } })).status).to.equal(200)
    const screen = await terminal.waitForScreen((s) => s.includes('/v1/users?limit=1'))
    const rows = screen.split('\n').filter((line) => /^\d\d:\d\d:\d\d\.\d{3} /.test(line))
    expect(rows).to.have.length(2)
    expect(rows[0]).to.match(/GET +401 .*\/v1\/data\/posts guest An API key is required/)
    expect(rows[1]).to.match(/GET +200 .*\/v1\/users\?limit=1/)
    expect(screen).to.match(/requests 2 +2xx 1 +3xx 0 +4xx 1 +5xx 0/)
    // no secret reaches the screen outside the header line that shows it
    expect(screen.split(env.secretKey)).to.have.length(2)

    await terminal.keys('q')
    const end = await terminal.waitForScreen((s) => s.includes('[exit'))
    expect(end).to.include('SIGINT: stopping').and.include('[exit 0]')
  })

  it("o opens the console's mailbox in the browser: the URL it hands over signs in once and lands on the mailbox page", async () => {
    // the browser is a script that writes down the URL it was asked to open (xdg-open hands it to $BROWSER)
    const opened = join(dir, 'opened-url')
    const browser = join(dir, 'browser.sh')
    await writeFile(browser, `#!/bin/sh\nprintf '%s' "$1" > ${quote(opened)}\n`, { mode: 0o755 })
    const { terminal, runtime } = await startDev('mailbox', 120, '', `BROWSER=${quote(browser)} `)
    await terminal.keys('o')
    let url = ''
    for (let tries = 0; tries < 100 && !url; tries++) {
      url = await readFile(opened, 'utf8').catch(() => '')
      if (!url) await new Promise((done) => setTimeout(done, 100))
    }
    expect(url).to.match(new RegExp(`^${runtime.url}/_/signin/once/`))
    const signIn = await fetch(url, { redirect: 'manual' })
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!
    // the sign-in page moves on by a refresh (SameSite=Strict), to the mailbox of the seeded environment
    const next = /url=([^"]+)"/i.exec(await signIn.text())?.[1] ?? signIn.headers.get('location')!
    expect(next).to.equal('/_/o/local/p/local/e/dev/mailbox')
    const page = await fetch(runtime.url + next, { headers: { cookie }, redirect: 'manual' })
    expect(page.status).to.equal(200)
    expect(await page.text()).to.include('aria-current="page"')
    // used once: the same URL signs in no more
    expect((await fetch(url, { redirect: 'manual' })).headers.get('set-cookie')).to.equal(null)
    await terminal.keys('q')
    expect(await terminal.waitForScreen((s) => s.includes('[exit'))).to.include('[exit 0]')
  })

  it('on a narrow terminal a key wraps as plain text the terminal joins back, never cut', async () => {
    const { terminal, runtime } = await startDev('narrow', 50)
    const env = runtime.environments[0]!
    const joined = (await terminal.waitForScreen(() => true, { joinWrapped: true })).split('\n')
    expect(joined).to.include(`Secret key       ${env.secretKey}`)
    expect(joined).to.include(`Publishable key  ${env.publishableKey}`)
    await terminal.keys('C-c')
    expect(await terminal.waitForScreen((s) => s.includes('[exit'))).to.include('[exit 0]')
  })

  it('with standard input not a terminal the dashboard still runs, says the keys are off, and Ctrl+C stops it', async () => {
    const { terminal } = await startDev('no-stdin', 120, ' < /dev/null')
    const screen = await terminal.waitForScreen((s) => s.includes('keys are off'))
    expect(screen).to.include('Standard input is not a terminal, so the keys are off; Ctrl+C stops.').and.not.include('Raw mode')
    await terminal.keys('C-c')
    expect(await terminal.waitForScreen((s) => s.includes('[exit'))).to.include('[exit 0]')
  })
})
