import { expect } from 'chai'
import { join } from 'node:path'
import type { BulkDeleteSummary } from '../../src/cli/io/transfer/bulk-delete.js'
import { BIN } from '../helpers/cli.js'
import { shellQuote as quote, tmuxAvailable, tmuxTerminal } from '../helpers/tmux.js'
import { startCliHarness, type CliHarness } from './data-harness.js'

/** `bkend data delete TABLE --filter JSON | --all` against a real emulator over REST. */
describe('cli: bkend data delete --filter / --all', function () {
  this.timeout(60_000)
  let h: CliHarness
  before(async () => {
    h = await startCliHarness()
    await h.table('posts', { status: { type: 'string' }, n: { type: 'int' } })
  })
  after(() => h?.dispose())

  const sk = () => h.emu.seed.environment.secretKey
  const seed = async (drafts: number, published: number) => {
    const rows = [...Array.from({ length: drafts }, (_, i) => ({ status: 'draft', n: i })), ...Array.from({ length: published }, (_, i) => ({ status: 'published', n: i }))]
    await Promise.all(rows.map((row) => fetch(`${h.emu.url}/v1/data/posts`, { method: 'POST', headers: { 'X-API-Key': sk(), 'Content-Type': 'application/json' }, body: JSON.stringify(row) })))
  }
  const total = async (filter?: unknown) => {
    const query = filter === undefined ? '' : `&andFilters=${encodeURIComponent(JSON.stringify(filter))}`
    const response = await fetch(`${h.emu.url}/v1/data/posts?limit=1${query}`, { headers: { 'X-API-Key': sk() } })
    return ((await response.json()) as { pagination: { total: number } }).pagination.total
  }
  beforeEach(() => h.emu.core.devState.reset(h.emu.actor, {}))

  it('--filter deletes exactly the matching records, more than one page of them, and reports the count', async () => {
    await seed(230, 40)
    const out = await h.run(['data', 'delete', 'posts', '--filter', '{"status":"draft"}', '--yes', '--json'])
    expect(out.code, out.stderr).to.equal(0)
    expect(out.json as BulkDeleteSummary).to.deep.equal({ table: 'posts', matched: 230, deleted: 230, alreadyGone: 0 })
    expect(await total({ status: 'draft' })).to.equal(0)
    expect(await total({ status: 'published' })).to.equal(40)
  })

  it('--all deletes every record and says so in a line', async () => {
    await seed(3, 2)
    const out = await h.run(['data', 'delete', 'posts', '--all', '--yes'])
    expect(out.code, out.stderr).to.equal(0)
    expect(out.stdout).to.equal('Deleted 5 records from posts (environment dev).\n')
    expect(await total()).to.equal(0)
  })

  it('nothing matching: nothing to confirm, 0 deleted', async () => {
    await seed(0, 2)
    const out = await h.run(['data', 'delete', 'posts', '--filter', '{"status":"draft"}'])
    expect(out.code, out.stderr).to.equal(0)
    expect(out.stdout).to.equal('Deleted 0 records from posts (environment dev).\n')
    expect(await total()).to.equal(2)
  })

  it('without a terminal and without --yes it refuses with the count, nothing deleted', async () => {
    await seed(4, 0)
    const out = await h.run(['data', 'delete', 'posts', '--all'])
    expect(out.code).to.equal(2)
    expect(out.stderr).to.include('Delete 4 records from posts (dev): needs confirmation')
    expect(out.stderr).to.include('pass --yes')
    expect(await total()).to.equal(4)
  })

  const usage = [
    { name: 'neither an id nor --filter/--all', args: ['data', 'delete', 'posts'], says: 'say what to delete' },
    { name: 'an id and --all', args: ['data', 'delete', 'posts', 'f'.repeat(24), '--all'], says: 'not both' },
    { name: '--filter that is not JSON', args: ['data', 'delete', 'posts', '--filter', '{status:draft}', '--yes'], says: '--filter is not valid JSON' },
    { name: '--filter and --all', args: ['data', 'delete', 'posts', '--filter', '{}', '--all', '--yes'], says: '--all' },
  ]
  for (const s of usage) {
    it(`${s.name} → exit 2 with what to write, nothing deleted`, async () => {
      await seed(1, 0)
      const out = await h.run(s.args)
      expect(out.code).to.equal(2)
      expect(out.stderr).to.include(s.says)
      expect(out.stderr).to.not.match(/\n\s+at /)
      expect(await total()).to.equal(1)
    })
  }

  it('a table that does not exist: the error names it, exit 1', async () => {
    const out = await h.run(['data', 'delete', 'nope', '--all', '--yes'])
    expect(out.code).to.equal(1)
    expect(out.stderr).to.include('nope')
  })

  it('one record by id still works as before', async () => {
    const created = await fetch(`${h.emu.url}/v1/data/posts`, { method: 'POST', headers: { 'X-API-Key': sk(), 'Content-Type': 'application/json' }, body: JSON.stringify({ status: 'x' }) })
    const { id } = (await created.json()) as { id: string }
    const out = await h.run(['data', 'delete', 'posts', id, '--yes', '--json'])
    expect(out.code, out.stderr).to.equal(0)
    expect(out.json).to.deep.equal({ table: 'posts', id, deleted: true })
    expect(await total()).to.equal(0)
  })

  describe('on a terminal (tmux)', () => {
    const terminal = tmuxTerminal(`bkend-bulk-delete-${process.pid}`)
    before(async () => {
      if (!(await tmuxAvailable())) throw new Error('the terminal tests need tmux: apt-get install tmux (.ci/run installs it)')
    })
    after(() => terminal.close())

    it('asks with the count, shows the bar, then the summary', async () => {
      await seed(120, 0)
      await terminal.start(`cd ${quote(h.dir)} && XDG_CONFIG_HOME=${quote(join(h.dir, 'config'))} ${quote(process.execPath)} ${quote(BIN)} data delete posts --all --data-dir ${quote(h.emu.dataDir)}; echo "[exit $?]"; sleep 60`)
      await terminal.waitForScreen((s) => s.includes('Delete 120 records from posts (dev)? [y/N]'))
      await terminal.keys('y', 'Enter')
      const screen = await terminal.waitForScreen((s) => s.includes('[exit'))
      expect(screen).to.match(/Deleting from posts .*120 rows/)
      expect(screen).to.include('Deleted 120 records from posts (environment dev).')
      expect(screen).to.include('[exit 0]')
      expect(await total()).to.equal(0)
    })
  })
})
