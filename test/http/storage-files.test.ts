import { expect } from 'chai'
import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { tempDir } from '../helpers/tmp.js'
import { call, md5, put, sha256, uploadFile, type As, type Json, type Reply } from './storage-helpers.js'

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

describe('http: /v1/files endpoints, documented failures and aliases', () => {
  let emu: TestEmulator
  let admin: As
  const MAX = 64 * 1024
  beforeEach(async () => {
    emu = await startEmulator({ maxFileSize: MAX })
    admin = { key: emu.seed.environment.secretKey }
  })
  afterEach(() => emu.dispose())

  describe('POST /v1/files/presigned-url', () => {
    const ok = { filename: 'a.txt', contentType: 'text/plain' }
    const failures: Array<[string, Record<string, unknown>, number, string]> = [
      ['no filename', { contentType: 'text/plain' }, 400, 'file/invalid-name'],
      ['a filename with a slash', { ...ok, filename: 'a/b.txt' }, 400, 'file/invalid-name'],
      ['a filename of ..', { ...ok, filename: '..' }, 400, 'file/invalid-name'],
      ['a filename over 255 characters', { ...ok, filename: 'x'.repeat(256) }, 400, 'file/invalid-name'],
      ['no contentType', { filename: 'a.txt' }, 400, 'file/invalid-format'],
      ['a malformed contentType', { ...ok, contentType: 'text' }, 400, 'file/invalid-format'],
      ['a fileSize above the maximum', { ...ok, fileSize: MAX + 1 }, 400, 'file/file-too-large'],
      ['a negative fileSize', { ...ok, fileSize: -1 }, 400, 'file/size-negative'],
      ['a fileSize that is not a number', { ...ok, fileSize: '12' }, 400, 'common/invalid-parameters'],
      ['an unknown visibility', { ...ok, visibility: 'secret' }, 400, 'common/invalid-parameters'],
      ['an unknown category', { ...ok, category: 'music' }, 400, 'common/invalid-parameters'],
    ]
    for (const [what, body, status, code] of failures) {
      it(`admin asking with ${what} → ${status} ${code}`, async () => {
        const reply = await call(emu, 'POST', '/v1/files/presigned-url', admin, body)
        expect(reply.status).to.equal(status)
        expect(reply.body.error?.code).to.equal(code)
      })
    }

    const buckets: Array<[string | undefined, string]> = [
      ['images', 'images'],
      ['documents', 'documents'],
      ['media', 'media'],
      ['temp', 'temp'],
      ['attachments', 'files'],
      ['exports', 'files'],
      [undefined, 'files'],
    ]
    for (const [category, bucket] of buckets) {
      it(`category ${category ?? '(none)'} → key in bucket ${bucket}`, async () => {
        const reply = await call(emu, 'POST', '/v1/files/presigned-url', admin, { ...ok, category })
        expect(reply.status).to.equal(200)
        expect(reply.body.key.split('/')[0]).to.equal(bucket)
      })
    }

    it('accepts a zero-byte declared size and a zero-byte upload', async () => {
      const issued = await call(emu, 'POST', '/v1/files/presigned-url', admin, { ...ok, fileSize: 0 })
      expect(issued.status).to.equal(200)
      expect((await put(issued.body.url, new Uint8Array(0))).status).to.equal(200)
      const done = await call(emu, 'POST', `/v1/files/${issued.body.fileId}/complete`, admin)
      expect(done.status).to.equal(200)
      expect(done.body.size).to.equal(0)
      const link = await call(emu, 'POST', `/v1/files/${issued.body.fileId}/download-url`, admin)
      const response = await fetch(link.body.url)
      expect(response.status).to.equal(200)
      expect(await response.text()).to.equal('')
    })
  })

  describe('POST /v1/files (register)', () => {
    let key: string
    let fileId: string
    beforeEach(async () => {
      const issued = await call(emu, 'POST', '/v1/files/presigned-url', admin, { filename: 'doc.pdf', contentType: 'application/pdf', category: 'documents' })
      key = issued.body.key
      fileId = issued.body.fileId
    })
    const valid = () => ({ s3Key: key, originalName: 'doc.pdf', mimeType: 'application/pdf', size: 10 })
    const failures: Array<[string, () => Record<string, unknown>, number, string]> = [
      ['no s3Key', () => ({ ...valid(), s3Key: undefined }), 400, 'file/invalid-path'],
      ['a key never issued', () => ({ ...valid(), s3Key: key.replace(/[0-9a-f]{24}\/doc/, '6b0000000000000000000000/doc') }), 400, 'file/invalid-path'],
      ['a key with another file name', () => ({ ...valid(), s3Key: key.replace('doc.pdf', 'other.pdf') }), 400, 'file/invalid-path'],
      ['a key over 1024 characters', () => ({ ...valid(), s3Key: 'x'.repeat(1025) }), 400, 'file/s3-key-too-long'],
      ['no originalName', () => ({ ...valid(), originalName: undefined }), 400, 'file/invalid-name'],
      ['an originalName over 255 characters', () => ({ ...valid(), originalName: 'x'.repeat(256) }), 400, 'file/original-name-too-long'],
      ['an originalName with a backslash', () => ({ ...valid(), originalName: 'a\\b' }), 400, 'file/invalid-name'],
      ['a malformed mimeType', () => ({ ...valid(), mimeType: 'pdf' }), 400, 'file/invalid-format'],
      ['a mimeType over 255 characters', () => ({ ...valid(), mimeType: `a/${'b'.repeat(254)}` }), 400, 'file/mime-type-too-long'],
      ['no size', () => ({ ...valid(), size: undefined }), 400, 'common/invalid-parameters'],
      ['a negative size', () => ({ ...valid(), size: -5 }), 400, 'file/size-negative'],
      ['a width of 0', () => ({ ...valid(), width: 0 }), 400, 'common/invalid-parameters'],
      ['an unknown bucket', () => ({ ...valid(), bucket: 'music' }), 400, 'common/invalid-parameters'],
      ['an unknown visibility', () => ({ ...valid(), visibility: 'everyone' }), 400, 'common/invalid-parameters'],
      ['metadata that is an array', () => ({ ...valid(), metadata: [] }), 400, 'common/invalid-parameters'],
      ['metadata tags that are not strings', () => ({ ...valid(), metadata: { tags: [1] } }), 400, 'common/invalid-parameters'],
    ]
    for (const [what, body, status, code] of failures) {
      it(`admin registering with ${what} → ${status} ${code}`, async () => {
        const reply = await call(emu, 'POST', '/v1/files', admin, body())
        expect(reply.status).to.equal(status)
        expect(reply.body.error?.code).to.equal(code)
      })
    }

    it('registers before the bytes arrive, keeps the pending id, takes the bucket and metadata given', async () => {
      const reply = await call(emu, 'POST', '/v1/files', admin, { ...valid(), bucket: 'media', width: 640, height: 480, visibility: 'protected', metadata: { description: 'q3', custom: { a: 1 }, extra: true } })
      expect(reply.status).to.equal(201)
      expect(reply.body).to.include({ id: fileId, bucket: 'media', category: 'documents', width: 640, height: 480, visibility: 'protected' })
      expect(reply.body.metadata).to.deep.equal({ description: 'q3', custom: { a: 1 }, extra: true })
      const link = await call(emu, 'POST', `/v1/files/${fileId}/download-url`, admin)
      const missing = await fetch(link.body.url)
      expect(missing.status).to.equal(404)
      expect(((await missing.json()) as { error: { code: string } }).error.code).to.equal('file/not-found')
    })

    it('a second registration of the same key → 409 file/s3-key-already-exists', async () => {
      expect((await call(emu, 'POST', '/v1/files', admin, valid())).status).to.equal(201)
      const again = await call(emu, 'POST', '/v1/files', admin, valid())
      expect(again.status).to.equal(409)
      expect(again.body.error?.code).to.equal('file/s3-key-already-exists')
    })

    it('the default bucket follows the category', async () => {
      expect((await call(emu, 'POST', '/v1/files', admin, valid())).body.bucket).to.equal('documents')
    })
  })

  describe('pending records', () => {
    it('are invisible to get, list, update, delete and download-url until registered', async () => {
      const issued = await call(emu, 'POST', '/v1/files/presigned-url', admin, { filename: 'p.txt', contentType: 'text/plain' })
      const id = issued.body.fileId
      for (const [method, path] of [['GET', `/v1/files/${id}`], ['PATCH', `/v1/files/${id}`], ['DELETE', `/v1/files/${id}`], ['POST', `/v1/files/${id}/download-url`]] as const) {
        const reply = await call(emu, method, path, admin, method === 'PATCH' ? { visibility: 'public' } : undefined)
        expect(reply.status, `${method} ${path}`).to.equal(404)
        expect(reply.body.error?.code).to.equal('file/not-found')
      }
      expect((await call(emu, 'GET', '/v1/files', admin)).body.pagination.total).to.equal(0)
    })

    it('are discarded with their bytes after 24 hours (emulator clock)', async () => {
      const issued = await call(emu, 'POST', '/v1/files/presigned-url', admin, { filename: 'p.txt', contentType: 'text/plain' })
      expect((await put(issued.body.url, 'bytes')).status).to.equal(200)
      const blob = { environmentId: emu.seed.environment.id, object: issued.body.fileId }
      expect(await emu.core.store.blobs.size(blob)).to.equal(5)
      emu.core.clock.advance(24 * 3600 + 1)
      const late = await call(emu, 'POST', '/v1/files', admin, { s3Key: issued.body.key, originalName: 'p.txt', mimeType: 'text/plain', size: 5 })
      expect(late.status).to.equal(400)
      expect(late.body.error?.code).to.equal('file/invalid-path')
      // the next reservation sweeps the stale record and its bytes
      await call(emu, 'POST', '/v1/files/presigned-url', admin, { filename: 'q.txt', contentType: 'text/plain' })
      expect(await emu.core.store.blobs.size(blob)).to.equal(null)
      expect(emu.core.envs.database(emu.seed.environment.id)!.collection('files').has(issued.body.fileId)).to.equal(false)
    })
  })

  describe('aliases', () => {
    it('POST /v1/files/:id/complete activates with the declared values and the bytes that arrived; idempotent', async () => {
      const issued = await call(emu, 'POST', '/v1/files/presigned-url', admin, { filename: 'c.csv', contentType: 'text/csv', visibility: 'public', category: 'exports' })
      const early = await call(emu, 'POST', `/v1/files/${issued.body.fileId}/complete`, admin)
      expect(early.status).to.equal(400)
      expect(early.body.error?.code).to.equal('file/invalid-path')
      await put(issued.body.url, 'a,b\n1,2\n', 'text/csv')
      const done = await call(emu, 'POST', `/v1/files/${issued.body.fileId}/complete`, admin)
      expect(done.status).to.equal(200)
      expect(done.body).to.include({ id: issued.body.fileId, originalName: 'c.csv', mimeType: 'text/csv', size: 8, visibility: 'public', category: 'exports', bucket: 'files' })
      const again = await call(emu, 'POST', `/v1/files/${issued.body.fileId}/complete`, admin)
      expect(again.status).to.equal(200)
      expect(again.body).to.deep.equal(done.body)
    })

    it('PATCH /v1/files/:id/visibility and GET /v1/files/:id/download-url', async () => {
      const file = await uploadFile(emu, admin, 'hello')
      const changed = await call(emu, 'PATCH', `/v1/files/${file.id}/visibility`, admin, { visibility: 'public', originalName: 'ignored.txt' })
      expect(changed.status).to.equal(200)
      expect(changed.body).to.include({ visibility: 'public', originalName: 'notes.txt' })
      expect(changed.body.publicUrl).to.equal(`${emu.url}/_emulator/storage/public/${file.key}`)
      const bad = await call(emu, 'PATCH', `/v1/files/${file.id}/visibility`, admin, {})
      expect(bad.status).to.equal(400)
      const link = await call(emu, 'GET', `/v1/files/${file.id}/download-url`, admin)
      expect(link.status).to.equal(200)
      expect(await (await fetch(link.body.url)).text()).to.equal('hello')
    })

    it('GET /v1/files/buckets counts the files the caller can see in each of the six buckets', async () => {
      await uploadFile(emu, admin, 'a')
      await uploadFile(emu, admin, 'b', { bucket: 'images' })
      const reply = await call(emu, 'GET', '/v1/files/buckets', admin)
      expect(reply.status).to.equal(200)
      expect(reply.body.items).to.deep.equal([
        { name: 'avatars', fileCount: 0 },
        { name: 'documents', fileCount: 0 },
        { name: 'media', fileCount: 0 },
        { name: 'files', fileCount: 1 },
        { name: 'images', fileCount: 1 },
        { name: 'temp', fileCount: 0 },
      ])
      expect(reply.body.pagination).to.include({ total: 6, page: 1, limit: 20 })
    })
  })

  describe('GET /v1/files (list)', () => {
    beforeEach(async () => {
      await uploadFile(emu, admin, 'aaaa', { originalName: 'Beta report.txt', visibility: 'public' })
      await uploadFile(emu, admin, 'a', { originalName: 'alpha.txt', mimeType: 'image/png', bucket: 'images' })
      await uploadFile(emu, admin, 'aaa', { originalName: 'gamma.txt', mimeType: 'image/jpeg', bucket: 'images' })
      await uploadFile(emu, admin, 'aa', { originalName: 'delta.txt', mimeType: 'application/pdf', visibility: 'protected' })
    })
    const names = (reply: Reply) => (reply.body.items as Json[]).map((f) => f.originalName as string)
    const cases: Array<[string, string, string[]]> = [
      ['newest first by default', '', ['delta.txt', 'gamma.txt', 'alpha.txt', 'Beta report.txt']],
      ['sorted by name ascending', '?sortBy=originalName&sortDirection=asc', ['alpha.txt', 'Beta report.txt', 'delta.txt', 'gamma.txt']],
      ['sorted by size descending', '?sortBy=size', ['Beta report.txt', 'gamma.txt', 'delta.txt', 'alpha.txt']],
      ['filtered by visibility', '?visibility=public', ['Beta report.txt']],
      ['filtered by bucket', '?bucket=images&sortBy=originalName&sortDirection=asc', ['alpha.txt', 'gamma.txt']],
      ['filtered by an exact MIME type', '?mimeType=image/png', ['alpha.txt']],
      ['filtered by a MIME family', '?mimeType=image/*&sortBy=size&sortDirection=asc', ['alpha.txt', 'gamma.txt']],
      ['searched case-insensitively', '?search=REPORT', ['Beta report.txt']],
      ['filtered by owner type', '?ownerType=user', []],
      ['page 2 of 3 per page', '?limit=3&page=2', ['Beta report.txt']],
      ['a page past the end', '?page=9', []],
    ]
    for (const [what, query, expected] of cases) {
      it(`admin listing ${what}`, async () => {
        const reply = await call(emu, 'GET', `/v1/files${query}`, admin)
        expect(reply.status).to.equal(200)
        expect(names(reply)).to.deep.equal(expected)
      })
    }

    it('paginates with the common counters and clamps limit', async () => {
      const reply = await call(emu, 'GET', '/v1/files?limit=3&page=2', admin)
      expect(reply.body.pagination).to.deep.equal({ total: 4, page: 2, limit: 3, totalPages: 2, hasNext: false, hasPrev: true, hasNextPage: false, hasPrevPage: true })
      expect((await call(emu, 'GET', '/v1/files?limit=500', admin)).body.pagination.limit).to.equal(100)
      expect((await call(emu, 'GET', '/v1/files?limit=0', admin)).body.pagination.limit).to.equal(1)
    })

    const bad: Array<[string, string]> = [
      ['page=0', '?page=0'],
      ['page=x', '?page=x'],
      ['sortBy=owner', '?sortBy=owner'],
      ['sortDirection=up', '?sortDirection=up'],
      ['visibility=everyone', '?visibility=everyone'],
      ['ownerType=robot', '?ownerType=robot'],
      ['bucket=music', '?bucket=music'],
    ]
    for (const [what, query] of bad) {
      it(`admin listing with ${what} → 400 common/invalid-parameters`, async () => {
        const reply = await call(emu, 'GET', `/v1/files${query}`, admin)
        expect(reply.status).to.equal(400)
        expect(reply.body.error?.code).to.equal('common/invalid-parameters')
      })
    }
  })

  describe('PATCH and DELETE /v1/files/:id', () => {
    it('merges metadata key by key, null removes a key; replaces sharedWith; ignores other keys', async () => {
      const file = await uploadFile(emu, admin, 'x', { metadata: { alt: 'old', tags: ['a'], description: 'd' } })
      const reply = await call(emu, 'PATCH', `/v1/files/${file.id}`, admin, { originalName: 'renamed.txt', metadata: { alt: 'new', description: null, custom: { k: 1 } }, sharedWith: ['6b0000000000000000000001'], size: 999, ownerId: 'x' })
      expect(reply.status).to.equal(200)
      expect(reply.body).to.include({ originalName: 'renamed.txt', size: 1, ownerId: file.ownerId, key: file.key })
      expect(reply.body.metadata).to.deep.equal({ alt: 'new', tags: ['a'], custom: { k: 1 } })
      expect(reply.body.sharedWith).to.deep.equal(['6b0000000000000000000001'])
      expect(Date.parse(reply.body.updatedAt)).to.be.at.least(Date.parse(file.updatedAt))
    })

    const failures: Array<[string, Record<string, unknown>, string]> = [
      ['an invalid name', { originalName: 'a/b' }, 'file/invalid-name'],
      ['a name over 255 characters', { originalName: 'x'.repeat(256) }, 'file/original-name-too-long'],
      ['an unknown visibility', { visibility: 'all' }, 'common/invalid-parameters'],
      ['metadata that is a string', { metadata: 'x' }, 'common/invalid-parameters'],
      ['sharedWith that is not a list', { sharedWith: 'u1' }, 'common/invalid-parameters'],
    ]
    for (const [what, body, code] of failures) {
      it(`admin updating with ${what} → 400 ${code}`, async () => {
        const file = await uploadFile(emu, admin, 'x')
        const reply = await call(emu, 'PATCH', `/v1/files/${file.id}`, admin, body)
        expect(reply.status).to.equal(400)
        expect(reply.body.error?.code).to.equal(code)
      })
    }

    const unknown: Array<[string, string]> = [
      ['an unknown id', '6b0000000000000000000000'],
      ['a malformed id', 'not-an-id'],
    ]
    for (const [what, id] of unknown) {
      for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
        it(`${method} of ${what} → 404 file/not-found`, async () => {
          const reply = await call(emu, method, `/v1/files/${id}`, admin, method === 'PATCH' ? {} : undefined)
          expect(reply.status).to.equal(404)
          expect(reply.body.error?.code).to.equal('file/not-found')
        })
      }
    }

    it('deleting removes the record and its bytes from disk; the old download URL then 404s', async () => {
      const file = await uploadFile(emu, admin, 'to be deleted')
      const link = await call(emu, 'POST', `/v1/files/${file.id}/download-url`, admin)
      const blob = { environmentId: emu.seed.environment.id, object: file.id }
      expect(await emu.core.store.blobs.size(blob)).to.equal(13)
      const reply = await call(emu, 'DELETE', `/v1/files/${file.id}`, admin)
      expect(reply.status).to.equal(200)
      expect(reply.body).to.deep.equal({})
      expect(await emu.core.store.blobs.size(blob)).to.equal(null)
      expect((await call(emu, 'GET', `/v1/files/${file.id}`, admin)).status).to.equal(404)
      expect((await fetch(link.body.url)).status).to.equal(404)
      expect((await call(emu, 'DELETE', `/v1/files/${file.id}`, admin)).status).to.equal(404)
    })
  })

  it('admins read active files through the built-in files table of the data API', async () => {
    const file = await uploadFile(emu, admin, 'x', { originalName: 'table.txt' })
    const reply = await call(emu, 'GET', '/v1/data/files', admin)
    expect(reply.status).to.equal(200)
    expect(reply.body.items).to.have.length(1)
    expect(reply.body.items[0]).to.include({ id: file.id, key: file.key, filename: 'table.txt', mimeType: 'text/plain', size: 1 })
  })
})

describe('http: /v1/files with an unusable storage directory', () => {
  it('issuing an upload URL → 500 file/bucket-not-configured', async () => {
    const { dir, cleanup } = await tempDir()
    await writeFile(join(dir, 'storage'), 'not a directory')
    const emu = await startEmulator({ dataDir: dir })
    try {
      const reply = await call(emu, 'POST', '/v1/files/presigned-url', { key: emu.seed.environment.secretKey }, { filename: 'a.txt', contentType: 'text/plain' })
      expect(reply.status).to.equal(500)
      expect(reply.body.error?.code).to.equal('file/bucket-not-configured')
    } finally {
      await emu.stop()
      await cleanup()
    }
  })
})
