// The throughput baseline: a bare node:http server with no logic at all. GET answers the current body (a small
// health-like JSON until `PUT /_body` replaces it, so a baseline can serve the very bytes the emulator returns);
// POST echoes the JSON it received with an id, like a create.
import { createServer } from 'node:http'

let body = JSON.stringify({ status: 'ok', version: '0.0.0', origin: 'http://127.0.0.1', startedAt: new Date().toISOString() })
const server = createServer((request, response) => {
  if (request.method === 'POST' || request.method === 'PUT') {
    const chunks = []
    request.on('data', (c) => chunks.push(c))
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString()
      if (request.method === 'PUT') {
        body = text
        response.writeHead(204)
        response.end()
        return
      }
      const parsed = JSON.parse(text || '{}')
      response.writeHead(201, { 'content-type': 'application/json' })
      response.end(JSON.stringify({ id: '0'.repeat(24), ...parsed }))
    })
    return
  }
  response.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
  response.end(body)
})
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` }) + '\n')
})
