/* eslint-disable @typescript-eslint/no-explicit-any -- CLI --json output is checked by chai assertions, not typed */
import { expect } from 'chai'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startManagementHarness, type ManagementHarness } from './management-harness.js'

const POSTS = {
  name: 'posts',
  displayName: 'Posts',
  fields: { title: { type: 'string', required: true, maxLength: 200 }, score: { type: 'int' }, slug: { type: 'string' } },
  indexes: [
    { name: 'slug_unique', fields: { slug: 1 }, unique: true, sparse: true },
    { name: 'score_1', fields: { score: -1 } },
  ],
  permissions: { guest: { read: true, list: true }, user: { create: true, read: true, list: true } },
}

describe('cli: bkend diff and bkend push against a running emulator', function () {
  this.timeout(60_000)
  let h: ManagementHarness

  const writeTable = async (file: Record<string, unknown>, dir = 'bkend') => {
    await mkdir(join(h.dir, dir, 'tables'), { recursive: true })
    await writeFile(join(h.dir, dir, 'tables', `${file.name as string}.json`), JSON.stringify(file, null, 2))
  }
  const kinds = (result: any): string[] => result.plan.steps.map((s: any) => `${s.kind} ${s.table ?? ''}${s.field ? `.${s.field}` : ''}${s.index ? `#${s.index.name}` : ''}`.trim())

  beforeEach(async () => {
    h = await startManagementHarness()
  })

  afterEach(async () => {
    await h.dispose()
  })

  it('diff lists what push would do (exit 1), push applies it atomically, then diff finds nothing (exit 0)', async () => {
    await writeTable(POSTS)
    const before = await h.run(['diff', '--json'])
    expect(before.code, before.stderr).to.equal(1)
    expect(before.json.differences).to.equal(true)
    expect(kinds(before.json)).to.deep.equal(['table.create posts'])

    const human = await h.run(['diff'])
    expect(human.code).to.equal(1)
    expect(human.stdout).to.contain('dev differs from the config (1 change):').and.contain('+ create table posts (3 fields, 2 indexes)')

    const dry = await h.run(['push', '--dry-run', '--json'])
    expect(dry.code, dry.stderr).to.equal(0)
    expect(dry.json).to.deep.include({ pushed: false, applied: 0 })
    expect((await h.run(['diff', '--json'])).code).to.equal(1)

    const push = await h.run(['push', '--yes', '--json'])
    expect(push.code, push.stderr).to.equal(0)
    expect(push.json).to.deep.include({ pushed: true, applied: 1, atomic: true })

    const after = await h.run(['diff'])
    expect(after.code, after.stderr).to.equal(0)
    expect(after.stdout).to.contain('No differences: dev matches the config.')
    const again = await h.run(['push', '--yes'])
    expect(again.code).to.equal(0)
    expect(again.stdout).to.contain('No changes')
  })

  it('pull → edit → diff → push → pull gives the edited files back', async () => {
    await writeTable(POSTS)
    expect((await h.run(['push', '--yes'])).code).to.equal(0)
    await rm(join(h.dir, 'bkend'), { recursive: true })
    const pulled = await h.run(['pull', '--yes'])
    expect(pulled.code, pulled.stderr).to.equal(0)
    const file = join(h.dir, 'bkend', 'tables', 'posts.json')
    const edited = JSON.parse(await readFile(file, 'utf8'))
    edited.fields.body = { type: 'string', maxLength: 5000 }
    edited.fields.title.maxLength = 120
    edited.indexes = edited.indexes.filter((i: any) => i.name !== 'score_1')
    edited.permissions = { ...edited.permissions, guest: { read: true, list: false } }
    await writeFile(file, JSON.stringify(edited, null, 2) + '\n')

    const diff = await h.run(['diff', '--json'])
    expect(diff.code).to.equal(1)
    expect(kinds(diff.json)).to.deep.equal(['index.drop posts', 'field.add posts.body', 'field.change posts.title', 'permissions.set posts'])
    expect((await h.run(['push', '--yes'])).code).to.equal(0)
    await rm(join(h.dir, 'bkend'), { recursive: true })
    expect((await h.run(['pull', '--yes'])).code).to.equal(0)
    expect(JSON.parse(await readFile(file, 'utf8'))).to.deep.equal(edited)
    expect((await h.run(['diff'])).code).to.equal(0)
  })

  it('push without a terminal and without --yes refuses and changes nothing', async () => {
    await writeTable(POSTS)
    const push = await h.run(['push'])
    expect(push.code).to.equal(2)
    expect(push.stderr).to.contain('needs confirmation').and.contain('--yes')
    expect((await h.run(['tables', 'list', '--json'])).json.tables.map((t: any) => t.tableName)).to.not.include('posts')
  })

  it('a destructive step refuses the whole push, names what it affects, and --allow-destructive applies it', async () => {
    await writeTable(POSTS)
    expect((await h.run(['push', '--yes'])).code).to.equal(0)
    for (const record of [{ title: 'a', score: 3 }, { title: 'b' }]) expect((await h.run(['data', 'insert', 'posts', '--data', JSON.stringify(record)])).code).to.equal(0)
    const { score: _score, ...fields } = POSTS.fields
    await writeTable({ ...POSTS, fields: { ...fields, body: { type: 'string' } }, indexes: [POSTS.indexes[0]] })

    const refused = await h.run(['push', '--yes'])
    expect(refused.code).to.equal(1)
    expect(refused.stderr).to.contain('the plan has 1 destructive step, so nothing was pushed').and.contain('drop field posts.score (1 record holds score; the values are deleted)')
    expect(refused.stderr).to.contain('--allow-destructive')
    const diff = await h.run(['diff', '--json'])
    expect(kinds(diff.json)).to.deep.equal(['index.drop posts', 'field.drop posts.score', 'field.add posts.body'])
    expect(diff.json.plan.destructive).to.equal(true)
    expect(diff.json.plan.steps[1].impact).to.deep.include({ records: 1 })

    const human = await h.run(['diff'])
    expect(human.stdout).to.contain('- drop field posts.score  DESTRUCTIVE (1 record holds score; the values are deleted)')

    const pushed = await h.run(['push', '--yes', '--allow-destructive', '--json'])
    expect(pushed.code, pushed.stderr).to.equal(0)
    expect(pushed.json.applied).to.equal(3)
    expect((await h.run(['diff'])).code).to.equal(0)
  })

  it('a push the emulator refuses half-way keeps nothing and says which step failed', async () => {
    await writeTable({ name: 'tags', fields: { label: { type: 'string' } } })
    expect((await h.run(['push', '--yes'])).code).to.equal(0)
    for (let i = 0; i < 2; i++) expect((await h.run(['data', 'insert', 'tags', '--data', JSON.stringify({ label: 'same' })])).code).to.equal(0)
    await writeTable({ name: 'authors', fields: { name: { type: 'string' } } })
    await writeTable({ name: 'tags', fields: { label: { type: 'string' } }, indexes: [{ name: 'label_unique', fields: { label: 1 }, unique: true }] })

    const diff = await h.run(['diff'])
    expect(diff.stdout).to.contain('+ add index tags.label_unique (unique) (1 group of records shares a value of label: the index cannot be created)')
    const push = await h.run(['push', '--yes'])
    expect(push.code).to.equal(1)
    expect(push.stderr).to.contain('step 2 of 2 failed: add index tags.label_unique (unique): Existing records of tags already share a value of label').and.contain('Nothing was pushed')
    expect((await h.run(['tables', 'list', '--json'])).json.tables.map((t: any) => t.tableName)).to.deep.equal(['tags'])
  })

  it('a remote target (a URL) gets the steps in order: a failure stops the push, reports applied and not applied, and a re-run resumes', async () => {
    const remote = { env: { BKEND_ACCESS_TOKEN: h.emu.ready.tenantToken, BKEND_PROJECT: h.emu.ready.projectId }, dataDir: false as const }
    const target = ['--target', h.emu.url]
    await writeTable({ name: 'tags', fields: { label: { type: 'string' } } })
    expect((await h.run(['push', ...target, '--yes'], remote)).code).to.equal(0)
    for (let i = 0; i < 2; i++) expect((await h.run(['data', 'insert', 'tags', '--data', JSON.stringify({ label: 'same' })])).code).to.equal(0)
    await writeTable({ name: 'authors', fields: { name: { type: 'string' } } })
    await writeTable({ name: 'tags', fields: { label: { type: 'string' } }, indexes: [{ name: 'label_unique', fields: { label: 1 }, unique: true }], permissions: { guest: { read: true } } })

    const push = await h.run(['push', ...target, '--yes'], remote)
    expect(push.code, push.stderr).to.equal(1)
    expect(push.stdout).to.contain('✓ create table authors')
    expect(push.stderr).to.contain('step 2 of 3 failed: add index tags.label_unique (unique)')
    expect(push.stderr).to.match(/applied \(1\):\s+create table authors/).and.match(/not applied \(1\):\s+set permissions of tags/)
    expect(push.stderr).to.contain('run `bkend push` again')
    expect((await h.run(['tables', 'list', '--json'])).json.tables.map((t: any) => t.tableName).sort()).to.deep.equal(['authors', 'tags'])

    const ids = (await h.run(['data', 'list', 'tags', '--json'])).json.items.map((r: any) => r.id)
    expect(ids).to.have.length(2)
    expect((await h.run(['data', 'delete', 'tags', ids[0], '--yes'])).code).to.equal(0)
    const resumed = await h.run(['push', ...target, '--yes', '--json'], remote)
    expect(resumed.code, resumed.stderr).to.equal(0)
    expect(resumed.json).to.deep.include({ pushed: true, applied: 2, atomic: false })
    expect(kinds(resumed.json)).to.deep.equal(['index.add tags#label_unique', 'permissions.set tags'])
    expect((await h.run(['diff', ...target], remote)).code).to.equal(0)
  })

  it('diff exits 2 on a config file that does not validate, naming the file and what to write', async () => {
    await writeTable({ name: 'posts', fields: { title: { type: 'text' } } })
    const diff = await h.run(['diff'])
    expect(diff.code).to.equal(2)
    expect(diff.stderr).to.contain('bkend/tables/posts.json').and.contain('fields.title.type')
    expect(diff.stderr).to.not.match(/\n\s+at /)
    const json = await h.run(['diff', '--json'])
    expect(json.code).to.equal(2)
    expect(json.stdout).to.equal('')
    expect(json.errorJson.error.message).to.contain('bkend/tables/posts.json')
  })

  it('diff exits 2 when there is no config folder, saying how to get one', async () => {
    const diff = await h.run(['diff'])
    expect(diff.code).to.equal(2)
    expect(diff.stderr).to.contain('bkend pull')
  })

  it('diff --against: two drifted environments exit 1 and list the field, indexes and permissions the other lacks', async () => {
    expect((await h.run(['envs', 'create', 'staging'])).code).to.equal(0)
    await writeTable(POSTS)
    expect((await h.run(['push', '--yes'])).code).to.equal(0)
    const { slug: _slug, ...fields } = POSTS.fields
    await writeTable({ name: 'posts', displayName: 'Posts', fields }, 'staging-config')
    expect((await h.run(['push', '--env', 'staging', '--dir', 'staging-config', '--yes'])).code).to.equal(0)

    const drift = await h.run(['diff', '--env', 'dev', '--against', 'staging', '--json'])
    expect(drift.code, drift.stderr).to.equal(1)
    expect(drift.json).to.deep.include({ environment: 'dev', against: 'staging', differences: true })
    expect(kinds(drift.json)).to.deep.equal(['field.add posts.slug', 'index.add posts#score_1', 'index.add posts#slug_unique', 'permissions.set posts'])

    const human = await h.run(['diff', '--env', 'dev', '--against', 'staging'])
    expect(human.stdout).to.contain('staging differs from dev (4 changes):').and.contain('+ add field posts.slug (string)').and.contain('~ set permissions of posts (permissions)')

    expect((await h.run(['diff', '--env', 'dev', '--against', 'dev'])).code).to.equal(0)
    const typo = await h.run(['diff', '--against', 'stagign'])
    expect(typo.code).to.equal(2)
    expect(typo.stderr).to.contain('no environment "stagign" to compare with').and.contain('pass --against with one of: dev, staging')
  })

  it('push applies project settings in project.json (CORS) and diff then matches', async () => {
    await writeTable(POSTS)
    await writeFile(join(h.dir, 'bkend', 'project.json'), JSON.stringify({ cors: { allowedOrigins: ['https://app.example.com'] } }))
    const diff = await h.run(['diff', '--json'])
    expect(kinds(diff.json)).to.deep.equal(['table.create posts', 'cors.set'])
    expect((await h.run(['push', '--yes'])).code).to.equal(0)
    expect((await h.run(['diff'])).code).to.equal(0)
    await rm(join(h.dir, 'bkend', 'project.json'))
    // Without project.json settings are not managed: nothing to undo.
    expect((await h.run(['diff'])).code).to.equal(0)
  })

  it('auth, provider (its secret from the environment, never printed) and e-mail settings are pushed, then plan nothing', async () => {
    expect((await h.run(['pull', '--yes'])).code).to.equal(0)
    // Pull then push of an unchanged environment, settings included, is a no-op.
    const unchanged = await h.run(['push', '--yes', '--json'])
    expect(unchanged.json).to.deep.include({ differences: false, pushed: false })
    const overlay = join(h.dir, 'bkend', 'overlays', 'local.json')
    // A provider never configured is not pulled (the emulator's built-in fake one): configure GitHub in the overlay.
    const local = JSON.parse(await readFile(overlay, 'utf8').catch(() => '{}'))
    expect(local.auth?.providers?.github).to.equal(undefined)
    local.auth = { ...local.auth, providers: { ...local.auth?.providers, github: { clientId: 'gh-local', clientSecret: { env: 'GH_SECRET' }, redirectUri: 'http://127.0.0.1:4100/v1/auth/github/callback', enabled: true } } }
    await writeFile(overlay, JSON.stringify(local, null, 2))
    const projectFile = join(h.dir, 'bkend', 'project.json')
    const projectJson = JSON.parse(await readFile(projectFile, 'utf8'))
    projectJson.email = { ...projectJson.email, senderName: 'Shop', brandColor: '#112233', templates: { magic_link: { subject: 'Your link', body: '<p>{{magicLink}}</p>' } } }
    projectJson.auth.passwordPolicy.minLength = 10
    await writeFile(projectFile, JSON.stringify(projectJson, null, 2))
    const env = { env: { GH_SECRET: 'very-secret-value' } }

    const diff = await h.run(['diff', '--json'], env)
    expect(diff.code, diff.stderr).to.equal(1)
    expect(diff.json.plan.steps.map((s: any) => s.kind)).to.deep.equal(['auth.update', 'provider.set', 'email.sender', 'email.template'])
    const set = diff.json.plan.steps[1]
    expect(set.to).to.deep.include({ clientId: 'gh-local', clientSecret: '(from the environment)' })
    expect(diff.stdout).to.not.contain('very-secret-value')
    const push = await h.run(['push', '--yes', '--json'], env)
    expect(push.code, push.stderr).to.equal(0)
    expect(push.stdout + push.stderr).to.not.contain('very-secret-value')
    const providers = await h.run(['auth', 'providers', 'list', '--json'])
    expect(JSON.stringify(providers.json)).to.contain('gh-local').and.contain('"hasClientSecret":true')
    expect((await h.run(['diff'], env)).code).to.equal(0)
  })

  it('tables versions rollback restores an earlier schema as a new version', async () => {
    await writeTable(POSTS)
    expect((await h.run(['push', '--yes'])).code).to.equal(0)
    const { score: _score, ...fields } = POSTS.fields
    await writeTable({ ...POSTS, fields, indexes: [POSTS.indexes[0]] })
    expect((await h.run(['push', '--yes', '--allow-destructive'])).code).to.equal(0)

    const refused = await h.run(['tables', 'versions', 'rollback', 'posts', '1'])
    expect(refused.code).to.equal(2)
    expect(refused.stderr).to.contain('--yes')
    const rolled = await h.run(['tables', 'versions', 'rollback', 'posts', '1', '--yes', '--json'])
    expect(rolled.code, rolled.stderr).to.equal(0)
    expect(rolled.json).to.deep.include({ table: 'posts', restored: 1, schemaVersion: 3 })
    expect(rolled.json.fields).to.have.members(['title', 'score', 'slug'])
    const versions = await h.run(['tables', 'versions', 'posts', '--json'])
    expect(versions.json.versions.map((v: any) => v.source)).to.deep.equal(['rollback', 'field_manage', 'create'])

    const bad = await h.run(['tables', 'versions', 'rollback', 'posts', 'latest', '--yes'])
    expect(bad.code).to.equal(2)
    expect(bad.stderr).to.contain('VERSION must be a schema version number')
    const missing = await h.run(['tables', 'versions', 'rollback', 'posts', '9', '--yes'])
    expect(missing.code).to.equal(1)
    expect(missing.stderr).to.contain('Schema version 9 of table posts not found')
  })
})
