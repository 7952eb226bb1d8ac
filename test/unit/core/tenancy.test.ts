import { expect } from 'chai'
import type { DomainError } from '../../../src/emulator/core/errors.js'
import { newId, isId } from '../../../src/emulator/core/ids.js'
import { roleAllows } from '../../../src/emulator/core/tenancy/roles.js'
import { C } from '../../../src/emulator/core/tenancy/model.js'
import { startEmulator, type TestEmulator } from '../../helpers/emulator.js'

const fails = async (promise: Promise<unknown> | (() => unknown)) => {
  try {
    await (typeof promise === 'function' ? promise() : promise)
  } catch (error) {
    return error as DomainError
  }
  throw new Error('expected a failure')
}

describe('core: ids', () => {
  it('are 24 lowercase hex and sort by creation time', () => {
    const ids = [newId(1_700_000_000_000), newId(1_700_000_000_000), newId(1_700_000_001_000)]
    for (const id of ids) expect(isId(id)).to.equal(true)
    expect([...ids].sort()).to.deep.equal(ids)
    expect(ids[0]!.slice(0, 8)).to.equal((1_700_000_000).toString(16))
    expect(isId('65A4F0C2E4B0A1B2C3D4E5F6')).to.equal(false)
  })
})

describe('core: organization roles', () => {
  const cases: Array<[string, 'owner' | 'admin' | 'member' | 'billing', boolean]> = [
    ['project:create', 'owner', true],
    ['project:create', 'admin', true],
    ['project:create', 'member', false],
    ['project:delete', 'member', false],
    ['project:update', 'member', true],
    ['table:manage', 'member', true],
    ['table:manage', 'billing', false],
    ['organization:read', 'billing', true],
    ['project:read', 'billing', false],
    ['organization:delete', 'admin', false],
    ['billing', 'billing', true],
  ]
  for (const [capability, role, allowed] of cases) {
    it(`${role} ${allowed ? 'may' : 'may not'} ${capability}`, () => {
      expect(roleAllows(role, capability as Parameters<typeof roleAllows>[1])).to.equal(allowed)
    })
  }
})

