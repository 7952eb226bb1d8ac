import { expect } from 'chai'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { call, signUp, uploadFile, type As, type Json } from './storage-helpers.js'

/**
 * rest-storage.md §1.1 and §1.4: who may see, list, change, delete and download which file. The owner is a user;
 * the others are another user, a user named in `sharedWith`, an admin-role user, the secret key alone, and a
 * publishable key without a user.
 */
describe('http: /v1/files visibility and ownership', () => {
  let emu: TestEmulator
  let owner: { id: string; as: As }
  let other: { id: string; as: As }
  let friend: { id: string; as: As }
  let adminUser: { id: string; as: As }
  let service: As
  let guest: As
  const files: Record<string, Json> = {}

  before(async () => {
    emu = await startEmulator()
    service = { key: emu.seed.environment.secretKey }
    guest = { key: emu.seed.environment.publishableKey }
    owner = await signUp(emu, 'owner@example.com')
    other = await signUp(emu, 'other@example.com')
    friend = await signUp(emu, 'friend@example.com')
    adminUser = await signUp(emu, 'boss@example.com')
    await call(emu, 'PATCH', `/v1/users/${adminUser.id}/role`, service, { role: 'admin' })
    adminUser.as.token = (await call(emu, 'POST', '/v1/auth/email/signin', guest, { email: 'boss@example.com', password: 'secret123' })).body.accessToken
    for (const visibility of ['public', 'private', 'protected', 'shared'] as const) {
      files[visibility] = await uploadFile(emu, owner.as, visibility, { originalName: `${visibility}.txt`, visibility, metadata: { alt: 'secret-ish' } })
    }
    await call(emu, 'PATCH', `/v1/files/${files.shared!.id}`, owner.as, { sharedWith: [friend.id] })
  })
  after(() => emu.dispose())

  const who = (name: string): As => ({ owner: owner.as, other: other.as, friend: friend.as, adminUser: adminUser.as, service }[name] as As)

  // view: 'full' | 'public' | 403
  const matrix: Array<[string, Record<string, 'full' | 'public' | 403>]> = [
    ['owner', { public: 'full', private: 'full', protected: 'full', shared: 'full' }],
    ['adminUser', { public: 'full', private: 'full', protected: 'full', shared: 'full' }],
    ['service', { public: 'full', private: 'full', protected: 'full', shared: 'full' }],
    ['other', { public: 'public', private: 403, protected: 'public', shared: 403 }],
    ['friend', { public: 'public', private: 403, protected: 'public', shared: 'public' }],
  ]

  for (const [caller, views] of matrix) {
    for (const [visibility, view] of Object.entries(views)) {
      it(`${caller} getting a ${visibility} file → ${view === 403 ? '403 file/access-denied' : `200 ${view} view`}`, async () => {
        const file = files[visibility]!
        const reply = await call(emu, 'GET', `/v1/files/${file.id}`, who(caller))
        const link = await call(emu, 'POST', `/v1/files/${file.id}/download-url`, who(caller))
        if (view === 403) {
          expect(reply.status).to.equal(403)
          expect(reply.body.error?.code).to.equal('file/access-denied')
          expect(link.status).to.equal(403)
          expect(link.body.error?.code).to.equal('file/access-denied')
          return
        }
        expect(reply.status).to.equal(200)
        expect(link.status).to.equal(200)
        expect(await (await fetch(link.body.url)).text()).to.equal(visibility)
        if (view === 'full') {
          expect(reply.body.metadata).to.deep.equal({ alt: 'secret-ish' })
          expect(reply.body).to.have.property('sharedWith')
        } else {
          expect(reply.body).to.not.have.property('metadata')
          expect(reply.body).to.not.have.property('sharedWith')
          expect(reply.body).to.include({ id: file.id, originalName: `${visibility}.txt`, ownerId: owner.id })
        }
      })
    }

    it(`${caller} listing sees exactly the files they may see`, async () => {
      const reply = await call(emu, 'GET', '/v1/files?sortBy=originalName&sortDirection=asc', who(caller))
      expect(reply.status).to.equal(200)
      const expected = Object.entries(views).filter(([, view]) => view !== 403).map(([visibility]) => `${visibility}.txt`).sort()
      expect(reply.body.items.map((f: Json) => f.originalName)).to.deep.equal(expected)
      for (const item of reply.body.items as Json[]) {
        const view = views[item.visibility as string]
        expect(item.metadata !== undefined, `${item.originalName} in ${view} view`).to.equal(view === 'full')
      }
    })
  }

  const writers: Array<[string, number]> = [
    ['other', 403],
    ['friend', 403],
  ]
  for (const [caller, status] of writers) {
    for (const visibility of ['public', 'protected', 'shared'] as const) {
      it(`${caller} updating or deleting a ${visibility} file → ${status} file/access-denied`, async () => {
        const file = files[visibility]!
        const patch = await call(emu, 'PATCH', `/v1/files/${file.id}`, who(caller), { visibility: 'private' })
        expect(patch.status).to.equal(status)
        expect(patch.body.error?.code).to.equal('file/access-denied')
        const alias = await call(emu, 'PATCH', `/v1/files/${file.id}/visibility`, who(caller), { visibility: 'private' })
        expect(alias.status).to.equal(status)
        const del = await call(emu, 'DELETE', `/v1/files/${file.id}`, who(caller))
        expect(del.status).to.equal(status)
        expect(del.body.error?.code).to.equal('file/access-denied')
        expect((await call(emu, 'GET', `/v1/files/${file.id}`, owner.as)).body.visibility).to.equal(visibility)
      })
    }
  }

  for (const caller of ['adminUser', 'service']) {
    it(`${caller} may update and delete someone else's file`, async () => {
      const file = await uploadFile(emu, owner.as, 'x', { originalName: `${caller}-target.txt` })
      const patch = await call(emu, 'PATCH', `/v1/files/${file.id}`, who(caller), { metadata: { alt: 'by admin' } })
      expect(patch.status).to.equal(200)
      expect(patch.body.ownerId).to.equal(owner.id)
      expect((await call(emu, 'DELETE', `/v1/files/${file.id}`, who(caller))).status).to.equal(200)
    })
  }

  it('the owner may update and delete their own file', async () => {
    const file = await uploadFile(emu, owner.as, 'x', { originalName: 'mine.txt' })
    expect((await call(emu, 'PATCH', `/v1/files/${file.id}`, owner.as, { visibility: 'public' })).status).to.equal(200)
    expect((await call(emu, 'DELETE', `/v1/files/${file.id}`, owner.as)).status).to.equal(200)
  })

  it('user uploads are owned by the user (ownerType user), secret-key uploads by the key (ownerType service)', async () => {
    expect(files.public).to.include({ ownerId: owner.id, ownerType: 'user' })
    expect(files.public!.key.split('/')[1]).to.equal(owner.id)
    const byService = await uploadFile(emu, service, 'x', { originalName: 'svc.txt' })
    expect(byService.ownerType).to.equal('service')
    expect(byService.ownerId).to.match(/^[0-9a-f]{24}$/).and.not.equal(owner.id)
    const filtered = await call(emu, 'GET', '/v1/files?ownerType=service', service)
    expect(filtered.body.items.map((f: Json) => f.id)).to.deep.equal([byService.id])
    const byOwner = await call(emu, 'GET', `/v1/files?ownerId=${owner.id}&visibility=shared`, service)
    expect(byOwner.body.items.map((f: Json) => f.id)).to.deep.equal([files.shared!.id])
    await call(emu, 'DELETE', `/v1/files/${byService.id}`, service)
  })

  it("registering a key issued to someone else → 403 file/access-denied (an admin may)", async () => {
    const issued = await call(emu, 'POST', '/v1/files/presigned-url', owner.as, { filename: 'theirs.txt', contentType: 'text/plain' })
    const body = { s3Key: issued.body.key, originalName: 'theirs.txt', mimeType: 'text/plain', size: 1 }
    const stolen = await call(emu, 'POST', '/v1/files', other.as, body)
    expect(stolen.status).to.equal(403)
    expect(stolen.body.error?.code).to.equal('file/access-denied')
    const completed = await call(emu, 'POST', `/v1/files/${issued.body.fileId}/complete`, other.as)
    expect(completed.status).to.equal(403)
    const byAdmin = await call(emu, 'POST', '/v1/files', service, body)
    expect(byAdmin.status).to.equal(201)
    expect(byAdmin.body.ownerId).to.equal(owner.id)
    await call(emu, 'DELETE', `/v1/files/${byAdmin.body.id}`, service)
  })

  const routes: Array<[string, string, unknown?]> = [
    ['POST', '/v1/files/presigned-url', { filename: 'a.txt', contentType: 'text/plain' }],
    ['POST', '/v1/files/multipart/init', { filename: 'a.txt', contentType: 'text/plain', fileSize: 5 }],
    ['POST', '/v1/files/multipart/presigned-url', { key: 'k', uploadId: 'u', partNumber: 1 }],
    ['POST', '/v1/files/multipart/complete', { key: 'k', uploadId: 'u', parts: [] }],
    ['POST', '/v1/files/multipart/abort', { key: 'k', uploadId: 'u' }],
    ['POST', '/v1/files', { s3Key: 'k', originalName: 'a', mimeType: 'a/b', size: 1 }],
    ['GET', '/v1/files'],
    ['GET', '/v1/files/buckets'],
    ['GET', '/v1/files/:public'],
    ['PATCH', '/v1/files/:public', { visibility: 'private' }],
    ['DELETE', '/v1/files/:public'],
    ['POST', '/v1/files/:public/download-url'],
    ['GET', '/v1/files/:public/download-url'],
    ['POST', '/v1/files/:public/complete'],
    ['PATCH', '/v1/files/:public/visibility', { visibility: 'private' }],
  ]
  for (const [method, path, body] of routes) {
    it(`a publishable key without a user: ${method} ${path} → 401 common/authentication-required`, async () => {
      const reply = await call(emu, method, path.replace(':public', files.public!.id), guest, body)
      expect(reply.status).to.equal(401)
      expect(reply.body.error?.code).to.equal('common/authentication-required')
    })
  }

  it('no API key at all → 401 auth/unauthorized; an invalid user token → 401, never a guest downgrade', async () => {
    const none = await fetch(`${emu.url}/v1/files`)
    expect(none.status).to.equal(401)
    expect(((await none.json()) as Json).error.code).to.equal('auth/unauthorized')
    const badToken = await call(emu, 'GET', '/v1/files', { key: guest.key, token: 'not.a.jwt' })
    expect(badToken.status).to.equal(401)
    expect(badToken.body.error?.code).to.match(/^auth\//)
  })
})
