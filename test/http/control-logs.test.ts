import { expect } from 'chai'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import type { LogList, RequestEvent } from '../../src/contract/request-log.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'

/** A follow stream's lines as they arrive, and its response to pause or close. */
function follow(emu: TestEmulator, query: string): Promise<{ response: IncomingMessage; lines: string[]; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${emu.url}/_emulator/logs?follow=1&${query}`, { headers: { Authorization: `Bearer ${emu.seed.tenantToken}` } }, (response) => {
      const lines: string[] = []
      let buffer = ''
      response.setEncoding('utf8')
      response.on('data', (chunk: string) => {
        buffer += chunk
        const parts = buffer.split('\n')
        buffer = parts.pop()!
        lines.push(...parts.filter((line) => line !== ''))
      })
      resolve({ response, lines, close: () => req.destroy() })
    })
    req.on('error', reject)
    req.end()
  })
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let tries = 0; tries < 300; tries++) {
    if (check()) return
    await new Promise((done) => setTimeout(done, 20))
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe('http: the request log control', () => {
  let emu: TestEmulator
  let tenant: Record<string, string>
  before(async () => {
    emu = await startEmulator()
    tenant = { Authorization: `Bearer ${emu.seed.tenantToken}` }
  })
  after(() => emu.dispose())

  const logs = async (query: string) => {
    const response = await fetch(`${emu.url}/_emulator/logs?${query}`, { headers: tenant })
    return { status: response.status, headers: response.headers, body: (await response.json()) as LogList & { error: { code: string; message: string; details: Array<{ field: string }> } } }
  }
  const seen = (id: string) => until(() => emu.core.requestLog.find(id) !== undefined, id)

  it('lists recent events, oldest first, filtered by status class, path prefix or glob, method and limit', async () => {
    const pk = { 'X-API-Key': emu.seed.environment.publishableKey }
    await fetch(`${emu.url}/v1/auth/me`, { headers: pk })
    await fetch(`${emu.url}/v1/users`)
    const last = await fetch(`${emu.url}/_emulator/health`)
    await seen(last.headers.get('x-request-id')!)

    const fours = await logs('status=4xx&path=/v1/')
    expect(fours.status).to.equal(200)
    expect(fours.body.items.map((e) => e.path)).to.deep.equal(['/v1/auth/me', '/v1/users'])
    expect((await logs('status=401&path=/v1/*/me')).body.items.map((e) => e.path)).to.deep.equal(['/v1/auth/me'])
    expect((await logs('status=2xx,5xx&method=get&path=/_emulator/health')).body.items).to.have.length(1)
    expect((await logs('env=dev&status=4xx')).body.items.map((e) => e.path)).to.deep.equal(['/v1/auth/me'])
    const limited = await logs('limit=2')
    expect(limited.body.items).to.have.length(2)
    // Newest last: the control's own previous request is logged like any other.
    expect(limited.body.items[1]!.path).to.equal('/_emulator/logs?env=dev&status=4xx')
  })

  const badFilters = [
    { query: 'status=4yy', field: 'status', says: 'use a class such as 4xx' },
    { query: 'path=v1', field: 'path', says: 'must start with /' },
    { query: 'method=FETCH', field: 'method', says: 'not an HTTP method' },
    { query: 'limit=-3', field: 'limit', says: 'whole number' },
    { query: 'colour=red', field: 'colour', says: 'not a log filter' },
    { query: 'status=4xx&status=5xx', field: 'status', says: 'once' },
  ]
  for (const bad of badFilters) {
    it(`a bad filter (${bad.query}) → 400 common/invalid-parameters naming ${bad.field}`, async () => {
      const reply = await logs(bad.query)
      expect(reply.status).to.equal(400)
      expect(reply.body.error.code).to.equal('common/invalid-parameters')
      expect(reply.body.error.message).to.contain(bad.says)
      expect(reply.body.error.details[0]!.field).to.equal(bad.field)
    })
  }

  it('needs the tenant token and sends no CORS headers', async () => {
    const anonymous = await fetch(`${emu.url}/_emulator/logs`, { headers: { Origin: 'http://localhost:3000' } })
    expect(anonymous.status).to.equal(401)
    expect(anonymous.headers.get('access-control-allow-origin')).to.equal(null)
    const withKey = await fetch(`${emu.url}/_emulator/logs`, { headers: { Authorization: `Bearer ${emu.seed.environment.secretKey}` } })
    expect(withKey.status).to.equal(401)
  })

  it('follow=1 streams the recent matching events, then each new one as it happens', async () => {
    const stream = await follow(emu, 'path=/v1/users&limit=1')
    expect(stream.response.statusCode).to.equal(200)
    expect(stream.response.headers['content-type']).to.contain('application/x-ndjson')
    await until(() => stream.lines.length === 1, 'the recent event')
    const live = await fetch(`${emu.url}/v1/users`, { headers: { 'X-API-Key': emu.seed.environment.secretKey } })
    await fetch(`${emu.url}/_emulator/health`)
    await until(() => stream.lines.length === 2, 'the live event')
    const event = JSON.parse(stream.lines[1]!) as RequestEvent
    expect(event).to.include({ event: 'request', id: live.headers.get('x-request-id'), status: 200 })
    stream.close()
  })
})

describe('http: a slow request log reader', function () {
  this.timeout(60_000)
  let emu: TestEmulator
  before(async () => {
    // Small ring, large events: a paused reader falls behind quickly, and the socket buffers fill.
    emu = await startEmulator({ requestLogCapacity: 20, requestLog: { bodies: true } })
  })
  after(() => emu.dispose())

  it('that stops reading holds nothing back, and is told how many events it missed', async () => {
    const stream = await follow(emu, 'limit=0')
    stream.response.pause()
    const body = JSON.stringify({ advanceSeconds: 'x', filler: 'y'.repeat(15_000) })
    const headers = { Authorization: `Bearer ${emu.seed.tenantToken}`, 'Content-Type': 'application/json' }
    let slowest = 0
    for (let round = 0; round < 100; round++) {
      const started = performance.now()
      const replies = await Promise.all(Array.from({ length: 10 }, () => fetch(`${emu.url}/_emulator/clock`, { method: 'POST', headers, body })))
      for (const reply of replies) expect(reply.status).to.equal(400)
      slowest = Math.max(slowest, performance.now() - started)
    }
    expect(slowest, 'ten requests while a reader is stuck').to.be.below(1000)
    stream.response.resume()
    await until(() => stream.lines.some((line) => line.startsWith('{"event":"missed"')), 'the missed line')
    const missed = JSON.parse(stream.lines.find((line) => line.startsWith('{"event":"missed"'))!) as { count: number }
    expect(missed.count).to.be.greaterThan(0)
    await until(() => stream.lines.length > 0 && (JSON.parse(stream.lines.at(-1)!) as { event: string }).event === 'request', 'events after the gap')
    stream.close()
  })
})
