import { expect } from 'chai'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { showError } from '../../src/cli/base-command.js'
import { tableModel } from '../../src/client/project-state.js'
import { configLayout } from '../../src/config/layout.js'
import { loadConfig } from '../../src/config/load.js'
import { ConfigError } from '../../src/config/problems.js'
import type { Table } from '../../src/contract/tables.js'
import { BIN, runCli, withoutMachineBkendEnv } from '../helpers/cli.js'
import { startEmulator } from '../helpers/emulator.js'
import { tempDir } from '../helpers/tmp.js'
import { shellQuote as quote, tmuxAvailable, tmuxTerminal } from '../helpers/tmux.js'
import { startManagementHarness, type ManagementHarness } from './management-harness.js'

const SCHEMA = {
  title: { type: 'string', required: true, maxLength: 200 },
  score: { type: 'int', minimum: 0 },
  price: { type: 'number' },
  author: { type: 'reference', ref: 'users' },
  meta: { type: 'object', properties: { lat: { type: 'number', required: true } } },
  tags: { type: 'array', items: { type: 'string' } },
  status: { type: 'string', enum: ['draft', 'live'], default: 'draft' },
}

describe('cli: bkend pull', function () {
  let h: ManagementHarness
  const read = (path: string) => readFile(join(h.dir, path), 'utf8')
  const json = async (path: string) => JSON.parse(await read(path)) as Record<string, unknown>

  before(async () => {
    h = await startManagementHarness()
    const ok = async (args: string[], input?: string) => {
      const run = await h.run(args, { input })
      expect(run.code, run.stderr).to.equal(0)
    }
    await ok(['tables', 'create', 'posts', '--schema', JSON.stringify(SCHEMA), '--display-name', 'Posts'])
    await ok(['tables', 'create', 'authors', '--field', 'name:string!'])
    await ok(['tables', 'indexes', 'add', 'posts', 'by_title', '--field', 'title:1', '--unique'])
    await ok(['tables', 'permissions', 'set', 'posts', '--allow', 'guest=read,list', '--allow', 'self=update'])
    await ok(['auth', 'providers', 'set', 'google', '--client-id', 'google-local', '--client-secret', '-', '--redirect-uri', 'http://127.0.0.1:4100/cb'], 's3cret\n')
    await ok(['auth', 'providers', 'set', 'github', '--client-id', 'github-local', '--redirect-uri', 'http://127.0.0.1:4100/gh', '--disabled'])
    await ok(['projects', 'update', 'local', '--allowed-origin', 'http://localhost:3000'])
    await h.emu.core.projectSettings.email.update(h.emu.actor, h.emu.seed.projectId, 'magic_link', { subject: 'Your link', body: '<p>{{magicLink}}</p>' })
  })
  after(() => h.dispose())

  it('writes one file per table, project.json and the local overlay, each with its $schema', async () => {
    const run = await h.run(['pull', '--json'])
    expect(run.code, run.stderr).to.equal(0)
    expect(run.json).to.deep.equal({
      dir: 'bkend',
      environment: 'dev',
      overlay: 'local',
      files: [
        { path: 'bkend/overlays/local.json', change: 'created' },
        { path: 'bkend/project.json', change: 'created' },
        { path: 'bkend/tables/authors.json', change: 'created' },
        { path: 'bkend/tables/posts.json', change: 'created' },
      ],
      unread: [],
    })
    expect(await json('bkend/tables/posts.json')).to.deep.equal({
      $schema: '../../node_modules/bkend/schemas/table.schema.json',
      name: 'posts',
      displayName: 'Posts',
      fields: SCHEMA,
      indexes: [{ name: 'by_title', fields: { title: 1 }, unique: true }],
      permissions: { guest: { create: false, read: true, update: false, delete: false, list: true }, self: { read: false, update: true, delete: false, list: false } },
    })
    const project = await json('bkend/project.json')
    expect(project.$schema).to.equal('../node_modules/bkend/schemas/project.schema.json')
    expect(project.auth).to.deep.include({ providers: { google: { scopes: ['openid', 'email', 'profile'] }, github: { scopes: ['user:email'] } } })
    expect(project.email).to.deep.equal({ senderEmail: 'noreply@bkend.local', senderName: 'bkend', logoUrl: null, brandColor: null, overrideDefaults: false, templates: { magic_link: { subject: 'Your link', body: '<p>{{magicLink}}</p>' } } })
    // what differs by target, and never the secret
    expect(await json('bkend/overlays/local.json')).to.deep.equal({
      $schema: '../../node_modules/bkend/schemas/overlay.schema.json',
      auth: { providers: { google: { clientId: 'google-local', redirectUri: 'http://127.0.0.1:4100/cb', enabled: true }, github: { clientId: 'github-local', redirectUri: 'http://127.0.0.1:4100/gh', enabled: false } } },
      cors: { allowedOrigins: ['http://localhost:3000'] },
    })
    expect(await read('bkend/overlays/local.json')).to.not.include('s3cret')
  })

  it('the files load back into exactly the live tables', async () => {
    const model = await loadConfig(configLayout(h.dir), { kind: 'local', cwd: h.dir })
    const live = h.emu.core.tables.list(h.emu.actor, { projectId: h.emu.seed.projectId, environment: 'dev' }) as unknown as Table[]
    expect(live).to.have.length(2)
    for (const table of live) expect(model.tables[table.tableName], table.tableName).to.deep.equal(tableModel(table))
    expect(model.settings!.cors).to.deep.equal({ allowedOrigins: ['http://localhost:3000'] })
    expect(model.settings!.auth!.providers).to.deep.equal({ google: { clientId: 'google-local', redirectUri: 'http://127.0.0.1:4100/cb', scopes: ['openid', 'email', 'profile'], enabled: true }, github: { clientId: 'github-local', redirectUri: 'http://127.0.0.1:4100/gh', scopes: ['user:email'], enabled: false } })
  })

  it('pulling again writes nothing: identical bytes, and says so', async () => {
    const before = await Promise.all(['bkend/tables/posts.json', 'bkend/project.json', 'bkend/overlays/local.json'].map(read))
    const run = await h.run(['pull'])
    expect(run.code, run.stderr).to.equal(0)
    expect(run.stdout).to.equal('bkend already matches dev: nothing written.\n')
    expect(await Promise.all(['bkend/tables/posts.json', 'bkend/project.json', 'bkend/overlays/local.json'].map(read))).to.deep.equal(before)
  })

  it('keeps a secret reference the overlay holds, and never touches seed/', async () => {
    const overlay = await json('bkend/overlays/local.json')
    ;(overlay.auth as { providers: { google: Record<string, unknown> } }).providers.google.clientSecret = { env: 'GOOGLE_CLIENT_SECRET' }
    await writeFile(join(h.dir, 'bkend/overlays/local.json'), JSON.stringify(overlay, null, 2) + '\n')
    await mkdir(join(h.dir, 'bkend/seed/data'), { recursive: true })
    await writeFile(join(h.dir, 'bkend/seed/data/posts.ndjson'), '{"title":"a"}\n')
    const run = await h.run(['pull', '--yes', '--json'])
    expect(run.code, run.stderr).to.equal(0)
    expect(run.json.files.filter((f: { change: string }) => f.change !== 'unchanged')).to.deep.equal([{ path: 'bkend/overlays/local.json', change: 'changed' }])
    expect((await json('bkend/overlays/local.json')).auth).to.deep.include({ providers: { google: { clientId: 'google-local', clientSecret: { env: 'GOOGLE_CLIENT_SECRET' }, redirectUri: 'http://127.0.0.1:4100/cb', enabled: true }, github: { clientId: 'github-local', redirectUri: 'http://127.0.0.1:4100/gh', enabled: false } } })
    expect(await read('bkend/seed/data/posts.ndjson')).to.equal('{"title":"a"}\n')
  })

  it('a dropped table: without a terminal, pull asks for --yes and changes nothing; with it, removes the file', async () => {
    const drop = await h.run(['tables', 'delete', 'authors', '--yes'])
    expect(drop.code, drop.stderr).to.equal(0)
    const refused = await h.run(['pull'])
    expect(refused.code).to.equal(2)
    expect(refused.stderr).to.equal('Error: Pull dev: delete bkend/tables/authors.json: needs confirmation\nHint: pass --yes to confirm when no terminal is attached\n')
    expect(await read('bkend/tables/authors.json')).to.include('"name": "authors"')
    const run = await h.run(['pull', '--yes'])
    expect(run.code, run.stderr).to.equal(0)
    expect(run.stdout).to.equal('removed  bkend/tables/authors.json\nPulled dev into bkend (3 files unchanged).\n')
    expect(await read('bkend/tables/authors.json').catch(() => 'gone')).to.equal('gone')
  })

  it('a typo in a pulled file: the loader names file, path and the fix; the CLI shows every problem', async () => {
    const text = await read('bkend/tables/posts.json')
    await writeFile(join(h.dir, 'bkend/tables/posts.json'), text.replace('"required": true,\n      "maxLength"', '"requird": true,\n      "maxLength"'))
    const error = await loadConfig(configLayout(h.dir), { kind: 'local', cwd: h.dir }).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(ConfigError)
    expect((error as ConfigError).message).to.equal('bkend/tables/posts.json: fields.title.requird: unknown key "requird"; did you mean "required"?')
    const { shown, exitCode } = showError(error as ConfigError)
    expect(exitCode).to.equal(1)
    expect(shown).to.deep.include({ code: 'config/invalid', hint: 'fix the files as each line says (docs/config.md describes them)' })
    expect(shown.problems).to.deep.equal([{ file: 'bkend/tables/posts.json', path: 'fields.title.requird', message: 'unknown key "requird"', fix: 'did you mean "required"?' }])
    expect(showError(new ConfigError((error as ConfigError).problems, 2)).exitCode).to.equal(2)
    await writeFile(join(h.dir, 'bkend/tables/posts.json'), text)
  })

  it('on a terminal, pull asks before overwriting an edited file: n keeps the edit, y overwrites it', async function () {
    this.timeout(60_000)
    if (!(await tmuxAvailable())) throw new Error('the terminal tests need tmux: apt-get install tmux (.ci/run installs it)')
    const terminal = tmuxTerminal(`bkend-pull-${process.pid}`)
    const start = () => terminal.start(`cd ${quote(h.dir)} && XDG_CONFIG_HOME=${quote(h.configHome)} ${quote(process.execPath)} ${quote(BIN)} pull --data-dir ${quote(h.emu.dataDir)}; echo "[exit $?]"; sleep 60`)
    const pulled = await read('bkend/tables/posts.json')
    const edited = pulled.replace('"displayName": "Posts"', '"displayName": "Articles"')
    try {
      await writeFile(join(h.dir, 'bkend/tables/posts.json'), edited)
      await start()
      expect(await terminal.waitForScreen((s) => s.includes('[y/N]'))).to.include('Pull dev: overwrite bkend/tables/posts.json? [y/N]')
      await terminal.keys('n', 'Enter')
      expect(await terminal.waitForScreen((s) => s.includes('[exit'))).to.include('Error: cancelled, nothing was changed').and.include('[exit 1]')
      expect(await read('bkend/tables/posts.json')).to.equal(edited)
      await start()
      await terminal.waitForScreen((s) => s.includes('[y/N]'))
      await terminal.keys('y', 'Enter')
      expect(await terminal.waitForScreen((s) => s.includes('[exit'))).to.include('changed  bkend/tables/posts.json').and.include('[exit 0]')
      expect(await read('bkend/tables/posts.json')).to.equal(pulled)
    } finally {
      await terminal.close()
    }
  })

  it('--env pulls another environment of the project', async () => {
    for (const args of [['envs', 'create', 'staging'], ['tables', 'create', 'events', '--field', 'at:date!', '--env', 'staging']]) {
      const run = await h.run(args)
      expect(run.code, run.stderr).to.equal(0)
    }
    const run = await h.run(['pull', '--env', 'staging', '--dir', 'staging', '--json'])
    expect(run.code, run.stderr).to.equal(0)
    expect(run.json.environment).to.equal('staging')
    expect(run.json.files.map((f: { path: string }) => f.path)).to.deep.equal(['staging/overlays/local.json', 'staging/project.json', 'staging/tables/events.json'])
    expect(JSON.parse(await read('staging/tables/events.json')).fields).to.deep.equal({ at: { type: 'date', required: true } })
    const unknown = await h.run(['pull', '--env', 'prod', '--dir', 'staging'])
    expect(unknown.code).to.equal(1)
    expect(unknown.stderr).to.include('no environment "prod"').and.include('Hint: pass --env with one of: dev, staging')
  })

  it('--dir and bkend.json "config" choose the folder', async () => {
    const run = await h.run(['pull', '--dir', 'elsewhere', '--json'])
    expect(run.code, run.stderr).to.equal(0)
    expect(run.json.dir).to.equal('elsewhere')
    expect(await readFile(join(h.dir, 'elsewhere/tables/posts.json'), 'utf8')).to.include('"$schema": "../../node_modules/bkend/schemas/table.schema.json"')
    await writeFile(join(h.dir, 'bkend.json'), JSON.stringify({ projectId: h.emu.seed.projectId, config: 'infra/bkend' }))
    await mkdir(join(h.dir, 'web'))
    const linked = await h.run(['pull', '--json'], { cwd: join(h.dir, 'web') })
    expect(linked.code, linked.stderr).to.equal(0)
    expect(linked.json.dir).to.equal('../infra/bkend')
    // $schema stays relative to the project root (bkend.json's directory), where node_modules is
    expect(await readFile(join(h.dir, 'infra/bkend/project.json'), 'utf8')).to.include('"$schema": "../../node_modules/bkend/schemas/project.schema.json"')
  })
})

