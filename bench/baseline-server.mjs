// The throughput baseline: a bare node:http server answering the same small JSON the emulator's cheap routes do.
import { createServer } from 'node:http'

const body = JSON.stringify({ status: 'ok', version: '0.0.0', origin: 'http://127.0.0.1', startedAt: new Date().toISOString() })
const server = createServer((request, response) => {
  if (request.method === 'POST') {
    const chunks = []
    request.on('data', (c) => chunks.push(c))
    request.on('end', () => {
      const parsed = JSON.parse(Buffer.concat(chunks).toString() || '{}')
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
