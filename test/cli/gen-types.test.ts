import { expect } from 'chai'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { tableToFile } from '../../src/config/table-file.js'
import { authClient } from '../helpers/auth-client.js'
import { STRICT_DOM, STRICT_NODE, typecheck } from '../helpers/typecheck.js'
import { startManagementHarness, type ManagementHarness } from './management-harness.js'

const AUTHOR_ID = 'a'.repeat(24)

/** A table of every type and constraint, references to another table and to users, nested objects and arrays. */
const POSTS_SCHEMA = {
  bsonType: 'object',
  required: ['title', 'status', 'author'],
  properties: {
    title: { bsonType: 'string', minLength: 1, maxLength: 200, description: 'Shown in lists' },
    slug: { bsonType: 'string', pattern: '^[a-z0-9-]+$' },
    status: { bsonType: 'string', enum: ['draft', 'published'], default: 'draft' },
    views: { bsonType: 'int', minimum: 0, maximum: 1000000, default: 0 },
    rating: { bsonType: 'double' },
    featured: { bsonType: 'bool' },
    publishedAt: { bsonType: 'date' },
    author: { bsonType: 'objectId', ref: 'authors' },
    reviewer: { bsonType: 'objectId', ref: 'users' },
    tags: { bsonType: 'array', items: { bsonType: 'string', enum: ['news', 'tech'] } },
    sections: { bsonType: 'array', items: { bsonType: 'object', required: ['heading'], properties: { heading: { bsonType: 'string' }, order: { bsonType: 'int' } } } },
    meta: { bsonType: 'object', required: ['lang'], properties: { lang: { bsonType: 'string', default: 'en' }, source: { bsonType: 'object', properties: { url: { bsonType: 'string' } } } } },
    loose: { bsonType: 'object' },
    anything: { bsonType: 'array' },
  },
}

/** What the test uses of the generated module at run time. */
interface GeneratedClient {
  withAccessToken(token: string | undefined): GeneratedClient
  table(name: string): {
    list(params?: Record<string, unknown>): Promise<{ items: Array<Record<string, unknown>>; pagination: { total: number } }>
    get(id: string): Promise<Record<string, unknown>>
    create(input: Record<string, unknown>): Promise<Record<string, unknown> & { id: string }>
    update(id: string, changes: Record<string, unknown>): Promise<Record<string, unknown>>
    delete(id: string): Promise<{ success: boolean }>
  }
}
interface GeneratedModule {
  createClient(options: { baseUrl: string; publishableKey: string; accessToken?: string }): GeneratedClient
  BkendError: new (...args: never[]) => Error & { code: string; status: number; details?: unknown }
}

