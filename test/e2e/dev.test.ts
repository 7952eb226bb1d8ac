import { expect } from 'chai'
import { createServer } from 'node:net'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { RuntimeFile } from '../../src/contract/emulator.js'
// `bkend dev` itself is under test, so every run here is the spawned binary
import { runBinary, spawnDev } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'

describe('e2e: bkend dev', function () {
  this.timeout(30_000)
  let dir: string
  let cleanup: () => Promise<void>
  beforeEach(async () => ({ dir, cleanup } = await tempDir()))
  afterEach(() => cleanup())

  it('prints the ready contract first, writes runtime.json (0600), and serves the seeded keys', async () => {
    const dev = await spawnDev(['--port', '0', '--data-dir', dir])
    try {
      const { ready } = dev
      expect(Object.keys(ready)).to.deep.equal(['event', 'url', 'mcpUrl', 'organizationId', 'projectId', 'environments', 'tenantToken', 'cloudParity', 'consoleUrl'])
      expect(ready.cloudParity).to.equal(false)
      expect(ready.event).to.equal('ready')
      expect(ready.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(ready.mcpUrl).to.equal(`${ready.url}/mcp`)
      expect(ready.organizationId).to.match(/^[0-9a-f]{24}$/)
      expect(ready.environments).to.have.length(1)
      const env = ready.environments[0]!
      expect(env.name).to.equal('dev')
      expect(env.publishableKey).to.match(/^pk_[0-9a-f]{64}$/)
      expect(env.secretKey).to.match(/^sk_[0-9a-f]{64}$/)
      expect(ready.tenantToken.split('.')).to.have.length(3)

      const runtimePath = join(dir, 'runtime.json')
      expect((await stat(runtimePath)).mode & 0o777).to.equal(0o600)
      const runtime = JSON.parse(await readFile(runtimePath, 'utf8')) as RuntimeFile
      expect(runtime).to.deep.include({ url: ready.url, mcpUrl: ready.mcpUrl, organizationId: ready.organizationId, projectId: ready.projectId, tenantToken: ready.tenantToken, pid: dev.child.pid })
      expect(runtime.environments).to.deep.equal(ready.environments)
      expect(ready.consoleUrl).to.match(new RegExp(`^${ready.url}/_/signin/once/[0-9a-f]{64}$`))
      expect(runtime.consoleUrl).to.equal(ready.consoleUrl)
      const signIn = await fetch(ready.consoleUrl, { redirect: 'manual' })
      expect(signIn.status).to.equal(200)
      expect(signIn.headers.get('set-cookie')).to.match(/^bkend_console_[0-9a-f]{8}=[0-9a-f]{64}; Path=\/; HttpOnly; SameSite=Strict/)
      expect((await fetch(ready.consoleUrl, { redirect: 'manual' })).status).to.equal(401)

      const health = await fetch(`${ready.url}/_emulator/health`)
      expect(health.status).to.equal(200)
      const users = await fetch(`${ready.url}/v1/users`, { headers: { 'X-API-Key': env.secretKey } })
      expect(users.status).to.equal(200)
      const clock = await fetch(`${ready.url}/_emulator/clock`, { headers: { Authorization: `Bearer ${ready.tenantToken}` } })
      expect(clock.status).to.equal(200)
    } finally {
      expect(await dev.stop('SIGTERM')).to.equal(0)
    }
    expect(dev.lines.at(-1)).to.equal('{"event":"stopped"}')
  })

  it('reuses organization, project, keys and token on a later start', async () => {
    const first = await spawnDev(['--port', '0', '--data-dir', dir])
    const signedUp = await fetch(`${first.ready.url}/v1/auth/email/signup`, {
      method: 'POST',
      headers: { 'X-API-Key': first.ready.environments[0]!.publishableKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'keep@example.com', password: 'hunter22' }),
    })
    expect(signedUp.status).to.equal(201)
    expect(await first.stop('SIGINT')).to.equal(0)

    const second = await spawnDev(['--port', '0', '--data-dir', dir])
    try {
      expect(second.ready.organizationId).to.equal(first.ready.organizationId)
      expect(second.ready.projectId).to.equal(first.ready.projectId)
      expect(second.ready.environments).to.deep.equal(first.ready.environments)
      const users = (await (await fetch(`${second.ready.url}/v1/users`, { headers: { 'X-API-Key': second.ready.environments[0]!.secretKey } })).json()) as { items: Array<{ email: string }> }
      expect(users.items.map((u) => u.email)).to.deep.equal(['keep@example.com'])
    } finally {
      await second.stop()
    }
  })

  it('refuses a second emulator on the same data dir, saying what to do', async () => {
    const first = await spawnDev(['--port', '0', '--data-dir', dir])
    try {
      const second = await runBinary(['dev', '--port', '0', '--data-dir', dir])
      expect(second.code).to.equal(1)
      expect(second.stderr).to.include(`in use by another bkend emulator (pid ${first.child.pid})`)
      expect(second.stderr).to.include('--data-dir')
    } finally {
      await first.stop()
    }
  })

  it('exits non-zero with a hint when the port is taken', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as { port: number }).port
    try {
      const result = await runBinary(['dev', '--port', String(port), '--data-dir', dir])
      expect(result.code).to.equal(1)
      expect(result.stderr).to.include(`port ${port} on 127.0.0.1 is already in use`)
      expect(result.stderr).to.include('--port')
      // The failed start released its lock: a new emulator can use the directory.
      const dev = await spawnDev(['--port', '0', '--data-dir', dir])
      await dev.stop()
    } finally {
      blocker.close()
    }
  })

  // Listen failures of every kind: a code and a hint through the one error path, never a raw `listen E…`.
  const listenFailures: Array<[string, string[], string, string, string]> = [
    ['an address of another machine', ['--host', '10.1.2.3'], 'emulator/address-unavailable', 'cannot listen on 10.1.2.3:0: 10.1.2.3 is not an address of this machine.', 'pass --host with an address of this machine'],
    ['a host name that does not resolve', ['--host', 'no-such-host.invalid'], 'emulator/unknown-host', 'cannot listen on no-such-host.invalid:0: the host name no-such-host.invalid does not resolve.', 'pass --host with an IP address'],
  ]
  for (const [what, args, code, message, hint] of listenFailures) {
    it(`refuses ${what} with ${code} and a hint, as text and as --json`, async () => {
      const text = await runBinary(['dev', '--port', '0', '--data-dir', dir, ...args])
      expect(text.code).to.equal(1)
      const lines = text.stderr.trimEnd().split('\n')
      expect(lines).to.have.length(2)
      expect(lines[0]).to.equal(`Error: ${message}`)
      expect(lines[1]).to.match(new RegExp(`^Hint: ${hint}`))
      const json = await runBinary(['dev', '--json', '--port', '0', '--data-dir', dir, ...args])
      expect(json.code).to.equal(1)
      expect(json.stdout).to.equal('')
      expect(JSON.parse(json.stderr).error).to.include({ code, message })
    })
  }

  it('keeps an acknowledged write across kill -9 of the emulator process', async () => {
    const first = await spawnDev(['--port', '0', '--data-dir', dir])
    const pk = first.ready.environments[0]!.publishableKey
    const emails = Array.from({ length: 20 }, (_, i) => `user${i}@example.com`)
    for (const email of emails) {
      const r = await fetch(`${first.ready.url}/v1/auth/email/signup`, { method: 'POST', headers: { 'X-API-Key': pk }, body: JSON.stringify({ email, password: 'secret123' }) })
      expect(r.status).to.equal(201)
    }
    expect(await first.stop('SIGKILL')).to.equal(null)
    const second = await spawnDev(['--port', '0', '--data-dir', dir])
    try {
      const users = (await (await fetch(`${second.ready.url}/v1/users?limit=100`, { headers: { 'X-API-Key': second.ready.environments[0]!.secretKey } })).json()) as { items: Array<{ email: string }> }
      expect(users.items.map((u) => u.email).sort()).to.deep.equal([...emails].sort())
    } finally {
      await second.stop()
    }
  })

  it('prints plain lines without a TTY and without --json', async () => {
    const { spawn } = await import('node:child_process')
    const { BIN } = await import('../helpers/cli.js')
    const child = spawn(process.execPath, [BIN, 'dev', '--port', '0', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    await new Promise<void>((resolve) => child.stdout.on('data', (c) => ((out += c), out.includes('credentials') && resolve())))
    child.kill('SIGTERM')
    await new Promise((resolve) => child.on('exit', resolve))
    expect(out).to.match(/^bkend dev is ready on http:\/\/127\.0\.0\.1:\d+/)
    expect(out).to.match(/publishable key {2}pk_[0-9a-f]{64}/)
    expect(out).to.match(/\n {2}console {10}http:\/\/127\.0\.0\.1:\d+\/_\/signin\/once\/[0-9a-f]{64} \(signs you in once; later: bkend open\)\n/)
    expect(out).to.not.include('\u001b[')
  })
})
