import { expect } from 'chai'
import { EmulatorControls } from '../../src/client/emulator-controls.js'
import { Management } from '../../src/client/management.js'
import { McpConnection } from '../../src/client/mcp-connection.js'
import { applyPlan, applyPlanAtomically } from '../../src/client/plan-apply.js'
import { measureImpact } from '../../src/client/plan-impact.js'
import { readProjectState } from '../../src/client/project-state.js'
import type { ProjectModel, TableModel } from '../../src/config/model.js'
import { plan } from '../../src/config/planner.js'
import { VERSION } from '../../src/emulator/version.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'

const model = (name: string, over: Partial<TableModel> = {}): TableModel => ({
  name,
  displayName: null,
  description: null,
  schema: { bsonType: 'object', required: [], properties: { title: { bsonType: 'string' }, score: { bsonType: 'int' } } },
  indexes: [],
  permissions: null,
  expressionPermissions: null,
  columnPermissions: null,
  rowFilters: null,
  ...over,
})

const project = (...tables: TableModel[]): ProjectModel => ({ tables: Object.fromEntries(tables.map((t) => [t.name, t])) })

/** The live tables as a model (settings left out: these tests are about tables). */
const live = async (management: Management): Promise<ProjectModel> => ({ tables: (await readProjectState(management)).model.tables })

const kinds = (steps: Array<{ kind: string; table?: string }>) => steps.map((s) => `${s.kind} ${s.table ?? ''}`.trim())