describe('cli: gen types', function () {
  this.timeout(120_000)
  let h: ManagementHarness
  let file: string
  /** The first run, made in before() so every test starts from a generated file. */
  let first: Awaited<ReturnType<ManagementHarness['run']>>
  const gen = (...args: string[]) => h.run(['gen', 'types', '--client', '--out', 'src/bkend.ts', ...args])

  before(async () => {
    h = await startManagementHarness()
    const create = (tableName: string, schema: unknown) => h.emu.core.tables.create(h.emu.actor, { projectId: h.emu.seed.projectId, environment: 'dev', tableName, schema })
    await create('authors', { bsonType: 'object', required: ['name'], properties: { name: { bsonType: 'string' } } })
    const posts = await create('posts', POSTS_SCHEMA)
    // users may change and delete posts; guests only read them
    const all = { create: true, read: true, update: true, delete: true, list: true }
    await h.emu.core.tables.update(h.emu.actor, posts.id, { permissions: { admin: all, user: all, guest: { read: true, list: true } } })
    await create('user-profiles', { bsonType: 'object', required: [], properties: { bio: { bsonType: 'string' } } })
    await create('user_profiles', { bsonType: 'object', required: [], properties: { legacy: { bsonType: 'bool' } } })
    file = join(h.dir, 'src', 'bkend.ts')
    first = await gen('--json')
  })
  after(async () => {
    await h.dispose()
  })

  it('writes one file with the types and the client for every table, creating its folder', async () => {
    expect(first.code, first.stderr).to.equal(0)
    expect(first.json).to.deep.equal({ file: 'src/bkend.ts', from: { environment: 'dev' }, tables: ['authors', 'posts', 'user-profiles', 'user_profiles'], client: true, status: 'written' })
    const text = await readFile(file, 'utf8')
    expect(text).to.include('export interface UserProfiles {').and.include('export interface UserProfiles2 {')
    expect(text).to.include('export class BkendClient')
  })

  it('compiles under tsc --strict: a right use compiles, and each wrong use is a type error', async () => {
    const dir = join(h.dir, 'src')
    const header = "import { createClient, type BkendFile, type Posts, type PostsCreate, type PostsUpdate, type User } from './bkend.js'\n"
    const right = join(dir, 'right.ts')
    await writeFile(
      right,
      header +
        `const full: PostsCreate = { title: 'Hello', author: '${AUTHOR_ID}', slug: 'hello', status: 'published', views: 3, rating: 4.5, featured: true,
  publishedAt: Date.now(), reviewer: null, tags: ['news'], sections: [{ heading: 'One', order: 1 }], meta: { source: { url: 'https://x.test' } }, loose: { any: 1 }, anything: [1, 'two'] }
const minimal: PostsCreate = { title: 'Hi', author: '${AUTHOR_ID}' }
const change: PostsUpdate = { status: 'draft', rating: null, publishedAt: '2025-01-01' }
export async function use(post: Posts, me: User, file: BkendFile): Promise<string> {
  const client = createClient({ baseUrl: 'http://127.0.0.1:4100', publishableKey: 'pk_x' }).withAccessToken('token')
  const created = await client.table('posts').create(full)
  const page = await client.table('posts').list({ limit: 10, sortBy: 'views', sortDirection: 'asc', andFilters: { status: 'published' }, select: ['title'] })
  await client.table('posts').update(created.id, change)
  await client.table('user-profiles').create({ bio: 'x' })
  const removed: { success: true } = await client.table('posts').delete(created.id)
  const status: 'draft' | 'published' = post.status
  const when: string = post.createdAt
  return [created.title, page.items[0]?.title, removed.success, status, when, me.email, file.visibility, minimal.title].join()
}
`,
    )
    const wrong: Record<string, { code: string; source: string; mentions: string }> = {
      'missing-required': { code: 'TS2741', mentions: 'title', source: `export const p: PostsCreate = { author: '${AUTHOR_ID}' }` },
      'not-in-enum': { code: 'TS2322', mentions: 'archived', source: `export const p: PostsCreate = { title: 'x', author: '${AUTHOR_ID}', status: 'archived' }` },
      'wrong-type': { code: 'TS2322', mentions: 'number', source: `export const p: PostsCreate = { title: 'x', author: '${AUTHOR_ID}', views: 'many' }` },
      'null-for-required': { code: 'TS2322', mentions: 'null', source: 'export const u: PostsUpdate = { title: null }' },
      'array-item-missing-required': { code: 'TS2741', mentions: 'heading', source: `export const p: PostsCreate = { title: 'x', author: '${AUTHOR_ID}', sections: [{ order: 1 }] }` },
      // a PATCH replaces an object whole and applies no default, so the nested required field must be sent
      'patch-object-without-required': { code: 'TS2741', mentions: 'lang', source: 'export const u: PostsUpdate = { meta: {} }' },
      'record-typo': { code: 'TS2551', mentions: 'titel', source: 'export const t = (p: Posts) => p.titel' },
      'record-date-is-a-string': { code: 'TS2322', mentions: 'number', source: 'export const t = (p: Posts): number => p.createdAt' },
      'unknown-table': { code: 'TS2345', mentions: 'post', source: "export const t = createClient({ baseUrl: '', publishableKey: '' }).table('post')" },
      'select-unknown-field': { code: 'TS2322', mentions: 'nope', source: "export const t = createClient({ baseUrl: '', publishableKey: '' }).table('posts').list({ select: ['nope'] })" },
    }
    const wrongFiles = Object.keys(wrong).map((name) => join(dir, `wrong-${name}.ts`))
    await Promise.all(Object.entries(wrong).map(([name, w]) => writeFile(join(dir, `wrong-${name}.ts`), `${header}${w.source}\n`)))

    const strict = typecheck([file, right, ...wrongFiles], STRICT_DOM)
    expect(strict.get(file), 'the generated file').to.deep.equal([])
    expect(strict.get(right), 'the right use').to.deep.equal([])
    expect(wrongFiles).to.have.length(10)
    for (const [name, w] of Object.entries(wrong)) {
      const errors = strict.get(join(dir, `wrong-${name}.ts`)) ?? []
      // the shared import line leaves names unused (noUnusedLocals); the wrong use is the first other error
      const relevant = errors.filter((e) => !e.startsWith('TS6133') && !e.startsWith('TS6192') && !e.startsWith('TS6196'))
      expect(relevant, name).to.have.length.greaterThan(0)
      expect(relevant[0], name).to.match(new RegExp(`^${w.code}: .*${w.mentions}`))
    }
    // and in a Node project with plain strict, fetch typed by @types/node instead of the DOM library
    const node = typecheck([file, right], STRICT_NODE)
    expect([...node.values()].flat()).to.deep.equal([])
  })

  it('the generated client creates, lists, gets, updates and deletes against the emulator, and throws the error envelope', async () => {
    const api = authClient(h.emu)
    const { accessToken } = await api.signUp('writer@example.com')
    const mod = (await import(pathToFileURL(file).href)) as GeneratedModule
    const client = mod.createClient({ baseUrl: `${h.emu.url}/`, publishableKey: api.pk, accessToken })
    const posts = client.table('posts')

    const created = await posts.create({ title: 'First', author: AUTHOR_ID, publishedAt: '2025-01-15', sections: [{ heading: 'Intro' }] })
    expect(created).to.include({ title: 'First', status: 'draft', views: 0, publishedAt: '2025-01-15T00:00:00.000Z' })
    await posts.create({ title: 'Second', author: AUTHOR_ID, status: 'published' })

    const drafts = await posts.list({ andFilters: { status: 'draft' }, select: ['title'], limit: 5 })
    expect(drafts.pagination.total).to.equal(1)
    expect(drafts.items).to.have.length(1)
    expect(drafts.items[0]).to.include({ id: created.id, title: 'First' })
    expect(drafts.items[0]).not.to.have.property('views')
    const sorted = await posts.list({ sortBy: 'title', sortDirection: 'asc' })
    expect(sorted.items.map((p) => p.title)).to.deep.equal(['First', 'Second'])

    expect(await posts.get(created.id)).to.include({ id: created.id, title: 'First' })
    expect(await posts.update(created.id, { status: 'published', views: 5 })).to.include({ status: 'published', views: 5 })
    expect(await posts.delete(created.id)).to.deep.equal({ success: true })

    const failure = async (call: () => Promise<unknown>) => {
      try {
        await call()
      } catch (error) {
        expect(error).to.be.instanceOf(mod.BkendError)
        return error as InstanceType<GeneratedModule['BkendError']>
      }
      throw new Error('expected the call to fail')
    }
    const gone = await failure(() => posts.get(created.id))
    expect(gone).to.include({ status: 404, code: 'data/not-found' })
    const invalid = await failure(() => posts.create({ author: AUTHOR_ID }))
    expect(invalid).to.include({ status: 400, code: 'data/validation-error' })
    expect(invalid.details).to.be.an('array').with.length.greaterThan(0)
    const guest = await failure(() => client.withAccessToken(undefined).table('posts').create({ title: 'x', author: AUTHOR_ID }))
    expect(guest).to.include({ status: 403, code: 'data/permission-denied' })
  })

  it('is deterministic: a second run leaves the file byte for byte as it was', async () => {
    const before = await readFile(file)
    const run = await gen('--json')
    expect(run.code, run.stderr).to.equal(0)
    expect(run.json.status).to.equal('unchanged')
    expect((await readFile(file)).equals(before)).to.equal(true)
  })

  it('--check exits 0 on a current file and 1, naming the file and the command, on a stale, missing or differently generated one', async () => {
    const current = await gen('--check')
    expect(current.code, current.stderr).to.equal(0)
    expect(current.stdout).to.include('src/bkend.ts is up to date (4 tables).')
    // a checkout with CRLF line endings holds the same file
    await writeFile(file, (await readFile(file, 'utf8')).replace(/\n/g, '\r\n'))
    expect((await gen('--check')).code).to.equal(0)

    await h.emu.core.tables.create(h.emu.actor, { projectId: h.emu.seed.projectId, environment: 'dev', tableName: 'comments', schema: { bsonType: 'object', properties: { body: { bsonType: 'string' } } } })
    const before = await readFile(file, 'utf8')
    const stale = await gen('--check')
    expect(stale.code).to.equal(1)
    expect(stale.stderr).to.include('Error: src/bkend.ts is out of date with the tables of environment "dev"')
    expect(stale.stderr).to.include('Hint: run `bkend gen types --client --out src/bkend.ts` and commit the result')
    expect(await readFile(file, 'utf8'), '--check writes nothing').to.equal(before)

    const json = await gen('--check', '--json')
    expect(json.code).to.equal(1)
    expect(json.stdout).to.equal('')
    expect(json.errorJson.error).to.include({ code: 'gen/stale' })

    expect((await gen()).code).to.equal(0)
    expect((await gen('--check')).code).to.equal(0)

    const withoutClient = await h.run(['gen', 'types', '--out', 'src/bkend.ts', '--check'])
    expect(withoutClient.code).to.equal(1)
    expect(withoutClient.stderr).to.include('Error: src/bkend.ts was generated with --client')
    expect(withoutClient.stderr).to.include('`bkend gen types --client --out src/bkend.ts --check`')

    const missing = await h.run(['gen', 'types', '--check'])
    expect(missing.code).to.equal(1)
    expect(missing.stderr).to.include('Error: bkend-types.ts does not exist')
    expect(missing.stderr).to.include('Hint: run `bkend gen types` and commit the result')
  })

  it('an --out that cannot be written is an error saying why and what to pass, with nothing left behind', async () => {
    await mkdir(join(h.dir, 'a-folder'))
    const run = await h.run(['gen', 'types', '--out', 'a-folder'])
    expect(run.code).to.equal(1)
    expect(run.stderr).to.include('Error: cannot use a-folder for the generated types: it is a directory')
    expect(run.stderr).to.include('Hint: pass --out with a file path you can write')
    expect(run.stderr).not.to.match(/\n\s+at /)
    await rm(join(h.dir, 'a-folder'), { recursive: true })
  })

  it('--from-config reads the config folder: the same tables give the same file as the environment, a changed file makes it stale', async () => {
    expect((await gen()).code).to.equal(0)
    const live = await h.emu.core.tables.list(h.emu.actor, { projectId: h.emu.seed.projectId, environment: 'dev' })
    expect(live.length).to.be.greaterThan(3)
    await mkdir(join(h.dir, 'bkend', 'tables'), { recursive: true })
    for (const t of live) {
      const model = { name: t.tableName, displayName: t.displayName, description: t.description, schema: t.schema, indexes: [], permissions: null, expressionPermissions: null, columnPermissions: null, rowFilters: null }
      await writeFile(join(h.dir, 'bkend', 'tables', `${t.tableName}.json`), JSON.stringify(tableToFile(model), null, 2))
    }
    const same = await gen('--from-config', '--check', '--json')
    expect(same.code, same.stderr).to.equal(0)
    expect(same.json).to.include({ status: 'up-to-date' })
    expect(same.json.from).to.deep.equal({ config: 'bkend' })

    const postsFile = join(h.dir, 'bkend', 'tables', 'posts.json')
    const posts = JSON.parse(await readFile(postsFile, 'utf8'))
    posts.fields.subtitle = { type: 'string' }
    await writeFile(postsFile, JSON.stringify(posts))
    const stale = await gen('--from-config', '--check')
    expect(stale.code).to.equal(1)
    expect(stale.stderr).to.include('Error: src/bkend.ts is out of date with the tables of the config folder bkend')
    expect(stale.stderr).to.include('Hint: run `bkend gen types --client --out src/bkend.ts --from-config` and commit the result')

    posts.fields.subtitle = { type: 'text' }
    await writeFile(postsFile, JSON.stringify(posts))
    const invalid = await gen('--from-config', '--json')
    expect(invalid.code).to.equal(1)
    expect(invalid.errorJson.error.code).to.equal('config/invalid')
    expect(invalid.errorJson.error.message).to.include('bkend/tables/posts.json').and.include('subtitle')
    await rm(join(h.dir, 'bkend'), { recursive: true })
  })
})