describe('cli: bkend pull from fresh emulators', () => {
  it('two emulators on different ports give identical bytes: the built-in fake providers are not configuration', async () => {
    const { dir, cleanup } = await tempDir('bkend-pull-')
    const texts: string[][] = []
    try {
      for (const name of ['one', 'two']) {
        const emu = await startEmulator()
        try {
          await mkdir(join(dir, name))
          const run = await runCli(['pull', '--data-dir', emu.dataDir], { cwd: join(dir, name), env: { ...withoutMachineBkendEnv(), XDG_CONFIG_HOME: join(dir, 'config') } })
          expect(run.code, run.stderr).to.equal(0)
          texts.push(await Promise.all(['bkend/project.json', 'bkend/overlays/local.json'].map((f) => readFile(join(dir, name, f), 'utf8'))))
        } finally {
          await emu.dispose()
        }
      }
      expect(texts).to.have.length(2)
      expect(texts[0]).to.deep.equal(texts[1])
      expect(JSON.parse(texts[0]![0]!).auth).to.not.have.property('providers')
      expect(JSON.parse(texts[0]![1]!)).to.deep.equal({ $schema: '../../node_modules/bkend/schemas/overlay.schema.json', cors: { allowedOrigins: [] } })
    } finally {
      await cleanup()
    }
  })
})

