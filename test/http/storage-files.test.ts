import { expect } from 'chai'
import { randomBytes } from 'node:crypto'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { call, md5, put, sha256, type As } from './storage-helpers.js'

describe('http: /v1/files single uploads, registration, reads and downloads', () => {
  let emu: TestEmulator
  let admin: As
  beforeEach(async () => {
    emu = await startEmulator({ maxFileSize: 64 * 1024 })
    admin = { key: emu.seed.environment.secretKey }
  })
  afterEach(() => emu.dispose())

  it('presigned URL → PUT → register → get → download URL → GET returns exactly the bytes', async () => {
    const bytes = randomBytes(40_000)
    const issued = await call(emu, 'POST', '/v1/files/presigned-url', admin, { filename: 'photo 1.jpg', contentType: 'image/jpeg', fileSize: bytes.length, category: 'images' })
    expect(issued.status).to.equal(200)
    expect(issued.body).to.include({ filename: 'photo 1.jpg', contentType: 'image/jpeg', method: 'PUT' })
    expect(issued.body.url).to.match(new RegExp(`^${emu.url}/_emulator/storage/upload/`))
    expect(issued.body.key).to.match(/^images\/[0-9a-f]{24}\/[0-9a-f]{24}\/photo_1\.jpg$/)
    expect(issued.body.key.split('/')[2]).to.equal(issued.body.fileId)
    expect(Date.parse(issued.body.expiresAt) - Date.now()).to.be.within(14 * 60_000, 15 * 60_000 + 1000)

    const uploaded = await put(issued.body.url, bytes, 'image/jpeg')
    expect(uploaded.status).to.equal(200)
    expect(uploaded.etag).to.equal(`"${md5(bytes)}"`)

    const registered = await call(emu, 'POST', '/v1/files', admin, { s3Key: issued.body.key, originalName: 'photo 1.jpg', mimeType: 'image/jpeg', size: bytes.length, metadata: { alt: 'a photo', tags: ['x'] } })
    expect(registered.status).to.equal(201)
    expect(registered.body).to.include({ id: issued.body.fileId, s3Key: issued.body.key, key: issued.body.key, visibility: 'private', bucket: 'images', category: 'images', ownerType: 'service', publicUrl: null, size: bytes.length })
    expect(registered.body.ownerId).to.equal(issued.body.key.split('/')[1])
    expect(registered.body.metadata).to.deep.equal({ alt: 'a photo', tags: ['x'] })

    const got = await call(emu, 'GET', `/v1/files/${issued.body.fileId}`, admin)
    expect(got.status).to.equal(200)
    expect(got.body).to.deep.equal(registered.body)

    const link = await call(emu, 'POST', `/v1/files/${issued.body.fileId}/download-url`, admin)
    expect(link.status).to.equal(200)
    expect(link.body).to.include({ filename: 'photo 1.jpg', contentType: 'image/jpeg', size: bytes.length })
    expect(Date.parse(link.body.expiresAt) - Date.now()).to.be.within(59 * 60_000, 60 * 60_000 + 1000)
    const response = await fetch(link.body.url)
    expect(response.status).to.equal(200)
    expect(response.headers.get('content-type')).to.equal('image/jpeg')
    expect(response.headers.get('content-length')).to.equal(String(bytes.length))
    expect(response.headers.get('etag')).to.equal(`"${md5(bytes)}"`)
    expect(response.headers.get('content-disposition')).to.equal("inline; filename*=UTF-8''photo%201.jpg")
    expect(sha256(Buffer.from(await response.arrayBuffer()))).to.equal(sha256(bytes))
  })
})
