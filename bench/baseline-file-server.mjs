// The storage baseline: a bare node:http file server on the same disk as the emulator's data. PUT /<name> streams
// the body to <dir>/<name>; GET /<name> streams the file back with fs.createReadStream. No auth, no hashing, no
// records: the cost of moving bytes through node:http and the file system, nothing else.
import { createReadStream, createWriteStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'

const dir = process.argv[2]
const server = createServer(async (request, response) => {
  const path = join(dir, request.url.replace(/[^a-zA-Z0-9._-]/g, '_'))
  try {
    if (request.method === 'PUT') {
      await pipeline(request, createWriteStream(path))
      response.writeHead(200)
      response.end()
      return
    }
    const { size } = await stat(path)
    response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': size })
    await pipeline(createReadStream(path), response)
  } catch {
    if (!response.headersSent) response.writeHead(500)
    response.end()
  }
})
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` }) + '\n')
})
