import { Config } from '@oclif/core'
import { expect } from 'chai'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startManagementHarness, type ManagementHarness } from './management-harness.js'

/** What two copies of a table share: everything but identity, place, history and contents. */
function copyable(table: Record<string, unknown>): Record<string, unknown> {
  const { id: _id, projectId: _p, environmentId: _e, environment: _env, tableName: _n, createdAt: _c, updatedAt: _u, documentCount: _d, schemaVersion: _s, indexVersion: _i, ...rest } = table
  return rest
}

// Spawns the built CLI (npm run build first) against an in-process emulator found through --data-dir.
describe('cli: positional arguments around repeatable flags, and tables create --schema from tables get --json', function () {
  this.timeout(90_000)
  let h: ManagementHarness
  before(async () => {
    h = await startManagementHarness()
    expect((await h.run(['envs', 'create', 'staging'])).code).to.equal(0)
  })
  after(async () => {
    await h.dispose()
  })

  it('every repeatable flag of every command takes one value each time, so it cannot swallow an argument', async () => {
    const config = await Config.load(fileURLToPath(new URL('../..', import.meta.url)))
    const repeatable: string[] = []
    for (const command of config.commands) {
      const loaded = await command.load()
      for (const [name, flag] of Object.entries({ ...loaded.baseFlags, ...loaded.flags })) {
        if (flag.type !== 'option' || !flag.multiple) continue
        repeatable.push(`${command.id} --${name}`)
        expect(flag.multipleNonGreedy, `${command.id} --${name}`).to.equal(true)
      }
    }
    expect(repeatable).to.include.members(['tables:create --field', 'tables:indexes:add --field', 'tables:fields:add --enum', 'tables:permissions:set --allow', 'keys:create --scope', 'projects:update --allowed-origin', 'auth:providers:set --scope'])
  })

  it('tables create takes the table name before, between or after repeated or comma-separated --field values', async () => {
    const forms: { table: string; args: string[]; fields: string[] }[] = [
      { table: 'after_one', args: ['--field', 'a:string', 'after_one'], fields: ['a'] },
      { table: 'after_two', args: ['--field', 'a:string', '--field', 'b:number', 'after_two'], fields: ['a', 'b'] },
      { table: 'between', args: ['--field', 'a:string', 'between', '--field', 'b:number'], fields: ['a', 'b'] },
      { table: 'commas', args: ['commas', '--field', 'a:string,b:number'], fields: ['a', 'b'] },
      { table: 'commas_after', args: ['--field', 'a:string,b:number!', 'commas_after'], fields: ['a', 'b'] },
    ]
    expect(forms).to.have.length(5)
    for (const form of forms) {
      const run = await h.run(['tables', 'create', ...form.args, '--json'])
      expect(run.code, `${form.table}: ${run.stderr}`).to.equal(0)
      expect(run.json.tableName).to.equal(form.table)
      expect(Object.keys(run.json.schema.properties), form.table).to.deep.equal(form.fields)
    }
    const required = await h.run(['tables', 'get', 'commas_after', '--json'])
    expect(required.json.schema.required).to.deep.equal(['b'])
  })

  it('the other commands with repeatable flags take their arguments after the flag values too', async () => {
    const index = await h.run(['tables', 'indexes', 'add', '--field', 'a', '--field', 'b:-1', 'after_two', 'by_ab', '--json'])
    expect(index.code, index.stderr).to.equal(0)
    expect(index.json.indexes.find((i: { name: string }) => i.name === 'by_ab').fields).to.deep.equal({ a: 1, b: -1 })
    const commas = await h.run(['tables', 'indexes', 'add', '--field', 'b:-1,a', 'after_two', 'by_ba', '--json'])
    expect(Object.entries(commas.json.indexes.find((i: { name: string }) => i.name === 'by_ba').fields)).to.deep.equal([['b', -1], ['a', 1]])

    const field = await h.run(['tables', 'fields', 'add', '--enum', 'draft', '--enum', 'live', 'after_two', 'status', '--json'])
    expect(field.code, field.stderr).to.equal(0)
    expect(field.json.schema.properties.status.enum).to.deep.equal(['draft', 'live'])

    const permissions = await h.run(['tables', 'permissions', 'set', '--allow', 'user=read,list', '--allow', 'guest=read', 'after_two', '--json'])
    expect(permissions.code, permissions.stderr).to.equal(0)
    expect(permissions.json.table).to.equal('after_two')
    expect(permissions.json.permissions.guest).to.include({ read: true, list: false })

    const key = await h.run(['keys', 'create', '--scope', 'posts:read,posts:list', '--scope', '*:read', 'reader', '--json'])
    expect(key.code, key.stderr).to.equal(0)
    expect(key.json).to.include({ name: 'reader' })
    expect(key.json.scopes).to.deep.equal(['posts:read', 'posts:list', '*:read'])

    const project = await h.run(['projects', 'update', '--allowed-origin', 'http://localhost:3000', 'local', '--json'])
    expect(project.code, project.stderr).to.equal(0)
    expect(project.json.settings.allowedOrigins).to.deep.equal(['http://localhost:3000'])

    const provider = await h.run(['auth', 'providers', 'set', '--scope', 'user:email', '--scope', 'read:user', 'github', '--client-id', 'abc', '--json'])
    expect(provider.code, provider.stderr).to.equal(0)
    expect(provider.json).to.include({ provider: 'github', clientId: 'abc' })
    expect(provider.json.scopes).to.deep.equal(['user:email', 'read:user'])
  })

  it('a value left after a flag value, or a missing argument, is a usage error that says how to write the command', async () => {
    const extra = await h.run(['tables', 'create', 'leftover', '--field', 'a', 'b'])
    expect(extra.code).to.equal(2)
    expect(extra.stderr).to.equal('Error: unexpected argument "b"\nHint: --field takes one value each time: repeat it (--field a --field b) or separate the values with commas (--field a,b); usage: bkend tables create [<table>] [flags]; quote a value that contains spaces\n')
    const listed = await h.run(['tables', 'list', '--json'])
    expect(listed.json.tables.map((t: { tableName: string }) => t.tableName)).to.not.include('leftover')

    const enums = await h.run(['tables', 'fields', 'add', 'after_two', 'mood', '--enum', 'calm', 'angry', '--json'])
    expect(enums.code).to.equal(2)
    expect(enums.errorJson.error).to.deep.equal({ code: 'cli/usage', message: 'unexpected argument "angry"', hint: '--enum takes one value each time: repeat it (--enum a --enum b); usage: bkend tables fields add <table> <field> [flags]; quote a value that contains spaces' })
    expect(enums.stdout).to.equal('')

    const missing = await h.run(['tables', 'indexes', 'add', '--field', 'a'])
    expect(missing.code).to.equal(2)
    expect(missing.stderr).to.equal('Error: missing the <table> and <name> arguments\nHint: usage: bkend tables indexes add <table> <name> [flags]; arguments may come before or after the flags\n')

    const unnamed = await h.run(['tables', 'create', '--field', 'a:string'])
    expect(unnamed.code).to.equal(2)
    expect(unnamed.stderr).to.include('Error: no table name given\nHint: pass it as the argument (bkend tables create posts --field title:string)')
  })

  it('what tables get --json writes, tables create --schema reads: a faithful copy in another environment', async () => {
    const made = await h.run(['tables', 'create', 'products', '--field', 'title:string!', '--field', 'price:number', '--display-name', 'Products', '--description', 'what we sell', '--json'])
    expect(made.code, made.stderr).to.equal(0)
    expect((await h.run(['tables', 'fields', 'add', 'products', 'sku', '--type', 'string', '--max-length', '12'])).code).to.equal(0)
    expect((await h.run(['tables', 'indexes', 'add', 'products', 'by_price', '--field', 'price:-1', '--field', 'title'])).code).to.equal(0)
    expect((await h.run(['tables', 'indexes', 'add', 'products', 'sku_unique', '--field', 'sku', '--unique', '--sparse'])).code).to.equal(0)
    const permissionsFile = join(h.dir, 'products.permissions.json')
    await writeFile(permissionsFile, JSON.stringify({
      permissions: { user: { read: true, list: true, create: true }, guest: { read: true, list: true }, self: { update: true, delete: true } },
      expressionPermissions: { update: 'self | role:editor' },
      columnPermissions: { sku: { read: 'user', write: 'admin' } },
      rowFilters: [{ expression: 'guest', filter: { price: { $gt: 0 } } }],
    }))
    expect((await h.run(['tables', 'permissions', 'set', 'products', '--file', permissionsFile])).code).to.equal(0)

    const original = await h.run(['tables', 'get', 'products', '--json'])
    expect(original.json.indexes.map((i: { name: string }) => i.name)).to.deep.equal(['_id_', 'by_price', 'sku_unique'])
    const file = join(h.dir, 'products.json')
    await writeFile(file, original.stdout)

    const fromFile = await h.run(['tables', 'create', '--env', 'staging', '--schema', file, '--json'])
    expect(fromFile.code, fromFile.stderr).to.equal(0)
    expect(fromFile.json).to.include({ tableName: 'products', environment: 'staging' })
    const copy = await h.run(['tables', 'get', 'products', '--env', 'staging', '--json'])
    expect(copy.json.id).to.not.equal(original.json.id)
    expect(copyable(copy.json)).to.deep.equal(copyable(original.json))

    // piped straight from get, under another name: the argument wins over the file's tableName
    const piped = await h.run(['tables', 'create', 'products_v2', '--env', 'staging', '--schema', '-', '--json'], { input: original.stdout })
    expect(piped.code, piped.stderr).to.equal(0)
    const renamed = await h.run(['tables', 'get', 'products_v2', '--env', 'staging', '--json'])
    expect(renamed.json.tableName).to.equal('products_v2')
    expect(copyable(renamed.json)).to.deep.equal(copyable(original.json))
    const empty = await h.run(['tables', 'create', 'products_v3', '--env', 'staging', '--schema', '-'], { input: '' })
    expect(empty.code).to.equal(2)
    expect(empty.stderr).to.match(/^Error: standard input was empty\nHint: pipe the JSON in/)
  })

  it('system fields in a --schema are skipped, whichever form lists them', async () => {
    const stored = JSON.stringify({
      bsonType: 'object',
      required: ['id', 'name'],
      properties: { id: { bsonType: 'string' }, createdBy: { bsonType: 'string' }, createdAt: { bsonType: 'date' }, updatedAt: { bsonType: 'date' }, name: { bsonType: 'string' }, meta: { bsonType: 'object', properties: { id: { bsonType: 'string' } } } },
    })
    const fromStored = await h.run(['tables', 'create', 'sys_stored', '--schema', stored, '--json'])
    expect(fromStored.code, fromStored.stderr).to.equal(0)
    expect(fromStored.json.schema.required).to.deep.equal(['name'])
    expect(Object.keys(fromStored.json.schema.properties)).to.deep.equal(['name', 'meta'])
    expect(fromStored.json.schema.properties.meta.properties).to.have.property('id')

    const map = join(h.dir, 'map.json')
    await writeFile(map, JSON.stringify({ id: { type: 'string' }, _id: { type: 'string' }, updatedAt: { type: 'date' }, label: { type: 'string', required: true } }))
    const fromMap = await h.run(['tables', 'create', 'sys_map', '--schema', map, '--json'])
    expect(fromMap.code, fromMap.stderr).to.equal(0)
    expect(fromMap.json.schema).to.deep.equal({ bsonType: 'object', required: ['label'], properties: { label: { bsonType: 'string' } } })

    // a field map with a field called "properties" is still a field map
    const tricky = await h.run(['tables', 'create', 'sys_tricky', '--schema', JSON.stringify({ properties: { type: 'object', properties: {} }, id: { type: 'string' } }), '--json'])
    expect(tricky.code, tricky.stderr).to.equal(0)
    expect(Object.keys(tricky.json.schema.properties)).to.deep.equal(['properties'])
  })

  it('a copy whose indexes fail after the create says the table exists and how to finish', async () => {
    const table = JSON.parse(await readFile(join(h.dir, 'products.json'), 'utf8'))
    table.tableName = 'half_made'
    table.indexes.push({ name: '_mine', fields: { title: 1 }, unique: false, sparse: false })
    const run = await h.run(['tables', 'create', '--schema', JSON.stringify(table)])
    expect(run.code).to.equal(1)
    expect(run.stderr).to.match(/^Error: table half_made was created in dev, but its indexes were not applied: .+\nHint: fix the indexes in the --schema input and apply them with 'bkend tables indexes add half_made', or delete the table and run the create again\n$/)
    const exists = await h.run(['tables', 'get', 'half_made', '--json'])
    expect(exists.code).to.equal(0)
    expect(exists.json.permissions).to.equal(null)
  })
})
