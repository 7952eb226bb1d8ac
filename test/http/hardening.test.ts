import { expect } from 'chai'
import { connect, type Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { SERVER_LIMITS } from '../../src/emulator/http/app.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'

interface RawResponse {
  status: number
  headers: Record<string, string>
  body: string
}

/** Sends bytes exactly as given (a Host header, a path spelling or an empty credential that fetch would rewrite). */
async function raw(emu: TestEmulator, request: string): Promise<RawResponse> {
  const socket = await open(emu)
  socket.write(request)
  let text = ''
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')))
  await new Promise((resolve) => socket.once('close', resolve))
  return parse(text)
}

function parse(text: string): RawResponse {
  const [head = '', body = ''] = text.split('\r\n\r\n', 2)
  const [statusLine = '', ...lines] = head.split('\r\n')
  const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]))
  return { status: Number(statusLine.split(' ')[1]), headers, body }
}

async function open(emu: TestEmulator): Promise<Socket> {
  const socket = connect(Number(new URL(emu.url).port), '127.0.0.1')
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject))
  return socket
}

/** Milliseconds until the server closes the socket, or `limitMs` when it is still open by then. */
async function closedWithin(socket: Socket, limitMs: number): Promise<number> {
  const start = Date.now()
  const closed = new Promise((resolve) => socket.once('close', resolve))
  await Promise.race([closed, sleep(limitMs)])
  return Date.now() - start
}

const get = (path: string, headers: string[] = [], host = 'localhost') => `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`

