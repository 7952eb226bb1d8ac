import { expect } from 'chai'
import { spawn } from 'node:child_process'
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { connect } from 'node:net'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
// the process is the point (exit status, signals, what is left behind), so every run is the spawned binary
import { BIN, parseJson, runBinary, spawnDev, withoutMachineBkendEnv, type CliResult } from '../helpers/cli.js'
import { alive } from '../helpers/process.js'
import { tempDir } from '../helpers/tmp.js'

/** Whether something accepts connections on the URL's port. */
function listening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname)
    socket.once('connect', () => (socket.destroy(), resolve(true)))
    socket.once('error', () => resolve(false))
  })
}

async function waitForFile(path: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const text = await readFile(path, 'utf8').catch(() => '')
    if (text) return text
    await sleep(50)
  }
  throw new Error(`${path} was never written`)
}

describe('e2e: bkend dev exec', function () {
  this.timeout(30_000)
  let dir: string
  let cleanup: () => Promise<void>
  // TMPDIR points into the test's own dir, so "no temp dir left" is a listing of it
  let tmp: string
  let env: NodeJS.ProcessEnv
  beforeEach(async () => {
    ;({ dir, cleanup } = await tempDir())
    tmp = join(dir, 'tmp')
    await mkdir(tmp)
    env = { ...withoutMachineBkendEnv(), TMPDIR: tmp }
  })
  afterEach(() => cleanup())

  const exec = (args: string[], options: { cwd?: string } = {}): Promise<CliResult> => runBinary(['dev', 'exec', ...args], { env, cwd: options.cwd ?? dir })

  it('exits with the command’s status and leaves no emulator, child or temp dir behind', async () => {
    const report = join(dir, 'child.json')
    const script = `require('fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify({ pid: process.pid, url: process.env.BKEND_URL, dataDir: process.env.BKEND_DATA_DIR })); process.exit(3)`
    const result = await exec(['--', process.execPath, '-e', script])
    expect(result.code).to.equal(3)
    expect(result.stdout).to.equal('')
    expect(result.stderr).to.equal('')
    const child = JSON.parse(await readFile(report, 'utf8')) as { pid: number; url: string; dataDir: string }
    expect(child.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(child.dataDir.startsWith(tmp)).to.equal(true)
    expect(alive(child.pid)).to.equal(false)
    expect(await listening(child.url)).to.equal(false)
    expect(await readdir(tmp)).to.deep.equal([])
  })

  it('gives the command variables that an app and the bkend CLI both work with', async () => {
    const script = join(dir, 'child.mjs')
    await writeFile(
      script,
      `import { execFileSync } from 'node:child_process'
const e = process.env
execFileSync(process.execPath, [${JSON.stringify(BIN)}, 'tables', 'create', 'posts', '--field', 'title:string', '--json'])
const listed = JSON.parse(execFileSync(process.execPath, [${JSON.stringify(BIN)}, 'tables', 'list', '--json']).toString())
const signup = await fetch(e.BKEND_API_URL + '/v1/auth/email/signup', { method: 'POST', headers: { 'X-API-Key': e.BKEND_PUBLISHABLE_KEY, 'Content-Type': 'application/json' }, body: JSON.stringify({ email: 'a@example.com', password: 'hunter22' }) })
const users = await fetch(e.BKEND_API_URL + '/v1/users', { headers: { 'X-API-Key': e.BKEND_SECRET_KEY } })
const clock = await fetch(e.BKEND_URL + '/_emulator/clock', { headers: { Authorization: 'Bearer ' + e.BKEND_TENANT_TOKEN } })
const mcp = await fetch(e.BKEND_MCP_URL, { method: 'POST', headers: { Authorization: 'Bearer ' + e.BKEND_TENANT_TOKEN, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 't', version: '1' } } }) })
console.log(JSON.stringify({ listed: listed.tables.map((t) => t.tableName), environment: listed.environment, signup: signup.status, users: users.status, usersBody: await users.json(), clock: clock.status, mcp: mcp.status, target: e.BKEND_TARGET, project: e.BKEND_PROJECT, env: e.BKEND_ENV, organization: e.BKEND_ORGANIZATION }))
`,
    )
    const result = await exec(['--', process.execPath, script])
    expect(result.stderr).to.equal('')
    expect(result.code).to.equal(0)
    const seen = parseJson(result.stdout)
    expect(seen).to.include({ environment: 'dev', signup: 201, users: 200, clock: 200, mcp: 200, target: 'local', env: 'dev' })
    expect(JSON.stringify(seen.usersBody)).to.contain('a@example.com')
    expect(seen.listed).to.deep.equal(['posts'])
    expect(seen.project).to.match(/^[0-9a-f]{24}$/)
    expect(seen.organization).to.match(/^[0-9a-f]{24}$/)
  })

  it('exits 127 naming a command that does not exist, 126 for one that is not executable, 1 without a temp dir', async () => {
    const noTmp = await runBinary(['dev', 'exec', '--', 'true'], { env: { ...env, TMPDIR: join(dir, 'gone') }, cwd: dir })
    expect(noTmp.code).to.equal(1)
    expect(noTmp.stderr).to.contain(`cannot make a temporary data dir in ${join(dir, 'gone')}`).and.contain('TMPDIR')
    const missing = await exec(['--', 'no-such-command-here', '--flag'])
    expect(missing.code).to.equal(127)
    expect(missing.stdout).to.equal('')
    expect(missing.stderr).to.contain('command not found: no-such-command-here')
    const file = join(dir, 'plain.sh')
    await writeFile(file, 'echo hi\n', { mode: 0o644 })
    const plain = await exec(['--', file])
    expect(plain.code).to.equal(126)
    expect(plain.stderr).to.contain(`cannot run ${file}: it is not an executable file`)
    expect(plain.stderr).to.contain('chmod +x')
    expect(await readdir(tmp)).to.deep.equal([])
  })

  it('passes SIGTERM, SIGHUP and (without a terminal) SIGINT on to the command and exits with its status; a command killed by one exits 128 + n', async () => {
    for (const signal of ['SIGTERM', 'SIGHUP', 'SIGINT'] as const) {
      const ready = join(dir, `ready-${signal}`)
      const got = join(dir, `got-${signal}`)
      const trapping = `process.on(${JSON.stringify(signal)}, () => { require('fs').writeFileSync(${JSON.stringify(got)}, ${JSON.stringify(signal)}); process.exit(7) }); require('fs').writeFileSync(${JSON.stringify(ready)}, String(process.pid)); setInterval(() => {}, 1000)`
      const exec = spawn(process.execPath, [BIN, 'dev', 'exec', '--', process.execPath, '-e', trapping], { env: { ...process.env, ...env }, cwd: dir, stdio: 'ignore' })
      const exited = new Promise<number | null>((resolve) => exec.on('exit', (code) => resolve(code)))
      const childPid = Number(await waitForFile(ready))
      exec.kill(signal)
      expect(await exited, signal).to.equal(7)
      expect(await readFile(got, 'utf8')).to.equal(signal)
      expect(alive(childPid)).to.equal(false)
    }

    const plainReady = join(dir, 'plain-ready')
    const plain = spawn(process.execPath, [BIN, 'dev', 'exec', '--', process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(plainReady)}, 'x'); setInterval(() => {}, 1000)`], { env: { ...process.env, ...env }, cwd: dir, stdio: 'ignore' })
    const plainExit = new Promise<number | null>((resolve) => plain.on('exit', (code) => resolve(code)))
    await waitForFile(plainReady)
    plain.kill('SIGTERM')
    expect(await plainExit).to.equal(143)
    expect(await readdir(tmp)).to.deep.equal([])
  })

  it('keeps a data dir it is given, and says where the command goes when -- is missing', async () => {
    const data = join(dir, 'data')
    const kept = await exec(['--data-dir', data, '--', process.execPath, '-e', 'process.exit(0)'])
    expect(kept.code).to.equal(0)
    expect((await stat(join(data, 'runtime.json'))).isFile()).to.equal(true)

    const usage = await exec(['npm', 'test'])
    expect(usage.code).to.equal(2)
    expect(usage.stderr).to.contain('the command must come after --')
    expect(usage.stderr).to.contain('bkend dev exec -- npm test')
    expect(await readdir(tmp)).to.deep.equal([])
  })

  it('writes status lines on stderr with --verbose, never on stdout', async () => {
    const result = await exec(['--verbose', '--', process.execPath, '-e', 'console.log("only this")'])
    expect(result.code).to.equal(0)
    expect(result.stdout).to.equal('only this\n')
    const lines = result.stderr.trim().split('\n')
    expect(lines).to.have.length(2)
    expect(lines[0]).to.match(/^bkend dev exec: emulator ready on http:\/\/127\.0\.0\.1:\d+ \(data dir .+, removed afterwards\)$/)
    expect(lines[1]).to.contain('exited with status 0')
  })

  it('starts from a snapshot of the data dir bkend dev uses here, which it only reads', async () => {
    const home = join(dir, '.bkend')
    const dev = await spawnDev(['--port', '0', '--data-dir', home], env)
    try {
      expect((await runBinary(['tables', 'create', 'posts', '--field', 'title:string', '--data-dir', home], { env })).code).to.equal(0)
      const key = dev.ready.environments[0]!.secretKey
      const created = await fetch(`${dev.ready.url}/v1/data/posts`, { method: 'POST', headers: { 'X-API-Key': key, 'Content-Type': 'application/json' }, body: JSON.stringify({ title: 'from the snapshot' }) })
      expect(created.status).to.equal(201)
      const saved = await fetch(`${dev.ready.url}/_emulator/snapshots`, { method: 'POST', headers: { Authorization: `Bearer ${dev.ready.tenantToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'one-post' }) })
      expect(saved.status).to.equal(201)
    } finally {
      expect(await dev.stop()).to.equal(0)
    }
    // lists the titles it finds, then adds one: a second run must not see that one
    const script = `const h = { 'X-API-Key': process.env.BKEND_SECRET_KEY, 'Content-Type': 'application/json' }
const u = process.env.BKEND_API_URL + '/v1/data/posts'
const listed = await (await fetch(u, { headers: h })).json()
await fetch(u, { method: 'POST', headers: h, body: JSON.stringify({ title: 'added by the command' }) })
console.log(JSON.stringify((listed.items ?? listed.data).map((r) => r.title)))`
    await writeFile(join(dir, 'titles.mjs'), script)
    for (const run of [1, 2]) {
      const result = await exec(['--snapshot', 'one-post', '--', process.execPath, 'titles.mjs'])
      expect(result.stderr, `run ${run}`).to.equal('')
      expect(result.code).to.equal(0)
      expect(parseJson(result.stdout)).to.deep.equal(['from the snapshot'])
    }
    expect(await readdir(tmp)).to.deep.equal([])

    // the command's own --json is not exec's: the error stays plain text
    const missing = await exec(['--snapshot', 'nope', '--', 'bkend', 'tables', 'list', '--json'])
    expect(missing.stderr).to.match(/^Error: /)
    expect(missing.code).to.equal(1)
    expect(missing.stderr).to.contain(`no snapshot "nope" in ${home}`)
    expect(missing.stderr).to.contain('bkend dev snapshot list')
    const climbing = await exec(['--snapshot', '../one-post', '--', 'true'])
    expect(climbing.code).to.equal(2)
    expect(climbing.stderr).to.contain('is not a snapshot name')
    expect(await readdir(tmp)).to.deep.equal([])
  })
})
