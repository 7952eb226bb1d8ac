import { expect } from 'chai'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DevResetResult } from '../../src/commands/dev/reset.js'
import type { DevSnapshotListResult } from '../../src/commands/dev/snapshot/list.js'
import { parseJson, runBinary, withoutMachineBkendEnv } from '../helpers/cli.js'
import { startCliHarness, type CliHarness } from './data-harness.js'

/** `bkend dev reset` and `bkend dev snapshot …` against a real emulator, in-process and through the built binary. */
describe('cli: bkend dev reset and bkend dev snapshot', function () {
  this.timeout(60_000)
  let h: CliHarness
  before(async () => {
    h = await startCliHarness()
    await h.table('notes', { title: { type: 'string' } })
  })
  after(() => h?.dispose())

  const insert = async (title: string) => {
    const response = await fetch(`${h.emu.url}/v1/data/notes`, { method: 'POST', headers: { 'X-API-Key': h.emu.seed.environment.secretKey, 'Content-Type': 'application/json' }, body: JSON.stringify({ title }) })
    expect(response.status).to.equal(201)
  }
  const titles = async () => {
    const response = await fetch(`${h.emu.url}/v1/data/notes?sortBy=title&sortDirection=asc`, { headers: { 'X-API-Key': h.emu.seed.environment.secretKey } })
    return ((await response.json()) as { items: Array<{ title: string }> }).items.map((r) => r.title)
  }
  const binary = async (args: string[]) => {
    const result = await runBinary([...args, '--data-dir', h.emu.dataDir], { cwd: h.dir, env: { ...withoutMachineBkendEnv(), XDG_CONFIG_HOME: join(h.dir, 'config') } })
    return { ...result, json: parseJson(result.stdout) }
  }

  it('dev reset --yes (built binary) empties the environment and says what went', async () => {
    await insert('one')
    await insert('two')
    const out = await binary(['dev', 'reset', '--yes'])
    expect(out.code, out.stderr).to.equal(0)
    expect(out.stdout).to.equal('Reset dev: removed 2 records, 0 users, 0 files; tables, keys and settings kept.\n')
    expect(await titles()).to.deep.equal([])
  })

  it('dev reset --json returns what was removed', async () => {
    await insert('three')
    const out = await h.run(['dev', 'reset', '--env', 'dev', '--yes', '--json'])
    expect(out.code, out.stderr).to.equal(0)
    expect(out.json as DevResetResult).to.deep.equal({ projectId: h.emu.seed.projectId, environmentId: h.emu.seed.environment.id, environment: 'dev', removed: { records: 1, users: 0, files: 0 } })
  })

  it('dev reset without a terminal and without --yes refuses and changes nothing', async () => {
    await insert('stays')
    const out = await h.run(['dev', 'reset'])
    expect(out.code).to.equal(2)
    expect(out.stderr).to.include('pass --yes')
    expect(out.stderr).to.not.match(/\n\s+at /)
    expect(await titles()).to.deep.equal(['stays'])
  })

  it('dev reset --to-seed empties the environment, then loads the seed folder', async () => {
    await insert('stale')
    const seedDir = join(h.dir, 'bkend', 'seed')
    await mkdir(join(seedDir, 'data'), { recursive: true })
    await writeFile(join(seedDir, 'data', 'notes.ndjson'), '{"title":"seeded-a"}\n{"title":"seeded-b"}\n')
    await writeFile(join(seedDir, 'users.json'), JSON.stringify([{ email: 'seed@example.com', password: 'Seed-Passw0rd!' }]))
    try {
      const out = await h.run(['dev', 'reset', '--to-seed', '--yes'])
      expect(out.code, out.stderr).to.equal(0)
      expect(out.stdout).to.match(/^Reset dev: removed \d+ records?, 0 users, 0 files; tables, keys and settings kept\.\n/)
      expect(out.stdout).to.include('notes (data/notes.ndjson): 2 created, 0 unchanged')
      expect(out.stdout).to.include('users (users.json): 1 created, 0 unchanged')
      expect(await titles()).to.deep.equal(['seeded-a', 'seeded-b'])

      const again = await h.run(['dev', 'reset', '--to-seed', '--yes', '--json'])
      expect(again.code, again.stderr).to.equal(0)
      expect(again.json.removed).to.deep.equal({ records: 2, users: 1, files: 0 })
      expect(again.json.seed).to.include({ created: 3, rejected: 0 })
      expect(await titles()).to.deep.equal(['seeded-a', 'seeded-b'])
    } finally {
      await rm(join(h.dir, 'bkend'), { recursive: true, force: true })
    }
  })

  it('dev reset --to-seed without a seed folder stops before deleting anything', async () => {
    const before = await titles()
    expect(before.length).to.be.greaterThan(0)
    const out = await h.run(['dev', 'reset', '--to-seed', '--yes'])
    expect(out.code).to.equal(1)
    expect(out.stderr).to.include('cannot read the seed folder')
    expect(await titles()).to.deep.equal(before)
  })

  it('dev reset --env of an environment that does not exist names it', async () => {
    const out = await h.run(['dev', 'reset', '--env', 'nope', '--yes'])
    expect(out.code).to.equal(1)
    expect(out.stderr).to.include('"nope"')
  })

  it('snapshot save, list, restore, delete (built binary for save and restore)', async () => {
    await h.emu.core.devState.reset(h.emu.actor, {})
    await insert('stays')
    const saved = await binary(['dev', 'snapshot', 'save', 'fixture'])
    expect(saved.code, saved.stderr).to.equal(0)
    expect(saved.stdout).to.match(/^Saved snapshot fixture: 1 record, 0 users, 0 files \(\d+(\.\d)? (B|KiB|MiB)\)\.\n$/)

    await insert('after-save')
    const listed = await h.run(['dev', 'snapshot', 'list', '--json'])
    expect(listed.code, listed.stderr).to.equal(0)
    const { items } = listed.json as DevSnapshotListResult
    expect(items).to.have.length(1)
    expect(items[0]).to.include({ name: 'fixture', records: 1, users: 0, files: 0 })

    const table = await h.run(['dev', 'snapshot', 'list'])
    expect(table.stdout).to.match(/Name\s+Created\s+Size\s+Records\s+Users\s+Files/)
    expect(table.stdout).to.match(/fixture\s+\d{4}-/)

    const refused = await h.run(['dev', 'snapshot', 'restore', 'fixture'])
    expect(refused.code).to.equal(2)
    expect(await titles()).to.deep.equal(['after-save', 'stays'])

    const restored = await binary(['dev', 'snapshot', 'restore', 'fixture', '--yes', '--json'])
    expect(restored.code, restored.stderr).to.equal(0)
    expect(restored.json).to.include({ name: 'fixture', records: 1 })
    expect(await titles()).to.deep.equal(['stays'])

    const deleted = await h.run(['dev', 'snapshot', 'delete', 'fixture', '--yes'])
    expect(deleted.code, deleted.stderr).to.equal(0)
    expect(deleted.stdout).to.equal('Deleted snapshot fixture.\n')
    expect((await h.run(['dev', 'snapshot', 'list'])).stdout).to.equal('No snapshots yet: bkend dev snapshot save NAME makes one.\n')
  })

  for (const name of ['../outside', 'a/b', '..']) {
    it(`snapshot save ${name} → a clear error, nothing written`, async () => {
      const out = await h.run(['dev', 'snapshot', 'save', name])
      expect(out.code).to.equal(1)
      expect(out.stderr).to.include('is not a snapshot name')
      expect(out.stderr).to.not.match(/\n\s+at /)
      expect((await h.run(['dev', 'snapshot', 'list', '--json'])).json.items).to.deep.equal([])
    })
  }

  it('snapshot restore of a name never saved → not found', async () => {
    const out = await h.run(['dev', 'snapshot', 'restore', 'never', '--yes'])
    expect(out.code).to.equal(1)
    expect(out.stderr).to.include('no snapshot named "never"')
  })
})