describe('client: applying a plan to a real emulator', function () {
  this.timeout(30_000)
  let emu: TestEmulator
  let connection: McpConnection
  let management: Management
  let controls: EmulatorControls

  beforeEach(async () => {
    emu = await startEmulator()
    const env = emu.ready.environments[0]!.name
    connection = await McpConnection.open({ kind: 'local', target: 'local', restUrl: emu.url, mcpUrl: emu.mcpUrl, project: emu.ready.projectId, env }, { method: 'emulator-tenant-token', token: emu.ready.tenantToken }, VERSION)
    management = new Management(connection)
    controls = new EmulatorControls(emu.url, emu.ready.tenantToken)
    // Live: posts with two records that share a title, so a unique index on title cannot be created.
    const first = await applyPlan(management, plan(project(model('posts')), project()))
    expect(first.failed).to.equal(null)
    const posts = await management.getTable('posts')
    for (const title of ['same', 'same', 'other']) await connection.call('backend_data_create', { tableId: posts.id, body: { title } })
  })

  afterEach(async () => {
    await controls.close()
    await connection.close()
    await emu.dispose()
  })

  const unique = { name: 'title_unique', fields: { title: 1 as const }, unique: true, sparse: false }
  const desired = project(model('aaa'), model('posts', { indexes: [unique], permissions: { guest: { read: true, list: true } } }), model('zzz'))

  it('remote style: applies in order, stops at the first failure, reports applied / failed / remaining, and a re-run resumes', async () => {
    const first = plan(desired, await live(management))
    expect(kinds(first.steps)).to.deep.equal(['table.create aaa', 'table.create zzz', 'index.add posts', 'permissions.set posts'])
    const report = await applyPlan(management, first)
    expect(kinds(report.applied)).to.deep.equal(['table.create aaa', 'table.create zzz'])
    expect(report.failed?.step.kind).to.equal('index.add')
    expect(report.failed?.error.code).to.equal('CONFLICT')
    expect(kinds(report.remaining)).to.deep.equal(['permissions.set posts'])
    expect((await management.listTables()).map((t) => t.tableName).sort()).to.deep.equal(['aaa', 'posts', 'zzz'])

    // Fix the data, push again: the plan made from live state now holds only what is left.
    const posts = await management.getTable('posts')
    const dup = (await connection.call<{ items: Array<{ id: string }> }>('backend_data_list', { tableId: posts.id, andFilters: { title: 'same' } })).items
    expect(dup).to.have.length(2)
    await connection.call('backend_data_delete', { tableId: posts.id, id: dup[0]!.id })
    const second = plan(desired, await live(management))
    expect(kinds(second.steps)).to.deep.equal(['index.add posts', 'permissions.set posts'])
    const resumed = await applyPlan(management, second)
    expect(resumed.failed).to.equal(null)
    expect(resumed.applied).to.have.length(2)
    expect(plan(desired, await live(management)).steps).to.deep.equal([])
  })

  it('a table.create carries indexes and permissions along', async () => {
    const tags = model('tags', { indexes: [{ name: 'score_1', fields: { score: -1 }, unique: false, sparse: true }], rowFilters: [{ expression: 'user', filter: { score: { $gt: 0 } } }], displayName: 'Tags' })
    const report = await applyPlan(management, plan(project(model('posts'), tags), await live(management)))
    expect(report.failed?.error.message).to.equal(undefined)
    const after = await live(management)
    expect(after.tables.tags).to.deep.equal(tags)
  })

  it('remote style: finds tables past the first page of backend_table_list (more than 100), as does Management', async () => {
    const many = Array.from({ length: 105 }, (_, i) => model(`t${String(i).padStart(3, '0')}`))
    expect((await applyPlanAtomically(management, controls, plan(project(model('posts'), ...many), await live(management)))).failed).to.equal(null)
    const last = { ...many[104]!, displayName: 'The last one' }
    const report = await applyPlan(management, plan(project(model('posts'), ...many.slice(0, 104), last), await live(management)))
    expect(report.failed?.error.message).to.equal(undefined)
    expect(kinds(report.applied)).to.deep.equal(['table.update t104'])
    expect((await management.getTable('t104')).displayName).to.equal('The last one')
  })

  it('a table dropped by someone else since the plan fails as a stale plan naming the table', async () => {
    const stale = plan(project(model('posts', { displayName: 'Posts' })), await live(management))
    await management.deleteTable('posts')
    const report = await applyPlan(management, stale)
    expect(report.failed?.error.code).to.equal('config/stale-plan')
    expect(report.failed?.error.message).to.contain('"posts"').and.contain('run the push again')
  })

  it('emulator: atomic, a failing step takes every earlier step back out', async () => {
    const before = await live(management)
    const report = await applyPlanAtomically(management, controls, plan(desired, before))
    expect(report.applied).to.deep.equal([])
    expect(report.failed?.step.kind).to.equal('index.add')
    expect(report.failed?.error.code).to.equal('CONFLICT')
    expect(report.failed?.error.message).to.contain('already share a value of title')
    expect(kinds(report.rolledBack)).to.deep.equal(['table.create aaa', 'table.create zzz'])
    expect(kinds(report.remaining)).to.deep.equal(['permissions.set posts'])
    expect(await live(management)).to.deep.equal(before)
    // The data service still works on the reverted state (its index maps were rebuilt).
    const posts = await management.getTable('posts')
    await connection.call('backend_data_create', { tableId: posts.id, body: { title: 'after' } })
    expect((await management.getTable('posts')).documentCount).to.equal(4)
  })

  it('emulator: atomic, every step applied when none fails', async () => {
    const ok = project(model('aaa'), model('posts', { permissions: { guest: { read: true } } }), model('zzz'))
    const report = await applyPlanAtomically(management, controls, plan(ok, await live(management)))
    expect(report.failed).to.equal(null)
    expect(report.applied).to.have.length(3)
    expect(plan(ok, await live(management)).steps).to.deep.equal([])
  })

  it('impact: records of a dropped table, holding a dropped field, lacking a newly required field, duplicates of a new unique index', async () => {
    const posts = model('posts', { schema: { bsonType: 'object', required: ['score'], properties: { score: { bsonType: 'int' } } }, indexes: [{ ...unique, name: 'score_unique', fields: { score: 1 } }] })
    await connection.call('backend_data_create', { tableId: (await management.getTable('posts')).id, body: { title: 'x', score: 1 } })
    await connection.call('backend_data_create', { tableId: (await management.getTable('posts')).id, body: { score: 1 } })
    const measured = await measureImpact(management, plan(project(posts), await live(management)))
    const byKind = Object.fromEntries(measured.steps.map((s) => [`${s.kind} ${'field' in s ? s.field : ''}`.trim(), s.impact]))
    expect(Object.keys(byKind)).to.deep.equal(['field.drop title', 'required.add score', 'index.add'])
    expect(byKind['field.drop title']).to.deep.include({ records: 4 })
    expect(byKind['field.drop title']?.summary).to.equal('4 records hold title; the values are deleted')
    expect(byKind['required.add score']).to.deep.include({ records: 3 })
    expect(byKind['index.add']).to.deep.include({ duplicateGroups: 2 })

    const dropped = await measureImpact(management, plan(project(), await live(management)))
    expect(dropped.steps).to.have.length(1)
    expect(dropped.steps[0]!.impact).to.deep.include({ records: 5, summary: '5 records deleted' })
  })
})
