import { expect } from 'chai'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { SeedCommandResult } from '../../src/commands/seed/index.js'
import { parseJson } from '../helpers/cli.js'
import { startEmulator } from '../helpers/emulator.js'
import { startCliHarness, type CliHarness } from './data-harness.js'

const POSTS = {
  bsonType: 'object',
  required: ['slug', 'title'],
  properties: { slug: { bsonType: 'string' }, title: { bsonType: 'string' }, views: { bsonType: 'int' }, draft: { bsonType: 'bool' } },
}

describe('cli: seed', function () {
  this.timeout(60_000)
  let h: CliHarness
  let folder = 0

  /** A fresh config folder under the harness directory whose seed/ holds these files (objects are written as JSON). */
  async function seedDir(files: Record<string, string | object>): Promise<string> {
    const dir = join(h.dir, `config-${++folder}`)
    for (const [name, content] of Object.entries(files)) {
      await mkdir(dirname(join(dir, 'seed', name)), { recursive: true })
      await writeFile(join(dir, 'seed', name), typeof content === 'string' ? content : JSON.stringify(content))
    }
    await mkdir(join(dir, 'seed'), { recursive: true })
    return dir
  }

  const error = (out: { stderr: string }) => parseJson(out.stderr).error as { code: string; message: string; hint: string }
  const count = async (table: string) => (await h.run(['data', 'list', table, '--limit', '1', '--json'])).json.pagination.total as number
  const api = (path: string, init: RequestInit & { key?: string } = {}) =>
    fetch(h.emu.url + path, { ...init, headers: { 'content-type': 'application/json', 'x-api-key': init.key ?? h.emu.seed.environment.publishableKey } })

  before(async () => {
    h = await startCliHarness()
    for (const table of ['posts', 'notes', 'tags', 'strict_posts', 'unkeyed', 'remote_posts', 'reset_posts', 'bystander', 'wipe_posts']) await h.table(table, POSTS)
  })
  after(() => h.dispose())

  it('seeds NDJSON, JSON and CSV tables, users and files; a second run creates nothing', async () => {
    const dir = await seedDir({
      'seed.json': { keys: { posts: 'slug', notes: 'slug', tags: 'slug' } },
      'data/posts.ndjson': Array.from({ length: 250 }, (_, i) => JSON.stringify({ slug: `p${i}`, title: `Post ${i}`, views: i })).join('\n') + '\n',
      'data/notes.json': [{ slug: 'n1', title: 'One' }, { slug: 'n2', title: 'Two', draft: true }],
      'data/tags.csv': 'slug,title,views,draft\nt1,Tag one,3,true\nt2,"Tag, two",,false\n',
      'users.json': [
        { email: 'Ada@Example.com', password: 'correct horse', name: 'Ada', role: 'admin', emailVerified: true, nickname: 'ada', bio: 'first' },
        { email: 'bob@example.com', password: 'battery staple' },
      ],
      'files.json': [
        { key: 'logo', path: 'img/logo.png', visibility: 'public', metadata: { alt: 'Logo' } },
        { key: 'terms', path: 'terms.txt', name: 'Terms.txt' },
      ],
      'files/img/logo.png': 'PNG bytes',
      'files/terms.txt': 'The terms.',
    })
    const first = await h.run(['seed', '--dir', dir, '--json'])
    expect(first.code, first.stderr).to.equal(0)
    const result = first.json as SeedCommandResult
    expect(result.parts.map((p) => [p.name, p.source, p.status, p.created, p.unchanged, p.rejected])).to.deep.equal([
      ['users', 'users.json', 'seeded', 2, 0, 0],
      ['notes', 'data/notes.json', 'seeded', 2, 0, 0],
      ['posts', 'data/posts.ndjson', 'seeded', 250, 0, 0],
      ['tags', 'data/tags.csv', 'seeded', 2, 0, 0],
      ['files', 'files.json', 'seeded', 2, 0, 0],
    ])
    expect(result).to.include({ created: 258, unchanged: 0, rejected: 0, stopped: false, environment: 'dev' })
    const tag = (await h.run(['data', 'list', 'tags', '--json'])).json.items.find((r: { slug: string }) => r.slug === 't1')
    expect(tag).to.include({ title: 'Tag one', views: 3, draft: true })

    const second = await h.run(['seed', '--dir', dir])
    expect(second.code, second.stderr).to.equal(0)
    expect(second.stdout).to.include('posts (data/posts.ndjson): 0 created, 250 unchanged\n')
    expect(second.stdout).to.include('users (users.json): 0 created, 2 unchanged\n')
    expect(second.stdout).to.include('files (files.json): 0 created, 2 unchanged\n')
    expect(second.stdout).to.match(/Seeded environment dev in [\d.]+ s: 0 created, 258 unchanged, 0 rejected\.\n$/)
    expect(await count('posts')).to.equal(250)
    expect(await count('notes')).to.equal(2)
    expect((await h.run(['users', 'list', '--json'])).json.items).to.have.length(2)
    expect((await h.run(['files', 'list', '--json'])).json.items).to.have.length(2)

    // the users sign in with their seeded passwords and carry role, verified flag and profile
    const signIn = await api('/v1/auth/email/signin', { method: 'POST', body: JSON.stringify({ email: 'ada@example.com', password: 'correct horse' }) })
    expect(signIn.status).to.equal(200)
    const { user } = (await signIn.json()) as { user: Record<string, unknown> }
    expect(user).to.include({ email: 'ada@example.com', name: 'Ada', role: 'admin', nickname: 'ada', bio: 'first' })
    expect(user.emailVerified).to.be.a('string')
    const bob = await api('/v1/auth/email/signin', { method: 'POST', body: JSON.stringify({ email: 'bob@example.com', password: 'battery staple' }) })
    expect(((await bob.json()) as { user: Record<string, unknown> }).user).to.include({ name: 'bob', role: 'user', emailVerified: null })

    // the files keep visibility and metadata, and their bytes download
    const files = (await h.run(['files', 'list', '--json'])).json.items as Array<{ originalName: string; id: string; publicUrl: string; metadata: unknown }>
    const logo = files.find((f) => f.originalName === 'logo.png')!
    expect(logo).to.include({ visibility: 'public', mimeType: 'image/png' })
    expect(logo.metadata).to.deep.equal({ alt: 'Logo', seedKey: 'logo' })
    expect(await (await fetch(logo.publicUrl)).text()).to.equal('PNG bytes')
    const terms = files.find((f) => f.originalName === 'Terms.txt')!
    expect(terms).to.include({ visibility: 'private', mimeType: 'text/plain' })
    const download = await h.run(['files', 'download', terms.id, join(h.dir, 'terms-copy.txt')])
    expect(download.code, download.stderr).to.equal(0)
    const guest = await api(`/v1/files/${terms.id}`)
    expect(guest.status).to.be.oneOf([401, 403])
  })

  it('reports a violating row as file:line, as data import words it, and exits 1', async () => {
    const dir = await seedDir({
      'seed.json': { keys: { posts: 'slug' } },
      'data/posts.ndjson': [JSON.stringify({ slug: 'v1', title: 'ok' }), JSON.stringify({ slug: 'v2', views: 'many' }), '{broken', JSON.stringify({ title: 'no slug' })].join('\n'),
    })
    const out = await h.run(['seed', '--dir', dir])
    expect(out.code).to.equal(1)
    expect(out.stdout).to.include('posts (data/posts.ndjson): 1 created, 0 unchanged, 3 rejected\n')
    const lines = out.stderr.trim().split('\n')
    expect(lines).to.have.length(4)
    expect(lines[0]).to.equal('3 rejected:')
    expect(lines[1]).to.match(/^ {2}data\/posts\.ndjson:2: .*\[data\/validation-error\]$/)
    expect(lines[2]).to.match(/^ {2}data\/posts\.ndjson:3: invalid JSON.*\[import\/invalid-row\]$/)
    expect(lines[3]).to.equal('  data/posts.ndjson:4: has no slug, the seed key of posts (seed.json) [import/invalid-row]')
    const json = await h.run(['seed', '--dir', dir, '--json'])
    const part = (json.json as SeedCommandResult).parts[0]!
    expect(part.rejects.map((r) => [r.row, r.code])).to.deep.equal([[2, 'data/validation-error'], [3, 'import/invalid-row'], [4, 'import/invalid-row']])
    expect(part).to.include({ created: 0, unchanged: 1 })
  })

  it('--strict: the first rejection keeps nothing of that table from this run and ends the seed', async () => {
    await h.run(['data', 'insert', 'strict_posts', '--data', JSON.stringify({ slug: 'before', title: 'was there' })])
    const good = Array.from({ length: 300 }, (_, i) => JSON.stringify({ slug: `s${i}`, title: `S ${i}` }))
    good.splice(200, 0, JSON.stringify({ slug: 'bad', views: 1 }))
    const dir = await seedDir({
      'seed.json': { keys: { strict_posts: 'slug', tags: 'slug' } },
      'data/strict_posts.ndjson': good.join('\n'),
      'data/tags.csv': 'slug,title\nnever,Not reached\n',
    })
    const out = await h.run(['seed', '--dir', dir, '--strict', '--json'])
    expect(out.code).to.equal(1)
    const result = out.json as SeedCommandResult
    expect(result.parts).to.have.length(1)
    expect(result.parts[0]).to.include({ name: 'strict_posts', status: 'failed', created: 0 })
    expect(result.parts[0]!.rejects[0]).to.include({ row: 201, code: 'data/validation-error' })
    expect(result.stopped).to.equal(true)
    const left = (await h.run(['data', 'list', 'strict_posts', '--json'])).json.items as Array<{ slug: string }>
    expect(left.map((r) => r.slug)).to.deep.equal(['before'])
    const tags = (await h.run(['data', 'list', 'tags', '--json', '--filter', JSON.stringify({ slug: 'never' })])).json.items
    expect(tags).to.have.length(0)
  })

  it('skips a table that holds records and declares no key, saying how to seed it', async () => {
    await h.run(['data', 'insert', 'unkeyed', '--data', JSON.stringify({ slug: 'x', title: 'there' })])
    const dir = await seedDir({ 'data/unkeyed.ndjson': JSON.stringify({ slug: 'y', title: 'new' }) })
    const out = await h.run(['seed', '--dir', dir])
    expect(out.code).to.equal(0)
    expect(out.stdout).to.include('unkeyed (data/unkeyed.ndjson): skipped\n')
    expect(out.stderr).to.include('declare one ("keys": { "unkeyed": "<field>" }) or seed with --reset')
    expect(await count('unkeyed')).to.equal(1)
  })

  it('refuses a bad seed folder before writing anything, naming the file and JSON path', async () => {
    const badKeys = await seedDir({ 'seed.json': { keys: { posts: 'id' } }, 'data/posts.ndjson': '' })
    const keys = await h.run(['seed', '--dir', badKeys, '--json'])
    expect(keys.code).to.equal(1)
    expect(error(keys)).to.include({ code: 'seed/invalid' })
    expect(error(keys).message).to.equal(`${join(badKeys, 'seed', 'seed.json')}: /keys/posts: a system field cannot be a seed key; declare a field of your own (e.g. slug)`)

    const badUsers = await seedDir({ 'users.json': [{ email: 'x@example.com', role: 'Boss' }] })
    const users = await h.run(['seed', '--dir', badUsers])
    expect(users.code).to.equal(1)
    expect(users.stderr).to.include('  users.json element 1: /role: must match pattern')

    const escape = await seedDir({ 'files.json': [{ key: 'k', path: '../seed.json' }] })
    const files = await h.run(['seed', '--dir', escape, '--json'])
    expect(error(files).message).to.equal(`${join(escape, 'seed', 'files.json')}: /0/path "../seed.json" leaves the files/ folder`)

    const missing = await h.run(['seed', '--dir', join(h.dir, 'nowhere'), '--json'])
    expect(error(missing)).to.include({ code: 'seed/no-folder' })
    expect(error(missing).hint).to.include('--dir')
  })

  it('seeds a URL target with its secret key through the documented routes (sign-up, then role)', async () => {
    const dir = await seedDir({
      'seed.json': { keys: { remote_posts: 'slug' } },
      'data/remote_posts.ndjson': JSON.stringify({ slug: 'r1', title: 'Remote' }),
      'users.ndjson': JSON.stringify({ email: 'carol@example.com', password: 'remote pass', role: 'guest', emailVerified: true }) + '\n',
    })
    const remote = ['--target', h.emu.url, '--secret-key', h.emu.seed.environment.secretKey]
    const out = await h.run(['seed', '--dir', dir, ...remote])
    expect(out.code, out.stderr).to.equal(0)
    expect(out.stdout).to.include('users (users.ndjson): 1 created, 0 unchanged\n')
    expect(out.stderr).to.include('1 user is marked emailVerified, which only the local emulator can set')
    const signIn = await api('/v1/auth/email/signin', { method: 'POST', body: JSON.stringify({ email: 'carol@example.com', password: 'remote pass' }) })
    expect(signIn.status).to.equal(200)
    expect(((await signIn.json()) as { user: Record<string, unknown> }).user).to.include({ role: 'guest', emailVerified: null })
    const again = await h.run(['seed', '--dir', dir, ...remote, '--json'])
    expect((again.json as SeedCommandResult).parts.map((p) => [p.name, p.created, p.unchanged])).to.deep.equal([['users', 0, 1], ['remote_posts', 0, 1]])
  })

  it('--reset empties the local environment first, so the tables hold exactly the seed', async () => {
    const dir = await seedDir({
      'data/reset_posts.ndjson': [JSON.stringify({ slug: 'a', title: 'A' }), JSON.stringify({ slug: 'b', title: 'B' })].join('\n'),
      'users.ndjson': JSON.stringify({ email: 'reset@example.com', password: 'reset pass' }),
    })
    await h.run(['data', 'insert', 'reset_posts', '--data', JSON.stringify({ slug: 'stray', title: 'added by hand' })])
    const users = (await h.run(['users', 'list', '--json'])).json.pagination.total as number
    const records = async () => {
      let total = 0
      for (const t of ['posts', 'notes', 'tags', 'strict_posts', 'unkeyed', 'remote_posts', 'reset_posts', 'bystander', 'wipe_posts']) total += await count(t)
      return total
    }
    const before = await records()
    const out = await h.run(['seed', '--dir', dir, '--reset', '--json'])
    expect(out.code, out.stderr).to.equal(0)
    const result = out.json as SeedCommandResult
    expect(result.reset).to.deep.equal({ via: 'emulator', removed: { records: before, users, files: 2 } })
    expect(result.parts.map((p) => [p.name, p.created, p.unchanged])).to.deep.equal([['users', 1, 0], ['reset_posts', 2, 0]])
    expect(await records()).to.equal(2)
    const human = await h.run(['seed', '--dir', dir, '--reset'])
    expect(human.stdout).to.match(/^Reset first: removed 2 records, 1 user, 0 files\.\n/)
  })

  it('--reset on a remote environment asks first, then deletes only what the seed fills', async () => {
    const dir = await seedDir({
      'seed.json': { keys: { wipe_posts: 'slug' } },
      'data/wipe_posts.ndjson': JSON.stringify({ slug: 'r', title: 'R' }),
      'users.json': [{ email: 'seeded@example.com' }],
      'files.json': [{ key: 'note', path: 'note.txt' }],
      'files/note.txt': 'hi',
    })
    const remote = ['--target', h.emu.url, '--secret-key', h.emu.seed.environment.secretKey]
    expect((await h.run(['seed', '--dir', dir, ...remote])).code).to.equal(0)
    await h.run(['data', 'insert', 'wipe_posts', '--data', JSON.stringify({ slug: 'extra', title: 'by hand' })])
    await h.run(['data', 'insert', 'bystander', '--data', JSON.stringify({ slug: 'keep', title: 'not seeded' })])
    await h.run(['users', 'create', '--email', 'other@example.com', '--name', 'Other'])

    const refused = await h.run(['seed', '--dir', dir, ...remote, '--reset', '--json'])
    expect(refused.code).to.equal(2)
    expect(error(refused)).to.include({ code: 'cli/confirmation-required' })
    expect(error(refused).message).to.include('every record of wipe_posts, the users of the seed, the files of the seed')
    expect(await count('wipe_posts')).to.equal(2)

    const out = await h.run(['seed', '--dir', dir, ...remote, '--reset', '--yes', '--json'])
    expect(out.code, out.stderr).to.equal(0)
    const result = out.json as SeedCommandResult
    expect(result.reset).to.deep.equal({ via: 'api', removed: { records: 2, users: 1, files: 1 } })
    expect(result).to.include({ created: 3, unchanged: 0 })
    expect(await count('wipe_posts')).to.equal(1)
    expect(await count('bystander')).to.equal(1)
    const emails = ((await h.run(['users', 'list', '--json'])).json.items as Array<{ email: string }>).map((u) => u.email).sort()
    expect(emails).to.deep.equal(['other@example.com', 'reset@example.com', 'seeded@example.com'])
  })

  it('finds bkend/seed/ (or the folder bkend.json names) next to the nearest bkend.json without --dir', async () => {
    const link = join(h.dir, 'bkend.json')
    await writeFile(link, JSON.stringify({ projectId: h.emu.seed.projectId, config: 'backend' }))
    try {
      await mkdir(join(h.dir, 'backend', 'seed'), { recursive: true })
      await writeFile(join(h.dir, 'backend', 'seed', 'users.json'), JSON.stringify([{ email: 'linked@example.com' }]))
      const out = await h.run(['seed', '--json'])
      expect(out.code, out.stderr).to.equal(0)
      expect(out.json).to.include({ dir: join(h.dir, 'backend', 'seed'), created: 1 })
    } finally {
      await rm(link)
    }
  })

  it('falls back to one POST per record when the local emulator hides its bulk insert (cloud-parity mode)', async () => {
    const parity = await startEmulator({ cloudParity: true })
    try {
      await parity.core.tables.create(parity.actor, { projectId: parity.seed.projectId, environment: 'dev', tableName: 'posts', schema: POSTS })
      const rows = Array.from({ length: 30 }, (_, i) => JSON.stringify({ slug: `q${i}`, title: `Q ${i}` }))
      rows.splice(7, 0, JSON.stringify({ slug: 'bad' }))
      const dir = await seedDir({ 'seed.json': { keys: { posts: 'slug' } }, 'data/posts.ndjson': rows.join('\n') })
      const out = await h.run(['seed', '--dir', dir, '--json'], { dataDir: parity.dataDir })
      expect(out.code).to.equal(1)
      const part = (out.json as SeedCommandResult).parts[0]!
      expect(part).to.include({ created: 30, rejected: 1 })
      expect(part.rejects).to.deep.equal([{ row: 8, code: 'data/validation-error', message: part.rejects[0]!.message }])
      const again = await h.run(['seed', '--dir', dir, '--json'], { dataDir: parity.dataDir })
      expect((again.json as SeedCommandResult).parts[0]).to.include({ created: 0, unchanged: 30, rejected: 1 })
    } finally {
      await parity.dispose()
    }
  })

  it('a seed file for a table the environment lacks stops the seed before anything is written or reset', async () => {
    const dir = await seedDir({ 'users.json': [{ email: 'early@example.com' }], 'data/ghost.ndjson': '{"a":1}\n' })
    const users = (await h.run(['users', 'list', '--json'])).json.pagination.total as number
    expect(users, 'a reset would remove the users earlier tests seeded').to.be.greaterThan(0)
    for (const extra of [[], ['--reset']]) {
      const out = await h.run(['seed', '--dir', dir, ...extra, '--json'])
      expect(out.code).to.equal(1)
      expect(error(out)).to.include({ code: 'data/table-not-found' })
      expect(error(out).message).to.include('ghost')
      expect((await h.run(['users', 'list', '--json'])).json.pagination.total).to.equal(users)
    }
  })
})
