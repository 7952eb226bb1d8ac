import { expect } from 'chai'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { ClientError } from '../../src/client/errors.js'
import { RestClient } from '../../src/client/rest.js'
import { RuntimeClient } from '../../src/client/runtime.js'
import { showError } from '../../src/cli/base-command.js'

/** A stand-in server answering each request with whatever the test queued, recording what it received. */
describe('cli: RestClient and RuntimeClient', () => {
  let server: Server
  let url: string
  const seen: Array<{ method?: string; url?: string; headers: IncomingMessage['headers']; body: string }> = []
  let answer: { status: number; body: string; headers?: Record<string, string> } = { status: 200, body: '{}' }

  before(async () => {
    server = createServer((req, res) => {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body })
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(answer.body)
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(() => new Promise((resolve) => server.close(resolve)))

  async function failure(call: (rest: RestClient) => Promise<unknown>, restUrl = url): Promise<ClientError> {
    const rest = new RestClient({ restUrl, secretKey: 'sk_test' })
    try {
      await call(rest)
    } catch (error) {
      return error as ClientError
    } finally {
      await rest.close()
    }
    throw new Error('expected a failure')
  }

  it('sends the key, JSON bodies and escaped paths and query strings, and returns the parsed body', async () => {
    answer = { status: 201, body: '{"id":"abc"}' }
    const runtime = new RuntimeClient({ restUrl: url, secretKey: 'sk_test', environment: 'dev' })
    expect(await runtime.data.insert('my table', { a: 1 })).to.deep.equal({ id: 'abc' })
    answer = { status: 200, body: '{"items":[]}' }
    await runtime.users.list({ search: 'a&b', page: 2, skipped: undefined })
    await runtime.users.get('u/1')
    await runtime.close()
    expect(seen.at(-3)).to.deep.include({ method: 'POST', url: '/v1/data/my%20table', body: '{"a":1}' })
    expect(seen.at(-3)!.headers).to.include({ 'x-api-key': 'sk_test', 'content-type': 'application/json' })
    expect(seen.at(-2)).to.deep.include({ method: 'GET', url: '/v1/users?search=a%26b&page=2', body: '' })
    expect(seen.at(-1)).to.deep.include({ method: 'GET', url: '/v1/users/u%2F1', body: '' })
  })

  it('turns the error envelope into a ClientError with code, status, message and details', async () => {
    answer = { status: 400, body: JSON.stringify({ success: false, statusCode: 400, error: { code: 'data/validation-error', message: 'Validation failed', details: [{ field: 'title', rule: 'required', message: 'is required' }] }, message: 'Validation failed' }) }
    const error = await failure((rest) => rest.post('/v1/data/posts', {}))
    expect(error).to.be.instanceOf(ClientError)
    expect(error).to.include({ code: 'data/validation-error', status: 400, message: 'Validation failed', request: 'POST /v1/data/posts' })
    const { shown, exitCode } = showError(error)
    expect(exitCode).to.equal(1)
    expect(shown).to.deep.equal({ code: 'data/validation-error', message: 'Validation failed (title: is required)', hint: 'fix the values named above and retry', details: [{ field: 'title', rule: 'required', message: 'is required' }] })
  })

  it('keeps the Retry-After of a 429', async () => {
    answer = { status: 429, body: JSON.stringify({ error: { code: 'data/rate-limit-exceeded', message: 'Rate limit exceeded' } }), headers: { 'retry-after': '17' } }
    const error = await failure((rest) => rest.postOnly('/v1/data/posts', {}))
    expect(error).to.include({ code: 'data/rate-limit-exceeded', status: 429, retryAfter: 17 })
  })

  it('names a non-envelope failure by its status and keeps the start of the body', async () => {
    answer = { status: 502, body: '<html>Bad gateway</html>' }
    const error = await failure((rest) => rest.get('/v1/users'))
    expect(error).to.include({ code: 'http/502', status: 502, message: '<html>Bad gateway</html>' })
    expect(showError(error).shown.hint).to.equal('the server failed: see the bkend dev output')
  })

  it('reports a server that does not answer as target/unreachable, status 0', async () => {
    const error = await failure((rest) => rest.get('/v1/users'), 'http://127.0.0.1:9')
    expect(error).to.include({ code: 'target/unreachable', status: 0 })
    expect(error.message).to.match(/^cannot reach http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)$/)
  })

  it('gives each kind of failure its hint', () => {
    const hint = (code: string, status: number) => showError(new ClientError(code, 'x', status)).shown.hint
    expect(hint('auth/invalid-token', 401)).to.match(/^check the key/)
    expect(hint('data/scope-insufficient', 403)).to.match(/scopes/)
    expect(hint('data/permission-denied', 403)).to.match(/secret key/)
    expect(hint('data/table-not-found', 404)).to.include('bkend tables create')
    expect(hint('data/duplicate-value', 409)).to.match(/unique index/)
    expect(hint('common/payload-too-large', 413)).to.include('1 MiB')
    expect(hint('data/rate-limit-exceeded', 429)).to.include('--concurrency')
  })
})
