import { expect } from 'chai'
import { EmulatorControls } from '../../src/client/emulator-controls.js'
import { ClientError } from '../../src/client/errors.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { call, signUp } from './storage-helpers.js'

/** `/_emulator/snapshots` over real HTTP: save, list, restore into the running emulator, delete. */
describe('http: the snapshot controls', () => {
  let emu: TestEmulator
  let controls: EmulatorControls
  let sk: string
  before(async () => {
    emu = await startEmulator()
    controls = new EmulatorControls(emu.url, emu.seed.tenantToken)
    sk = emu.seed.environment.secretKey
    await emu.core.tables.create(emu.actor, { projectId: emu.seed.projectId, environment: 'dev', tableName: 'notes', schema: { title: { type: 'string' } } })
  })
  after(async () => {
    await controls.close()
    await emu.dispose()
  })

  const titles = async () => ((await call(emu, 'GET', '/v1/data/notes?sort=title&limit=100', { key: sk })).body.items as Array<{ title: string }>).map((r) => r.title)

  it('restore puts back records, users, tables and keys as saved, in the running emulator', async () => {
    await call(emu, 'POST', '/v1/data/notes', { key: sk }, { title: 'saved' })
    await signUp(emu, 'kept@example.com')
    const early = await emu.core.keys.create(emu.actor, { projectId: emu.seed.projectId, environment: 'dev', type: 'secret', name: 'early' })
    const saved = await controls.saveSnapshot('fixture')
    expect(saved).to.include({ name: 'fixture', records: 1, users: 1, files: 0 })
    expect(saved.size).to.be.greaterThan(0)

    await call(emu, 'POST', '/v1/data/notes', { key: sk }, { title: 'after' })
    await emu.core.tables.create(emu.actor, { projectId: emu.seed.projectId, environment: 'dev', tableName: 'later', schema: {} })
    const key = await emu.core.keys.create(emu.actor, { projectId: emu.seed.projectId, environment: 'dev', type: 'secret', name: 'later' })
    expect((await call(emu, 'GET', '/v1/data/notes', { key: key.key! })).status).to.equal(200)
    await emu.core.keys.delete(emu.actor, early.id)
    expect((await call(emu, 'GET', '/v1/data/notes', { key: early.key! })).status).to.equal(401)
    await controls.reset()
    expect(await titles()).to.deep.equal([])

    const restored = await controls.restoreSnapshot('fixture')
    expect(restored).to.include({ name: 'fixture', records: 1, users: 1 })
    expect(await titles()).to.deep.equal(['saved'])
    const tables = emu.core.tables.list(emu.actor, { projectId: emu.seed.projectId, environment: 'dev' }).map((t) => t.tableName)
    expect(tables).to.include('notes').and.not.include('later')
    // A key made after the save is gone with the rest of that state, and is refused at once.
    expect((await call(emu, 'GET', '/v1/data/notes', { key: key.key! })).status).to.equal(401)
    // A key deleted after the save is back with it, and works again.
    expect((await call(emu, 'GET', '/v1/data/notes', { key: early.key! })).status).to.equal(200)
    const signIn = await call(emu, 'POST', '/v1/auth/email/signin', { key: emu.seed.environment.publishableKey }, { email: 'kept@example.com', password: 'secret123' })
    expect(signIn.status).to.equal(200)
  })

  it('lists and deletes', async () => {
    await controls.saveSnapshot('second')
    const { items } = await controls.listSnapshots()
    expect(items.map((s) => s.name)).to.deep.equal(['fixture', 'second'])
    expect(await controls.deleteSnapshot('second')).to.include({ name: 'second' })
    expect((await controls.listSnapshots()).items.map((s) => s.name)).to.deep.equal(['fixture'])
  })

  const refusals = [
    { name: 'saving as "../x" → 400', run: () => controls.saveSnapshot('../x'), status: 400, code: 'common/invalid-parameters' },
    { name: 'saving as "a/b" → 400', run: () => controls.saveSnapshot('a/b'), status: 400, code: 'common/invalid-parameters' },
    { name: 'restoring ".." → 400', run: () => controls.restoreSnapshot('..'), status: 400, code: 'common/invalid-parameters' },
    { name: 'deleting "../fixture" → 400 (an encoded slash is still a slash)', run: () => controls.deleteSnapshot('../fixture'), status: 400, code: 'common/invalid-parameters' },
    { name: 'restoring a name never saved → 404', run: () => controls.restoreSnapshot('never'), status: 404, code: 'common/not-found' },
    { name: 'deleting a name never saved → 404', run: () => controls.deleteSnapshot('never'), status: 404, code: 'common/not-found' },
  ]
  for (const s of refusals) {
    it(s.name, async () => {
      const error = await s.run().catch((e: unknown) => e)
      expect(error).to.be.instanceOf(ClientError)
      expect(error).to.include({ status: s.status, code: s.code })
    })
  }

  it('saving with no name → 400 naming the field', async () => {
    const response = await fetch(`${emu.url}/_emulator/snapshots`, { method: 'POST', headers: { Authorization: `Bearer ${emu.seed.tenantToken}`, 'Content-Type': 'application/json' }, body: '{}' })
    expect(response.status).to.equal(400)
    expect(((await response.json()) as { error: { message: string } }).error.message).to.match(/name/)
  })

  it('without the tenant token → 401, no CORS headers', async () => {
    const response = await fetch(`${emu.url}/_emulator/snapshots`, { headers: { Origin: 'https://evil.example' } })
    expect(response.status).to.equal(401)
    expect(response.headers.get('access-control-allow-origin')).to.equal(null)
  })
})
