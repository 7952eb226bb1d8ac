import { expect } from 'chai'
import { DomainError } from '../../src/emulator/core/errors.js'
import { tenantPrincipal } from '../../src/emulator/core/principal.js'
import type { Actor } from '../../src/emulator/core/tenancy/model.js'
import { startHarness, stopHarness, type Harness } from './data-helpers.js'

async function rejects(promise: Promise<unknown> | (() => unknown), code?: string, kind?: string): Promise<DomainError> {
  let error: unknown
  try {
    await (typeof promise === 'function' ? promise() : promise)
  } catch (e) {
    error = e
  }
  expect(error, 'expected a DomainError').to.be.instanceOf(DomainError)
  if (code) expect((error as DomainError).code).to.equal(code)
  if (kind) expect((error as DomainError).kind).to.equal(kind)
  return error as DomainError
}

describe('data core: the Tables service (mcp.md §7, console-model.md §5)', () => {
  let h: Harness
  let create: (tableName: string, schema?: unknown) => ReturnType<Harness['em']['core']['tables']['create']>
  before(async () => {
    h = await startHarness()
    create = (tableName, schema = {}) => h.em.core.tables.create(h.actor, { projectId: h.em.seed.projectId, environment: 'dev', tableName, schema })
  })
  after(() => stopHarness(h))

  it('creates a table in the MCP Table shape with versions 1 and the _id_ index', async () => {
    const table = await create('articles', { title: { type: 'string', required: true }, slug: { type: 'string', unique: true } })
    expect(table).to.include({ tableName: 'articles', environment: 'dev', environmentId: h.em.seed.environment.id, projectId: h.em.seed.projectId, status: 'deployed', documentCount: 0, schemaVersion: 1, indexVersion: 1, permissions: null, rowFilters: null })
    expect(table).to.not.have.property('organizationId')
    expect(table.indexes).to.deep.equal([
      { name: '_id_', fields: { _id: 1 }, unique: true, sparse: false, system: true },
      { name: 'slug_unique', fields: { slug: 1 }, unique: true, sparse: false },
    ])
    expect(h.em.core.tables.schemaVersions(h.actor, table.id).items.map((v) => [v.version, v.source, v.isCurrent, v.createdBy])).to.deep.equal([[1, 'create', true, h.actor.tenantId]])
    expect(h.em.core.tables.indexVersions(h.actor, table.id).items[0]?.indexes.map((i) => i.name)).to.deep.equal(['_id_', 'slug_unique'])
  })

  const names: Array<[string, string, string]> = [
    ['user-profiles', 'ok', ''],
    ['order_items', 'ok', ''],
    ['_audit', 'ok', ''],
    ['_1x', 'ok', ''],
    ['1posts', 'data/validation-error', 'invalid'],
    ['_', 'data/validation-error', 'invalid'],
    ['__x', 'data/validation-error', 'invalid'],
    ['has space', 'data/validation-error', 'invalid'],
    ['a'.repeat(65), 'common/invalid-parameters', 'invalid'],
    ['Users', 'data/validation-error', 'invalid'],
    ['DATA', 'data/validation-error', 'invalid'],
    ['sessions', 'data/validation-error', 'invalid'],
    ['articles', 'data/table-exists', 'conflict'],
  ]
  for (const [name, code, kind] of names) {
    it(`table name ${JSON.stringify(name.slice(0, 20))} → ${code}`, async () => {
      if (code === 'ok') expect((await create(name)).tableName).to.equal(name)
      else await rejects(create(name), code, kind)
    })
  }

  it('allows the same name with another case (names are case-sensitive)', async () => {
    expect((await create('Articles')).tableName).to.equal('Articles')
  })

  it('hides tables of other organizations and unknown ids', async () => {
    const table = await create('secret_stuff')
    const other = await h.em.core.orgs.create(h.actor.tenantId, { name: 'Other' })
    const stranger: Actor = { tenantId: h.actor.tenantId, organizationId: other.id }
    await rejects(() => h.em.core.tables.get(stranger, table.id), 'data/table-not-found', 'not-found')
    expect(h.em.core.tables.list(stranger)).to.deep.equal([])
    await rejects(() => h.em.core.tables.get(h.actor, '0123456789abcdef01234567'), 'data/table-not-found')
  })

  it('lists tables filtered by environment, and resolves them by name for REST, built-ins included', async () => {
    const listed = h.em.core.tables.list(h.actor, { projectId: h.em.seed.projectId, environment: 'dev' })
    expect(listed.map((t) => t.tableName)).to.include.members(['articles', 'user-profiles'])
    expect(h.em.core.tables.list(h.actor, { environment: 'prod' })).to.deep.equal([])
    expect(h.em.core.tables.resolve(h.em.seed.environment.id, 'users').tableName).to.equal('users')
    await rejects(() => h.em.core.tables.resolve(h.em.seed.environment.id, 'nope'), 'data/table-not-found')
  })

  it('updates display fields and validates permissions on save', async () => {
    const table = await create('perm_table')
    const updated = await h.em.core.tables.update(h.actor, table.id, {
      displayName: 'Perms',
      permissions: { user: { read: true } },
      expressionPermissions: { update: 'self | role:editor' },
      columnPermissions: { email: { read: 'admin' } },
      rowFilters: [{ expression: 'user', filter: { createdBy: '$userId' } }],
    })
    expect(updated).to.include({ displayName: 'Perms' })
    expect(updated.expressionPermissions).to.deep.equal({ update: 'self | role:editor' })
    await rejects(h.em.core.tables.update(h.actor, table.id, { expressionPermissions: { read: 'user &' } }), 'data/validation-error', 'invalid')
    await rejects(h.em.core.tables.update(h.actor, table.id, { schema: {} }), 'data/validation-error', 'invalid')
    await rejects(h.em.core.tables.update(h.actor, table.id, { tableName: 'renamed' }), 'data/validation-error', 'invalid')
    expect((await h.em.core.tables.update(h.actor, table.id, { permissions: null })).permissions).to.equal(null)
  })

  describe('fieldManage', () => {
    let id = ''
    before(async () => {
      id = (await create('fm', { title: { type: 'string', required: true }, body: { type: 'string' }, old: { type: 'string' } })).id
      const table = h.em.core.tables.resolve(h.em.seed.environment.id, 'fm')
      await h.em.core.records.create(table, tenantPrincipal(), { title: 't', old: 'gone', body: 'b' })
    })

    it('applies remove, addOrUpdate, requiredRemove, requiredAdd in order and bumps the schema version', async () => {
      const table = await h.em.core.tables.fieldManage(h.actor, id, {
        fieldsToRemove: ['old'],
        fieldsToAddOrUpdate: { body: { type: 'string', maxLength: 10 }, score: { type: 'number', required: true, default: 0 }, code: { type: 'string', unique: true } },
        requiredFieldsToRemove: ['title'],
        requiredFieldsToAdd: ['body'],
      })
      expect(table.schemaVersion).to.equal(2)
      expect(table.schema.required.sort()).to.deep.equal(['body', 'score'])
      expect(table.schema.properties).to.have.keys('title', 'body', 'score', 'code')
      expect(table.indexes.map((i) => i.name)).to.include('code_unique')
      const versions = h.em.core.tables.schemaVersions(h.actor, id).items
      expect(versions.map((v) => [v.version, v.source, v.isCurrent])).to.deep.equal([[2, 'field_manage', true], [1, 'create', false]])
    })

    it('a replacing definition with required: false makes the field optional', async () => {
      const table = await h.em.core.tables.fieldManage(h.actor, id, { fieldsToAddOrUpdate: { score: { type: 'number', required: false } } })
      expect(table.schema.required).to.deep.equal(['body'])
      expect(table.schemaVersion).to.equal(3)
      await h.em.core.tables.fieldManage(h.actor, id, { requiredFieldsToAdd: ['score'] })
    })

    it('removed fields disappear from every record', async () => {
      const res = await h.req('GET', '/v1/fm', { key: h.sk })
      expect(res.body.items[0]).to.not.have.property('old')
      expect(res.body.items[0]).to.include({ title: 't', body: 'b' })
    })

    const bad: Array<[string, unknown, string, string]> = [
      ['no operation', {}, 'data/validation-error', 'invalid'],
      ['removing an unknown field', { fieldsToRemove: ['ghost'] }, 'data/field-not-found', 'not-found'],
      ['removing a system field', { fieldsToRemove: ['createdAt'] }, 'data/validation-error', 'invalid'],
      ['declaring a reserved name', { fieldsToAddOrUpdate: { id: { type: 'string' } } }, 'data/validation-error', 'invalid'],
      ['a bad definition', { fieldsToAddOrUpdate: { x: { type: 'nope' } } }, 'data/validation-error', 'invalid'],
      ['requiring a field that does not exist', { requiredFieldsToAdd: ['ghost'] }, 'data/validation-error', 'invalid'],
      ['an invalid default', { fieldsToAddOrUpdate: { n: { type: 'number', default: 'x' } } }, 'data/validation-error', 'invalid'],
      ['an unknown key', { fields: {} }, 'data/validation-error', 'invalid'],
    ]
    for (const [name, body, code, kind] of bad) it(`rejects ${name}`, async () => rejects(h.em.core.tables.fieldManage(h.actor, id, body), code, kind))

    it('rolls back by copying an earlier schema into a new version', async () => {
      const table = await h.em.core.tables.rollbackSchema(h.actor, id, 1)
      expect(table.schemaVersion).to.equal(5)
      expect(table.schema.properties).to.have.keys('title', 'body', 'old')
      expect(h.em.core.tables.schemaVersions(h.actor, id).items[0]).to.include({ version: 5, source: 'rollback', isCurrent: true })
      expect(h.em.core.tables.schemaVersions(h.actor, id).items.filter((v) => v.isCurrent)).to.have.length(1)
      await rejects(h.em.core.tables.rollbackSchema(h.actor, id, 99), 'data/version-not-found', 'not-found')
    })
  })

  describe('indexManage', () => {
    let id = ''
    before(async () => {
      id = (await create('im', { email: { type: 'string' } })).id
      for (const email of ['a@x', 'a@x', 'b@x']) await h.req('POST', '/v1/im', { key: h.sk, body: { email } })
    })

    it('adds and replaces indexes by name, bumping the index version', async () => {
      let table = await h.em.core.tables.indexManage(h.actor, id, { indexesToAddOrUpdate: [{ name: 'email_1', fields: { email: 1 } }] })
      expect(table.indexVersion).to.equal(2)
      table = await h.em.core.tables.indexManage(h.actor, id, { indexesToAddOrUpdate: [{ name: 'email_1', fields: { email: -1, createdAt: 1 }, sparse: true }] })
      expect(table.indexes.find((i) => i.name === 'email_1')).to.deep.equal({ name: 'email_1', fields: { email: -1, createdAt: 1 }, unique: false, sparse: true })
      expect(h.em.core.tables.indexVersions(h.actor, id).items.map((v) => [v.version, v.source, v.isCurrent])).to.deep.equal([[3, 'index_manage', true], [2, 'index_manage', false], [1, 'create', false]])
    })

    it('refuses a unique index existing records violate, changing nothing', async () => {
      await rejects(h.em.core.tables.indexManage(h.actor, id, { indexesToAddOrUpdate: [{ name: 'email_u', fields: { email: 1 }, unique: true }] }), 'data/duplicate-value', 'conflict')
      expect(h.em.core.tables.get(h.actor, id).indexVersion).to.equal(3)
      expect((await h.req('POST', '/v1/im', { key: h.sk, body: { email: 'a@x' } })).status).to.equal(201)
    })

    it('enforces a new unique index once the data allows it', async () => {
      const partial = await h.em.core.tables.indexManage(h.actor, id, { indexesToAddOrUpdate: [{ name: 'tag_u', fields: { tag: 1 }, unique: true, sparse: true }] })
      expect(partial.indexes.map((i) => i.name)).to.include('tag_u')
      expect((await h.req('POST', '/v1/im', { key: h.sk, body: { tag: 't1' } })).status).to.equal(201)
      expect((await h.req('POST', '/v1/im', { key: h.sk, body: { tag: 't1' } })).status).to.equal(409)
    })

    it('removes indexes; the system index and unknown names are refused', async () => {
      const table = await h.em.core.tables.indexManage(h.actor, id, { indexesToRemove: ['tag_u'] })
      expect(table.indexes.map((i) => i.name)).to.not.include('tag_u')
      expect((await h.req('POST', '/v1/im', { key: h.sk, body: { tag: 't1' } })).status).to.equal(201)
      await rejects(h.em.core.tables.indexManage(h.actor, id, { indexesToRemove: ['_id_'] }), 'data/validation-error', 'invalid')
      await rejects(h.em.core.tables.indexManage(h.actor, id, { indexesToRemove: ['ghost'] }), 'data/index-not-found', 'not-found')
      await rejects(h.em.core.tables.indexManage(h.actor, id, { indexesToAddOrUpdate: [{ name: '_mine', fields: { a: 1 } }] }), 'data/validation-error', 'invalid')
      await rejects(h.em.core.tables.indexManage(h.actor, id, {}), 'data/validation-error', 'invalid')
    })

    it('caps a table at 64 indexes including _id_', async () => {
      const many = Array.from({ length: 63 }, (_, i) => ({ name: `i${i}`, fields: { [`f${i}`]: 1 } }))
      await rejects(h.em.core.tables.indexManage(h.actor, id, { indexesToAddOrUpdate: many }), 'data/validation-error', 'invalid')
    })
  })

  it('counts documents and deletes a table with its records', async () => {
    const table = await create('doomed')
    for (let i = 0; i < 3; i++) await h.req('POST', '/v1/doomed', { key: h.sk, body: { i } })
    expect(h.em.core.tables.get(h.actor, table.id).documentCount).to.equal(3)
    await h.em.core.tables.delete(h.actor, table.id)
    expect((await h.req('GET', '/v1/doomed', { key: h.sk })).body.error.code).to.equal('data/table-not-found')
    const again = await create('doomed')
    expect(again.documentCount).to.equal(0)
    expect((await h.req('GET', '/v1/doomed', { key: h.sk })).body.items).to.deep.equal([])
  })
})
