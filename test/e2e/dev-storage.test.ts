import { expect } from 'chai'
// `bkend dev` itself is under test, so every run here is the spawned binary
import { runBinary, spawnDev } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'

/** Storage options of `bkend dev`: the public URL base and the maximum file size. */
describe('e2e: bkend dev storage options', function () {
  this.timeout(30_000)
  let dir: string
  let cleanup: () => Promise<void>
  beforeEach(async () => ({ dir, cleanup } = await tempDir()))
  afterEach(() => cleanup())

  const presign = async (url: string, key: string, body: Record<string, unknown>) => {
    const response = await fetch(`${url}/v1/files/presigned-url`, { method: 'POST', headers: { 'X-API-Key': key, 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
    return { status: response.status, body: (await response.json()) as { url: string; error?: { code: string } } }
  }

  const bases: Array<[string, string[], Record<string, string>, string]> = [
    ['--public-url', ['--public-url', 'http://192.168.1.20:4100/'], {}, 'http://192.168.1.20:4100'],
    ['BKEND_PUBLIC_URL', [], { BKEND_PUBLIC_URL: 'http://host.docker.internal:4100' }, 'http://host.docker.internal:4100'],
  ]
  for (const [what, args, env, base] of bases) {
    it(`${what} sets the base of the signed URLs it hands out`, async () => {
      const dev = await spawnDev(['--port', '0', '--data-dir', dir, ...args], env)
      try {
        const issued = await presign(dev.ready.url, dev.ready.environments[0]!.secretKey, { filename: 'a.txt', contentType: 'text/plain' })
        expect(issued.status).to.equal(200)
        expect(issued.body.url.startsWith(`${base}/_emulator/storage/upload/`)).to.equal(true)
        // the ready line still names the address the emulator listens on
        expect(dev.ready.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/)
      } finally {
        await dev.stop('SIGTERM')
      }
    })
  }

  it('--max-file-size caps the declared size', async () => {
    const dev = await spawnDev(['--port', '0', '--data-dir', dir, '--max-file-size', '1000'])
    try {
      const key = dev.ready.environments[0]!.secretKey
      expect((await presign(dev.ready.url, key, { filename: 'a', contentType: 'a/b', fileSize: 1000 })).status).to.equal(200)
      const over = await presign(dev.ready.url, key, { filename: 'a', contentType: 'a/b', fileSize: 1001 })
      expect(over.status).to.equal(400)
      expect(over.body.error?.code).to.equal('file/file-too-large')
    } finally {
      await dev.stop('SIGTERM')
    }
  })

  for (const value of ['not a url', 'ftp://example.com']) {
    it(`--public-url ${value} → usage error (exit 2) with a hint`, async () => {
      const result = await runBinary(['dev', '--port', '0', '--data-dir', dir, '--public-url', value])
      expect(result.code).to.equal(2)
      expect(result.stderr).to.include('--public-url')
      expect(result.stderr).to.include('http://192.168.1.20:4100')
    })
  }
})
