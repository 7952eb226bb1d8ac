import { expect } from 'chai'
import { render } from 'ink-testing-library'
import type { MailboxMessage } from '../../../src/contract/mailbox.js'
import { RequestLog } from '../../../src/emulator/core/observe/request-log.js'
import { DashboardModel } from '../../../src/ui/dashboard/model.js'
import { DevDashboard, HOTKEYS, type DashboardActions } from '../../../src/ui/dev-dashboard.js'
import { mail, requestEvent } from './events.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const SECRET = 'sk_dev_4f0c2a9e7b1d6c3a8e5f2b9d7c1a4e6f0b3d8c2a'
const info = {
  url: 'http://127.0.0.1:4100',
  mcpUrl: 'http://127.0.0.1:4100/mcp',
  consoleUrl: 'http://127.0.0.1:4100/_/signin/once/ab12',
  dataDir: '/tmp/app/.bkend',
  organizationId: '6b026e6b84da112f9a739e62',
  projectId: '6b026e6b84da112f9a739e64',
  environment: { id: '6b026e6b84da112f9a739e65', name: 'dev', publishableKey: 'pk_dev_9a8b7c6d5e4f3a2b1c0d', secretKey: SECRET },
}

describe('ui: DevDashboard', () => {
  const cleanups: Array<() => void> = []
  afterEach(() => cleanups.splice(0).forEach((cleanup) => cleanup()))

  /** The dashboard on a fake terminal `columns` wide, with the actions it took recorded. */
  function mount(options: { columns?: number; mails?: MailboxMessage[]; rows?: number; mode?: string; faults?: string; dataDir?: string } = {}) {
    const log = new RequestLog(1000)
    const mails = options.mails ?? []
    const model = new DashboardModel({ log, latestMails: (limit) => mails.slice(0, limit), rows: options.rows ?? 8, throttleMs: 5, mailPollMs: 5 })
    const calls: string[] = []
    const actions: DashboardActions = {
      openUrl: async (url) => (calls.push(`open ${url}`), true),
      mailboxUrl: async () => (calls.push('mailbox url'), 'http://127.0.0.1:4100/_/signin/once/cd34?next=mailbox'),
      reset: async (env) => (calls.push(`reset ${env}`), `Reset ${env}: removed 2 records, 1 user, 0 files; tables, keys and settings kept.`),
      quit: () => calls.push('quit'),
    }
    const ui = render(<DevDashboard info={{ ...info, mode: options.mode, faults: options.faults, dataDir: options.dataDir ?? info.dataDir }} model={model} actions={actions} columns={options.columns ?? 120} />)
    cleanups.push(() => {
      ui.unmount()
      model.dispose()
    })
    const frame = () => ui.lastFrame() ?? ''
    /** Types keys one at a time, as a person does, and lets the screen catch up. */
    const type = async (...keys: string[]) => {
      for (const key of keys) {
        ui.stdin.write(key)
        await sleep(20)
      }
      await sleep(30)
    }
    /** Waits until the screen shows `text` (the model redraws on its own timers, which a busy machine delays). */
    const until = async (text: string) => {
      for (let tries = 0; tries < 200 && !frame().includes(text); tries++) await sleep(10)
    }
    return { log, model, calls, frame, type, mails, until }
  }

  it('shows the URLs and keys whole, each on its own line and outside any box', async () => {
    const { frame } = mount()
    const lines = frame().split('\n')
    expect(lines).to.include('Publishable key  pk_dev_9a8b7c6d5e4f3a2b1c0d')
    expect(lines).to.include(`Secret key       ${SECRET}`)
    expect(lines).to.include('REST API         http://127.0.0.1:4100/v1')
    expect(lines).to.include('MCP              http://127.0.0.1:4100/mcp')
    expect(lines).to.include('Console          http://127.0.0.1:4100/_/signin/once/ab12 (once; later: bkend open)')
    expect(lines).to.include('Environment      dev (6b026e6b84da112f9a739e65)')
    expect(frame()).to.not.match(/[╭│╰]/)
    expect(frame()).to.include('(no requests yet: the REST API is http://127.0.0.1:4100/v1)')
  })

  it('writes a value wider than the terminal whole on one line, for the terminal to wrap, never cut or broken by ink', async () => {
    // the test terminal is 100 columns wide
    const dataDir = `/home/someone/projects/${'a-very-long-folder-name/'.repeat(5)}.bkend`
    const { frame } = mount({ dataDir, columns: 100 })
    expect(dataDir.length).to.be.greaterThan(100)
    expect(frame().split('\n')).to.include(`Data dir         ${dataDir}`)
  })

  it('shows a mode line only when a mode is on', async () => {
    expect(mount({ mode: 'cloud parity: only what the hosted service documents' }).frame()).to.match(/Mode\s+cloud parity: only what the hosted service documents/)
    expect(mount().frame()).to.not.include('Mode')
  })

  it('shows a faults line only when faults are injected', async () => {
    expect(mount({ faults: 'every API request: 20% fail with 503' }).frame()).to.match(/Faults\s+every API request: 20% fail with 503/)
    expect(mount().frame()).to.not.include('Faults')
  })

  it('streams requests newest at the bottom with the denial reason, the fault mark and counts per status class', async () => {
    const { log, frame } = mount()
    log.append(requestEvent({ method: 'GET', path: '/v1/data/posts', status: 200, who: { kind: 'key', keyType: 'publishable', keyName: 'default', keyPrefix: 'pk_dev_9a' } }))
    log.append(requestEvent({ method: 'POST', path: '/v1/data/posts', status: 403, code: 'data/permission-denied', denial: { check: 'role', message: 'group guest lacks posts:create' } }))
    log.append(requestEvent({ method: 'GET', path: '/v1/users', status: 503, fault: { rule: 'global', latencyMs: 250, failed: true } }))
    await sleep(40)
    const lines = frame().split('\n')
    const rows = lines.filter((line) => /^\d\d:\d\d:\d\d\.\d{3} /.test(line))
    expect(rows).to.have.length(3)
    expect(rows[0]).to.match(/GET +200 +2ms \/v1\/data\/posts \[dev\] publishable default$/)
    expect(rows[1]).to.match(/POST +403 .* group guest lacks posts:create$/)
    expect(rows[2]).to.match(/GET +503 .*fault \+250ms failed$/)
    expect(frame()).to.match(/requests 3 +2xx 1 +3xx 0 +4xx 1 +5xx 1/)
  })

  it('/ filters by status class and path; a filter that does not parse changes nothing and says why', async () => {
    const { log, frame, type } = mount()
    log.append(requestEvent({ path: '/v1/data/posts', status: 200 }))
    log.append(requestEvent({ path: '/v1/data/posts', status: 403 }))
    log.append(requestEvent({ path: '/v1/users', status: 401 }))
    await type('/')
    expect(frame()).to.include('Filter (4xx, 404, env:<name>, a path; empty clears):')
    await type('4', 'x', 'x', ' ', 'p', 'o', 's', 't', 's', '\r')
    const rows = () => frame().split('\n').filter((line) => /^\d\d:\d\d:\d\d/.test(line))
    expect(rows()).to.have.length(1)
    expect(rows()[0]).to.match(/403 .*\/v1\/data\/posts/)
    expect(frame()).to.include('filter 4xx posts')
    await type('/', '\x7f', '\x7f', '\x7f', '\x7f', '\x7f', '\x7f', '\x7f', '\x7f', '\x7f', '9', 'x', 'x', '\r')
    expect(frame()).to.include('Filter not changed: 9xx is not a status')
    expect(rows()).to.have.length(1)
    await type('/', '\x1b')
    expect(frame()).to.include('filter 4xx posts')
  })

  it('p pauses with a "paused, N new" mark while requests keep counting; p again catches up; c clears', async () => {
    const { log, frame, type } = mount()
    log.append(requestEvent({ path: '/first' }))
    await sleep(30)
    await type('p')
    log.append(requestEvent({ path: '/second' }))
    log.append(requestEvent({ path: '/third', status: 404 }))
    await sleep(40)
    expect(frame()).to.include('paused, 2 new')
    expect(frame()).to.match(/requests 3 /)
    expect(frame()).to.include('/first').and.not.include('/second')
    await type('p')
    expect(frame()).to.not.include('paused')
    expect(frame()).to.include('/second').and.include('/third')
    await type('c')
    expect(frame()).to.match(/requests 0 +2xx 0 +3xx 0 +4xx 0 +5xx 0/)
    expect(frame()).to.not.include('/first')
    expect(log.recent(10)).to.have.length(3)
  })

  it('lists the latest e-mails; m shows more; l opens the latest link, or shows the token when there is none', async () => {
    const mails = Array.from({ length: 6 }, (_, i) => mail({ to: `user${i}@example.com` }))
    const { frame, type, calls, until } = mount({ mails })
    await until('user2@example.com')
    expect(frame()).to.include('user2@example.com').and.not.include('user3@example.com')
    await type('m')
    await until('user5@example.com')
    expect(frame()).to.include('user5@example.com')
    await type('l')
    expect(calls).to.deep.equal([`open ${mails[0]!.link}`])
    expect(frame()).to.include(`Opening ${mails[0]!.link}`)
    mails.unshift(mail({ type: 'password_reset', link: null, token: 'reset-token-1' }))
    await until('password_reset')
    await type('l')
    expect(calls).to.have.length(1)
    expect(frame()).to.include('has no link; its token: reset-token-1')
  })

  it("o opens the console's mailbox through a one-time sign-in URL", async () => {
    const { frame, type, calls } = mount()
    await type('o')
    expect(calls).to.deep.equal(['mailbox url', 'open http://127.0.0.1:4100/_/signin/once/cd34?next=mailbox'])
    expect(frame()).not.to.include('Could not')
  })

  it('r asks which environment and y/N: y resets and says what went, anything else changes nothing', async () => {
    const { frame, type, calls } = mount()
    await type('r')
    expect(frame()).to.include('Reset which environment? (Enter: dev)')
    await type('\r')
    expect(frame()).to.include('Reset environment dev: delete its records, users and files? [y/N]')
    await type('n')
    expect(frame()).to.include('Reset cancelled, nothing was changed.')
    expect(calls).to.deep.equal([])
    await type('r', 's', 't', 'a', 'g', 'e', '\r', 'y')
    expect(calls).to.deep.equal(['reset stage'])
    expect(frame()).to.include('Reset stage: removed 2 records, 1 user, 0 files')
  })

  it('? lists every hotkey; q and Ctrl+C quit', async () => {
    const { frame, type, calls } = mount()
    await type('?')
    expect(HOTKEYS).to.have.length(9)
    for (const [key, what] of HOTKEYS) expect(frame()).to.include(`${key.padEnd(3)}${what}`)
    await type('x')
    expect(frame()).to.not.include('(any key closes this help)')
    await type('q')
    await type('\x03')
    expect(calls).to.deep.equal(['quit', 'quit'])
  })
})
