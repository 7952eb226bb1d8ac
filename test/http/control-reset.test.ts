import { expect } from 'chai'
import { EmulatorControls } from '../../src/client/emulator-controls.js'
import { ClientError } from '../../src/client/errors.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { call, signUp, uploadFile } from './storage-helpers.js'

/** `POST /_emulator/reset` over real HTTP, through the client a test suite would use. */
describe('http: the reset control', () => {
  let emu: TestEmulator
  let controls: EmulatorControls
  let sk: string
  before(async () => {
    emu = await startEmulator()
    controls = new EmulatorControls(emu.url, emu.seed.tenantToken)
    sk = emu.seed.environment.secretKey
    const table = await emu.core.tables.create(emu.actor, { projectId: emu.seed.projectId, environment: 'dev', tableName: 'notes', schema: { title: { type: 'string', required: true }, slug: { type: 'string', unique: true } } })
    await emu.core.tables.update(emu.actor, table.id, { permissions: { guest: { read: true } } })
  })
  after(async () => {
    await controls.close()
    await emu.dispose()
  })

  const count = async () => (await call(emu, 'GET', '/v1/data/notes?limit=1', { key: sk })).body.pagination.total as number

  // The use case: every test starts from the same empty environment, and resetting costs milliseconds.
  describe('a suite resetting before every test', () => {
    const timings: number[] = []
    beforeEach(async () => {
      const started = performance.now()
      await controls.reset()
      timings.push(performance.now() - started)
    })

    for (const slug of ['first', 'second', 'third']) {
      it(`test "${slug}" sees only what it wrote`, async () => {
        expect(await count()).to.equal(0)
        const created = await call(emu, 'POST', '/v1/data/notes', { key: sk }, { title: slug, slug: 'same-slug-in-every-test' })
        expect(created.status).to.equal(201)
        expect(await count()).to.equal(1)
        await signUp(emu, 'same@example.com')
      })
    }

    after(() => {
      expect(timings).to.have.length(3)
      for (const ms of timings) expect(ms).to.be.lessThan(200)
    })
  })

  it('removes records, users with their sessions, and files with their bytes; tables, permissions, indexes and keys stay', async () => {
    await call(emu, 'POST', '/v1/data/notes', { key: sk }, { title: 'a', slug: 'a' })
    await call(emu, 'POST', '/v1/data/notes', { key: sk }, { title: 'b', slug: 'b' })
    const user = await signUp(emu, 'reset@example.com')
    const file = await uploadFile(emu, user.as, 'bytes to forget')
    const envId = emu.seed.environment.id
    expect(await emu.core.store.blobs.size({ environmentId: envId, object: file.id as string })).to.equal(15)

    const reset = await controls.reset({ environment: 'dev' })
    expect(reset).to.deep.equal({ projectId: emu.seed.projectId, environmentId: envId, environment: 'dev', removed: { records: 2, users: 1, files: 1 } })

    expect(await count()).to.equal(0)
    expect(await emu.core.store.blobs.size({ environmentId: envId, object: file.id as string })).to.equal(null)
    const me = await call(emu, 'GET', '/v1/auth/me', user.as)
    expect(me.status).to.be.oneOf([401, 404])
    const signIn = await call(emu, 'POST', '/v1/auth/email/signin', { key: emu.seed.environment.publishableKey }, { email: 'reset@example.com', password: 'secret123' })
    expect(signIn.status).to.equal(401)
    // The table is whole: its unique index still refuses a duplicate, its guest permission still lets guests read.
    const [table] = emu.core.tables.list(emu.actor, { projectId: emu.seed.projectId, environment: 'dev' }).filter((t) => t.tableName === 'notes')
    expect(table!.indexes.map((i) => i.name)).to.deep.equal(['_id_', 'slug_unique'])
    expect(table!.permissions).to.deep.equal({ guest: { read: true } })
    await call(emu, 'POST', '/v1/data/notes', { key: sk }, { title: 'c', slug: 'c' })
    expect((await call(emu, 'POST', '/v1/data/notes', { key: sk }, { title: 'd', slug: 'c' })).status).to.equal(409)
    expect((await call(emu, 'GET', '/v1/data/notes', { key: emu.seed.environment.publishableKey })).status).to.equal(200)
  })

  it('survives a restart: the emptied collections stay empty', async () => {
    await call(emu, 'POST', '/v1/data/notes', { key: sk }, { title: 'kept?', slug: 'kept' })
    await controls.reset()
    const dataDir = emu.dataDir
    await emu.stop()
    emu = await startEmulator({ dataDir })
    await controls.close()
    controls = new EmulatorControls(emu.url, emu.seed.tenantToken)
    expect(await count()).to.equal(0)
    expect(emu.core.tables.list(emu.actor, { projectId: emu.seed.projectId, environment: 'dev' }).map((t) => t.tableName)).to.include('notes')
  })

  const refusals = [
    { name: 'an environment the project lacks → 404 data/environment-not-found', body: { environment: 'nope' }, status: 404, code: 'data/environment-not-found' },
    { name: 'a project of nobody → 404 common/project-not-found', body: { project: 'f'.repeat(24) }, status: 404, code: 'common/project-not-found' },
    { name: 'an unknown field → 400 common/invalid-parameters', body: { env: 'dev' }, status: 400, code: 'common/invalid-parameters' },
  ]
  for (const s of refusals) {
    it(s.name, async () => {
      const error = await controls.reset(s.body as never).catch((e: unknown) => e)
      expect(error).to.be.instanceOf(ClientError)
      expect(error).to.include({ status: s.status, code: s.code })
    })
  }

  it('without the tenant token → 401, and no CORS headers', async () => {
    const response = await fetch(`${emu.url}/_emulator/reset`, { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' }, body: '{}' })
    expect(response.status).to.equal(401)
    expect(response.headers.get('access-control-allow-origin')).to.equal(null)
  })
})
