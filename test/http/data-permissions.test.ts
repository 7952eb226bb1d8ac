/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are JSON checked by chai assertions, not typed */
import { expect } from 'chai'
import { principalFor } from '../../src/emulator/core/principal.js'
import { q, startHarness, stopHarness, type Harness } from './data-helpers.js'

type Who = 'guest' | 'alice' | 'bob' | 'admin' | 'adminAsAlice'
interface Scenario {
  name: string
  who: Who
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  /** `:alice` / `:bob` / `:missing` are replaced by record ids. */
  path: string
  body?: unknown
  status: number
  code?: string
  /** Extra check on a 200/201 body. */
  expect?: (body: any) => void
}

describe('data HTTP: RLS scenarios (rest-data.md §4, §8)', () => {
  let h: Harness
  const tokens: Partial<Record<Who, string>> = {}
  const ids: Record<string, Record<string, string>> = {}
  let aliceId = ''

  before(async () => {
    h = await startHarness()
    const alice = await h.signUp('alice@example.com')
    const bob = await h.signUp('bob@example.com')
    tokens.alice = alice.token
    tokens.bob = bob.token
    aliceId = alice.userId
    await h.table('defaults', { title: { type: 'string' } })
    await h.table('example', { title: { type: 'string' } }, {
      permissions: {
        admin: { create: true, read: true, update: true, delete: true, list: true },
        user: { create: true, read: true, update: false, delete: false, list: true },
        guest: { read: true, list: true },
        self: { read: true, update: true, delete: true, list: true },
      },
    })
    await h.table('private', { title: { type: 'string' } }, { permissions: { user: { create: true }, self: { read: true, update: true, delete: true } } })
    await h.table('exprs', { title: { type: 'string' } }, { expressionPermissions: { create: 'user', read: 'user | guest', update: 'self', delete: 'self', list: 'user | self' } })
    await h.table('cols', { title: { type: 'string' }, email: { type: 'string' }, internalNotes: { type: 'string' } }, {
      permissions: { user: { create: true, read: true, list: true, update: true }, guest: { read: true, list: true } },
      columnPermissions: { email: { read: 'user | admin', write: 'self' }, internalNotes: { read: 'admin', write: 'admin' } },
    })
    await h.table('rows', { title: { type: 'string' }, status: { type: 'string' } }, {
      permissions: { user: { create: true, list: true }, guest: { list: true } },
      rowFilters: [
        { expression: 'user', filter: { status: 'published' } },
        { expression: 'self', filter: { createdBy: '$userId' } },
      ],
    })
    await h.table('_audit', { title: { type: 'string' } })
    await h.table('_shared', { title: { type: 'string' } }, { permissions: { user: { read: true, list: true } } })
    // Records owned by alice and bob (written with admin rights but their user ids, so RLS does not interfere).
    const asUser = (userId: string) => principalFor('secret', null, { userId, role: 'user', sessionId: 's', email: 'x' })
    for (const name of ['defaults', 'example', 'private', 'exprs', 'cols', 'rows', '_audit', '_shared']) {
      const table = h.em.core.tables.resolve(h.em.seed.environment.id, name)
      ids[name] = {
        alice: (await h.em.core.records.create(table, asUser(aliceId), { title: 'a', status: 'draft', email: 'alice@x', internalNotes: 'n' })).id,
        bob: (await h.em.core.records.create(table, asUser(bob.userId), { title: 'b', status: 'published', email: 'bob@x', internalNotes: 'n' })).id,
        missing: '0123456789abcdef01234567',
      }
    }
  })
  after(() => stopHarness(h))

  const send = (s: Scenario) => {
    const [, table] = /^\/v1\/(?:data\/)?([^/?]+)/.exec(s.path) as RegExpExecArray
    const path = s.path.replace(/:(alice|bob|missing)/, (_, who: string) => ids[table as string]?.[who] ?? '')
    const key = s.who === 'admin' || s.who === 'adminAsAlice' ? h.sk : h.pk
    const token = s.who === 'adminAsAlice' ? tokens.alice : s.who === 'admin' || s.who === 'guest' ? undefined : tokens[s.who]
    return h.req(s.method, path, { key, token, body: s.body })
  }
  const run = (scenarios: Scenario[]) => {
    for (const s of scenarios) {
      it(`${s.name} → ${s.status}${s.code ? ` ${s.code}` : ''}`, async () => {
        const res = await send(s)
        expect(res.status, JSON.stringify(res.body)).to.equal(s.status)
        if (s.code) expect(res.body.error.code).to.equal(s.code)
        s.expect?.(res.body)
      })
    }
  }
  const DENIED = 'data/permission-denied'
  const SYSTEM = 'data/system-table-access'
  const count = (n: number) => (body: any) => expect(body.items).to.have.length(n)

  describe('default permissions (no permissions configured)', () => run([
    { name: 'guest creating', who: 'guest', method: 'POST', path: '/v1/data/defaults', body: { title: 'x' }, status: 403, code: DENIED },
    { name: 'guest reading', who: 'guest', method: 'GET', path: '/v1/data/defaults/:alice', status: 200 },
    { name: 'guest listing', who: 'guest', method: 'GET', path: '/v1/defaults', status: 200, expect: count(2) },
    { name: 'guest updating', who: 'guest', method: 'PATCH', path: '/v1/defaults/:alice', body: { title: 'x' }, status: 403, code: DENIED },
    { name: 'guest deleting', who: 'guest', method: 'DELETE', path: '/v1/defaults/:alice', status: 403, code: DENIED },
    { name: 'guest updating a missing record is denied before lookup', who: 'guest', method: 'PATCH', path: '/v1/defaults/:missing', body: {}, status: 403, code: DENIED },
    { name: 'user creating', who: 'alice', method: 'POST', path: '/v1/defaults', body: { title: 'x' }, status: 201, expect: (b) => expect(b.createdBy).to.equal(aliceId) },
    { name: 'user reading', who: 'alice', method: 'GET', path: '/v1/defaults/:bob', status: 200 },
    { name: 'user updating even an own record', who: 'alice', method: 'PATCH', path: '/v1/defaults/:alice', body: { title: 'x' }, status: 403, code: DENIED },
    { name: 'user deleting', who: 'alice', method: 'DELETE', path: '/v1/defaults/:bob', status: 403, code: DENIED },
    { name: 'secret key creating writes createdBy ""', who: 'admin', method: 'POST', path: '/v1/defaults', body: { title: 'x' }, status: 201, expect: (b) => expect(b.createdBy).to.equal('') },
    { name: 'secret key with a user JWT writes that user as createdBy', who: 'adminAsAlice', method: 'POST', path: '/v1/defaults', body: { title: 'x' }, status: 201, expect: (b) => expect(b.createdBy).to.equal(aliceId) },
    { name: 'admin updating', who: 'admin', method: 'PATCH', path: '/v1/defaults/:bob', body: { title: 'y' }, status: 200 },
  ]))

  describe('documented example policy with self', () => run([
    { name: 'guest listing', who: 'guest', method: 'GET', path: '/v1/example', status: 200, expect: count(2) },
    { name: 'guest creating', who: 'guest', method: 'POST', path: '/v1/example', body: {}, status: 403, code: DENIED },
    { name: 'self updating own record', who: 'alice', method: 'PATCH', path: '/v1/example/:alice', body: { title: 'mine' }, status: 200, expect: (b) => expect(b.title).to.equal('mine') },
    { name: "self updating another user's record", who: 'alice', method: 'PATCH', path: '/v1/example/:bob', body: { title: 'x' }, status: 403, code: DENIED },
    { name: 'self updating a missing record', who: 'alice', method: 'PATCH', path: '/v1/example/:missing', body: { title: 'x' }, status: 404, code: 'data/not-found' },
    { name: "self deleting another user's record", who: 'bob', method: 'DELETE', path: '/v1/example/:alice', status: 403, code: DENIED },
    { name: 'user listing sees every record (group list wins over self)', who: 'bob', method: 'GET', path: '/v1/example', status: 200, expect: count(2) },
  ]))

  describe('self-only table', () => run([
    { name: 'user listing gets only own records', who: 'alice', method: 'GET', path: '/v1/private', status: 200, expect: (b) => expect(b.items.map((r: any) => r.createdBy)).to.deep.equal([aliceId]) },
    { name: 'user reading own record', who: 'alice', method: 'GET', path: '/v1/private/:alice', status: 200 },
    { name: "user reading another user's record", who: 'alice', method: 'GET', path: '/v1/private/:bob', status: 403, code: DENIED },
    { name: 'user reading a missing record', who: 'alice', method: 'GET', path: '/v1/private/:missing', status: 404, code: 'data/not-found' },
    { name: 'guest listing (omitted group has nothing)', who: 'guest', method: 'GET', path: '/v1/private', status: 403, code: DENIED },
    { name: 'guest reading', who: 'guest', method: 'GET', path: '/v1/private/:alice', status: 403, code: DENIED },
    { name: 'self deleting own record', who: 'bob', method: 'DELETE', path: '/v1/private/:bob', status: 200, expect: (b) => expect(b).to.deep.equal({ success: true }) },
    { name: 'guest reading the spec (no read)', who: 'guest', method: 'GET', path: '/v1/private/spec', status: 403, code: DENIED },
    { name: 'user reading the spec (self read counts)', who: 'alice', method: 'GET', path: '/v1/private/spec', status: 200 },
  ]))

  describe('expression permissions', () => run([
    { name: 'guest creating (needs user)', who: 'guest', method: 'POST', path: '/v1/exprs', body: {}, status: 403, code: DENIED },
    { name: 'guest reading (user | guest)', who: 'guest', method: 'GET', path: '/v1/exprs/:alice', status: 200 },
    { name: 'guest listing (user | self reduces to never)', who: 'guest', method: 'GET', path: '/v1/exprs', status: 403, code: DENIED },
    { name: 'user listing (always)', who: 'alice', method: 'GET', path: '/v1/exprs', status: 200, expect: count(2) },
    { name: 'user creating', who: 'alice', method: 'POST', path: '/v1/exprs', body: { title: 'n' }, status: 201 },
    { name: 'self updating own', who: 'alice', method: 'PATCH', path: '/v1/exprs/:alice', body: { title: 'z' }, status: 200 },
    { name: 'self updating other', who: 'alice', method: 'PATCH', path: '/v1/exprs/:bob', body: { title: 'z' }, status: 403, code: DENIED },
    { name: 'admin bypasses expressions', who: 'admin', method: 'DELETE', path: '/v1/exprs/:bob', status: 200 },
  ]))

  describe('column permissions', () => run([
    { name: 'guest reading loses email and internalNotes', who: 'guest', method: 'GET', path: '/v1/cols/:alice', status: 200, expect: (b) => expect(b).to.not.have.any.keys('email', 'internalNotes') },
    { name: 'user listing sees email but not internalNotes', who: 'bob', method: 'GET', path: '/v1/cols', status: 200, expect: (b) => { expect(b.items[0]).to.have.property('email'); expect(b.items[0]).to.not.have.property('internalNotes') } },
    { name: 'admin sees every column', who: 'admin', method: 'GET', path: '/v1/cols/:alice', status: 200, expect: (b) => expect(b).to.include.keys('email', 'internalNotes') },
    { name: 'self writing own email', who: 'alice', method: 'PATCH', path: '/v1/cols/:alice', body: { email: 'new@x' }, status: 200, expect: (b) => expect(b.email).to.equal('new@x') },
    { name: "user writing another user's email", who: 'alice', method: 'PATCH', path: '/v1/cols/:bob', body: { email: 'x@x' }, status: 403, code: DENIED },
    { name: 'user writing internalNotes', who: 'alice', method: 'POST', path: '/v1/cols', body: { internalNotes: 'x' }, status: 403, code: DENIED },
    { name: 'user creating with own email (self on create)', who: 'alice', method: 'POST', path: '/v1/cols', body: { email: 'a@x', title: 't' }, status: 201, expect: (b) => expect(b).to.not.have.property('internalNotes') },
  ]))

  describe('row filters', () => run([
    { name: 'user lists published rows and own drafts', who: 'alice', method: 'GET', path: '/v1/rows', status: 200, expect: count(2) },
    { name: 'another user lists published rows and own', who: 'bob', method: 'GET', path: '/v1/rows', status: 200, expect: (b) => expect(b.items.map((r: any) => r.title)).to.deep.equal(['b']) },
    { name: 'guest matches no entry: empty list', who: 'guest', method: 'GET', path: '/v1/rows', status: 200, expect: (b) => expect(b.pagination.total).to.equal(0) },
    { name: 'row filters AND the caller filters', who: 'alice', method: 'GET', path: `/v1/rows?andFilters=${q({ status: 'draft' })}`, status: 200, expect: count(1) },
    { name: 'admin bypasses row filters', who: 'admin', method: 'GET', path: '/v1/rows', status: 200, expect: count(2) },
  ]))

  describe('system tables', () => run([
    { name: 'admin lists built-in users', who: 'admin', method: 'GET', path: '/v1/data/users', status: 200 },
    { name: 'admin reads the users spec', who: 'admin', method: 'GET', path: '/v1/data/users/spec', status: 200, expect: (b) => expect(b.tableName).to.equal('users') },
    { name: 'admin writing a built-in table', who: 'admin', method: 'POST', path: '/v1/data/accounts', body: {}, status: 403, code: SYSTEM },
    { name: 'user listing sessions', who: 'alice', method: 'GET', path: '/v1/data/sessions', status: 403, code: SYSTEM },
    { name: 'guest listing files', who: 'guest', method: 'GET', path: '/v1/data/files', status: 403, code: SYSTEM },
    { name: 'user reading an unconfigured _ table', who: 'alice', method: 'GET', path: '/v1/_audit', status: 403, code: SYSTEM },
    { name: 'admin writing an _ table', who: 'admin', method: 'PATCH', path: '/v1/_audit/:alice', body: { title: 'x' }, status: 200 },
    { name: 'user listing a configured _ table', who: 'alice', method: 'GET', path: '/v1/_shared', status: 200, expect: count(2) },
    { name: 'user creating in a configured _ table without create', who: 'alice', method: 'POST', path: '/v1/_shared', body: {}, status: 403, code: DENIED },
  ]))

  describe('API key scopes (§9)', () => {
    const keyWith = async (type: 'publishable' | 'secret', scopes: string[]) =>
      (await h.em.core.keys.create(h.actor, { projectId: h.em.seed.projectId, environment: 'dev', type, name: `k${Math.random()}`, scopes })).key as string
    it('a read-scoped secret key reads and lists but cannot delete, even as admin', async () => {
      const key = await keyWith('secret', ['defaults:read'])
      expect((await h.req('GET', `/v1/defaults/${ids.defaults?.alice}`, { key })).status).to.equal(200)
      expect((await h.req('GET', '/v1/defaults', { key })).status).to.equal(200)
      expect((await h.req('GET', '/v1/defaults/spec', { key })).status).to.equal(200)
      const res = await h.req('DELETE', `/v1/defaults/${ids.defaults?.bob}`, { key })
      expect(res.status).to.equal(403)
      expect(res.body.error).to.deep.equal({ code: 'data/scope-insufficient', message: 'API key scope does not include defaults:delete' })
    })
    it('a list scope does not grant read; other tables are out of scope', async () => {
      const key = await keyWith('secret', ['defaults:list'])
      expect((await h.req('GET', '/v1/defaults', { key })).status).to.equal(200)
      expect((await h.req('GET', `/v1/defaults/${ids.defaults?.alice}`, { key })).body.error.code).to.equal('data/scope-insufficient')
      expect((await h.req('GET', '/v1/example', { key })).body.error.code).to.equal('data/scope-insufficient')
    })
    it('wildcards grant across tables and operations; scopes come before RLS', async () => {
      const key = await keyWith('publishable', ['*:create'])
      expect((await h.req('POST', '/v1/defaults', { key, body: {} })).body.error.code).to.equal(DENIED)
      expect((await h.req('GET', '/v1/defaults', { key })).body.error.code).to.equal('data/scope-insufficient')
      const all = await keyWith('secret', ['defaults:*'])
      expect((await h.req('POST', '/v1/defaults', { key: all, body: {} })).status).to.equal(201)
    })
    it('scopes are checked before the table lookup', async () => {
      const key = await keyWith('secret', ['defaults:*'])
      expect((await h.req('GET', '/v1/nosuchtable', { key })).body.error.code).to.equal('data/scope-insufficient')
    })
  })

  it('a guest lacking permission gets 403, never 401; an invalid bearer JWT gets 401', async () => {
    expect((await h.req('POST', '/v1/private', { body: {} })).status).to.equal(403)
    expect((await h.req('GET', '/v1/defaults', { token: 'not.a.jwt' })).status).to.equal(401)
  })
})
