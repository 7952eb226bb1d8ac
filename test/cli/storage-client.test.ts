import { expect } from 'chai'
import { randomBytes } from 'node:crypto'
import { writeFile, readdir } from 'node:fs/promises'
import { createServer, request as httpRequest, type ClientRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { ClientError } from '../../src/client/errors.js'
import { RestClient } from '../../src/client/rest.js'
import { StorageClient, type UploadRequest } from '../../src/client/storage.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { tempDir } from '../helpers/tmp.js'

const MiB = 1024 * 1024
const SIZE = 12 * MiB

type Action = 'pass' | 'fail' | 'drop' | 'refuse'

/**
 * The upload machinery against the real emulator, whose signed URLs point (through `publicUrl`) at a proxy that can
 * spoil chosen PUTs: answer 503, drop the connection mid-body, or refuse with 403. Shows what is retried, what is
 * not, and that a failed multipart upload leaves no part behind.
 */
describe('cli: StorageClient transfers', function () {
  this.timeout(60_000)
  let emu: TestEmulator
  let proxy: Server
  let dir: string
  let cleanup: () => Promise<void>
  let source: string
  let bytes: Buffer
  /** What to do with the n-th PUT (1-based) the proxy sees. */
  let plan: (n: number) => Action
  let puts: Array<{ n: number; action: Action }>
  /** Requests the proxy made to the emulator, destroyed at the end (a paused pipe may never notice its client left). */
  const forwarded = new Set<ClientRequest>()

  before(async () => {
    proxy = createServer((req, res) => {
      const n = req.method === 'PUT' ? puts.length + 1 : 0
      const action = n ? plan(n) : 'pass'
      if (n) puts.push({ n, action })
      if (action === 'fail') return void req.resume().on('end', () => res.writeHead(503).end('storage unavailable'))
      if (action === 'refuse') {
        const envelope = { success: false, statusCode: 403, error: { code: 'file/access-denied', message: 'expired' }, message: 'expired' }
        return void req.resume().on('end', () => res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify(envelope)))
      }
      if (action === 'drop') {
        let got = 0
        return void req.on('data', (chunk: Buffer) => {
          got += chunk.length
          if (got > MiB) req.socket.destroy()
        })
      }
      forward(req, res)
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    emu = await startEmulator({ publicUrl: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` })
    ;({ dir, cleanup } = await tempDir('bkend-storage-client-'))
    source = join(dir, 'twelve.bin')
    bytes = randomBytes(SIZE)
    await writeFile(source, bytes)
  })
  after(async () => {
    proxy.closeAllConnections()
    for (const upstream of forwarded) upstream.destroy()
    await new Promise((resolve) => proxy.close(resolve))
    await emu?.dispose()
    await cleanup()
  })
  beforeEach(() => {
    plan = () => 'pass'
    puts = []
  })

  function forward(req: IncomingMessage, res: ServerResponse): void {
    const upstream = httpRequest(`${emu.url}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers)
      answer.pipe(res)
    })
    forwarded.add(upstream)
    upstream.on('close', () => forwarded.delete(upstream))
    // a client that goes away mid-body takes the forwarded request with it, as a direct connection would
    req.on('close', () => {
      if (!req.complete) upstream.destroy()
    })
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  }

  /** Runs one upload (3 parts of 5 MiB, 2 at a time) with a fresh client; resolves with the outcome or the error. */
  async function upload(extra: Partial<UploadRequest> = {}) {
    const rest = new RestClient({ restUrl: emu.url, secretKey: emu.seed.environment.secretKey })
    const storage = new StorageClient(rest, 2)
    let counted = 0
    try {
      const outcome = await storage.upload({ path: source, size: SIZE, name: 'twelve.bin', contentType: 'application/octet-stream', multipartThreshold: 5 * MiB, partSize: 5 * MiB, concurrency: 2, onBytes: (n) => (counted += n), ...extra })
      const chunks: Buffer[] = []
      const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (chunks.push(chunk), done()) })
      const received = await storage.downloadTo((await storage.downloadUrl(outcome.file.id)).url, sink)
      return { outcome, counted, received, copy: Buffer.concat(chunks) }
    } catch (error) {
      return { error: error as ClientError, counted }
    } finally {
      await storage.close()
      await rest.close()
    }
  }

  /** Part files still on the emulator's disk, across every multipart upload. */
  async function partsOnDisk(): Promise<string[]> {
    const all = await readdir(join(emu.dataDir, 'storage'), { recursive: true }).catch(() => [] as string[])
    return all.filter((path) => /(^|\/)parts\/[^/]+\/\d+$/.test(path))
  }

  it('sends 3 parts, counts every byte once, and the download is the same bytes', async () => {
    const result = await upload()
    expect(result.outcome).to.include({ mode: 'multipart', parts: 3 })
    expect(result.outcome!.file).to.include({ size: SIZE, originalName: 'twelve.bin' })
    expect(puts.map((p) => p.action)).to.deep.equal(['pass', 'pass', 'pass'])
    expect(result.counted).to.equal(SIZE)
    expect(result.received).to.equal(SIZE)
    expect(result.copy!.equals(bytes)).to.equal(true)
  })

  for (const action of ['fail', 'drop'] as const) {
    it(`sends a part again with a fresh URL when its PUT ${action === 'fail' ? 'gets a 503' : 'loses its connection'}, and the bytes still arrive whole`, async () => {
      plan = (n) => (n === 1 ? action : 'pass')
      const result = await upload()
      expect(result.error, result.error?.message).to.equal(undefined)
      expect(puts).to.have.length(4)
      // the failed attempt's bytes were taken back from the progress count
      expect(result.counted).to.equal(SIZE)
      expect(result.copy!.equals(bytes)).to.equal(true)
    })
  }

  it('gives up after 3 tries of one part, reports the storage error, and aborts the multipart upload', async () => {
    plan = () => 'fail'
    const result = await upload()
    expect(result.error).to.be.instanceOf(ClientError)
    expect(result.error).to.include({ status: 503 })
    expect(result.error!.message).to.equal('storage unavailable')
    // 2 parts in flight, the first failing one stops the others after its 3rd try
    expect(puts.length).to.be.within(3, 6)
    expect(await partsOnDisk()).to.deep.equal([])
  })

  it('does not retry a refusal (4xx): the first 403 ends the upload and it is aborted', async () => {
    plan = (n) => (n === 2 ? 'refuse' : 'pass')
    const result = await upload()
    expect(result.error).to.include({ status: 403, code: 'file/access-denied' })
    expect(puts.filter((p) => p.action === 'refuse')).to.have.length(1)
    expect(await partsOnDisk()).to.deep.equal([])
  })

  it('stops at once when the caller aborts (Ctrl+C), with the caller’s reason, and aborts the multipart upload', async () => {
    const controller = new AbortController()
    const reason = new Error('interrupted by the test')
    plan = (n) => {
      if (n === 2) setImmediate(() => controller.abort(reason))
      return 'pass'
    }
    const result = await upload({ signal: controller.signal })
    expect(result.error).to.equal(reason)
    expect(await partsOnDisk()).to.deep.equal([])
  })

  it('sends a file at the threshold in one PUT with its content type', async () => {
    const small = join(dir, 'five.txt')
    await writeFile(small, bytes.subarray(0, 5 * MiB))
    const result = await upload({ path: small, size: 5 * MiB, name: 'five.txt', contentType: 'text/plain' })
    expect(result.outcome).to.include({ mode: 'single', parts: 1 })
    expect(result.outcome!.file).to.include({ mimeType: 'text/plain', size: 5 * MiB })
    expect(result.copy!.equals(bytes.subarray(0, 5 * MiB))).to.equal(true)
  })
})
