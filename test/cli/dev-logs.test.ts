import { expect } from 'chai'
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import type { RequestEvent } from '../../src/contract/request-log.js'
import { BIN, withoutMachineBkendEnv } from '../helpers/cli.js'
import { startDevHarness, type DevHarness } from '../helpers/dev-harness.js'

describe('cli: bkend dev logs against bkend dev', function () {
  this.timeout(60_000)
  let h: DevHarness
  let ids: string[]

  before(async () => {
    h = await startDevHarness()
    const url = h.dev.ready.url
    ids = []
    for (const [path, headers] of [
      ['/v1/auth/me', {}],
      ['/v1/users', { 'X-API-Key': h.dev.ready.environments[0]!.secretKey }],
      ['/nowhere', {}],
    ] as const) {
      ids.push((await fetch(url + path, { headers })).headers.get('x-request-id')!)
    }
    // the log hook runs once a response is out; give the last one a moment
    await new Promise((done) => setTimeout(done, 100))
  })
  after(() => h?.dispose())

  it('prints the recent requests as plain lines, oldest first, with who and the refusal', async () => {
    const out = await h.run(['dev', 'logs', '--path', '/v1/'])
    expect(out.code, out.stderr).to.equal(0)
    const lines = out.stdout.trimEnd().split('\n')
    expect(lines).to.have.length(2)
    expect(lines[0]).to.match(/ 401 GET \/v1\/auth\/me [\d.]+ms guest — auth\/unauthorized: credential: /)
    expect(lines[1]).to.match(/ 200 GET \/v1\/users [\d.]+ms default-secret \(sk_[0-9a-f]{8}\) env dev$/)
    expect(out.stdout).not.to.contain(h.dev.ready.environments[0]!.secretKey)
  })

  it('--json --status 4xx: NDJSON of the matching requests', async () => {
    const out = await h.run(['dev', 'logs', '--json', '--status', '4xx', '--path', '/', '--limit', '10'])
    expect(out.code, out.stderr).to.equal(0)
    const events = out.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as RequestEvent)
    expect(events.length).to.be.greaterThan(1)
    expect(events.map((event) => event.id)).to.include.members([ids[0], ids[2]])
    for (const event of events) expect(event.status).to.be.within(400, 499)
  })

  it('a filter the emulator refuses is a usage error naming it, exit 2', async () => {
    const out = await h.run(['dev', 'logs', '--status', '4yy'])
    expect(out.code).to.equal(2)
    expect(out.stderr).to.contain('status "4yy" is not a status filter').and.to.contain('bkend dev logs --help')
    const json = await h.run(['dev', 'logs', '--status', '4yy', '--json'])
    expect(json.errorJson.error).to.include({ code: 'cli/usage' })
  })

  it('--follow prints requests as they happen and Ctrl+C ends it with exit 0', async () => {
    const child = spawn(process.execPath, [BIN, 'dev', 'logs', '--follow', '--limit', '0', '--method', 'GET', '--path', '/v1/', '--data-dir', h.dir], {
      cwd: h.dir,
      env: { ...process.env, ...withoutMachineBkendEnv(), XDG_CONFIG_HOME: join(h.dir, 'config') },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk) => (out += chunk))
    child.stderr.on('data', (chunk) => (err += chunk))
    const exited = new Promise<number | null>((done) => child.on('exit', done))
    // Requests until the follower (which starts with no history) prints one: then it follows live.
    for (let n = 0; n < 100 && !out.includes('\n'); n++) {
      await fetch(`${h.dev.ready.url}/_emulator/health`)
      await fetch(`${h.dev.ready.url}/v1/users/probe-${n}`)
      await new Promise((done) => setTimeout(done, 50))
    }
    child.kill('SIGINT')
    expect(await exited, err).to.equal(0)
    const lines = out.trimEnd().split('\n')
    expect(lines.length).to.be.greaterThan(0)
    for (const line of lines) expect(line).to.match(/ 401 GET \/v1\/users\/probe-\d+ [\d.]+ms guest/)
    expect(err).to.equal('')
  })
})
