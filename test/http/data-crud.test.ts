/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are JSON checked by chai assertions, not typed */
import { expect } from 'chai'
import { createEmulator } from '../../src/emulator/server.js'
import type { ProjectDoc } from '../../src/emulator/core/tenancy/model.js'
import { harnessFor, q, startHarness, stopHarness, type Harness } from './data-helpers.js'

const HEX24 = /^[0-9a-f]{24}$/
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

describe('data HTTP: records CRUD, validation and errors', () => {
  let h: Harness
  before(async () => {
    h = await startHarness()
    await h.table('posts', {
      title: { type: 'string', required: true, maxLength: 20 },
      views: { bsonType: 'int', minimum: 0, default: 0 },
      published: { type: 'boolean' },
      due: { type: 'date' },
      meta: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } },
    })
    await h.table('members', { name: { type: 'string' }, email: { type: 'string', unique: true } })
  })
  after(() => stopHarness(h))

  it('creates with 201 and every system field; drops system fields from the body; applies defaults', async () => {
    const res = await h.req('POST', '/v1/data/posts', { key: h.sk, body: { title: 'Hello', id: 'mine', createdBy: 'me', createdAt: 'x', due: '2025-01-15T19:30:00+09:00', extra: { free: [1] } } })
    expect(res.status).to.equal(201)
    const record = res.body
    expect(record.id).to.match(HEX24).and.not.equal('mine')
    expect(record).to.include({ title: 'Hello', views: 0, createdBy: '', due: '2025-01-15T10:30:00.000Z' })
    expect(record.extra).to.deep.equal({ free: [1] })
    expect(record.createdAt).to.match(ISO).and.equal(record.updatedAt)
    expect((await h.req('GET', `/v1/data/posts/${record.id}`)).body).to.deep.equal(record)
  })

  it('stamps createdAt from the emulator clock', async () => {
    h.em.core.clock.advance(86_400)
    try {
      const res = await h.req('POST', '/v1/posts', { key: h.sk, body: { title: 'Tomorrow' } })
      expect(Date.parse(res.body.createdAt) - Date.now()).to.be.greaterThan(86_000_000)
    } finally {
      h.em.core.clock.advance(-86_400)
    }
  })

  it('updates partially: top-level keys replace, nested objects whole, null stores null, updatedAt moves', async () => {
    const created = (await h.req('POST', '/v1/posts', { key: h.sk, body: { title: 'A', meta: { a: '1', b: '2' }, published: true } })).body
    await new Promise((r) => setTimeout(r, 5))
    const res = await h.req('PATCH', `/v1/posts/${created.id}`, { key: h.sk, body: { meta: { a: '9' }, published: null, updatedAt: '1999-01-01T00:00:00.000Z' } })
    expect(res.status).to.equal(200)
    expect(res.body).to.include({ title: 'A', published: null, createdAt: created.createdAt })
    expect(res.body.meta).to.deep.equal({ a: '9' })
    expect(res.body.updatedAt > created.updatedAt).to.equal(true)
  })

  it('treats an empty update body as a no-op', async () => {
    const created = (await h.req('POST', '/v1/posts', { key: h.sk, body: { title: 'Same' } })).body
    const res = await h.req('PATCH', `/v1/posts/${created.id}`, { key: h.sk, body: {} })
    expect(res.body).to.deep.equal(created)
  })

  it('validates the merged record on update (required stays required)', async () => {
    const created = (await h.req('POST', '/v1/posts', { key: h.sk, body: { title: 'Keep' } })).body
    const res = await h.req('PATCH', `/v1/posts/${created.id}`, { key: h.sk, body: { title: null, views: -1 } })
    expect(res.status).to.equal(400)
    expect(res.body.error.details).to.deep.include.members([
      { field: 'title', rule: 'required', message: 'is required and cannot be null' },
      { field: 'views', rule: 'minimum', message: 'must be greater than or equal to 0' },
    ])
  })

  it('deletes with { success: true }, then the record is gone', async () => {
    const created = (await h.req('POST', '/v1/posts', { key: h.sk, body: { title: 'Bye' } })).body
    expect((await h.req('DELETE', `/v1/posts/${created.id}`, { key: h.sk })).body).to.deep.equal({ success: true })
    const res = await h.req('GET', `/v1/posts/${created.id}`)
    expect([res.status, res.body.error.code]).to.deep.equal([404, 'data/not-found'])
  })

  const errors: Array<{ name: string; method: string; url: string; key?: null; body?: unknown; headers?: Record<string, string>; status: number; code: string }> = [
    { name: 'unknown table', method: 'GET', url: '/v1/data/nothing', status: 404, code: 'data/table-not-found' },
    { name: 'table names are case-sensitive', method: 'GET', url: '/v1/Posts', status: 404, code: 'data/table-not-found' },
    { name: 'record id not 24 hex', method: 'GET', url: '/v1/posts/123', status: 404, code: 'data/not-found' },
    { name: 'unknown record id', method: 'DELETE', url: '/v1/posts/0123456789abcdef01234567', status: 404, code: 'data/not-found' },
    { name: 'missing required field', method: 'POST', url: '/v1/posts', body: {}, status: 400, code: 'data/validation-error' },
    { name: 'wrong type', method: 'POST', url: '/v1/posts', body: { title: 5 }, status: 400, code: 'data/validation-error' },
    { name: 'a $-prefixed body key', method: 'POST', url: '/v1/posts', body: { title: 'x', $inc: { views: 1 } }, status: 400, code: 'data/validation-error' },
    { name: 'a dotted nested body key', method: 'POST', url: '/v1/posts', body: { title: 'x', meta: { 'a.b': 1 } }, status: 400, code: 'data/validation-error' },
    { name: 'an array body', method: 'POST', url: '/v1/posts', body: [{ title: 'x' }], status: 400, code: 'data/validation-error' },
    { name: 'unparseable JSON', method: 'POST', url: '/v1/posts', body: '{"title":', status: 400, code: 'data/validation-error' },
    { name: 'unsupported content type', method: 'POST', url: '/v1/posts', body: '<x/>', headers: { 'content-type': 'application/xml' }, status: 400, code: 'data/invalid-header' },
    { name: 'no API key', method: 'GET', url: '/v1/posts', key: null, status: 401, code: 'auth/unauthorized' },
    { name: 'GET /v1/data is not a table', method: 'GET', url: '/v1/data', status: 404, code: 'common/not-found' },
  ]
  for (const e of errors) {
    it(`${e.name} → ${e.status} ${e.code}`, async () => {
      const res = await h.req(e.method, e.url, { key: e.key === null ? null : h.sk, body: e.body, headers: e.headers })
      expect(res.status, JSON.stringify(res.body)).to.equal(e.status)
      expect(res.body).to.include({ success: false, statusCode: e.status, message: res.body.error.message })
      expect(res.body.error.code).to.equal(e.code)
    })
  }

  for (const family of ['auth', 'users', 'files', 'data']) {
    it(`the shorthand never answers for /v1/${family}`, async () => {
      // Under /v1/data/ the next segment is a table name, so only the bare family path can be shadowed there.
      const nested = family === 'data' ? [] : [['GET', `/v1/${family}/spec`], ['GET', `/v1/${family}/openapi`], ['DELETE', `/v1/${family}/0123456789abcdef01234567`]]
      for (const [method, url] of [['GET', `/v1/${family}`], ['POST', `/v1/${family}`], ...nested]) {
        const res = await h.req(method as string, url as string, { key: h.sk, body: method === 'POST' ? {} : undefined })
        expect(res.body?.error?.code ?? '', `${method} ${url}`).to.not.match(/^data\//)
        expect(res.body?.openapi, `${method} ${url}`).to.equal(undefined)
      }
    })
  }

  it('accepts JSON sent as text/plain or without a content type', async () => {
    for (const headers of [{ 'content-type': 'text/plain' }, { 'content-type': 'application/json; charset=utf-8' }]) {
      expect((await h.req('POST', '/v1/posts', { key: h.sk, body: JSON.stringify({ title: 't' }), headers })).status).to.equal(201)
    }
    const res = await h.em.app.inject({ method: 'POST', url: '/v1/posts', headers: { 'x-api-key': h.sk }, payload: JSON.stringify({ title: 'raw' }) })
    expect(res.statusCode).to.equal(201)
  })

  it('enforces unique fields on create and update with 409 naming index and field', async () => {
    const a = (await h.req('POST', '/v1/members', { key: h.sk, body: { email: 'dup@x' } })).body
    const dup = await h.req('POST', '/v1/members', { key: h.sk, body: { email: 'dup@x' } })
    expect(dup.status).to.equal(409)
    expect(dup.body.error.code).to.equal('data/duplicate-value')
    expect(dup.body.error.message).to.contain('email_unique').and.contain('email')
    const b = (await h.req('POST', '/v1/members', { key: h.sk, body: { email: 'other@x' } })).body
    expect((await h.req('PATCH', `/v1/members/${b.id}`, { key: h.sk, body: { email: 'dup@x' } })).status).to.equal(409)
    expect((await h.req('PATCH', `/v1/members/${a.id}`, { key: h.sk, body: { email: 'dup@x', name: 'same' } })).status).to.equal(200)
    expect((await h.req('POST', '/v1/members', { key: h.sk, body: { email: 'DUP@x' } })).status).to.equal(201)
    await h.req('DELETE', `/v1/members/${a.id}`, { key: h.sk })
    expect((await h.req('POST', '/v1/members', { key: h.sk, body: { email: 'dup@x' } })).status).to.equal(201)
  })

  it('counts a missing unique field as null: the second record without it collides', async () => {
    expect((await h.req('POST', '/v1/members', { key: h.sk, body: { name: 'no email' } })).status).to.equal(201)
    const res = await h.req('POST', '/v1/members', { key: h.sk, body: { name: 'no email either' } })
    expect([res.status, res.body.error.code]).to.deep.equal([409, 'data/duplicate-value'])
  })

  it('serves /spec with the effective default permissions and indexes in both shapes', async () => {
    const res = await h.req('GET', '/v1/data/posts/spec')
    expect(res.status).to.equal(200)
    expect(res.body.tableName).to.equal('posts')
    expect(res.body.schema.required).to.deep.equal(['title'])
    expect(res.body.indexes).to.deep.equal([])
    const members = (await h.req('GET', '/v1/data/members/spec')).body
    expect(members.indexes).to.deep.equal([{ name: 'email_unique', key: { email: 1 }, fields: { email: 1 }, unique: true, sparse: false }])
    expect(res.body.permissions.guest).to.deep.equal({ create: false, read: true, update: false, delete: false, list: true })
    expect(res.body).to.not.have.property('rowFilters')
  })

  it('serves an OpenAPI 3.0.0 document generated from the schema', async () => {
    const doc = (await h.req('GET', '/v1/posts/openapi')).body
    expect(doc.openapi).to.equal('3.0.0')
    expect(doc.info).to.deep.equal({ title: 'posts API', version: '1.0.0', description: 'CRUD API for posts table' })
    expect(doc.servers).to.deep.equal([{ url: h.em.url }])
    expect(Object.keys(doc.paths)).to.deep.equal(['/v1/data/posts', '/v1/data/posts/{id}'])
    expect(Object.keys(doc.paths['/v1/data/posts'])).to.deep.equal(['get', 'post'])
    expect(doc.paths['/v1/data/posts/{id}']).to.include.keys('get', 'patch', 'delete')
    expect(doc.paths['/v1/data/posts'].get.parameters.map((p: any) => p.name)).to.include.members(['page', 'limit', 'sortBy', 'sortDirection', 'search', 'searchType', 'andFilters', 'orFilters', 'select'])
    expect(doc.components.schemas).to.have.keys('Posts', 'PostsInput', 'PostsList', 'Error')
    const input = doc.components.schemas.PostsInput
    expect(input.required).to.deep.equal(['title'])
    expect(input.properties.title).to.deep.equal({ type: 'string', maxLength: 20 })
    expect(input.properties.views).to.deep.include({ type: 'integer', minimum: 0, default: 0 })
    expect(input.properties.due).to.deep.include({ type: 'string', format: 'date-time' })
    expect(input.properties.published.type).to.equal('boolean')
    expect(doc.components.schemas.Posts.properties.id).to.deep.equal({ type: 'string', pattern: '^[0-9a-f]{24}$' })
    expect(doc.components.securitySchemes).to.deep.equal({ ApiKeyAuth: { type: 'apiKey', in: 'header', name: 'X-API-Key' }, BearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } })
    const refs = JSON.stringify(doc).match(/#\/components\/schemas\/[A-Za-z]+/g) ?? []
    for (const ref of refs) expect(doc.components.schemas).to.have.property(ref.split('/').pop() as string)
  })
})

