import { expect } from 'chai'
import { request } from 'node:http'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { startEmulator } from '../helpers/emulator.js'
import { spawnEmulator } from '../helpers/emulator-process.js'
import { tempDir } from '../helpers/tmp.js'
import { sha256 } from '../http/storage-helpers.js'

describe('durability: storage across kill -9', function () {
  this.timeout(60_000)

  it('an acknowledged upload and registration survive SIGKILL; URLs issued before still work', async () => {
    const { dir, cleanup } = await tempDir()
    try {
      const child = await spawnEmulator(dir)
      const { url } = child.ready
      const headers = { 'X-API-Key': child.ready.environments[0]!.secretKey, 'Content-Type': 'application/json' }
      const post = async (path: string, body?: unknown) => (await (await fetch(url + path, { method: 'POST', headers, body: JSON.stringify(body ?? {}) })).json()) as Record<string, string>
      const bytes = Buffer.from('x'.repeat(200_000) + 'end')
      const issued = await post('/v1/files/presigned-url', { filename: 'kept.txt', contentType: 'text/plain', visibility: 'public' })
      expect((await fetch(issued.url!, { method: 'PUT', body: bytes })).status).to.equal(200)
      const file = await post('/v1/files', { s3Key: issued.key, originalName: 'kept.txt', mimeType: 'text/plain', size: bytes.length, visibility: 'public' })
      expect(file.id).to.equal(issued.fileId)
      const link = await post(`/v1/files/${file.id}/download-url`)
      await child.kill()

      const emu = await startEmulator({ dataDir: dir })
      try {
        const got = await fetch(`${emu.url}/v1/files/${file.id}`, { headers })
        expect(got.status).to.equal(200)
        expect(await got.json()).to.include({ id: file.id, key: issued.key, originalName: 'kept.txt', size: bytes.length, visibility: 'public' })
        // the signing secret is persisted: a URL from before the crash still verifies (only the origin changed)
        const download = await fetch(link.url!.replace(url, emu.url))
        expect(download.status).to.equal(200)
        expect(sha256(Buffer.from(await download.arrayBuffer()))).to.equal(sha256(bytes))
        const pub = await fetch(`${emu.url}/_emulator/storage/public/${issued.key}`)
        expect(pub.status).to.equal(200)
      } finally {
        await emu.stop()
      }
    } finally {
      await cleanup()
    }
  })

  it('an upload cut off by SIGKILL leaves no bytes behind once the emulator starts again', async () => {
    const { dir, cleanup } = await tempDir()
    try {
      const child = await spawnEmulator(dir)
      const envId = child.ready.environments[0]!.id
      const headers = { 'X-API-Key': child.ready.environments[0]!.secretKey, 'Content-Type': 'application/json' }
      const issued = (await (await fetch(`${child.ready.url}/v1/files/presigned-url`, { method: 'POST', headers, body: JSON.stringify({ filename: 'cut.bin', contentType: 'application/octet-stream' }) })).json()) as { url: string; fileId: string }
      // Half a body, then silence: the emulator is streaming it into a staged file when it dies.
      const upload = request(issued.url, { method: 'PUT', headers: { 'Content-Length': '1000000' } })
      upload.on('error', () => undefined)
      upload.write(Buffer.alloc(300_000, 1))
      const tmp = join(dir, 'storage', envId, 'tmp')
      const staged = async () => (await readdir(tmp).catch(() => [])).length
      for (let i = 0; i < 100 && (await staged()) === 0; i++) await new Promise((r) => setTimeout(r, 20))
      expect(await staged()).to.equal(1)
      await child.kill()
      upload.destroy()

      const emu = await startEmulator({ dataDir: dir })
      try {
        expect(await readdir(tmp)).to.deep.equal([])
        expect(await emu.core.store.blobs.size({ environmentId: envId, object: issued.fileId })).to.equal(null)
      } finally {
        await emu.stop()
      }
    } finally {
      await cleanup()
    }
  })
})
