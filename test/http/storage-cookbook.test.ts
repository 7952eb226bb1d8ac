import { expect } from 'chai'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { call, put, signUp, uploadFile, type As } from './storage-helpers.js'

describe('http: cookbook storage routes and unregistered uploads', () => {
  let emu: TestEmulator
  let admin: As
  beforeEach(async () => {
    emu = await startEmulator()
    admin = { key: emu.seed.environment.secretKey }
  })
  afterEach(() => emu.dispose())

  describe('POST /v1/files/upload (alias of the upload-URL request)', () => {
    it('takes the same body and gives the same answer: a URL that accepts the bytes and a key that registers', async () => {
      const reply = await call(emu, 'POST', '/v1/files/upload', admin, { filename: 'a.txt', contentType: 'text/plain', fileSize: 5, category: 'documents' })
      expect(reply.status).to.equal(200)
      expect(Object.keys(reply.body).sort()).to.deep.equal(['contentType', 'expiresAt', 'fileId', 'filename', 'key', 'method', 'url'])
      expect(reply.body.method).to.equal('PUT')
      expect(reply.body.key).to.match(/^documents\//)
      expect((await put(reply.body.url, 'hello')).status).to.equal(200)
      const registered = await call(emu, 'POST', '/v1/files', admin, { s3Key: reply.body.key, originalName: 'a.txt', mimeType: 'text/plain', size: 5 })
      expect(registered.status).to.equal(201)
      expect(registered.body.id).to.equal(reply.body.fileId)
    })

    it('refuses what the upload-URL request refuses, with the same codes', async () => {
      const tooBig = await call(emu, 'POST', '/v1/files/upload', admin, { filename: 'a.txt', contentType: 'text/plain', fileSize: 6 * 1024 ** 3 })
      expect(tooBig.status).to.equal(400)
      expect(tooBig.body.error?.code).to.equal('file/file-too-large')
      const badName = await call(emu, 'POST', '/v1/files/upload', admin, { filename: '../x', contentType: 'text/plain' })
      expect(badName.body.error?.code).to.equal('file/invalid-name')
      const anonymous = await call(emu, 'POST', '/v1/files/upload', { key: emu.seed.environment.publishableKey }, { filename: 'a.txt', contentType: 'text/plain' })
      expect(anonymous.status).to.equal(401)
    })
  })

  describe('GET /v1/files/:id/download', () => {
    it('redirects (302) to a signed download URL that serves the bytes', async () => {
      const file = await uploadFile(emu, admin, 'the bytes')
      const response = await fetch(`${emu.url}/v1/files/${file.id}/download`, { headers: { 'X-API-Key': admin.key }, redirect: 'manual' })
      expect(response.status).to.equal(302)
      const location = response.headers.get('location') as string
      expect(location.startsWith(`${emu.url}/_emulator/storage/download/`)).to.equal(true)
      const followed = await fetch(`${emu.url}/v1/files/${file.id}/download`, { headers: { 'X-API-Key': admin.key } })
      expect(followed.status).to.equal(200)
      expect(await followed.text()).to.equal('the bytes')
    })

    it('answers who may not see the file as the download-URL request does', async () => {
      const file = await uploadFile(emu, admin, 'secret')
      const stranger = await signUp(emu, 'stranger@example.com')
      const denied = await call(emu, 'GET', `/v1/files/${file.id}/download`, stranger.as)
      expect(denied.status).to.equal(403)
      expect(denied.body.error?.code).to.equal('file/access-denied')
      const unknown = await call(emu, 'GET', '/v1/files/0123456789abcdef01234567/download', admin)
      expect(unknown.status).to.equal(404)
      expect(unknown.body.error?.code).to.equal('file/not-found')
      expect(unknown.body.error?.message).to.include('not found')
    })
  })

  describe('an upload that was never registered', () => {
    it('is 404 file/not-found saying it is not registered, on every route that reads it', async () => {
      const issued = await call(emu, 'POST', '/v1/files/upload', admin, { filename: 'p.png', contentType: 'image/png', visibility: 'public' })
      expect((await put(issued.body.url, 'bytes')).status).to.equal(200)
      const id = issued.body.fileId as string
      const routes = [['GET', `/v1/files/${id}`], ['PATCH', `/v1/files/${id}`], ['DELETE', `/v1/files/${id}`], ['POST', `/v1/files/${id}/download-url`], ['GET', `/v1/files/${id}/download`]] as const
      expect(routes.length).to.equal(5)
      for (const [method, path] of routes) {
        const reply = await call(emu, method, path, admin, method === 'PATCH' ? { visibility: 'public' } : undefined)
        expect(reply.status, `${method} ${path}`).to.equal(404)
        expect(reply.body.error?.code).to.equal('file/not-found')
        expect(reply.body.error?.message, `${method} ${path}`).to.include('not registered')
      }
      for (const path of [`/_emulator/storage/public/${issued.body.key}`, `/_emulator/img/fit-in/10x10/${issued.body.key}`]) {
        const response = await fetch(emu.url + path)
        expect(response.status, path).to.equal(404)
        const body = (await response.json()) as { error: { code: string; message: string } }
        expect(body.error.code).to.equal('file/not-found')
        expect(body.error.message, path).to.include('not registered')
        expect(body.error.message).not.to.include('no longer exists')
      }
    })

    it('a deleted file still says it no longer exists at its public URL', async () => {
      const file = await uploadFile(emu, admin, 'gone', { visibility: 'public' })
      expect((await call(emu, 'DELETE', `/v1/files/${file.id}`, admin)).status).to.equal(200)
      const body = (await (await fetch(file.publicUrl as string)).json()) as { error: { code: string; message: string } }
      expect(body.error.code).to.equal('file/not-found')
      expect(body.error.message).to.include('no longer exists')
    })
  })
})
