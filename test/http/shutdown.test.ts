import { expect } from 'chai'
import { randomBytes } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { join } from 'node:path'
import { startEmulator } from '../helpers/emulator.js'
import { call } from './storage-helpers.js'

describe('http: stopping with requests in flight', () => {
  it('a stalled upload is cut after the drain time and leaves nothing behind', async () => {
    const emu = await startEmulator({ drainMs: 300 })
    try {
      const issued = await call(emu, 'POST', '/v1/files/presigned-url', { key: emu.seed.environment.secretKey }, { filename: 'big.bin', contentType: 'application/octet-stream' })
      expect(issued.status).to.equal(200)
      // A client announces 1 MB, sends 10 kB and then stalls, keeping its request open.
      const cut = new Promise<string>((resolve) => {
        const req = httpRequest(issued.body.url as string, { method: 'PUT', headers: { 'Content-Length': '1000000' } }, (res) => resolve(`answered ${res.statusCode}`))
        req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
        req.write(randomBytes(10_000))
      })
      await new Promise((r) => setTimeout(r, 150))
      const started = Date.now()
      await emu.stop()
      const took = Date.now() - started
      expect(took).to.be.at.least(250)
      expect(took).to.be.below(4000)
      expect(await cut).to.equal('ECONNRESET')
      const tmp = join(emu.dataDir, 'storage', emu.seed.environment.id, 'tmp')
      for (let i = 0; i < 50 && (await readdir(tmp)).length > 0; i++) await new Promise((r) => setTimeout(r, 20))
      expect(await readdir(tmp)).to.deep.equal([])
    } finally {
      await emu.dispose()
    }
  })
})
