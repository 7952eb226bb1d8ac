import { expect } from 'chai'
import Fastify, { type FastifyInstance } from 'fastify'
import { handleConsole } from '../../src/emulator/http/console/console.js'
import { acceptFormBodies } from '../../src/emulator/http/middleware/body.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'

const ENV = '/_/o/local/p/local/e/dev'

// The pages behind the session guard, rendered for the seeded tenant: forms and links only, as without scripts.
describe('http: console pages (rendering and form posts)', () => {
  let emu: TestEmulator
  let app: FastifyInstance

  before(async () => {
    emu = await startEmulator()
    app = Fastify()
    acceptFormBodies(app)
    const session = { tenant: emu.core.tenants.get(emu.seed.tenantId)!, sessionId: 'not-looked-up' }
    app.route({ method: ['GET', 'POST'], url: '/_/*', handler: (request, reply) => handleConsole(emu.core, request, reply, session) })
    await app.ready()
  })
  after(async () => {
    await app.close()
    await emu.dispose()
  })

  const get = (url: string) => app.inject({ method: 'GET', url })
  const post = (url: string, form: Record<string, string>) => app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(form).toString() })

  it('/_/ goes to the first organization; its page lists the project, with safe headers', async () => {
    const home = await get('/_/')
    expect(home.statusCode).to.equal(303)
    expect(home.headers.location).to.equal('/_/o/local')
    const org = await get('/_/o/local')
    expect(org.statusCode).to.equal(200)
    expect(org.headers['content-security-policy']).to.include("script-src 'self'").and.include("frame-ancestors 'none'")
    expect(org.headers['cache-control']).to.equal('no-store')
    expect(org.body).to.include('href="/_/o/local/p/local"').and.include('class="skip" href="#main"')
  })

  it("the organization page counts each environment's records, users and files in words that agree with the number", async () => {
    const env = emu.ready.environments[0]!
    const signUp = await fetch(`${emu.ready.url}/v1/auth/email/signup`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-API-Key': env.publishableKey }, body: JSON.stringify({ email: 'one@example.com', password: 'password-1' }) })
    expect(signUp.status).to.equal(201)
    const org = await get('/_/o/local')
    expect(org.body).to.match(/>dev<\/a>: 0 records, 1 user, 0 files</)
  })

  it('an unknown organization, project or environment is a 404 page naming it', async () => {
    for (const [url, text] of [['/_/o/nope', 'organization &quot;nope&quot;'], ['/_/o/local/p/nope', 'project &quot;nope&quot;'], ['/_/o/local/p/local/e/prod/tables', 'environment &quot;prod&quot;']] as const) {
      const response = await get(url)
      expect(response.statusCode, url).to.equal(404)
      expect(response.body, url).to.include(text)
    }
  })

  it('escapes what tenants typed: a table description with markup', async () => {
    const created = await post(`${ENV}/tables`, { tableName: 'notes', description: '<script>alert(1)</script>', schema: '{ "body": { "type": "string" } }' })
    expect(created.statusCode).to.equal(303)
    const page = await get(`${ENV}/tables/notes`)
    expect(page.body).to.include('&lt;script&gt;alert(1)&lt;/script&gt;').and.not.include('<script>alert(1)')
  })

  it('a bad schema re-renders the form with the values and the message at the field', async () => {
    const response = await post(`${ENV}/tables`, { tableName: 'bad', schema: '{ "x": { "type": "nonsense" } }' })
    expect(response.statusCode).to.equal(400)
    expect(response.body).to.include('id="error"').and.include('VALIDATION_ERROR')
    expect(response.body).to.match(/id="t-schema-error">[^<]+</)
    expect(response.body).to.include('value="bad"')
    const notJson = await post(`${ENV}/tables`, { tableName: 'bad', schema: '{ nope' })
    expect(notJson.body).to.include('id="t-schema-error">not valid JSON<')
    const taken = await post(`${ENV}/tables`, { tableName: 'notes' })
    expect(taken.statusCode).to.equal(409)
    expect(taken.body).to.match(/id="error"><strong>CONFLICT<\/strong>: [^<]*notes/)
  })

  it('deleting a record without confirmation answers a confirmation page and deletes nothing', async () => {
    const table = emu.core.tables.resolve(emu.seed.environment.id, 'notes')
    await post(`${ENV}/tables/notes/records`, { 'f.body': 'keep me' })
    expect(emu.core.tables.documentCount(table)).to.equal(1)
    const grid = await get(`${ENV}/tables/notes/records`)
    const id = /data-id="([0-9a-f]{24})"/.exec(grid.body)?.[1] as string
    expect(id).to.match(/^[0-9a-f]{24}$/)
    const asked = await post(`${ENV}/tables/notes/records/${id}/delete`, {})
    expect(asked.statusCode).to.equal(200)
    expect(asked.body).to.include('id="confirm-text"').and.include('name="confirmed" value="yes"')
    expect(emu.core.tables.documentCount(table)).to.equal(1)
    const deleted = await post(`${ENV}/tables/notes/records/${id}/delete`, { confirmed: 'yes' })
    expect(deleted.statusCode).to.equal(303)
    expect(emu.core.tables.documentCount(table)).to.equal(0)
  })

  it('the switcher redirect only goes to console pages', async () => {
    expect((await get('/_/go?to=%2F_%2Fo%2Flocal%2Fp%2Flocal')).headers.location).to.equal('/_/o/local/p/local')
    for (const to of ['https://evil.example/', '//evil.example/_/o/x', '/v1/data/x']) expect((await get(`/_/go?to=${encodeURIComponent(to)}`)).headers.location, to).to.equal('/_/')
  })

  it('edits a table: a field, an index (bad direction shown at the field), the permission grid and its reset', async () => {
    const page = `${ENV}/tables/notes`
    expect((await post(`${page}/fields`, { name: 'rating', type: 'int', required: 'on' })).statusCode).to.equal(303)
    let table = emu.core.tables.resolve(emu.seed.environment.id, 'notes')
    expect(table.schema.properties.rating?.bsonType).to.equal('int')
    expect(table.schema.required).to.include('rating')

    const bad = await post(`${page}/indexes`, { name: 'by_rating', fields: 'rating:up' })
    expect(bad.statusCode).to.equal(400)
    expect(bad.body).to.include('id="i-fields-error">each field is name or name:1 or name:-1<')
    expect((await post(`${page}/indexes`, { name: 'by_rating', fields: 'rating:-1', unique: 'on' })).statusCode).to.equal(303)
    table = emu.core.tables.resolve(emu.seed.environment.id, 'notes')
    expect(table.indexes).to.deep.equal([{ name: 'by_rating', fields: { rating: -1 }, unique: true, sparse: false }])

    // only the boxes sent are granted: guest may read and list, nothing else
    expect((await post(`${page}/permissions`, { 'admin.create': 'on', 'admin.read': 'on', 'guest.read': 'on', 'guest.list': 'on' })).statusCode).to.equal(303)
    table = emu.core.tables.resolve(emu.seed.environment.id, 'notes')
    expect(table.permissions?.guest).to.deep.equal({ create: false, read: true, update: false, delete: false, list: true })
    expect(table.permissions?.user).to.deep.equal({ create: false, read: false, update: false, delete: false, list: false })
    expect(table.permissions?.self).to.deep.equal({ read: false, update: false, delete: false, list: false })
    const shown = await get(page)
    expect(shown.body).to.include('Configured for this table.').and.match(/id="p-guest-read" aria-label="guest may read" checked/)
    expect((await post(`${page}/permissions`, { defaults: 'yes' })).statusCode).to.equal(303)
    expect(emu.core.tables.resolve(emu.seed.environment.id, 'notes').permissions).to.equal(null)

    const rules = await post(`${page}/policy`, { expressionPermissions: '{ "update": "nonsense ((" }' })
    expect(rules.statusCode).to.equal(400)
    expect(rules.body).to.include('id="error"').and.include('VALIDATION_ERROR')

    const asked = await post(`${page}/fields/remove`, { name: 'rating' })
    expect(asked.body).to.include('Remove the field rating from notes?')
    expect(emu.core.tables.resolve(emu.seed.environment.id, 'notes').schema.properties.rating).to.not.equal(undefined)
    expect((await post(`${page}/fields/remove`, { name: 'rating', confirmed: 'yes' })).statusCode).to.equal(303)
    expect(emu.core.tables.resolve(emu.seed.environment.id, 'notes').schema.properties.rating).to.equal(undefined)
  })
})
