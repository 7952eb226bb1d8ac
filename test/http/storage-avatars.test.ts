import { expect } from 'chai'
import { randomBytes } from 'node:crypto'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { call, put, sha256, signUp, type As, type Json } from './storage-helpers.js'

describe('http: user avatars (/v1/users/:userId/avatar)', () => {
  let emu: TestEmulator
  let admin: As
  let ada: { id: string; as: As }
  let bob: { id: string; as: As }
  beforeEach(async () => {
    emu = await startEmulator()
    admin = { key: emu.seed.environment.secretKey }
    ada = await signUp(emu, 'ada@example.com')
    bob = await signUp(emu, 'bob@example.com')
  })
  afterEach(() => emu.dispose())

  const uploadUrl = (userId: string, as: As, body: Json = { filename: 'me.png', contentType: 'image/png' }) => call(emu, 'POST', `/v1/users/${userId}/avatar/upload-url`, as, body)
  const uploaded = async (userId: string, as: As, bytes: Buffer) => {
    const issued = await uploadUrl(userId, as)
    expect(issued.status).to.equal(200)
    expect((await put(issued.body.url, bytes, 'image/png')).status).to.equal(200)
    return issued.body.key as string
  }

  it('upload URL → PUT → PATCH sets image to a non-expiring public URL; the user object carries it', async () => {
    const issued = await uploadUrl(ada.id, ada.as)
    expect(issued.status).to.equal(200)
    expect(issued.body.url).to.equal(issued.body.uploadUrl)
    expect(issued.body.key).to.match(new RegExp(`^avatars/${ada.id}/[0-9a-f]{24}/me\\.png$`))
    expect(Date.parse(issued.body.expiresAt) - Date.now()).to.be.within(14 * 60_000, 15 * 60_000 + 1000)
    const bytes = randomBytes(5000)
    expect((await put(issued.body.uploadUrl, bytes, 'image/png')).status).to.equal(200)

    const set = await call(emu, 'PATCH', `/v1/users/${ada.id}/avatar`, ada.as, { s3Key: issued.body.key })
    expect(set.status).to.equal(200)
    expect(set.body).to.deep.equal({ image: `${emu.url}/_emulator/storage/public/${issued.body.key}` })
    const me = await call(emu, 'GET', '/v1/auth/me', ada.as)
    expect(me.body.image).to.equal(set.body.image)

    emu.core.clock.advance(400 * 24 * 3600)
    const response = await fetch(set.body.image)
    expect(response.status).to.equal(200)
    expect(response.headers.get('content-type')).to.equal('image/png')
    expect(response.headers.get('cache-control')).to.equal('public, max-age=31536000')
    expect(sha256(Buffer.from(await response.arrayBuffer()))).to.equal(sha256(bytes))
  })

  it('a new avatar deletes the previous object; DELETE clears image and removes the bytes', async () => {
    const first = await uploaded(ada.id, ada.as, Buffer.from('first'))
    const firstImage = (await call(emu, 'PATCH', `/v1/users/${ada.id}/avatar`, ada.as, { s3Key: first })).body.image
    const second = await uploaded(ada.id, ada.as, Buffer.from('second'))
    const secondImage = (await call(emu, 'PATCH', `/v1/users/${ada.id}/avatar`, ada.as, { s3Key: second })).body.image
    expect((await fetch(firstImage)).status).to.equal(404)
    expect(await emu.core.store.blobs.size({ environmentId: emu.seed.environment.id, object: first.split('/')[2]! })).to.equal(null)
    expect(await (await fetch(secondImage)).text()).to.equal('second')

    const removed = await call(emu, 'DELETE', `/v1/users/${ada.id}/avatar`, ada.as)
    expect(removed.status).to.equal(200)
    expect(removed.body).to.deep.equal({ message: 'Avatar deleted' })
    expect((await call(emu, 'GET', '/v1/auth/me', ada.as)).body.image).to.equal(null)
    expect((await fetch(secondImage)).status).to.equal(404)
    expect(await emu.core.store.blobs.size({ environmentId: emu.seed.environment.id, object: second.split('/')[2]! })).to.equal(null)
  })

  for (const [how, remove] of [
    ['withdraws', (who: { id: string; as: As }) => call(emu, 'DELETE', '/v1/auth/withdraw', who.as)],
    ['is deleted by an admin', (who: { id: string; as: As }) => call(emu, 'DELETE', `/v1/users/${who.id}`, admin)],
  ] as const) {
    it(`a user who ${how} takes the avatar along: its public URL answers 404 and the bytes are gone`, async () => {
      const key = await uploaded(ada.id, ada.as, Buffer.from('face'))
      const image = (await call(emu, 'PATCH', `/v1/users/${ada.id}/avatar`, ada.as, { s3Key: key })).body.image
      expect((await fetch(image)).status).to.equal(200)
      expect((await remove(ada)).status).to.equal(200)
      expect((await fetch(image)).status).to.equal(404)
      expect(await emu.core.store.blobs.size({ environmentId: emu.seed.environment.id, object: key.split('/')[2]! })).to.equal(null)
    })
  }

  it('avatars never appear in /v1/files and are not file records', async () => {
    const key = await uploaded(ada.id, ada.as, Buffer.from('pixels'))
    await call(emu, 'PATCH', `/v1/users/${ada.id}/avatar`, ada.as, { s3Key: key })
    expect((await call(emu, 'GET', '/v1/files', admin)).body.pagination.total).to.equal(0)
    expect((await call(emu, 'GET', `/v1/files/${key.split('/')[2]}`, admin)).status).to.equal(404)
    const register = await call(emu, 'POST', '/v1/files', admin, { s3Key: key, originalName: 'me.png', mimeType: 'image/png', size: 6 })
    expect(register.body.error?.code).to.equal('file/invalid-path')
  })

  it('an avatar that was uploaded but never set is not public', async () => {
    const key = await uploaded(ada.id, ada.as, Buffer.from('pixels'))
    expect((await fetch(`${emu.url}/_emulator/storage/public/${key}`)).status).to.equal(404)
  })

  const access: Array<[string, () => As, () => string, number, string | null]> = [
    ['the user themself', () => ada.as, () => ada.id, 200, null],
    ['an admin (secret key)', () => admin, () => ada.id, 200, null],
    ['another user', () => bob.as, () => ada.id, 403, 'user/forbidden'],
    ['a guest without a user', () => ({ key: emu.seed.environment.publishableKey }), () => ada.id, 401, 'user/unauthorized'],
    ['the user, for an unknown user id', () => admin, () => '6b0000000000000000000000', 404, 'user/not-found'],
  ]
  for (const [who, as, target, status, code] of access) {
    it(`${who} asking for an upload URL → ${status}${code ? ` ${code}` : ''}`, async () => {
      const reply = await uploadUrl(target(), as())
      expect(reply.status).to.equal(status)
      if (code) expect(reply.body.error?.code).to.equal(code)
    })
    it(`${who} setting and deleting an avatar → ${status}${code ? ` ${code}` : ''}`, async () => {
      const key = await uploaded(ada.id, ada.as, Buffer.from('x'))
      const set = await call(emu, 'PATCH', `/v1/users/${target()}/avatar`, as(), { s3Key: key })
      const del = await call(emu, 'DELETE', `/v1/users/${target()}/avatar`, as())
      for (const reply of [set, del]) {
        expect(reply.status).to.equal(status)
        if (code) expect(reply.body.error?.code).to.equal(code)
      }
    })
  }

  const badRequests: Array<[string, Json, string]> = [
    ['a PDF', { filename: 'me.pdf', contentType: 'application/pdf' }, 'file/invalid-format'],
    ['an SVG', { filename: 'me.svg', contentType: 'image/svg+xml' }, 'file/invalid-format'],
    ['no contentType', { filename: 'me.png' }, 'file/invalid-format'],
    ['a bad filename', { filename: '../me.png', contentType: 'image/png' }, 'file/invalid-name'],
    ['no filename', { contentType: 'image/png' }, 'file/invalid-name'],
  ]
  for (const [what, body, code] of badRequests) {
    it(`an upload URL for ${what} → 400 ${code}`, async () => {
      const reply = await uploadUrl(ada.id, ada.as, body)
      expect(reply.status).to.equal(400)
      expect(reply.body.error?.code).to.equal(code)
    })
  }
  for (const type of ['image/jpeg', 'image/png', 'image/gif', 'image/webp']) {
    it(`accepts ${type}`, async () => {
      expect((await uploadUrl(ada.id, ada.as, { filename: 'a', contentType: type })).status).to.equal(200)
    })
  }

  const badKeys: Array<[string, () => Promise<string>]> = [
    ['a key not uploaded yet', async () => (await uploadUrl(ada.id, ada.as)).body.key],
    ['a key issued for another user', async () => uploaded(bob.id, bob.as, Buffer.from('bob'))],
    ['a file key', async () => (await call(emu, 'POST', '/v1/files/presigned-url', ada.as, { filename: 'a.png', contentType: 'image/png' })).body.key],
    ['no key', async () => undefined as unknown as string],
    ['a made-up key', async () => `avatars/${ada.id}/6b0000000000000000000000/me.png`],
  ]
  for (const [what, key] of badKeys) {
    it(`PATCH with ${what} → 400 file/invalid-path`, async () => {
      const reply = await call(emu, 'PATCH', `/v1/users/${ada.id}/avatar`, ada.as, { s3Key: await key() })
      expect(reply.status).to.equal(400)
      expect(reply.body.error?.code).to.equal('file/invalid-path')
    })
  }

  it('an admin may set an avatar key issued for the user', async () => {
    const key = await uploaded(ada.id, ada.as, Buffer.from('x'))
    const reply = await call(emu, 'PATCH', `/v1/users/${ada.id}/avatar`, admin, { s3Key: key })
    expect(reply.status).to.equal(200)
  })
})
