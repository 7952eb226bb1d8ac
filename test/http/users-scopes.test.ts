import { expect } from 'chai'
import { call, uploadFile } from './storage-helpers.js'
import { startUsersHarness, type UsersHarness } from './users-helpers.js'

describe('http: API key scopes on /v1/users and /v1/files', () => {
  let h: UsersHarness
  beforeEach(async () => (h = await startUsersHarness()))
  afterEach(() => h.emu.dispose())

  const keyWith = async (type: 'publishable' | 'secret', scopes: string[]) =>
    (await h.emu.core.keys.create(h.emu.actor, { projectId: h.emu.seed.projectId, environment: 'dev', type, name: `k${Math.random()}`, scopes })).key as string

  const refused = (reply: { status: number; body: { error?: { code: string; message: string } } }, scope: string) => {
    expect(reply.status, JSON.stringify(reply.body)).to.equal(403)
    expect(reply.body.error?.code).to.equal('data/scope-insufficient')
    expect(reply.body.error?.message).to.equal(`API key scope does not include ${scope}`)
  }

  it('a secret key scoped to a table reaches neither the users nor the files of the environment', async () => {
    const bob = await h.signUp('bob@example.com')
    const file = await uploadFile(h.emu, { key: h.sk }, 'hello')
    const items = await keyWith('secret', ['items:read'])
    refused(await h.call('GET', '/v1/users', { key: items }), 'users:list')
    refused(await h.call('GET', `/v1/users/${bob.id}`, { key: items }), 'users:read')
    refused(await h.call('GET', '/v1/files', { key: items }), 'files:list')
    refused(await h.call('GET', `/v1/files/${file.id as string}`, { key: items }), 'files:read')
    refused(await h.call('POST', '/v1/files/presigned-url', { key: items }, { filename: 'a.txt', contentType: 'text/plain' }), 'files:create')
    refused(await h.call('POST', `/v1/files/${file.id as string}/download-url`, { key: items }), 'files:read')
    // An unscoped secret key still reaches both.
    expect((await h.call('GET', '/v1/users', { key: h.sk })).status).to.equal(200)
    expect((await h.call('GET', '/v1/files', { key: h.sk })).status).to.equal(200)
  })

  it('users scopes grant users operations one by one: list, read, create, update, delete', async () => {
    const bob = await h.signUp('bob@example.com')
    const reader = await keyWith('secret', ['users:read'])
    // `read` satisfies a list, as on tables.
    const list = await h.call('GET', '/v1/users', { key: reader })
    expect(list.status).to.equal(200)
    expect(list.body.items.map((u: { id: string }) => u.id)).to.include(bob.id)
    expect((await h.call('GET', `/v1/users/${bob.id}`, { key: reader })).status).to.equal(200)
    expect((await h.call('GET', `/v1/users/${bob.id}/preferences`, { key: reader })).status).to.equal(200)
    refused(await h.call('PATCH', `/v1/users/${bob.id}`, { key: reader }, { bio: 'x' }), 'users:update')
    refused(await h.call('PATCH', `/v1/users/${bob.id}/role`, { key: reader }, { role: 'admin' }), 'users:update')
    refused(await h.call('POST', `/v1/users/${bob.id}/avatar/upload-url`, { key: reader }, { filename: 'a.png', contentType: 'image/png' }), 'users:update')
    refused(await h.call('POST', '/v1/users', { key: reader }, { name: 'New', email: 'new@example.com' }), 'users:create')
    refused(await h.call('DELETE', `/v1/users/${bob.id}`, { key: reader }), 'users:delete')

    const writer = await keyWith('secret', ['users:create', 'users:update', 'users:delete'])
    refused(await h.call('GET', '/v1/users', { key: writer }), 'users:list')
    expect((await h.call('POST', '/v1/users', { key: writer }, { name: 'New', email: 'new@example.com' })).status).to.equal(201)
    expect((await h.call('PATCH', `/v1/users/${bob.id}`, { key: writer }, { bio: 'x' })).status).to.equal(200)
    expect((await h.call('DELETE', `/v1/users/${bob.id}`, { key: writer })).status).to.equal(200)
  })

  it('files scopes grant files operations; wildcards cover users and files like tables', async () => {
    const file = await uploadFile(h.emu, { key: h.sk }, 'hello')
    const uploader = await keyWith('secret', ['files:create'])
    const mine = await uploadFile(h.emu, { key: uploader }, 'mine')
    expect(mine.id).to.be.a('string')
    refused(await call(h.emu, 'GET', '/v1/files', { key: uploader }), 'files:list')
    refused(await call(h.emu, 'PATCH', `/v1/files/${file.id as string}`, { key: uploader }, { metadata: { a: 1 } }), 'files:update')
    refused(await call(h.emu, 'DELETE', `/v1/files/${file.id as string}`, { key: uploader }), 'files:delete')

    const readAll = await keyWith('secret', ['*:read'])
    expect((await call(h.emu, 'GET', '/v1/files', { key: readAll })).status).to.equal(200)
    const url = await call(h.emu, 'GET', `/v1/files/${file.id as string}/download-url`, { key: readAll })
    expect(url.status).to.equal(200)
    expect((await h.call('GET', '/v1/users', { key: readAll })).status).to.equal(200)
    refused(await call(h.emu, 'DELETE', `/v1/files/${file.id as string}`, { key: readAll }), 'files:delete')

    const files = await keyWith('secret', ['files:*'])
    expect((await call(h.emu, 'DELETE', `/v1/files/${file.id as string}`, { key: files })).status).to.equal(200)
    refused(await h.call('GET', '/v1/users', { key: files }), 'users:list')
  })

  it('binds publishable keys too: a signed-in user behind a posts-only key cannot read users', async () => {
    const postsOnly = await keyWith('publishable', ['posts:*'])
    const signedUp = await h.call('POST', '/v1/auth/email/signup', { key: postsOnly }, { email: 'pat@example.com', password: 'secret123' })
    expect(signedUp.status).to.equal(201)
    refused(await h.call('GET', `/v1/users/${signedUp.body.user.id as string}`, { key: postsOnly, token: signedUp.body.accessToken }), 'users:read')
  })
})