describe('http: hardening against slow, oversized, rebinding and malformed requests', () => {
  describe('timeouts and the connection cap', () => {
    let emu: TestEmulator
    before(async () => {
      emu = await startEmulator({ limits: { headersTimeoutMs: 1000, idleTimeoutMs: 1000, maxConnections: 3 } })
    })
    after(() => emu.dispose())

    it('runs with the documented defaults: headers 10 s, idle 30 s, keep-alive 5 s, 512 connections, no total request bound', async () => {
      const defaults = await startEmulator()
      try {
        const server = defaults.app.server
        expect(SERVER_LIMITS).to.deep.equal({ headersTimeoutMs: 10_000, idleTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, maxConnections: 512 })
        expect(server.headersTimeout).to.equal(10_000)
        expect(server.timeout).to.equal(30_000)
        expect(server.keepAliveTimeout).to.equal(5_000)
        expect(server.maxConnections).to.equal(512)
        expect(server.requestTimeout).to.equal(0)
      } finally {
        await defaults.dispose()
      }
    })

    it('cuts a client that sends its headers too slowly', async () => {
      const socket = await open(emu)
      socket.write('GET /_emulator/health HTTP/1.1\r\nHost: localhost\r\n')
      const drip = setInterval(() => socket.write('X-Slow: 1\r\n'), 200)
      try {
        // The drip keeps the connection busy, so only the headers deadline (plus Node's one-second check) can end it.
        expect(await closedWithin(socket, 5000)).to.be.below(3500)
      } finally {
        clearInterval(drip)
        socket.destroy()
      }
    })

    it('answers headers that stop half-way with a 408 in the error envelope, then closes', async () => {
      const socket = await open(emu)
      let text = ''
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()))
      socket.write(`GET /v1/users HTTP/1.1\r\nHost: localhost\r\nX-API-Key: ${emu.seed.environment.secretKey}\r\n`)
      // A header now and then keeps the idle timeout (as short as the headers one here) from closing it first.
      const drip = setInterval(() => socket.write('X-Slow: 1\r\n'), 200)
      try {
        expect(await closedWithin(socket, 5000)).to.be.below(3500)
      } finally {
        clearInterval(drip)
      }
      const response = parse(text)
      expect(response.status, text).to.equal(408)
      expect(response.headers['content-type']).to.include('application/json')
      expect(Number(response.headers['content-length'])).to.equal(Buffer.byteLength(response.body))
      const message = 'The request headers did not arrive in time; send the whole request without pausing'
      expect(JSON.parse(response.body)).to.deep.equal({ success: false, statusCode: 408, error: { code: 'common/request-timeout', message }, message })
    })

    it('answers a request that is not HTTP (400) or whose headers are too large (431) in the error envelope', async () => {
      const response = await raw(emu, 'HELLO THERE\r\n\r\n')
      expect(response.status).to.equal(400)
      expect(JSON.parse(response.body).error).to.deep.equal({ code: 'common/bad-request', message: 'The request is not valid HTTP' })
      const oversized = await raw(emu, get('/_emulator/health', [`X-Big: ${'a'.repeat(20 * 1024)}`]))
      expect(oversized.status).to.equal(431)
      expect(JSON.parse(oversized.body).error.code).to.equal('common/headers-too-large')
    })

    it('cuts a body that stalls, but lets a slow body that keeps moving finish', async () => {
      const stalled = await open(emu)
      stalled.write(`POST /v1/users HTTP/1.1\r\nHost: localhost\r\nX-API-Key: ${emu.seed.environment.secretKey}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":`)
      expect(await closedWithin(stalled, 5000)).to.be.below(3000)
      stalled.destroy()

      const body = JSON.stringify({ name: 'Slow', email: 'slow@example.com' })
      const slow = await open(emu)
      let text = ''
      slow.on('data', (chunk: Buffer) => (text += chunk.toString()))
      const closed = new Promise((resolve) => slow.once('close', resolve))
      slow.write(`POST /v1/users HTTP/1.1\r\nHost: localhost\r\nX-API-Key: ${emu.seed.environment.secretKey}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`)
      const started = Date.now()
      // Longer in total than the idle timeout, never idle for as long.
      for (const char of body) {
        slow.write(char)
        await sleep(1500 / body.length)
      }
      await closed
      expect(Date.now() - started).to.be.above(1000)
      expect(parse(text).status, text).to.equal(201)
    })

    it('refuses connections past the cap until one closes', async () => {
      const held = [await open(emu), await open(emu), await open(emu)]
      // A request on each makes sure the server has accepted all three before the fourth arrives.
      for (const socket of held) socket.write('GET /_emulator/health HTTP/1.1\r\nHost: localhost\r\n\r\n')
      await Promise.all(held.map((socket) => new Promise((resolve) => socket.once('data', resolve))))
      const extra = await open(emu)
      let answered = false
      extra.on('data', () => (answered = true))
      extra.write('GET /_emulator/health HTTP/1.1\r\nHost: localhost\r\n\r\n')
      expect(await closedWithin(extra, 2000)).to.be.below(2000)
      expect(answered).to.equal(false)
      held[0]?.destroy()
      await sleep(100)
      const response = await raw(emu, get('/_emulator/health'))
      expect(response.status).to.equal(200)
      for (const socket of held) socket.destroy()
    })
  })

  describe('an oversized body', () => {
    let emu: TestEmulator
    before(async () => {
      emu = await startEmulator()
    })
    after(() => emu.dispose())

    /** Writes `total` bytes of body (as fast as the server reads) and reports what the client saw. */
    async function upload(claimed: number, total: number): Promise<{ sent: number; error?: Error; response: RawResponse }> {
      const socket = await open(emu)
      let text = ''
      let error: Error | undefined
      socket.on('data', (chunk: Buffer) => (text += chunk.toString()))
      socket.on('error', (e) => (error = e))
      const closed = new Promise((resolve) => socket.once('close', resolve))
      socket.write(`POST /v1/users HTTP/1.1\r\nHost: localhost\r\nX-API-Key: ${emu.seed.environment.secretKey}\r\nContent-Type: application/json\r\nContent-Length: ${claimed}\r\n\r\n`)
      const chunk = Buffer.alloc(256 * 1024, 'a')
      let sent = 0
      while (sent < total && !error && !socket.destroyed) {
        const flushed = socket.write(chunk)
        sent += chunk.length
        if (!flushed) await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), closed])
      }
      await Promise.race([closed, sleep(500)])
      socket.destroy()
      return { sent, error, response: parse(text) }
    }

    it('gets its 413 envelope while still writing 50 MB, not EPIPE', async () => {
      const size = 50 * 1024 * 1024
      const { sent, error, response } = await upload(size, size)
      expect(error, String(error)).to.equal(undefined)
      expect(sent).to.equal(size)
      expect(response.status).to.equal(413)
      expect(JSON.parse(response.body)).to.deep.include({ success: false, statusCode: 413 })
      expect((JSON.parse(response.body) as { error: { code: string } }).error.code).to.equal('common/payload-too-large')
    })

    it('is cut once the refused body passes the drain bound, after the 413 was sent', async () => {
      const total = 512 * 1024 * 1024
      const { sent, response } = await upload(2 * total, total)
      expect(response.status).to.equal(413)
      // The bound is checked on a timer, so the cut lands somewhat past 64 MiB, but long before the whole body.
      expect(sent).to.be.below(total)
    })
  })

  describe('the Host header (DNS rebinding)', () => {
    let emu: TestEmulator
    before(async () => {
      emu = await startEmulator({ publicUrl: 'http://devbox.lan:4100' })
    })
    after(() => emu.dispose())

    const refused = ['evil.example', 'evil.example:4100', 'localhost.evil.example', 'devbox.lan.evil.example', '127.0.0.1.nip.io']
    for (const host of refused) {
      it(`refuses Host: ${host} with 403 common/host-not-allowed`, async () => {
        const response = await raw(emu, get('/_emulator/health', [], host))
        expect(response.status).to.equal(403)
        const body = JSON.parse(response.body) as { error: { code: string; message: string } }
        expect(body.error.code).to.equal('common/host-not-allowed')
        expect(body.error.message).to.include('--public-url')
      })
    }

    it('refuses a foreign Host on client registration too', async () => {
      const body = JSON.stringify({ redirect_uris: ['http://127.0.0.1:9/cb'], client_name: 'x' })
      const response = await raw(emu, `POST /mcp/oauth/register HTTP/1.1\r\nHost: evil.example\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`)
      expect(response.status).to.equal(403)
    })

    const accepted = ['localhost', 'LOCALHOST:4100', 'app.localhost:4100', '127.0.0.1:4100', '127.0.0.2', '[::1]:4100', '192.168.1.20:4100', 'devbox.lan:4100', 'devbox.lan']
    for (const host of accepted) {
      it(`serves Host: ${host}`, async () => {
        expect((await raw(emu, get('/_emulator/health', [], host))).status).to.equal(200)
      })
    }
  })

  describe('control paths however spelled', () => {
    let emu: TestEmulator
    before(async () => {
      emu = await startEmulator()
    })
    after(() => emu.dispose())

    const spellings = ['/_emulator/%6dailbox', '/_emulator/%256dailbox', '/%5f%65mulator/mailbox', '//_emulator/mailbox', '/_EMULATOR/mailbox', '/_emulator/./mailbox', '/x/../_emulator/mailbox', '/_emulator/mailbox/']
    for (const path of spellings) {
      it(`${path} answers no CORS, neither a request nor a preflight`, async () => {
        const response = await raw(emu, get(path, ['Origin: https://evil.example', `Authorization: Bearer ${emu.seed.tenantToken}`]))
        expect(response.headers['access-control-allow-origin']).to.equal(undefined)
        const preflight = await raw(emu, `OPTIONS ${path} HTTP/1.1\r\nHost: localhost\r\nOrigin: https://evil.example\r\nAccess-Control-Request-Method: GET\r\nConnection: close\r\n\r\n`)
        expect(preflight.headers['access-control-allow-origin']).to.equal(undefined)
        expect(preflight.headers['access-control-allow-headers']).to.equal(undefined)
      })
    }

    it('the router serves the percent-encoded spelling, so the check above is on a live control', async () => {
      const response = await raw(emu, get('/_emulator/%6dailbox', [`Authorization: Bearer ${emu.seed.tenantToken}`]))
      expect(response.status).to.equal(200)
    })

    it('still answers CORS on the runtime API', async () => {
      const response = await raw(emu, get('/v1/users', ['Origin: https://app.example', `X-API-Key: ${emu.seed.environment.publishableKey}`]))
      expect(response.headers['access-control-allow-origin']).to.equal('https://app.example')
    })
  })

  describe('present but empty or malformed credentials (README-D11)', () => {
    let emu: TestEmulator
    before(async () => {
      emu = await startEmulator()
    })
    after(() => emu.dispose())

    const cases: Array<{ name: string; headers: string[]; code: string }> = [
      { name: 'an empty Bearer next to a valid key', headers: ['X-API-Key: $pk', 'Authorization: Bearer '], code: 'auth/invalid-token' },
      { name: 'a bare Bearer scheme', headers: ['X-API-Key: $pk', 'Authorization: Bearer'], code: 'auth/invalid-token' },
      { name: 'another scheme', headers: ['X-API-Key: $pk', 'Authorization: Basic YTpi'], code: 'auth/invalid-token' },
      { name: 'an empty X-API-Key next to a key sent as Bearer', headers: ['X-API-Key: ', 'Authorization: Bearer $sk'], code: 'auth/unauthorized' },
    ]
    for (const c of cases) {
      it(`${c.name} → 401 ${c.code}, never guest`, async () => {
        const headers = c.headers.map((h) => h.replace('$pk', emu.seed.environment.publishableKey).replace('$sk', emu.seed.environment.secretKey))
        const response = await raw(emu, get('/v1/data/posts', headers))
        expect(response.status, response.body).to.equal(401)
        const body = JSON.parse(response.body) as { error: { code: string; message: string } }
        expect(body.error.code).to.equal(c.code)
        expect(body.error.message).to.match(/leave the header out/)
      })
    }

    it('the same request without the empty header is served', async () => {
      const response = await raw(emu, get('/v1/data/posts', [`X-API-Key: ${emu.seed.environment.publishableKey}`]))
      expect(response.status, response.body).to.not.equal(401)
    })
  })

  describe('the project allowlist (README-D9)', () => {
    let emu: TestEmulator
    before(async () => {
      emu = await startEmulator()
      await emu.core.projects.update(emu.actor, emu.seed.projectId, { settings: { allowedOrigins: ['https://app.example', 'http://localhost:5173'] } })
    })
    after(() => emu.dispose())

    const call = (origin: string, method = 'GET') =>
      fetch(`${emu.url}/v1/users`, { method, headers: method === 'OPTIONS' ? { Origin: origin, 'Access-Control-Request-Method': 'GET' } : { Origin: origin, 'X-API-Key': emu.seed.environment.secretKey } })

    it('reflects a listed origin on requests and preflights', async () => {
      for (const origin of ['https://app.example', 'http://localhost:5173']) {
        expect((await call(origin)).headers.get('access-control-allow-origin')).to.equal(origin)
        const preflight = await call(origin, 'OPTIONS')
        expect(preflight.status).to.equal(204)
        expect(preflight.headers.get('access-control-allow-origin')).to.equal(origin)
      }
    })

    it('answers an unlisted origin without Access-Control-Allow-Origin', async () => {
      const response = await call('https://evil.example')
      expect(response.status).to.equal(200)
      expect(response.headers.get('access-control-allow-origin')).to.equal(null)
      expect(response.headers.get('access-control-expose-headers')).to.equal(null)
    })

    it('refuses an unlisted origin’s preflight with 403 and the envelope', async () => {
      for (const origin of ['https://evil.example', 'http://localhost:3000']) {
        const response = await call(origin, 'OPTIONS')
        expect(response.status).to.equal(403)
        expect(response.headers.get('access-control-allow-origin')).to.equal(null)
        const body = (await response.json()) as { error: { code: string; message: string } }
        expect(body.error.code).to.equal('common/origin-not-allowed')
        expect(body.error.message).to.include(`--allowed-origin ${origin}`)
      }
    })

    it('reflects every origin, listed or not, with cors: any (bkend dev --cors any)', async () => {
      const any = await startEmulator({ cors: 'any' })
      try {
        await any.core.projects.update(any.actor, any.seed.projectId, { settings: { allowedOrigins: ['https://app.example'] } })
        const response = await fetch(`${any.url}/v1/users`, { headers: { Origin: 'https://evil.example', 'X-API-Key': any.seed.environment.secretKey } })
        expect(response.status).to.equal(200)
        expect(response.headers.get('access-control-allow-origin')).to.equal('https://evil.example')
        const preflight = await fetch(`${any.url}/v1/users`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'GET' } })
        expect(preflight.status).to.equal(204)
        expect(preflight.headers.get('access-control-allow-origin')).to.equal('https://evil.example')
      } finally {
        await any.dispose()
      }
    })

    it('reflects every origin again once the list is emptied', async () => {
      await emu.core.projects.update(emu.actor, emu.seed.projectId, { settings: { allowedOrigins: [] } })
      expect((await call('https://evil.example')).headers.get('access-control-allow-origin')).to.equal('https://evil.example')
      expect((await call('https://evil.example', 'OPTIONS')).status).to.equal(204)
    })
  })
})
