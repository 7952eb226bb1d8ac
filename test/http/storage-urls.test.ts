import { expect } from 'chai'
import { randomBytes } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { request as httpRequest } from 'node:http'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { call, md5, put, sha256, uploadFile, type As, type Json } from './storage-helpers.js'

const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1)
const claimsOf = (url: string) => JSON.parse(Buffer.from(tokenOf(url).split('.')[0]!, 'base64url').toString()) as Json
const withClaims = (url: string, change: Json) => {
  const [payload, signature] = tokenOf(url).split('.')
  const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), ...change })).toString('base64url')
  return url.slice(0, url.lastIndexOf('/') + 1) + `${forged}.${signature}`
}
const errorCode = async (response: Response) => ((await response.json()) as Json).error.code as string

describe('http: signed storage URLs (/_emulator/storage, /_emulator/img)', () => {
  let emu: TestEmulator
  let admin: As
  const MAX = 256 * 1024
  beforeEach(async () => {
    emu = await startEmulator({ maxFileSize: MAX })
    admin = { key: emu.seed.environment.secretKey }
  })
  afterEach(() => emu.dispose())

  const issue = async (body: Json = {}) => (await call(emu, 'POST', '/v1/files/presigned-url', admin, { filename: 'f.bin', contentType: 'application/octet-stream', ...body })).body

  describe('PUT /_emulator/storage/upload/:token', () => {
    it('needs no headers at all, stores the bytes and answers 200 with an empty body and the md5 ETag', async () => {
      const bytes = randomBytes(100_000)
      const issued = await issue({ fileSize: bytes.length })
      const response = await fetch(issued.url, { method: 'PUT', body: bytes })
      expect(response.status).to.equal(200)
      expect(await response.text()).to.equal('')
      expect(response.headers.get('etag')).to.equal(`"${md5(bytes)}"`)
    })

    it('streams a body far above the JSON limit (3 MiB) and keeps it byte for byte', async () => {
      const big = await startEmulator()
      try {
        const as = { key: big.seed.environment.secretKey }
        const bytes = randomBytes(3 * 1024 * 1024)
        const file = await uploadFile(big, as, bytes)
        const link = await call(big, 'POST', `/v1/files/${file.id}/download-url`, as)
        expect(sha256(Buffer.from(await (await fetch(link.body.url)).arrayBuffer()))).to.equal(sha256(bytes))
      } finally {
        await big.dispose()
      }
    })

    const tooLarge: Array<[string, Json, number]> = [
      ['a body above the declared fileSize', { fileSize: 10 }, 11],
      ['a body above the maximum, nothing declared', {}, MAX + 1],
    ]
    for (const [what, declared, size] of tooLarge) {
      it(`${what} → 400 file/file-too-large, and nothing is stored`, async () => {
        const issued = await issue(declared)
        const response = await fetch(issued.url, { method: 'PUT', body: randomBytes(size) })
        expect(response.status).to.equal(400)
        expect(await errorCode(response)).to.equal('file/file-too-large')
        const envDir = join(emu.dataDir, 'storage', emu.seed.environment.id)
        expect(await emu.core.store.blobs.size({ environmentId: emu.seed.environment.id, object: issued.fileId })).to.equal(null)
        const { readdir } = await import('node:fs/promises')
        expect(await readdir(join(envDir, 'tmp'))).to.deep.equal([])
      })
    }

    it('refuses a chunked body (no Content-Length) as soon as it passes the limit, while streaming', async () => {
      const issued = await issue({ fileSize: 1000 })
      async function* chunks() {
        for (let i = 0; i < 10; i++) yield randomBytes(500)
      }
      const response = await fetch(issued.url, { method: 'PUT', body: chunks(), duplex: 'half' } as RequestInit)
      expect(response.status).to.equal(400)
      expect(await errorCode(response)).to.equal('file/file-too-large')
      const exact = await fetch(issued.url, { method: 'PUT', body: randomBytes(1000) })
      expect(exact.status).to.equal(200)
    })

    it('a Content-Length above the maximum is refused before any byte is read', async () => {
      const issued = await issue()
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(issued.url, { method: 'PUT', headers: { 'Content-Length': String(MAX * 100) } }, (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
          req.destroy()
        })
        req.on('error', reject)
        req.write(randomBytes(1024))
      })
      expect(status).to.equal(400)
    })

    it('a client that drops the connection mid-upload leaves nothing behind: no object, no temp file, old bytes kept', async () => {
      const issued = await issue()
      await put(issued.url, 'complete bytes')
      const envDir = join(emu.dataDir, 'storage', emu.seed.environment.id)
      await new Promise<void>((resolve) => {
        const req = httpRequest(issued.url, { method: 'PUT', headers: { 'Content-Length': '100000' } })
        req.on('error', () => resolve())
        req.write(randomBytes(20_000), () => setTimeout(() => req.destroy(), 100))
      })
      const { readdir } = await import('node:fs/promises')
      for (let i = 0; i < 50 && (await readdir(join(envDir, 'tmp'))).length > 0; i++) await new Promise((r) => setTimeout(r, 20))
      expect(await readdir(join(envDir, 'tmp'))).to.deep.equal([])
      const doc = emu.core.envs.database(emu.seed.environment.id)!.collection('files').get(issued.fileId) as Json
      expect(doc.bytes).to.include({ size: 14, etag: md5('complete bytes') })
      expect(await emu.core.store.blobs.size({ environmentId: emu.seed.environment.id, object: issued.fileId })).to.equal(14)
    })

    it('the token is checked before the announced size: a forged URL announcing a huge body → 403', async () => {
      const issued = await issue({ fileSize: 10 })
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpRequest(issued.url.slice(0, -2), { method: 'PUT', headers: { 'Content-Length': String(MAX * 100) } }, (res) => {
          res.resume()
          resolve(res.statusCode ?? 0)
          req.destroy()
        })
        req.on('error', reject)
        req.write(randomBytes(16))
      })
      expect(status).to.equal(403)
    })

    it('uploading again replaces the bytes; the request Content-Type is kept, else the declared one', async () => {
      const issued = await issue({ contentType: 'text/plain' })
      await put(issued.url, 'first', 'text/markdown')
      const doc = () => emu.core.envs.database(emu.seed.environment.id)!.collection('files').get(issued.fileId) as Json
      expect(doc().bytes).to.include({ size: 5, contentType: 'text/markdown' })
      await put(issued.url, Buffer.from('second!'))
      expect(doc().bytes).to.include({ size: 7, contentType: 'text/plain', etag: md5('second!') })
    })

    it('an upload URL whose file was deleted → 404 file/not-found', async () => {
      const issued = await issue()
      await put(issued.url, 'x')
      await call(emu, 'POST', `/v1/files/${issued.fileId}/complete`, admin)
      await call(emu, 'DELETE', `/v1/files/${issued.fileId}`, admin)
      const response = await fetch(issued.url, { method: 'PUT', body: 'y' })
      expect(response.status).to.equal(404)
      expect(await errorCode(response)).to.equal('file/not-found')
    })
  })

  describe('refused tokens', () => {
    const forged: Array<[string, (url: string) => string]> = [
      ['a payload pointing at another key', (url) => withClaims(url, { key: 'files/6b0000000000000000000001/6b0000000000000000000002/x.bin' })],
      ['a raised maxSize', (url) => withClaims(url, { maxSize: 1e12 })],
      ['a later expiry', (url) => withClaims(url, { exp: Date.now() + 1e9 })],
      ['a changed kind', (url) => withClaims(url, claimsOf(url).kind === 'download' ? { kind: 'object', method: 'PUT' } : { kind: 'download', method: 'GET' })],
      ['a cut-off signature', (url) => url.slice(0, -3)],
      ['no signature', (url) => url.slice(0, url.lastIndexOf('.'))],
      ['random text', (url) => url.slice(0, url.lastIndexOf('/') + 1) + 'hello'],
    ]
    for (const [what, forge] of forged) {
      it(`an upload URL with ${what} → 403 file/access-denied`, async () => {
        const issued = await issue()
        const response = await fetch(forge(issued.url), { method: 'PUT', body: 'x' })
        expect(response.status).to.equal(403)
        expect(await errorCode(response)).to.equal('file/access-denied')
      })
      it(`a download URL with ${what} → 403 file/access-denied`, async () => {
        const file = await uploadFile(emu, admin, 'x')
        const link = await call(emu, 'POST', `/v1/files/${file.id}/download-url`, admin)
        const response = await fetch(forge(link.body.url))
        expect(response.status).to.equal(403)
        expect(await errorCode(response)).to.equal('file/access-denied')
      })
    }

    it('upload URLs expire after 15 minutes, download URLs after 1 hour (emulator clock)', async () => {
      const issued = await issue()
      emu.core.clock.advance(14 * 60)
      expect((await put(issued.url, 'x')).status).to.equal(200)
      emu.core.clock.advance(61)
      const late = await fetch(issued.url, { method: 'PUT', body: 'y' })
      expect(late.status).to.equal(403)
      expect(await errorCode(late)).to.equal('file/access-denied')

      const file = await uploadFile(emu, admin, 'z')
      const link = await call(emu, 'POST', `/v1/files/${file.id}/download-url`, admin)
      emu.core.clock.advance(59 * 60)
      expect((await fetch(link.body.url)).status).to.equal(200)
      emu.core.clock.advance(61)
      const expired = await fetch(link.body.url)
      expect(expired.status).to.equal(403)
      expect(await errorCode(expired)).to.equal('file/access-denied')
    })

    it('expiry follows the clock control endpoint too', async () => {
      const issued = await issue()
      const shifted = await fetch(`${emu.url}/_emulator/clock`, { method: 'POST', headers: { Authorization: `Bearer ${emu.seed.tenantToken}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ advanceSeconds: 16 * 60 }) })
      expect(shifted.status).to.equal(200)
      expect((await fetch(issued.url, { method: 'PUT', body: 'x' })).status).to.equal(403)
    })

    it('a genuine token of the wrong kind for the route → 403 (an upload token on the download route, a download token on the upload route)', async () => {
      const issued = await issue()
      const asDownload = await fetch(issued.url.replace('/upload/', '/download/'))
      expect(asDownload.status).to.equal(403)
      expect(await errorCode(asDownload)).to.equal('file/access-denied')
      const file = await uploadFile(emu, admin, 'x')
      const link = await call(emu, 'POST', `/v1/files/${file.id}/download-url`, admin)
      const asUpload = await fetch(link.body.url.replace('/download/', '/upload/'), { method: 'PUT', body: 'evil' })
      expect(asUpload.status).to.equal(403)
      expect(await errorCode(asUpload)).to.equal('file/access-denied')
      expect(await (await fetch(link.body.url)).text()).to.equal('x')
    })

    const wrongMethods: Array<[string, string, string]> = [
      ['GET', 'upload', 'PUT'],
      ['POST', 'upload', 'PUT'],
      ['DELETE', 'upload', 'PUT'],
      ['PUT', 'download', 'GET'],
      ['POST', 'download', 'GET'],
      ['PUT', 'public', 'GET'],
    ]
    for (const [method, route, allowed] of wrongMethods) {
      it(`${method} on a ${route} URL → 405 common/method-not-allowed, Allow: ${allowed}`, async () => {
        const response = await fetch(`${emu.url}/_emulator/storage/${route}/anything`, { method, body: method === 'GET' ? undefined : 'bytes', headers: { 'Content-Type': 'application/json' } })
        expect(response.status).to.equal(405)
        expect(response.headers.get('allow')).to.equal(allowed)
        expect(await errorCode(response)).to.equal('common/method-not-allowed')
      })
    }
  })

  describe('GET /_emulator/storage/download/:token', () => {
    let bytes: Buffer
    let url: string
    beforeEach(async () => {
      bytes = randomBytes(1000)
      const file = await uploadFile(emu, admin, bytes, { originalName: 'résumé (final).pdf', mimeType: 'application/pdf' })
      url = (await call(emu, 'POST', `/v1/files/${file.id}/download-url`, admin)).body.url
    })

    it('sends the registered type, length, ETag and an RFC 5987 file name', async () => {
      const response = await fetch(url)
      expect(response.status).to.equal(200)
      expect(response.headers.get('content-type')).to.equal('application/pdf')
      expect(response.headers.get('content-length')).to.equal('1000')
      expect(response.headers.get('etag')).to.equal(`"${md5(bytes)}"`)
      expect(response.headers.get('content-disposition')).to.equal("inline; filename*=UTF-8''r%C3%A9sum%C3%A9%20%28final%29.pdf")
      expect(response.headers.get('accept-ranges')).to.equal('bytes')
    })

    const ranges: Array<[string, number, [number, number] | null]> = [
      ['bytes=0-99', 206, [0, 99]],
      ['bytes=900-', 206, [900, 999]],
      ['bytes=-10', 206, [990, 999]],
      ['bytes=990-5000', 206, [990, 999]],
      ['bytes=0-0', 206, [0, 0]],
      ['bytes=0-1,5-6', 200, null],
      ['items=0-5', 200, null],
      ['bytes=5-1', 200, null],
    ]
    for (const [header, status, span] of ranges) {
      it(`Range: ${header} → ${status}`, async () => {
        const response = await fetch(url, { headers: { Range: header } })
        expect(response.status).to.equal(status)
        const body = Buffer.from(await response.arrayBuffer())
        if (span) {
          expect(response.headers.get('content-range')).to.equal(`bytes ${span[0]}-${span[1]}/1000`)
          expect(response.headers.get('content-length')).to.equal(String(span[1] - span[0] + 1))
          expect(body.equals(bytes.subarray(span[0], span[1] + 1))).to.equal(true)
        } else expect(body.equals(bytes)).to.equal(true)
      })
    }

    it('Range past the end → 416 with Content-Range: bytes */size', async () => {
      const response = await fetch(url, { headers: { Range: 'bytes=1000-' } })
      expect(response.status).to.equal(416)
      expect(response.headers.get('content-range')).to.equal('bytes */1000')
    })

    it('answers HEAD with the headers only', async () => {
      const response = await fetch(url, { method: 'HEAD' })
      expect(response.status).to.equal(200)
      expect(response.headers.get('content-length')).to.equal('1000')
    })
  })

  describe('public URLs and the image stand-in', () => {
    it('serve public files without expiry, with immutable caching; private, pending and deleted ones are 404', async () => {
      const file = await uploadFile(emu, admin, 'public bytes', { visibility: 'public', mimeType: 'image/png' })
      const response = await fetch(file.publicUrl)
      expect(response.status).to.equal(200)
      expect(response.headers.get('cache-control')).to.equal('public, max-age=31536000')
      expect(response.headers.get('content-type')).to.equal('image/png')
      expect(await response.text()).to.equal('public bytes')
      emu.core.clock.advance(365 * 24 * 3600)
      expect((await fetch(file.publicUrl)).status).to.equal(200)

      const privateFile = await uploadFile(emu, admin, 'private', { visibility: 'private' })
      const issued = await issue({ visibility: 'public' })
      await put(issued.url, 'pending')
      for (const key of [privateFile.key, issued.key, 'files/6b0000000000000000000001/6b0000000000000000000002/x', '..%2F..%2Fetc%2Fpasswd', 'nonsense']) {
        const miss = await fetch(`${emu.url}/_emulator/storage/public/${key}`)
        expect(miss.status, key).to.equal(404)
        expect(await errorCode(miss)).to.equal('file/not-found')
      }
      await call(emu, 'PATCH', `/v1/files/${file.id}`, admin, { visibility: 'protected' })
      expect((await fetch(file.publicUrl)).status).to.equal(404)
      await call(emu, 'PATCH', `/v1/files/${file.id}`, admin, { visibility: 'public' })
      await call(emu, 'DELETE', `/v1/files/${file.id}`, admin)
      expect((await fetch(file.publicUrl)).status).to.equal(404)
    })

    // Bytes that are not an image: a transform that would change them fails and the original is served.
    const transforms = { '': 'none', 'fit-in/': 'none', '300x200/': 'failed', 'fit-in/300x200/': 'failed', '300x200/smart/': 'failed', 'fit-in/300x0/smart/filters:quality(80):format(webp)/': 'failed', 'filters:grayscale()/': 'none' }
    for (const [prefix, outcome] of Object.entries(transforms)) {
      it(`/_emulator/img/${prefix}<key> of bytes that are no image serves the original, marked ${outcome}`, async () => {
        const file = await uploadFile(emu, admin, 'pixels', { visibility: 'public', mimeType: 'image/jpeg' })
        const response = await fetch(`${emu.url}/_emulator/img/${prefix}${file.key}`)
        expect(response.status).to.equal(200)
        expect(response.headers.get('x-emulator-image-transform')).to.equal(outcome)
        expect(response.headers.get('content-type')).to.equal('image/jpeg')
        expect(await response.text()).to.equal('pixels')
      })
    }

    it('/_emulator/img of a private file → 404', async () => {
      const file = await uploadFile(emu, admin, 'pixels')
      expect((await fetch(`${emu.url}/_emulator/img/100x100/${file.key}`)).status).to.equal(404)
    })

    it('serve keys with non-ASCII names', async () => {
      const file = await uploadFile(emu, admin, 'unicode', { visibility: 'public', originalName: '사진 1.png' })
      expect(file.key.endsWith('/사진_1.png')).to.equal(true)
      expect(await (await fetch(file.publicUrl)).text()).to.equal('unicode')
    })
  })

  describe('CORS', () => {
    it('any origin may PUT and GET, and read the ETag', async () => {
      const issued = await issue()
      const preflight = await fetch(issued.url, { method: 'OPTIONS', headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'content-type' } })
      expect(preflight.status).to.equal(204)
      expect(preflight.headers.get('access-control-allow-origin')).to.equal('http://localhost:5173')
      expect(preflight.headers.get('access-control-allow-methods')).to.include('PUT')
      const response = await fetch(issued.url, { method: 'PUT', body: 'x', headers: { Origin: 'https://app.example' } })
      expect(response.headers.get('access-control-allow-origin')).to.equal('https://app.example')
      expect(response.headers.get('access-control-expose-headers')).to.include('ETag')
    })
  })

  it('createEmulator({ publicUrl }) puts signed and public URLs on that base', async () => {
    const lan = await startEmulator({ publicUrl: 'http://192.168.1.20:4100/' })
    try {
      const as = { key: lan.seed.environment.secretKey }
      const issued = await call(lan, 'POST', '/v1/files/presigned-url', as, { filename: 'a.txt', contentType: 'text/plain', visibility: 'public' })
      expect(issued.body.url).to.match(/^http:\/\/192\.168\.1\.20:4100\/_emulator\/storage\/upload\//)
      // the emulator itself still serves the path under its own origin
      const local = issued.body.url.replace('http://192.168.1.20:4100', lan.url)
      expect((await put(local, 'x')).status).to.equal(200)
      const done = await call(lan, 'POST', `/v1/files/${issued.body.fileId}/complete`, as)
      expect(done.body.publicUrl).to.equal(`http://192.168.1.20:4100/_emulator/storage/public/${issued.body.key}`)
      const link = await call(lan, 'POST', `/v1/files/${issued.body.fileId}/download-url`, as)
      expect(link.body.url).to.match(/^http:\/\/192\.168\.1\.20:4100\/_emulator\/storage\/download\//)
    } finally {
      await lan.dispose()
    }
  })

  it('deleting a project removes the storage folders of its environments', async () => {
    const project = await emu.core.projects.create(emu.actor, { organizationId: emu.actor.organizationId, slug: 'other', name: 'Other', primaryCloud: 'aws', primaryRegion: 'local' })
    const key = (await emu.core.keys.create(emu.actor, { projectId: project.id, environment: 'dev', type: 'secret', name: 'k' })).key as string
    const file = await uploadFile(emu, { key }, 'other project bytes')
    const envId = claimsOf((await call(emu, 'POST', `/v1/files/${file.id}/download-url`, { key })).body.url).environmentId as string
    const folder = join(emu.dataDir, 'storage', envId)
    expect((await stat(folder)).isDirectory()).to.equal(true)
    await emu.core.projects.delete(emu.actor, project.id)
    let gone = false
    await stat(folder).catch(() => (gone = true))
    expect(gone).to.equal(true)
  })

  describe('environment isolation', () => {
    let staging: { id: string; as: As }
    beforeEach(async () => {
      const env = await emu.core.envs.create(emu.actor, { environment: 'staging', environmentType: 'staging' }, emu.core.projects.doc(emu.seed.projectId)!)
      const key = (await emu.core.keys.create(emu.actor, { projectId: emu.seed.projectId, environment: 'staging', type: 'secret', name: 's' })).key as string
      staging = { id: env.id, as: { key } }
    })

    it('keys, file ids and upload ids of one environment mean nothing in another', async () => {
      const issued = await issue()
      const register = await call(emu, 'POST', '/v1/files', staging.as, { s3Key: issued.key, originalName: 'f.bin', mimeType: 'a/b', size: 1 })
      expect(register.status).to.equal(400)
      expect(register.body.error?.code).to.equal('file/invalid-path')
      const file = await uploadFile(emu, admin, 'dev bytes', { visibility: 'public' })
      for (const [method, path] of [['GET', `/v1/files/${file.id}`], ['DELETE', `/v1/files/${file.id}`], ['POST', `/v1/files/${file.id}/download-url`]] as const) {
        expect((await call(emu, method, path, staging.as)).status, path).to.equal(404)
      }
      expect((await call(emu, 'GET', '/v1/files', staging.as)).body.pagination.total).to.equal(0)
      const mp = await call(emu, 'POST', '/v1/files/multipart/init', admin, { filename: 'm.bin', contentType: 'a/b', fileSize: 10 })
      const part = await call(emu, 'POST', '/v1/files/multipart/presigned-url', staging.as, { key: mp.body.key, uploadId: mp.body.uploadId, partNumber: 1 })
      expect(part.status).to.equal(404)
      expect(part.body.error?.code).to.equal('file/not-found')
    })

    it('a token forged to name another environment is refused; bytes live in separate folders', async () => {
      const issued = await issue()
      const response = await fetch(withClaims(issued.url, { environmentId: staging.id }), { method: 'PUT', body: 'x' })
      expect(response.status).to.equal(403)
      const stagingFile = await uploadFile(emu, staging.as, 'staging bytes')
      expect(claimsOf((await call(emu, 'POST', `/v1/files/${stagingFile.id}/download-url`, staging.as)).body.url).environmentId).to.equal(staging.id)
      expect((await stat(join(emu.dataDir, 'storage', staging.id, 'objects', stagingFile.id))).size).to.equal(13)
    })

    it('deleting an environment removes its folder and its URLs stop working', async () => {
      const devFile = await uploadFile(emu, admin, 'dev bytes')
      const stagingFile = await uploadFile(emu, staging.as, 'staging bytes', { visibility: 'public' })
      const link = await call(emu, 'POST', `/v1/files/${stagingFile.id}/download-url`, staging.as)
      const folder = join(emu.dataDir, 'storage', staging.id)
      expect((await stat(folder)).isDirectory()).to.equal(true)
      await emu.core.envs.delete(emu.actor, staging.id)
      let gone = false
      await stat(folder).catch(() => (gone = true))
      expect(gone).to.equal(true)
      expect((await fetch(link.body.url)).status).to.equal(404)
      expect((await fetch(stagingFile.publicUrl)).status).to.equal(404)
      const devLink = await call(emu, 'POST', `/v1/files/${devFile.id}/download-url`, admin)
      expect(await (await fetch(devLink.body.url)).text()).to.equal('dev bytes')
    })
  })
})
