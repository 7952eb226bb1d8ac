import { expect } from 'chai'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { call } from './storage-helpers.js'

/** `POST /_emulator/data/:table/bulk`: each record created as `POST /v1/data/:table` would, answered in order. */
describe('http: the bulk insert extension', () => {
  let emu: TestEmulator
  let parity: TestEmulator
  let sk: string
  const bulk = (target: TestEmulator, table: string, body: unknown, key = target.seed.environment.secretKey) => call(target, 'POST', `/_emulator/data/${table}/bulk`, { key }, body)
  before(async () => {
    emu = await startEmulator()
    parity = await startEmulator({ cloudParity: true })
    sk = emu.seed.environment.secretKey
    const table = await emu.core.tables.create(emu.actor, { projectId: emu.seed.projectId, environment: 'dev', tableName: 'notes', schema: { title: { type: 'string', required: true }, slug: { type: 'string', unique: true } } })
    await emu.core.tables.update(emu.actor, table.id, { permissions: { guest: { read: true } } })
  })
  after(async () => {
    await emu.dispose()
    await parity.dispose()
  })

  it('answers every record in order: ids for the created, the single-POST error for the refused', async () => {
    const reply = await bulk(emu, 'notes', [{ title: 'a', slug: 'a' }, { slug: 'no-title' }, { title: 'b', slug: 'a' }, { title: 'c', id: 'ignored' }])
    expect(reply.status).to.equal(200)
    const results = reply.body.results as Array<{ id?: string; statusCode?: number; error: { code: string } }>
    expect(results).to.have.length(4)
    expect(results[0]!.id).to.match(/^[0-9a-f]{24}$/)
    expect(results[1]).to.include({ statusCode: 400 })
    expect(results[1]!.error.code).to.equal('data/validation-error')
    expect(results[2]).to.include({ statusCode: 409 })
    expect(results[3]!.id).to.not.equal('ignored')
    const single = await call(emu, 'POST', '/v1/data/notes', { key: sk }, { slug: 'x' })
    expect(single.body.error?.code).to.equal(results[1]!.error.code)
    const listed = await call(emu, 'GET', '/v1/data/notes?limit=10', { key: sk })
    expect(listed.body.pagination.total).to.equal(2)
  })

  it('journals the records of one request as one line, so a crash keeps all of them or none', async () => {
    await emu.core.tables.create(emu.actor, { projectId: emu.seed.projectId, environment: 'dev', tableName: 'rows', schema: { title: { type: 'string', required: true }, slug: { type: 'string', unique: true } } })
    const db = emu.core.envs.database(emu.seed.environment.id)!
    const before = db.journalStats.lines
    const rows = Array.from({ length: 300 }, (_, i) => ({ title: `row ${i}`, slug: `row-${i}` }))
    const reply = await bulk(emu, 'rows', [...rows, { slug: 'row-0' }])
    const results = reply.body.results as Array<{ id?: string; statusCode?: number }>
    expect(results).to.have.length(301)
    expect(results.filter((r) => r.id !== undefined)).to.have.length(300)
    expect(results[300]).to.include({ statusCode: 400 })
    expect(db.journalStats.lines - before).to.equal(1)
    const listed = await call(emu, 'GET', '/v1/data/rows?limit=1&andFilters=' + encodeURIComponent(JSON.stringify({ slug: 'row-299' })), { key: sk })
    expect(listed.body.pagination.total).to.equal(1)
  })

  it('refuses the whole request for a body that is not an array or a missing table; a key that may not write gets each record refused', async () => {
    expect((await bulk(emu, 'notes', { title: 'x' })).body.error?.code).to.equal('common/invalid-parameters')
    expect((await bulk(emu, 'notes', Array.from({ length: 1001 }, () => ({ title: 't' })))).status).to.equal(400)
    expect((await bulk(emu, 'nope', [{ title: 'x' }])).status).to.equal(404)
    const guest = await bulk(emu, 'notes', [{ title: 'x' }], emu.seed.environment.publishableKey)
    expect(guest.body.results).to.have.length(1)
    expect(guest.body.results[0]).to.include({ statusCode: 403 })
    expect((await call(emu, 'GET', '/v1/data/notes?limit=1', { key: sk })).body.pagination.total).to.equal(2)
  })

  it('answers no CORS, however an origin asks: it is for the CLI, never for a page', async () => {
    for (const path of ['/_emulator/data/notes/bulk', '/_emulator/%64ata/notes/bulk']) {
      const preflight = await fetch(`${emu.url}${path}`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } })
      expect(preflight.headers.get('access-control-allow-origin'), path).to.equal(null)
    }
    const posted = await fetch(`${emu.url}/_emulator/data/notes/bulk`, { method: 'POST', headers: { Origin: 'https://evil.example', 'X-API-Key': sk, 'Content-Type': 'application/json' }, body: '[]' })
    expect(posted.headers.get('access-control-allow-origin')).to.equal(null)
  })

  it('does not exist in cloud-parity mode: 404 like any unknown route', async () => {
    const reply = await bulk(parity, 'notes', [{ title: 'x' }])
    expect(reply.status).to.equal(404)
    expect(reply.body.error?.code).to.equal('common/not-found')
  })
})
