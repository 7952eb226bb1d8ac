import { expect } from 'chai'
import { spawn } from 'node:child_process'
import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { RequestEvent } from '../../src/contract/request-log.js'
import { BIN, spawnDev } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'

const password = 'tr0ub4dor-and-3'

/** Requests that present every kind of secret: a password, a user JWT, both keys, the tenant token. */
async function secretBearingTraffic(url: string, keys: { publishableKey: string; secretKey: string }, tenantToken: string): Promise<{ ids: string[]; accessToken: string }> {
  const ids: string[] = []
  const json = { 'Content-Type': 'application/json', 'X-API-Key': keys.publishableKey }
  const signUp = await fetch(`${url}/v1/auth/email/signup`, { method: 'POST', headers: json, body: JSON.stringify({ email: 'log@example.com', password }) })
  ids.push(signUp.headers.get('x-request-id')!)
  const { accessToken } = (await signUp.json()) as { accessToken: string }
  for (const [path, headers] of [
    ['/v1/auth/me', { 'X-API-Key': keys.publishableKey, Authorization: `Bearer ${accessToken}` }],
    ['/v1/users', { 'X-API-Key': keys.secretKey }],
    ['/_emulator/clock', { Authorization: `Bearer ${tenantToken}` }],
    [`/v1/auth/me?refresh_token=${accessToken}`, { 'X-API-Key': keys.publishableKey }],
  ] as const) {
    ids.push((await fetch(url + path, { headers })).headers.get('x-request-id')!)
  }
  return { ids, accessToken }
}

describe('cli: bkend dev prints its request log', function () {
  this.timeout(30_000)

  it('--json: one {"event":"request"} line per request before "stopped", the same in --log-file (0600), and no secret in either', async () => {
    const { dir, cleanup } = await tempDir('bkend-reqlog-')
    try {
      const logFile = join(dir, 'requests.ndjson')
      const dev = await spawnDev(['--port', '0', '--data-dir', join(dir, 'data'), '--log-file', logFile, '--log-bodies'])
      const env = dev.ready.environments[0]!
      const { ids, accessToken } = await secretBearingTraffic(dev.ready.url, env, dev.ready.tenantToken)
      expect(await dev.stop('SIGINT')).to.equal(0)
      const after = dev.lines.slice(1).map((line) => JSON.parse(line) as { event: string })
      expect(after.at(-1)).to.deep.equal({ event: 'stopped' })
      const requests = after.filter((line) => line.event === 'request') as RequestEvent[]
      expect(requests.map((event) => event.id)).to.deep.equal(ids)
      expect(requests.map((event) => event.who.kind)).to.deep.equal(['key', 'key', 'key', 'tenant', 'key'])
      expect(requests[0]!.requestBody).to.deep.equal({ email: 'log@example.com', password: '[redacted]' })

      const file = await readFile(logFile, 'utf8')
      const fileLines = file.trimEnd().split('\n')
      expect(fileLines.map((line) => (JSON.parse(line) as RequestEvent).id)).to.deep.equal(ids)
      expect((await stat(logFile)).mode & 0o777).to.equal(0o600)

      const printed = dev.lines.slice(1).join('\n') + dev.stderr()
      for (const secret of [password, accessToken, env.publishableKey, env.secretKey, dev.ready.tenantToken]) {
        expect(printed).not.to.contain(secret)
        expect(file).not.to.contain(secret)
      }
    } finally {
      await cleanup()
    }
  })

  it('piped without --json: one plain line per request with status, method, path, who and the reason of a refusal', async () => {
    const { dir, cleanup } = await tempDir('bkend-reqlog-')
    try {
      const child = spawn(process.execPath, [BIN, 'dev', '--port', '0', '--data-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      child.stdout.on('data', (chunk) => (out += chunk))
      const exited = new Promise<number | null>((done) => child.on('exit', done))
      for (let tries = 0; tries < 150 && !/ready on (\S+)/.test(out); tries++) await new Promise((done) => setTimeout(done, 100))
      const url = /ready on (\S+)/.exec(out)![1]!
      await fetch(`${url}/v1/auth/me`)
      await fetch(`${url}/_emulator/health`)
      for (let tries = 0; tries < 100 && !out.includes('/_emulator/health'); tries++) await new Promise((done) => setTimeout(done, 20))
      child.kill('SIGINT')
      expect(await exited).to.equal(0)
      const lines = out.split('\n').filter((line) => /^\d\d:\d\d:\d\d\.\d{3} /.test(line))
      expect(lines).to.have.length(2)
      expect(lines[0]).to.match(/^\d\d:\d\d:\d\d\.\d{3} 401 GET \/v1\/auth\/me [\d.]+ms guest — auth\/unauthorized: credential: An API key is required/)
      expect(lines[1]).to.match(/ 200 GET \/_emulator\/health [\d.]+ms -$/)
      expect(out).not.to.contain('\u001b[')
    } finally {
      await cleanup()
    }
  })

  it('a --log-file that cannot be opened stops with a usage error before starting', async () => {
    const { dir, cleanup } = await tempDir('bkend-reqlog-')
    try {
      const child = spawn(process.execPath, [BIN, 'dev', '--port', '0', '--data-dir', dir, '--log-file', join(dir, 'missing', 'x.ndjson')], { stdio: ['ignore', 'pipe', 'pipe'] })
      let err = ''
      child.stderr.on('data', (chunk) => (err += chunk))
      const code = await new Promise<number | null>((done) => child.on('exit', done))
      expect(code).to.equal(2)
      expect(err).to.contain('cannot open --log-file').and.to.contain('ENOENT').and.not.to.match(/\n\s+at /)
    } finally {
      await cleanup()
    }
  })
})

describe('cli: a reader of bkend dev --json that stops reading', function () {
  this.timeout(60_000)

  it('does not hold the server back; when it reads again it gets every line, then "stopped"', async () => {
    const { dir, cleanup } = await tempDir('bkend-reqlog-')
    try {
      const dev = await spawnDev(['--port', '0', '--data-dir', dir])
      const key = dev.ready.environments[0]!.secretKey
      // The pipe holds 64 KiB, about 250 lines; 1,500 requests print far more while nobody reads.
      dev.child.stdout.pause()
      const count = 1500
      let sent = 0
      const worker = async () => {
        while (sent < count) {
          sent++
          const response = await fetch(`${dev.ready.url}/v1/users?limit=1`, { headers: { 'X-API-Key': key }, signal: AbortSignal.timeout(10_000) })
          expect(response.status).to.equal(200)
          await response.arrayBuffer()
        }
      }
      await Promise.all(Array.from({ length: 8 }, worker))
      dev.child.stdout.resume()
      // Before stdout had a writer thread, the pump's wait for 'drain' outlived the end of stdout: write after end, exit 1.
      expect(await dev.stop('SIGINT')).to.equal(0)
      expect(dev.stderr()).not.to.match(/\n\s+at /)
      const events = dev.lines.slice(1).map((line) => JSON.parse(line) as { event: string; path?: string })
      expect(events.at(-1)).to.deep.equal({ event: 'stopped' })
      expect(events.filter((e) => e.event === 'request' && e.path === '/v1/users?limit=1')).to.have.length(count)
    } finally {
      await cleanup()
    }
  })
})