describe('data HTTP: list queries', () => {
  let h: Harness
  const url = (query: string) => `/v1/items?${query}`
  const titles = async (query: string) => {
    const res = await h.req('GET', url(query), { key: h.sk })
    expect(res.status, JSON.stringify(res.body)).to.equal(200)
    return res.body.items.map((r: any) => r.title)
  }
  before(async () => {
    h = await startHarness()
    await h.table('items', { title: { type: 'string' }, n: { bsonType: 'int' }, price: { type: 'number' }, on: { type: 'boolean' }, day: { type: 'date' }, cat: { type: 'string' } })
    await h.em.core.tables.indexManage(h.actor, (await h.em.core.tables.list(h.actor))[0]?.id as string, { indexesToAddOrUpdate: [{ name: 'cat_1', fields: { cat: 1 } }] })
    const rows = [
      { title: 'Alpha', n: 1, price: 9.5, on: true, day: '2025-01-01', cat: 'x', tags: ['a', 'b'], author: { name: 'Ann' } },
      { title: 'beta', n: 2, price: 3, on: false, day: '2025-02-01', cat: 'y', tags: ['b'] },
      { title: 'Gamma', n: 3, on: true, day: '2025-03-01', cat: 'x', author: { name: 'Bo' } },
      { title: 'delta', n: 4, price: null, cat: 'z' },
      { title: 'Epsilon', n: 5, price: 20, on: false, day: '2025-05-01T12:00:00Z', cat: 'y' },
    ]
    for (const body of rows) await h.req('POST', '/v1/items', { key: h.sk, body })
  })
  after(() => stopHarness(h))

  const cases: Array<[string, string, string[]]> = [
    ['default order is newest first', '', ['Epsilon', 'delta', 'Gamma', 'beta', 'Alpha']],
    ['sortBy asc', 'sortBy=n&sortDirection=asc', ['Alpha', 'beta', 'Gamma', 'delta', 'Epsilon']],
    ['strings sort by code point', 'sortBy=title&sortDirection=asc', ['Alpha', 'Epsilon', 'Gamma', 'beta', 'delta']],
    ['missing and null sort first', 'sortBy=price&sortDirection=asc', ['Gamma', 'delta', 'beta', 'Alpha', 'Epsilon']],
    ['andFilters JSON', `andFilters=${q({ n: { $gte: 2, $lt: 5 } })}&sortBy=n&sortDirection=asc`, ['beta', 'Gamma', 'delta']],
    ['andFilters array', `andFilters=${q([{ cat: 'x' }, { on: true }])}&sortBy=n&sortDirection=asc`, ['Alpha', 'Gamma']],
    ['orFilters object', `orFilters=${q({ n: 1, title: 'delta' })}&sortBy=n&sortDirection=asc`, ['Alpha', 'delta']],
    ['orFilters array', `orFilters=${q([{ cat: 'y', on: false }, { n: 3 }])}&sortBy=n&sortDirection=asc`, ['beta', 'Gamma', 'Epsilon']],
    ['and + or combined', `andFilters=${q({ on: true })}&orFilters=${q({ n: 3, cat: 'z' })}`, ['Gamma']],
    ['bracket form coerces declared types', 'andFilters[n]=2', ['beta']],
    ['bracket form booleans', 'andFilters[on]=false&sortBy=n&sortDirection=asc', ['beta', 'Epsilon']],
    ['bracket form dates', 'andFilters[day]=2025-02-01', ['beta']],
    ['indexed equality (planner) with more filters', `andFilters=${q({ cat: 'y', n: { $gt: 2 } })}`, ['Epsilon']],
    ['$in', `andFilters=${q({ cat: { $in: ['z', 'x'] } })}&sortBy=n&sortDirection=asc`, ['Alpha', 'Gamma', 'delta']],
    ['$nin', `andFilters=${q({ cat: { $nin: ['x', 'y'] } })}`, ['delta']],
    ['$exists false', `andFilters=${q({ day: { $exists: false } })}`, ['delta']],
    ['null matches null and missing', `andFilters=${q({ price: null })}&sortBy=n&sortDirection=asc`, ['Gamma', 'delta']],
    ['$ne', `andFilters=${q({ cat: { $ne: 'y' } })}&sortBy=n&sortDirection=asc`, ['Alpha', 'Gamma', 'delta']],
    ['$regex with options', `andFilters=${q({ title: { $regex: '^[ab]', $options: 'i' } })}&sortBy=n&sortDirection=asc`, ['Alpha', 'beta']],
    ['array element equality', `andFilters=${q({ tags: 'b' })}&sortBy=n&sortDirection=asc`, ['Alpha', 'beta']],
    ['dot path', `andFilters=${q({ 'author.name': 'Bo' })}`, ['Gamma']],
    ['date range with ISO strings', `andFilters=${q({ day: { $gte: '2025-02-01', $lt: '2025-05-01T14:00:00+01:00' } })}&sortBy=day&sortDirection=asc`, ['beta', 'Gamma', 'Epsilon']],
    ['createdAt compares as a date', `andFilters=${q({ createdAt: { $gt: '2000-01-01' } })}&limit=1`, ['Epsilon']],
    ['search is case-insensitive across strings', 'search=ALP', ['Alpha']],
    ['search is literal, not a regex', 'search=.*', []],
    ['searchType restricts the field', 'search=x&searchType=cat&sortBy=n&sortDirection=asc', ['Alpha', 'Gamma']],
    ['search + filters', `search=a&andFilters=${q({ on: true })}&sortBy=n&sortDirection=asc`, ['Alpha', 'Gamma']],
  ]
  for (const [name, query, expected] of cases) it(`${name}`, async () => expect(await titles(query)).to.deep.equal(expected))

  it('paginates with the pagination object, offset alias and limit clamp', async () => {
    const page2 = (await h.req('GET', url('limit=2&page=2&sortBy=n&sortDirection=asc'), { key: h.sk })).body
    expect(page2.items.map((r: any) => r.title)).to.deep.equal(['Gamma', 'delta'])
    expect(page2.pagination).to.deep.equal({ total: 5, page: 2, limit: 2, totalPages: 3, hasNext: true, hasPrev: true, hasNextPage: true, hasPrevPage: true })
    const byOffset = (await h.req('GET', url('limit=2&offset=3&sortBy=n&sortDirection=asc'), { key: h.sk })).body
    expect(byOffset.items.map((r: any) => r.title)).to.deep.equal(['delta', 'Epsilon'])
    expect(byOffset.pagination.page).to.equal(2)
    const past = (await h.req('GET', url('page=9'), { key: h.sk })).body
    expect(past.items).to.deep.equal([])
    expect(past.pagination).to.include({ total: 5, page: 9, totalPages: 1, hasNext: false, hasPrev: true })
    expect((await h.req('GET', url('limit=1000'), { key: h.sk })).body.pagination.limit).to.equal(100)
  })

  it('select and fields keep the named fields plus system fields', async () => {
    const item = (await h.req('GET', url('select=title,n&limit=1'), { key: h.sk })).body.items[0]
    expect(Object.keys(item).sort()).to.deep.equal(['createdAt', 'createdBy', 'id', 'n', 'title', 'updatedAt'])
    const viaFields = (await h.req('GET', url('fields=title&fields=cat&limit=1'), { key: h.sk })).body.items[0]
    expect(viaFields).to.have.keys('id', 'createdBy', 'createdAt', 'updatedAt', 'title', 'cat')
    const one = (await h.req('GET', `/v1/items/${item.id}?select=cat`, { key: h.sk })).body
    expect(one).to.have.keys('id', 'createdBy', 'createdAt', 'updatedAt', 'cat')
  })

  for (const query of ['page=x', 'limit=ten', 'offset=-', 'sortDirection=sideways', 'andFilters=%7Bbad', `andFilters=${q({ n: { $foo: 1 } })}`, `andFilters=${q({ n: { $in: 1 } })}`, `andFilters=${q({ n: { $exists: 1 } })}`, `andFilters=${q({ title: { $regex: '(' } })}`, `andFilters=${q({ title: { $regex: '(a)\\1' } })}`]) {
    it(`rejects ${decodeURIComponent(query)} with 400 data/validation-error`, async () => {
      const res = await h.req('GET', url(query), { key: h.sk })
      expect([res.status, res.body.error.code]).to.deep.equal([400, 'data/validation-error'])
    })
  }

  it('a catastrophic $regex does not stall the server', async () => {
    await h.req('POST', '/v1/items', { key: h.sk, body: { title: `${'a'.repeat(3000)}!` } })
    const started = Date.now()
    const res = await h.req('GET', url(`andFilters=${q({ title: { $regex: '^(a+)+$' } })}`), { key: h.sk })
    expect(res.status).to.equal(200)
    expect(res.body.items).to.deep.equal([])
    expect(Date.now() - started).to.be.lessThan(5000)
  })
})

