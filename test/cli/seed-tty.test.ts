import { expect } from 'chai'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { BIN } from '../helpers/cli.js'
import { shellQuote as quote, tmuxAvailable, tmuxTerminal } from '../helpers/tmux.js'
import { startCliHarness, type CliHarness } from './data-harness.js'

/** `bkend seed` in a real terminal (tmux): a progress line per part, the summary, and what Ctrl+C leaves. */
describe('cli: bkend seed on a terminal (tmux)', function () {
  this.timeout(60_000)
  let h: CliHarness
  const terminal = tmuxTerminal(`bkend-seed-tty-${process.pid}`)
  const seedIn = (dir: string) =>
    `cd ${quote(h.dir)} && XDG_CONFIG_HOME=${quote(join(h.dir, 'config'))} ${quote(process.execPath)} ${quote(BIN)} seed --dir ${quote(dir)} --data-dir ${quote(h.emu.dataDir)}; echo "[exit $?]"; sleep 60`

  before(async function () {
    if (!(await tmuxAvailable())) throw new Error('the terminal tests need tmux: apt-get install tmux (.ci/run installs it)')
    h = await startCliHarness()
    await h.table('posts', { bsonType: 'object', properties: { slug: { bsonType: 'string' } } })
    await h.table('big', { bsonType: 'object', properties: { seq: { bsonType: 'int' } } })
    await mkdir(join(h.dir, 'small', 'seed', 'data'), { recursive: true })
    await writeFile(join(h.dir, 'small', 'seed', 'seed.json'), JSON.stringify({ keys: { posts: 'slug' } }))
    await writeFile(join(h.dir, 'small', 'seed', 'data', 'posts.ndjson'), Array.from({ length: 2000 }, (_, i) => JSON.stringify({ slug: `s${i}` })).join('\n') + '\n')
    await writeFile(join(h.dir, 'small', 'seed', 'users.json'), JSON.stringify([{ email: 'tty@example.com', password: 'tty password' }]))
    await mkdir(join(h.dir, 'large', 'seed', 'data'), { recursive: true })
    await writeFile(join(h.dir, 'large', 'seed', 'data', 'big.ndjson'), Array.from({ length: 400_000 }, (_, i) => JSON.stringify({ seq: i + 1 })).join('\n') + '\n')
  })
  after(async () => {
    await terminal.close()
    await h?.dispose()
  })

  it('draws a finished progress line per part, then the summary', async () => {
    await terminal.start(seedIn('small'))
    const screen = await terminal.waitForScreen((s) => s.includes('[exit'))
    expect(screen).to.match(/✔ Seeding users .*1 rows?/)
    expect(screen).to.match(/✔ Seeding posts .*2,000 rows/)
    expect(screen).to.include('posts (data/posts.ndjson): 2,000 created, 0 unchanged')
    expect(screen).to.match(/Seeded environment dev in [\d.]+ s: 2,001 created, 0 unchanged, 0 rejected\./)
    expect(screen).to.include('[exit 0]')
  })

  it('Ctrl+C stops after the records in flight, marks the line stopped, says so, and exits 130', async () => {
    await terminal.close()
    await terminal.start(seedIn('large'))
    await terminal.waitForScreen((s) => /Seeding big .*[1-9][\d,]* rows/.test(s))
    await terminal.keys('C-c')
    const screen = await terminal.waitForScreen((s) => s.includes('[exit'))
    expect(screen).to.match(/■ Seeding big/)
    expect(screen).to.include('Stopping: waiting for the records in flight (Ctrl+C again to stop at once)…')
    expect(screen).to.match(/big \(data\/big\.ndjson\): [\d,]+ created, 0 unchanged \(interrupted\)/)
    expect(screen).to.include('stopped early, later parts not seeded')
    expect(screen).to.include('[exit 130]')
  })
})
