import { expect } from 'chai'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startManagementHarness, type ManagementHarness } from './management-harness.js'

// Spawns the built CLI (npm run build first) against an in-process emulator found through --data-dir.
describe('cli: management commands over MCP (local target)', function () {
  this.timeout(60_000)
  let h: ManagementHarness
  before(async () => {
    h = await startManagementHarness()
  })
  after(async () => {
    await h.dispose()
  })

  it('orgs list / get: the seeded organization, by slug and by default', async () => {
    const list = await h.run(['orgs', 'list', '--json'])
    expect(list.code).to.equal(0)
    expect(list.json.organizations.map((o: { slug: string }) => o.slug)).to.deep.equal(['local'])
    const get = await h.run(['orgs', 'get', 'local', '--json'])
    expect(get.json).to.include({ id: h.emu.seed.organizationId, role: 'owner' })
    const current = await h.run(['orgs', 'get', '--json'])
    expect(current.json.id).to.equal(h.emu.seed.organizationId)
  })

  it('projects create / list / get / update / delete, with --yes required without a terminal', async () => {
    const created = await h.run(['projects', 'create', 'Shop Front', '--region', 'eu-west-1', '--description', 'a shop', '--json'])
    expect(created.code, created.stderr).to.equal(0)
    expect(created.json).to.include({ slug: 'shop-front', name: 'Shop Front', primaryRegion: 'eu-west-1' })
    expect(created.json.environments.map((e: { environment: string }) => e.environment)).to.deep.equal(['dev'])

    const list = await h.run(['projects', 'list', '--json'])
    expect(list.json.projects.map((p: { slug: string }) => p.slug)).to.have.members(['local', 'shop-front'])

    const updated = await h.run(['projects', 'update', 'shop-front', '--name', 'Shop', '--allowed-origin', 'http://localhost:3000', '--json'])
    expect(updated.json.name).to.equal('Shop')
    expect(updated.json.settings.allowedOrigins).to.deep.equal(['http://localhost:3000'])
    const got = await h.run(['projects', 'get', 'shop-front', '--json'])
    expect(got.json).to.include({ id: created.json.id, name: 'Shop' })

    const refused = await h.run(['projects', 'delete', 'shop-front'])
    expect(refused.code).to.equal(2)
    expect(refused.stderr).to.include('needs confirmation').and.include('Hint: pass --yes')
    const deleted = await h.run(['projects', 'delete', 'shop-front', '--yes', '--json'])
    expect(deleted.json.deleted).to.deep.equal({ id: created.json.id, slug: 'shop-front', name: 'Shop' })
    const gone = await h.run(['projects', 'get', 'shop-front', '--json'])
    expect(gone.code).to.equal(1)
    expect(gone.errorJson.error).to.include({ code: 'common/project-not-found' })
    expect(gone.errorJson.error.hint).to.include('bkend projects list')
    expect(gone.stdout).to.equal('')
  })

  it('tables list reads every page of the tool, not only its first 100 tables', async () => {
    await h.run(['envs', 'create', 'wide', '--json'])
    for (let i = 0; i < 105; i++) {
      await h.emu.core.tables.create(h.emu.actor, { projectId: h.emu.seed.projectId, environment: 'wide', tableName: `t${String(i).padStart(3, '0')}`, schema: {} })
    }
    const list = await h.run(['tables', 'list', '--env', 'wide', '--json'])
    expect(list.code, list.stderr).to.equal(0)
    const names = (list.json.tables as Array<{ tableName: string }>).map((t) => t.tableName)
    expect(names).to.have.length(105)
    expect(names).to.include.members(['t000', 't099', 't104'])
    await h.run(['envs', 'delete', 'wide', '--yes', '--json'])
  })

  it('envs create / list / get / delete by name; an unknown env names the ones that exist', async () => {
    const created = await h.run(['envs', 'create', 'staging', '--json'])
    expect(created.json).to.include({ environment: 'staging', environmentType: 'staging', projectId: h.emu.seed.projectId })
    const list = await h.run(['envs', 'list', '--json'])
    expect(list.json.environments.map((e: { environment: string }) => e.environment)).to.deep.equal(['dev', 'staging'])
    const got = await h.run(['envs', 'get', '--env', 'staging', '--json'])
    expect(got.json.id).to.equal(created.json.id)
    const duplicate = await h.run(['envs', 'create', 'staging'])
    expect(duplicate.code).to.equal(1)
    expect(duplicate.stderr).to.match(/^Error: .+/m).and.include('Hint: the name is taken')

    const deleted = await h.run(['envs', 'delete', 'staging', '--yes', '--json'])
    expect(deleted.json.deleted).to.include({ id: created.json.id, environment: 'staging' })
    const unknown = await h.run(['tables', 'list', '--env', 'staging'])
    expect(unknown.code).to.equal(1)
    expect(unknown.stderr).to.include('Hint: pass --env with one of: dev')
  })

  it('tables create / list / get / update by name, fields and indexes, versions', async () => {
    const created = await h.run(['tables', 'create', 'posts', '--field', 'title:string!', '--field', 'views:number', '--description', 'blog', '--json'])
    expect(created.code, created.stderr).to.equal(0)
    expect(created.json.schema.required).to.deep.equal(['title'])
    expect(created.json.schema.properties.views.bsonType).to.equal('double')

    const list = await h.run(['tables', 'list', '--env', 'dev', '--json'])
    expect(list.json).to.include({ environment: 'dev' })
    expect(list.json.tables.map((t: { tableName: string }) => t.tableName)).to.include('posts')
    const updated = await h.run(['tables', 'update', 'posts', '--display-name', 'Posts', '--json'])
    expect(updated.json.displayName).to.equal('Posts')

    const field = await h.run(['tables', 'fields', 'add', 'posts', 'status', '--type', 'string', '--enum', 'draft', '--enum', 'live', '--default', 'draft', '--required', '--json'])
    expect(field.json.schema.properties.status).to.deep.include({ bsonType: 'string', enum: ['draft', 'live'], default: 'draft' })
    expect(field.json.schema.required).to.have.members(['title', 'status'])
    expect(field.json.schemaVersion).to.equal(2)

    const index = await h.run(['tables', 'indexes', 'add', 'posts', 'by_status', '--field', 'status', '--field', 'views:-1', '--json'])
    expect(index.json.indexes.find((i: { name: string }) => i.name === 'by_status')).to.deep.include({ fields: { status: 1, views: -1 } })

    const removeField = await h.run(['tables', 'fields', 'remove', 'posts', 'views', '--yes', '--json'])
    expect(removeField.json.schema.properties).to.not.have.property('views')
    const removeIndex = await h.run(['tables', 'indexes', 'remove', 'posts', 'by_status', '--yes', '--json'])
    expect(removeIndex.json.indexes.map((i: { name: string }) => i.name)).to.deep.equal(['_id_'])

    const versions = await h.run(['tables', 'versions', 'posts', '--json'])
    expect(versions.json.versions.map((v: { version: number }) => v.version)).to.deep.equal([3, 2, 1])
    const indexVersions = await h.run(['tables', 'versions', 'posts', '--kind', 'index', '--json'])
    expect(indexVersions.json.versions[0]).to.include({ version: 3, isCurrent: true, source: 'index_manage' })

    const got = await h.run(['tables', 'get', 'posts', '--json'])
    expect(got.json).to.include({ tableName: 'posts', schemaVersion: 3, indexVersion: 3 })
  })

  it('tables create --schema takes a JSON file with a field map; a bad one is a usage error', async () => {
    const file = join(h.dir, 'tags.schema.json')
    await writeFile(file, JSON.stringify({ label: { type: 'string', required: true, maxLength: 30 }, code: { type: 'string', unique: true } }))
    const created = await h.run(['tables', 'create', 'tags', '--schema', file, '--json'])
    expect(created.code, created.stderr).to.equal(0)
    expect(created.json.schema.properties.label).to.include({ bsonType: 'string', maxLength: 30 })
    expect(created.json.indexes.map((i: { name: string }) => i.name)).to.include('code_unique')
    const bad = await h.run(['tables', 'create', 'tags2', '--schema', '{not json'])
    expect(bad.code).to.equal(2)
    expect(bad.stderr).to.match(/^Error: the JSON given is not valid JSON/)
    const badType = await h.run(['tables', 'create', 'tags3', '--field', 'x:uuid'])
    expect(badType.code).to.equal(2)
    expect(badType.stderr).to.include('unknown type "uuid"')
  })

  it('tables permissions set (flags, file, defaults) warns about groups left out; get reads them back', async () => {
    const set = await h.run(['tables', 'permissions', 'set', 'posts', '--allow', 'user=create,read,list', '--allow', 'guest=read', '--json'])
    expect(set.code, set.stderr).to.equal(0)
    expect(set.json.missingGroups).to.deep.equal(['self'])
    expect(set.stderr).to.include('Warning: permissions are replaced as a whole: self is not given')
    const got = await h.run(['tables', 'permissions', 'get', 'posts', '--json'])
    expect(got.json.permissions.user).to.deep.equal({ create: true, read: true, update: false, delete: false, list: true })
    expect(got.json.permissions.guest.read).to.equal(true)

    const file = join(h.dir, 'perms.json')
    await writeFile(file, JSON.stringify({ user: { read: true }, guest: {}, self: { read: true, update: true } }))
    const fromFile = await h.run(['tables', 'permissions', 'set', 'posts', '--file', file, '--json'])
    expect(fromFile.json.missingGroups).to.deep.equal([])
    expect(fromFile.stderr).to.not.include('Warning')
    const cleared = await h.run(['tables', 'permissions', 'set', 'posts', '--defaults', '--yes', '--json'])
    expect(cleared.json.permissions).to.equal(null)
    const bad = await h.run(['tables', 'permissions', 'set', 'posts', '--allow', 'robots=read'])
    expect(bad.code).to.equal(2)
    expect(bad.stderr).to.include('--allow robots=read')
  })

  it('tables get of an unknown table and delete without --yes fail with hints; delete --yes removes it', async () => {
    const unknown = await h.run(['tables', 'get', 'nope', '--env', 'dev'])
    expect(unknown.code).to.equal(1)
    expect(unknown.stderr).to.equal(`Error: no table "nope" in environment "dev"\nHint: check the name with 'bkend tables list --env dev', or create it with 'bkend tables create'\n`)
    const refused = await h.run(['tables', 'delete', 'posts'])
    expect(refused.code).to.equal(2)
    const deleted = await h.run(['tables', 'delete', 'posts', '--yes', '--json'])
    expect(deleted.json.deleted).to.include({ tableName: 'posts', environment: 'dev' })
  })

  it('a missing table is data/table-not-found from management and runtime commands alike, with one hint', async () => {
    const byManagement = await h.run(['tables', 'get', 'ghost', '--json'])
    const byRuntime = await h.run(['data', 'list', 'ghost', '--json'])
    for (const out of [byManagement, byRuntime]) {
      expect(out.code).to.equal(1)
      expect(out.stdout).to.equal('')
      expect(out.errorJson.error).to.include({ code: 'data/table-not-found', hint: "check the name with 'bkend tables list --env dev', or create it with 'bkend tables create'" })
    }
    // an id goes to the tool as is: its NOT_FOUND becomes the spec code for the thing the id names
    const byId = await h.run(['tables', 'get', 'f'.repeat(24), '--json'])
    expect(byId.errorJson.error).to.include({ code: 'data/table-not-found' })
    const projectById = await h.run(['projects', 'get', 'f'.repeat(24), '--json'])
    expect(projectById.errorJson.error).to.include({ code: 'common/project-not-found', hint: "list what exists with 'bkend projects list'" })
    const envGone = await h.run(['tables', 'list', '--env', 'nowhere', '--json'])
    expect(envGone.errorJson.error).to.include({ code: 'data/environment-not-found', hint: 'pass --env with one of: dev' })
  })

  it('keys create (publishable, secret with a one-time warning and --save), list, revoke by name', async () => {
    const pk = await h.run(['keys', 'create', 'web', '--json'])
    expect(pk.json).to.include({ name: 'web', type: 'publishable', saved: false })
    expect(pk.json.key).to.match(/^pk_[0-9a-f]{64}$/)
    expect(pk.stderr).to.equal('')

    const sk = await h.run(['keys', 'create', 'ci', '--type', 'secret', '--scope', 'posts:read', '--save', '--json'])
    expect(sk.json).to.include({ type: 'secret', saved: true })
    expect(sk.json.key).to.match(/^sk_[0-9a-f]{64}$/)
    expect(sk.json.scopes).to.deep.equal(['posts:read'])
    expect(sk.stderr).to.match(/^Warning: .*only/)

    const list = await h.run(['keys', 'list', '--json'])
    const listed = list.json.keys.find((k: { id: string }) => k.id === sk.json.id)
    expect(listed).to.not.have.property('key')
    expect(listed.maskedKey).to.match(/^sk_[0-9a-f]{8}…[0-9a-f]{4}$/)

    const plain = await h.run(['keys', 'list'])
    expect(plain.stdout).to.not.include(sk.json.key)

    const revoked = await h.run(['keys', 'revoke', 'ci', '--yes', '--json'])
    expect(revoked.json).to.include({ id: sk.json.id, status: 'revoked' })
    const again = await h.run(['keys', 'revoke', 'ci', '--yes'])
    expect(again.code).to.equal(1)
    expect(again.stderr).to.include('Hint: list what exists with')
  })

  it('plain (piped) output is an aligned table with the terminal table’s headers', async () => {
    const plain = await h.run(['envs', 'list'])
    const lines = plain.stdout.trimEnd().split('\n')
    expect(lines[0]).to.match(/^Name\s+Type\s+Status\s+Id\s+Created$/)
    expect(lines[1]).to.match(/^dev\s+dev\s+active\s+[0-9a-f]{24}\s+\S+Z$/)
    expect(lines[0]!.indexOf('Type')).to.equal(lines[1]!.indexOf('dev', 3))
  })
})