describe('data HTTP: isolation and persistence', () => {
  let h: Harness | undefined
  afterEach(async () => {
    await stopHarness(h)
    h = undefined
  })

  it('keeps environments apart: same table name, separate records, keys see only their environment', async () => {
    h = await startHarness()
    const project = h.em.core.projects.doc(h.em.seed.projectId) as ProjectDoc
    await h.em.core.envs.create(h.actor, { environment: 'staging', environmentType: 'staging' }, project)
    const staging = (await h.em.core.keys.create(h.actor, { projectId: project.id, environment: 'staging', type: 'secret', name: 'staging' })).key as string
    await h.table('notes', {})
    expect((await h.req('GET', '/v1/notes', { key: staging })).body.error.code).to.equal('data/table-not-found')
    await h.em.core.tables.create(h.actor, { projectId: project.id, environment: 'staging', tableName: 'notes', schema: {} })
    await h.req('POST', '/v1/notes', { key: h.sk, body: { where: 'dev' } })
    await h.req('POST', '/v1/notes', { key: staging, body: { where: 'staging' } })
    const dev = (await h.req('GET', '/v1/notes', { key: h.sk })).body.items
    const stg = (await h.req('GET', '/v1/notes', { key: staging })).body.items
    expect(dev.map((r: any) => r.where)).to.deep.equal(['dev'])
    expect(stg.map((r: any) => r.where)).to.deep.equal(['staging'])
    expect((await h.req('GET', `/v1/notes/${dev[0].id}`, { key: staging })).status).to.equal(404)
  })

  it('rebuilds unique and secondary index maps after a restart on the same data dir', async () => {
    h = await startHarness()
    const { id } = await h.table('people', { email: { type: 'string', unique: true }, team: { type: 'string' } })
    await h.em.core.tables.indexManage(h.actor, id, { indexesToAddOrUpdate: [{ name: 'team_1', fields: { team: 1 } }] })
    for (const [email, team] of [['a@x', 'red'], ['b@x', 'blue'], ['c@x', 'red']]) await h.req('POST', '/v1/people', { key: h.sk, body: { email, team } })
    const dir = h.dir
    await stopHarness(h, { keepDir: true })
    const em = await createEmulator({ dataDir: dir, port: 0 })
    h = harnessFor(em, dir)
    const dup = await h.req('POST', '/v1/people', { key: h.sk, body: { email: 'b@x' } })
    expect([dup.status, dup.body.error.code]).to.deep.equal([409, 'data/duplicate-value'])
    const red = (await h.req('GET', `/v1/people?andFilters=${q({ team: 'red' })}&sortBy=email&sortDirection=asc`, { key: h.sk })).body.items
    expect(red.map((r: any) => r.email)).to.deep.equal(['a@x', 'c@x'])
    const moved = (await h.req('GET', `/v1/people?andFilters=${q({ email: 'c@x' })}`, { key: h.sk })).body.items[0]
    await h.req('PATCH', `/v1/people/${moved.id}`, { key: h.sk, body: { team: 'blue' } })
    expect((await h.req('GET', `/v1/people?andFilters[team]=blue`, { key: h.sk })).body.pagination.total).to.equal(2)
    expect((await h.req('POST', '/v1/people', { key: h.sk, body: { email: 'd@x' } })).status).to.equal(201)
  })
})