describe('cli: bkend pull from a target without settings tools (cloud parity)', () => {
  it('leaves auth and e-mail as the files had them, says so, and still pulls tables and CORS', async () => {
    const emu = await startEmulator({ cloudParity: true })
    const { dir, cleanup } = await tempDir('bkend-pull-')
    try {
      await mkdir(join(dir, 'bkend'))
      const kept = { auth: { passwordPolicy: { minLength: 12 } } }
      await writeFile(join(dir, 'bkend/project.json'), JSON.stringify(kept))
      const env = { ...withoutMachineBkendEnv(), XDG_CONFIG_HOME: join(dir, 'config') }
      const create = await runCli(['tables', 'create', 'notes', '--field', 'body:string', '--data-dir', emu.dataDir], { cwd: dir, env })
      expect(create.code, create.stderr).to.equal(0)
      const run = await runCli(['pull', '--yes', '--data-dir', emu.dataDir], { cwd: dir, env })
      expect(run.code, run.stderr).to.equal(0)
      expect(run.stdout).to.include("Not read: auth, email settings (this target's tools cannot read them); the files keep what they said about them.\n")
      expect(JSON.parse(await readFile(join(dir, 'bkend/project.json'), 'utf8'))).to.deep.equal({ $schema: '../node_modules/bkend/schemas/project.schema.json', ...kept })
      expect(JSON.parse(await readFile(join(dir, 'bkend/overlays/local.json'), 'utf8'))).to.deep.equal({ $schema: '../../node_modules/bkend/schemas/overlay.schema.json', cors: { allowedOrigins: [] } })
      expect(JSON.parse(await readFile(join(dir, 'bkend/tables/notes.json'), 'utf8')).fields).to.deep.equal({ body: { type: 'string' } })
    } finally {
      await emu.dispose()
      await cleanup()
    }
  })
})
