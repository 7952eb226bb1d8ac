import { expect } from 'chai'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DevClockResult } from '../../src/commands/dev/clock.js'
import { runCli } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'
import { startDevHarness, type DevHarness } from '../helpers/dev-harness.js'

describe('cli: bkend dev clock against bkend dev', function () {
  this.timeout(60_000)
  let h: DevHarness

  before(async () => (h = await startDevHarness()))
  after(() => h?.dispose())

  const clock = async (...args: string[]): Promise<DevClockResult> => {
    const out = await h.run(['dev', 'clock', ...args, '--json'])
    expect(out.code, out.stderr).to.equal(0)
    expect(out.stderr).to.equal('')
    return out.json as DevClockResult
  }

  it('shows, advances, rewinds, sets and resets the offset', async () => {
    const start = await clock()
    expect(start).to.include({ offsetSeconds: 0, offset: '0s' })
    expect(Math.abs(Date.parse(start.now) - Date.now())).to.be.below(5000)

    expect(await clock('+1h')).to.include({ offsetSeconds: 3600, offset: '+1h' })
    expect(await clock('-30m')).to.include({ offsetSeconds: 1800, offset: '+30m' })
    expect(await clock('+2d')).to.include({ offsetSeconds: 1800 + 172_800, offset: '+2d30m' })
    expect(await clock('+90s')).to.include({ offsetSeconds: 1890 + 172_800 })
    const set = await clock('--set-offset', '-1d')
    expect(set).to.include({ offsetSeconds: -86_400, offset: '-1d' })
    expect(Date.now() - Date.parse(set.now)).to.be.within(86_395_000, 86_405_000)
    expect(await clock('--reset')).to.include({ offsetSeconds: 0 })
  })

  it('prints now and offset as plain lines without --json', async () => {
    const shifted = await h.run(['dev', 'clock', '+2h'])
    expect(shifted.code).to.equal(0)
    expect(shifted.stdout).to.match(/^Now {5}\d{4}-\d\d-\d\dT[\d:.]+Z\nOffset {2}\+2h from real time\n$/)
    const reset = await h.run(['dev', 'clock', '--reset'])
    expect(reset.stdout).to.include('Offset  0s (real time)')
  })

  it('shifts real expiries: an access token is refused with auth/token-expired two hours later', async () => {
    const { url, environments } = h.dev.ready
    const headers = { 'x-api-key': environments[0]!.publishableKey, 'content-type': 'application/json' }
    const signup = await fetch(`${url}/v1/auth/email/signup`, { method: 'POST', headers, body: JSON.stringify({ email: 'clock@example.com', password: 'secret123' }) })
    const { accessToken } = (await signup.json()) as { accessToken: string }
    const me = () => fetch(`${url}/v1/auth/me`, { headers: { ...headers, authorization: `Bearer ${accessToken}` } })
    expect((await me()).status).to.equal(200)
    await clock('+2h')
    const expired = await me()
    expect(expired.status).to.equal(401)
    expect(((await expired.json()) as { error: { code: string } }).error.code).to.equal('auth/token-expired')
    await clock('--reset')
    expect((await me()).status).to.equal(200)
  })

  const usage: Array<[string[], string]> = [
    [['5'], '"5" is not a duration'],
    [['+1x'], '"+1x" is not a duration'],
    [['--set-offset', 'later'], '"later" is not a duration'],
    [['+1h', '--reset'], 'give either a shift or --reset/--set-offset, not both'],
  ]
  for (const [args, message] of usage) {
    it(`bkend dev clock ${args.join(' ')} → exit 2 with a hint, clock untouched`, async () => {
      const out = await h.run(['dev', 'clock', ...args])
      expect(out.code).to.equal(2)
      expect(out.stdout).to.equal('')
      expect(out.stderr).to.include(`Error: ${message}`)
      expect(out.stderr).to.match(/Hint: .*\+1h/)
      expect((await clock()).offsetSeconds).to.equal(0)
    })
  }

  it('explains when no emulator runs in the data dir, and when its runtime.json is stale', async () => {
    const { dir, cleanup } = await tempDir('bkend-no-dev-')
    try {
      const none = await runCli(['dev', 'clock', '--json'], { cwd: dir, env: { BKEND_DATA_DIR: undefined, BKEND_TARGET: undefined, XDG_CONFIG_HOME: join(dir, 'config') } })
      expect(none.code).to.equal(1)
      expect(none.stdout).to.equal('')
      expect(JSON.parse(none.stderr).error).to.include({ code: 'target/no-emulator' })
      expect(JSON.parse(none.stderr).error.hint).to.include("start one with 'bkend dev'")

      await writeFile(join(dir, 'runtime.json'), JSON.stringify({ ...h.dev.ready, version: 1, pid: 1, url: 'http://127.0.0.1:9', mcpUrl: 'http://127.0.0.1:9/mcp' }))
      const stale = await h.run(['dev', 'clock', '+1h', '--data-dir', dir], { dataDir: false })
      expect(stale.code).to.equal(1)
      expect(stale.stderr).to.include('Error: no bkend dev answers at http://127.0.0.1:9')
      expect(stale.stderr).to.include("Hint: start one with 'bkend dev'")
    } finally {
      await cleanup()
    }
  })

  it('refuses other targets: the clock exists only in the local emulator', async () => {
    for (const target of ['cloud', 'http://127.0.0.1:9']) {
      const out = await h.run(['dev', 'clock', '--target', target])
      expect(out.code).to.equal(1)
      expect(out.stderr).to.include(`Error: the emulator's clock exists only in the local emulator, and the target is ${target}`)
    }
  })
})
