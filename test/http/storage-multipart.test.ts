import { expect } from 'chai'
import { randomBytes } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { call, md5, put, sha256, signUp, type As, type Json } from './storage-helpers.js'

describe('http: multipart uploads', () => {
  let emu: TestEmulator
  let admin: As
  const MAX = 1024 * 1024
  beforeEach(async () => {
    emu = await startEmulator({ maxFileSize: MAX })
    admin = { key: emu.seed.environment.secretKey }
  })
  afterEach(() => emu.dispose())

  const init = async (body: Json = {}, as: As = admin) => call(emu, 'POST', '/v1/files/multipart/init', as, { filename: 'video.mp4', contentType: 'video/mp4', fileSize: 300_000, category: 'media', ...body })
  const partUrl = async (upload: Json, partNumber: unknown, as: As = admin) => call(emu, 'POST', '/v1/files/multipart/presigned-url', as, { key: upload.key, uploadId: upload.uploadId, partNumber })
  const uploadPart = async (upload: Json, partNumber: number, bytes: Buffer) => {
    const url = await partUrl(upload, partNumber)
    expect(url.status).to.equal(200)
    const reply = await put(url.body.url, bytes)
    expect(reply.status).to.equal(200)
    return reply.etag as string
  }

  it('init → part URLs → PUT parts out of order → complete assembles them in part order, exactly', async () => {
    const started = await init()
    expect(started.status).to.equal(200)
    expect(started.body.uploadId).to.match(/^[0-9a-f]{32}$/)
    expect(started.body).to.include({ filename: 'video.mp4' })
    expect(started.body.key).to.match(/^media\/[0-9a-f]{24}\/[0-9a-f]{24}\/video\.mp4$/)
    expect(started.body.key.split('/')[2]).to.equal(started.body.fileId)

    const parts = [randomBytes(100_000), randomBytes(100_000), randomBytes(55_555)]
    const etags: string[] = []
    for (const index of [2, 0, 1]) etags[index] = await uploadPart(started.body, index + 1, parts[index]!)
    etags.forEach((etag, i) => expect(etag).to.equal(`"${md5(parts[i]!)}"`))

    const url = await partUrl(started.body, 1)
    expect(url.body.partNumber).to.equal(1)
    expect(Date.parse(url.body.expiresAt) - Date.now()).to.be.within(14 * 60_000, 15 * 60_000 + 1000)

    const done = await call(emu, 'POST', '/v1/files/multipart/complete', admin, {
      key: started.body.key,
      uploadId: started.body.uploadId,
      parts: [
        { partNumber: 3, etag: etags[2] },
        { partNumber: 1, etag: etags[0]!.replace(/"/g, '') },
        { partNumber: 2, etag: etags[1] },
      ],
    })
    expect(done.status).to.equal(200)
    expect(done.body).to.deep.equal({ key: started.body.key, location: `${emu.url}/_emulator/storage/public/${started.body.key}` })

    const whole = Buffer.concat(parts)
    const registered = await call(emu, 'POST', '/v1/files', admin, { s3Key: started.body.key, originalName: 'video.mp4', mimeType: 'video/mp4', size: whole.length })
    expect(registered.status).to.equal(201)
    expect(registered.body).to.include({ id: started.body.fileId, bucket: 'media' })
    const link = await call(emu, 'POST', `/v1/files/${started.body.fileId}/download-url`, admin)
    const response = await fetch(link.body.url)
    expect(response.headers.get('content-length')).to.equal(String(whole.length))
    expect(sha256(Buffer.from(await response.arrayBuffer()))).to.equal(sha256(whole))
    // parts are gone once assembled
    expect(await readdir(join(emu.dataDir, 'storage', emu.seed.environment.id, 'parts'))).to.deep.equal([])
  })

  it('the code-generation aliases: initiate, :uploadId/part-url, :uploadId/complete, then :fileId/complete', async () => {
    const started = await call(emu, 'POST', '/v1/files/multipart/initiate', admin, { filename: 'a.bin', contentType: 'application/octet-stream', fileSize: 20, visibility: 'public' })
    expect(started.status).to.equal(200)
    const id = started.body.uploadId
    const url = await call(emu, 'POST', `/v1/files/multipart/${id}/part-url`, admin, { partNumber: 1 })
    expect(url.status).to.equal(200)
    const etag = (await put(url.body.url, Buffer.from('0123456789'))).etag
    const url2 = await call(emu, 'POST', `/v1/files/multipart/${id}/part-url`, admin, { partNumber: 2, key: started.body.key })
    const etag2 = (await put(url2.body.url, Buffer.from('abcdefghij'))).etag
    const done = await call(emu, 'POST', `/v1/files/multipart/${id}/complete`, admin, { parts: [{ partNumber: 1, etag }, { partNumber: 2, etag: etag2 }] })
    expect(done.status).to.equal(200)
    const file = await call(emu, 'POST', `/v1/files/${started.body.fileId}/complete`, admin)
    expect(file.status).to.equal(200)
    expect(file.body).to.include({ size: 20, visibility: 'public', mimeType: 'application/octet-stream' })
    expect(await (await fetch(file.body.publicUrl)).text()).to.equal('0123456789abcdefghij')
  })

  it('uploading a part again replaces it; only the latest ETag completes', async () => {
    const started = (await init()).body
    const first = await uploadPart(started, 1, Buffer.from('old part'))
    const second = await uploadPart(started, 1, Buffer.from('new part!'))
    const stale = await call(emu, 'POST', '/v1/files/multipart/complete', admin, { key: started.key, uploadId: started.uploadId, parts: [{ partNumber: 1, etag: first }] })
    expect(stale.status).to.equal(400)
    expect(stale.body.error?.code).to.equal('file/invalid-parts-array')
    const done = await call(emu, 'POST', '/v1/files/multipart/complete', admin, { key: started.key, uploadId: started.uploadId, parts: [{ partNumber: 1, etag: second }] })
    expect(done.status).to.equal(200)
    const file = await call(emu, 'POST', `/v1/files/${started.fileId}/complete`, admin)
    expect(file.body.size).to.equal(9)
  })

  describe('init failures', () => {
    const failures: Array<[string, Json, string]> = [
      ['no fileSize', { fileSize: undefined }, 'common/invalid-parameters'],
      ['fileSize 0', { fileSize: 0 }, 'file/file-too-small'],
      ['a negative fileSize', { fileSize: -1 }, 'file/size-negative'],
      ['a fileSize above the maximum', { fileSize: MAX + 1 }, 'file/file-too-large'],
      ['a bad filename', { filename: 'a\\b' }, 'file/invalid-name'],
      ['a bad contentType', { contentType: 'video' }, 'file/invalid-format'],
      ['an unknown category', { category: 'x' }, 'common/invalid-parameters'],
    ]
    for (const [what, body, code] of failures) {
      it(`admin initialising with ${what} → 400 ${code}`, async () => {
        const reply = await init(body)
        expect(reply.status).to.equal(400)
        expect(reply.body.error?.code).to.equal(code)
      })
    }
  })

  describe('part URL failures', () => {
    const numbers: unknown[] = [0, -1, 10_001, 1.5, '1', null]
    for (const partNumber of numbers) {
      it(`partNumber ${JSON.stringify(partNumber)} → 400 file/invalid-part-number-range`, async () => {
        const reply = await partUrl((await init()).body, partNumber)
        expect(reply.status).to.equal(400)
        expect(reply.body.error?.code).to.equal('file/invalid-part-number-range')
      })
    }
    for (const partNumber of [1, 10_000]) {
      it(`partNumber ${partNumber} is in range`, async () => {
        expect((await partUrl((await init()).body, partNumber)).status).to.equal(200)
      })
    }

    const unknown: Array<[string, (upload: Json) => Json]> = [
      ['an unknown uploadId', (u) => ({ ...u, uploadId: 'f'.repeat(32) })],
      ['a malformed uploadId', (u) => ({ ...u, uploadId: 'nope' })],
      ['the key of another upload', (u) => ({ ...u, key: u.key.replace('video.mp4', 'other.mp4') })],
    ]
    for (const [what, change] of unknown) {
      it(`${what} → 404 file/not-found`, async () => {
        const reply = await partUrl(change((await init()).body), 1)
        expect(reply.status).to.equal(404)
        expect(reply.body.error?.code).to.equal('file/not-found')
      })
    }

    it("another user's upload → 404 file/not-found; an admin may use it", async () => {
      const alice = await signUp(emu, 'alice@example.com')
      const bob = await signUp(emu, 'bob@example.com')
      const upload = (await init({}, alice.as)).body
      const foreign = await partUrl(upload, 1, bob.as)
      expect(foreign.status).to.equal(404)
      expect((await partUrl(upload, 1, admin)).status).to.equal(200)
      expect((await partUrl(upload, 1, alice.as)).status).to.equal(200)
    })

    it('a part larger than the declared fileSize → 400 file/file-too-large', async () => {
      const upload = (await init({ fileSize: 10 })).body
      const url = await partUrl(upload, 1)
      const reply = await put(url.body.url, Buffer.alloc(11))
      expect(reply.status).to.equal(400)
      expect(JSON.parse(reply.body).error.code).to.equal('file/file-too-large')
    })

    it('a part URL is refused once the upload is completed or aborted', async () => {
      const upload = (await init()).body
      const url = await partUrl(upload, 1)
      await call(emu, 'POST', '/v1/files/multipart/abort', admin, { key: upload.key, uploadId: upload.uploadId })
      const reply = await put(url.body.url, Buffer.from('late'))
      expect(reply.status).to.equal(404)
    })
  })

  describe('complete failures', () => {
    let upload: Json
    let etags: string[]
    beforeEach(async () => {
      upload = (await init()).body
      etags = [await uploadPart(upload, 1, Buffer.from('one')), await uploadPart(upload, 2, Buffer.from('two'))]
    })
    const bad: Array<[string, (etags: string[]) => unknown]> = [
      ['no parts', () => undefined],
      ['an empty parts array', () => []],
      ['parts that are not an array', () => ({ partNumber: 1 })],
      ['a part without an etag', (e) => [{ partNumber: 1 }, { partNumber: 2, etag: e[1] }]],
      ['a wrong etag', (e) => [{ partNumber: 1, etag: e[1] }, { partNumber: 2, etag: e[1] }]],
      ['a part number listed twice', (e) => [{ partNumber: 1, etag: e[0] }, { partNumber: 1, etag: e[0] }]],
      ['a part never uploaded', (e) => [{ partNumber: 1, etag: e[0] }, { partNumber: 3, etag: e[1] }]],
      ['part number 0', (e) => [{ partNumber: 0, etag: e[0] }]],
      ['part number 10001', (e) => [{ partNumber: 10_001, etag: e[0] }]],
      ['a part that is not an object', () => ['1']],
    ]
    for (const [what, parts] of bad) {
      it(`completing with ${what} → 400 file/invalid-parts-array`, async () => {
        const reply = await call(emu, 'POST', '/v1/files/multipart/complete', admin, { key: upload.key, uploadId: upload.uploadId, parts: parts(etags) })
        expect(reply.status).to.equal(400)
        expect(reply.body.error?.code).to.equal('file/invalid-parts-array')
      })
    }

    it('completing a subset of the parts assembles just those', async () => {
      const reply = await call(emu, 'POST', '/v1/files/multipart/complete', admin, { key: upload.key, uploadId: upload.uploadId, parts: [{ partNumber: 2, etag: etags[1] }] })
      expect(reply.status).to.equal(200)
      const file = await call(emu, 'POST', `/v1/files/${upload.fileId}/complete`, admin)
      const link = await call(emu, 'POST', `/v1/files/${file.body.id}/download-url`, admin)
      expect(await (await fetch(link.body.url)).text()).to.equal('two')
    })

    it('an assembled size above the maximum → 400 file/file-too-large', async () => {
      const big = (await init({ fileSize: MAX })).body
      const a = await uploadPart(big, 1, randomBytes(MAX))
      const b = await uploadPart(big, 2, randomBytes(10))
      const reply = await call(emu, 'POST', '/v1/files/multipart/complete', admin, { key: big.key, uploadId: big.uploadId, parts: [{ partNumber: 1, etag: a }, { partNumber: 2, etag: b }] })
      expect(reply.status).to.equal(400)
      expect(reply.body.error?.code).to.equal('file/file-too-large')
    })

    it('a completed upload cannot be completed or aborted again → 404', async () => {
      const parts = [{ partNumber: 1, etag: etags[0] }]
      expect((await call(emu, 'POST', '/v1/files/multipart/complete', admin, { key: upload.key, uploadId: upload.uploadId, parts })).status).to.equal(200)
      for (const path of ['/v1/files/multipart/complete', '/v1/files/multipart/abort']) {
        const reply = await call(emu, 'POST', path, admin, { key: upload.key, uploadId: upload.uploadId, parts })
        expect(reply.status).to.equal(404)
        expect(reply.body.error?.code).to.equal('file/not-found')
      }
    })
  })

  describe('abort', () => {
    it('discards the parts and the pending record', async () => {
      const upload = (await init()).body
      await uploadPart(upload, 1, Buffer.from('bytes'))
      const partDir = join(emu.dataDir, 'storage', emu.seed.environment.id, 'parts')
      expect(await readdir(partDir)).to.deep.equal([upload.uploadId])
      const reply = await call(emu, 'POST', '/v1/files/multipart/abort', admin, { key: upload.key, uploadId: upload.uploadId })
      expect(reply.status).to.equal(200)
      expect(reply.body).to.deep.equal({ success: true, key: upload.key })
      expect(await readdir(partDir)).to.deep.equal([])
      const db = emu.core.envs.database(emu.seed.environment.id)!
      expect(db.collection('files').has(upload.fileId)).to.equal(false)
      expect(db.collection('multipartUploads').size).to.equal(0)
      expect(db.collection('multipartParts').size).to.equal(0)
      const register = await call(emu, 'POST', '/v1/files', admin, { s3Key: upload.key, originalName: 'video.mp4', mimeType: 'video/mp4', size: 5 })
      expect(register.body.error?.code).to.equal('file/invalid-path')
    })

    it('the alias POST /v1/files/multipart/:uploadId/abort', async () => {
      const upload = (await init()).body
      const reply = await call(emu, 'POST', `/v1/files/multipart/${upload.uploadId}/abort`, admin, {})
      expect(reply.status).to.equal(200)
      expect(reply.body).to.deep.equal({ success: true, key: upload.key })
    })

    it('an unknown upload → 404 file/not-found', async () => {
      const reply = await call(emu, 'POST', '/v1/files/multipart/abort', admin, { key: 'files/x', uploadId: '0'.repeat(32) })
      expect(reply.status).to.equal(404)
      expect(reply.body.error?.code).to.equal('file/not-found')
    })

    it('uploads expire after 24 hours (emulator clock); their parts are swept, a record registered meanwhile stays', async () => {
      const upload = (await init()).body
      await uploadPart(upload, 1, Buffer.from('part'))
      const registered = await call(emu, 'POST', '/v1/files', admin, { s3Key: upload.key, originalName: 'video.mp4', mimeType: 'video/mp4', size: 4 })
      expect(registered.status).to.equal(201)
      emu.core.clock.advance(24 * 3600 + 1)
      const reply = await partUrl(upload, 1)
      expect(reply.status).to.equal(404)
      await init()
      expect(await readdir(join(emu.dataDir, 'storage', emu.seed.environment.id, 'parts'))).to.deep.equal([])
      const db = emu.core.envs.database(emu.seed.environment.id)!
      expect(db.collection('multipartParts').size).to.equal(0)
      expect((await call(emu, 'GET', `/v1/files/${upload.fileId}`, admin)).status).to.equal(200)
    })
  })
})
