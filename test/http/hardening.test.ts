import { expect } from 'chai'
import { connect, type Socket } from 'node:net'
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

const get = (path: string, headers: string[] = [], host = 'localhost') => `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n${headers.map((h) => `${h}\r\n`).join('')}\r\n`

describe('http: hardening against slow, oversized, rebinding and malformed requests', () => {
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
      { name: 'an empty X-API-Key next to a key sent as Bearer', headers: ['X-API-Key: ', 'Authorization: Bearer $sk'], code: 'auth/invalid-token-format' },
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

})