describe('core: tenancy', () => {
  let emu: TestEmulator
  beforeEach(async () => (emu = await startEmulator()))
  afterEach(() => emu.dispose())

  const projectInput = (slug: string) => ({ organizationId: emu.actor.organizationId, slug, name: slug, primaryCloud: 'gcp', primaryRegion: 'asia-northeast3' })

  it('seeds the local tenant, organization, project and dev environment', () => {
    const orgs = emu.core.orgs.list(emu.actor.tenantId)
    expect(orgs.map((o) => [o.slug, o.role])).to.deep.equal([['local', 'owner']])
    const project = emu.core.projects.get(emu.actor, emu.seed.projectId)
    expect(project).to.include({ slug: 'local', primaryCloud: 'aws', primaryRegion: 'local', status: 'active', environmentCount: 1 })
    expect(project.environments.map((e) => [e.environment, e.environmentType, e.status])).to.deep.equal([['dev', 'dev', 'active']])
  })

  it('creates a project with its dev environment at once and keeps slugs unique per organization', async () => {
    const project = await emu.core.projects.create(emu.actor, projectInput('my-app'))
    expect(project.environments).to.have.length(1)
    expect(project.environments[0]).to.include({ environment: 'dev', cloud: 'gcp', region: 'asia-northeast3' })
    expect(emu.core.envs.database(project.environments[0]!.id)).to.not.equal(undefined)
    expect((await fails(emu.core.projects.create(emu.actor, projectInput('my-app')))).kind).to.equal('conflict')
    expect((await fails(emu.core.projects.create(emu.actor, projectInput('Bad Slug')))).kind).to.equal('invalid')
    expect((await fails(emu.core.projects.create(emu.actor, { ...projectInput('x'), organizationId: newId() }))).kind).to.equal('forbidden')
  })

  it('merges settings on update, validates allowed origins, and keeps cloud and region immutable', async () => {
    const p = await emu.core.projects.create(emu.actor, projectInput('web'))
    const updated = await emu.core.projects.update(emu.actor, p.id, { settings: { allowedOrigins: ['http://localhost:3000'], theme: 'dark' } })
    expect(updated.settings).to.deep.equal({ allowedOrigins: ['http://localhost:3000'], theme: 'dark' })
    const again = await emu.core.projects.update(emu.actor, p.id, { settings: { theme: 'light' }, slug: 'web-2' })
    expect(again.settings).to.deep.equal({ allowedOrigins: ['http://localhost:3000'], theme: 'light' })
    expect(again.slug).to.equal('web-2')
    expect((await fails(emu.core.projects.update(emu.actor, p.id, { settings: { allowedOrigins: ['*'] } }))).message).to.match(/wildcard/)
    expect((await fails(emu.core.projects.update(emu.actor, p.id, { settings: { allowedOrigins: ['a.com'] } }))).message).to.match(/absolute/)
    expect((await fails(emu.core.projects.update(emu.actor, p.id, { settings: { allowedOrigins: ['http://a.io', 'http://b.io', 'http://c.io', 'http://d.io'] } }))).message).to.match(/at most 3/)
    expect((await fails(emu.core.projects.update(emu.actor, p.id, { primaryRegion: 'x' }))).message).to.match(/cannot be changed/)
  })

  it('creates environments with unique names and types, each with its own database', async () => {
    const p = await emu.core.projects.create(emu.actor, projectInput('api'))
    const doc = emu.core.projects.doc(p.id)!
    const prod = await emu.core.envs.create(emu.actor, { environment: 'prod', environmentType: 'prod' }, doc)
    expect(prod).to.include({ environment: 'prod', environmentType: 'prod', projectId: p.id })
    expect((await fails(emu.core.envs.create(emu.actor, { environment: 'prod', environmentType: 'prod' }, doc))).kind).to.equal('conflict')
    expect((await fails(emu.core.envs.create(emu.actor, { environment: 'Prod!', environmentType: 'prod' }, doc))).kind).to.equal('invalid')
    expect((await fails(emu.core.envs.create(emu.actor, { environment: 'qa', environmentType: 'test' }, doc))).kind).to.equal('invalid')
    expect(emu.core.envs.database(prod.id)).to.not.equal(emu.core.envs.database(p.environments[0]!.id))
  })

  it('deleting a project cascades to environments, their databases and keys, also across a restart', async () => {
    const p = await emu.core.projects.create(emu.actor, projectInput('gone'))
    const envId = p.environments[0]!.id
    await emu.core.keys.create(emu.actor, { projectId: p.id, environment: 'dev', type: 'secret', name: 'k' })
    await emu.core.projects.delete(emu.actor, p.id)
    expect(emu.core.envs.database(envId)).to.equal(undefined)
    expect([...emu.core.store.control.collection(C.apiKeys).values()].filter((k) => k.projectId === p.id)).to.deep.equal([])
    expect((await fails(() => emu.core.projects.get(emu.actor, p.id))).code).to.equal('common/project-not-found')
    await emu.stop()
    const again = await startEmulator({ dataDir: emu.dataDir })
    expect(again.core.store.databaseNames()).to.not.include(`env-${envId}`)
    expect(again.core.projects.list(again.actor).map((x) => x.slug)).to.deep.equal(['local'])
    await again.stop()
  })

  it('scopes every lookup to the actor organization', async () => {
    const other = await emu.core.orgs.create(emu.actor.tenantId, { name: 'Other Co' })
    expect(other.slug).to.equal('other-co')
    const otherActor = { tenantId: emu.actor.tenantId, organizationId: other.id }
    expect((await fails(() => emu.core.projects.get(otherActor, emu.seed.projectId))).kind).to.equal('not-found')
    expect((await fails(() => emu.core.envs.get(otherActor, emu.seed.environment.id))).kind).to.equal('not-found')
    expect(emu.core.keys.list(otherActor)).to.deep.equal([])
    const stranger = { tenantId: newId(), organizationId: emu.actor.organizationId }
    expect((await fails(() => emu.core.projects.list(stranger))).kind).to.equal('forbidden')
  })
})

describe('core: project deletion and project settings', () => {
  let emu: TestEmulator
  beforeEach(async () => (emu = await startEmulator()))
  afterEach(() => emu.dispose())

  it('removes the project auth and e-mail settings with the project', async () => {
    const p = await emu.core.projects.create(emu.actor, { organizationId: emu.actor.organizationId, slug: 'styled', name: 'Styled', primaryCloud: 'aws', primaryRegion: 'local' })
    await emu.core.projectSettings.auth.update(emu.actor, p.id, { magicLinkEnabled: false })
    await emu.core.projectSettings.email.updateSettings(emu.actor, p.id, { senderName: 'Styled' })
    const control = emu.core.store.control
    expect(control.collection('projectAuthConfigs').has(p.id)).to.equal(true)
    expect(control.collection('projectEmailSettings').has(p.id)).to.equal(true)
    await emu.core.projects.delete(emu.actor, p.id)
    expect(control.collection('projectAuthConfigs').has(p.id)).to.equal(false)
    expect(control.collection('projectEmailSettings').has(p.id)).to.equal(false)
  })
})
