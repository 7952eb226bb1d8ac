import { expect } from 'chai'
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
// `bkend dev` and `dev exec` themselves are under test, so every run here is the spawned binary
import { BIN, parseJson, runBinary, spawnDev, withoutMachineBkendEnv } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'

const POSTS = { name: 'posts', fields: { title: { type: 'string', required: true }, views: { type: 'int' } }, indexes: [{ name: 'title_unique', fields: { title: 1 }, unique: true }] }

/** A fresh data dir gets the config folder and the seed; a later start leaves them alone. */
describe('e2e: bkend dev and dev exec apply the project files on a fresh data dir', function () {
  this.timeout(60_000)
  let dir: string
  let cleanup: () => Promise<void>
  let env: NodeJS.ProcessEnv
  beforeEach(async () => {
    ;({ dir, cleanup } = await tempDir())
    await mkdir(join(dir, 'bkend', 'tables'), { recursive: true })
    await mkdir(join(dir, 'bkend', 'seed', 'data'), { recursive: true })
    await mkdir(join(dir, 'tmp'))
    await writeFile(join(dir, 'bkend', 'tables', 'posts.json'), JSON.stringify(POSTS))
    await writeFile(join(dir, 'bkend', 'seed', 'data', 'posts.ndjson'), '{"title":"first","views":1}\n{"title":"second","views":2}\n')
    env = { ...withoutMachineBkendEnv(), TMPDIR: join(dir, 'tmp') }
  })
  afterEach(() => cleanup())

  const run = (args: string[]) => runBinary(args, { env, cwd: dir })
  const dataDir = () => join(dir, '.bkend')
  const titles = async () => (await run(['data', 'list', 'posts', '--json', '--data-dir', dataDir()])).stdout
  // --dir and --data-dir name what a start in `dir` would find itself
  const startDev = () => spawnDev(['--port', '0', '--data-dir', dataDir(), '--dir', join(dir, 'bkend')], env)

  it('bkend dev pushes the config and loads the seed before it is ready, and only on the first start', async () => {
    const first = await startDev()
    try {
      // the events follow the ready line, maybe in a later chunk of stdout
      for (const deadline = Date.now() + 5000; first.lines.length < 3 && Date.now() < deadline; ) await sleep(20)
      const events = first.lines.slice(1, 3).map((line) => JSON.parse(line))
      expect(events).to.have.length(2)
      expect(events[0]).to.deep.include({ event: 'config', status: 'applied', dir: join(dir, 'bkend') })
      expect(events[0].steps).to.be.greaterThan(0)
      expect(events[1]).to.deep.include({ event: 'seed', created: 2, rejected: 0 })
      const table = parseJson((await run(['tables', 'get', 'posts', '--json', '--data-dir', dataDir()])).stdout)
      expect(Object.keys(table.schema.properties).sort()).to.deep.equal(['title', 'views'])
      expect(table.indexes.map((i: { name: string }) => i.name)).to.include('title_unique')
      expect(await titles()).to.contain('"first"').and.contain('"second"')
    } finally {
      expect(await first.stop()).to.equal(0)
    }

    // a later start: neither the new field nor the new seed row arrives (push and seed are for that)
    await writeFile(join(dir, 'bkend', 'tables', 'posts.json'), JSON.stringify({ ...POSTS, fields: { ...POSTS.fields, body: { type: 'string' } } }))
    await writeFile(join(dir, 'bkend', 'seed', 'data', 'posts.ndjson'), '{"title":"first","views":1}\n{"title":"second","views":2}\n{"title":"third"}\n')
    const second = await startDev()
    try {
      const table = parseJson((await run(['tables', 'get', 'posts', '--json', '--data-dir', dataDir()])).stdout)
      expect(Object.keys(table.schema.properties).sort()).to.deep.equal(['title', 'views'])
      expect(await titles()).not.to.contain('"third"')
      // checked after the commands above, so events written right after the ready line would have arrived
      expect(second.lines.slice(1).filter((line) => /"event":"(config|seed)"/.test(line))).to.deep.equal([])
    } finally {
      expect(await second.stop()).to.equal(0)
    }
  })

  it('an invalid config file stops a fresh start, naming file and path, with the data dir left fresh', async () => {
    await writeFile(join(dir, 'bkend', 'tables', 'posts.json'), JSON.stringify({ ...POSTS, fields: { title: { type: 'text' } } }))
    const result = await run(['dev', '--port', '0'])
    expect(result.code).to.equal(1)
    expect(result.stderr).to.contain('bkend/tables/posts.json: fields.title.type:')
    expect(result.stdout).to.equal('')
    expect(await readdir(dir)).not.to.include('.bkend')
  })

  it('a bkend/ folder that holds no config (an app folder of that name) does not stop a fresh start', async () => {
    await rm(join(dir, 'bkend'), { recursive: true })
    await mkdir(join(dir, 'bkend', 'src'), { recursive: true })
    await writeFile(join(dir, 'bkend', 'index.js'), 'export {}\n')
    const result = await run(['dev', 'exec', '--', 'true'])
    expect(result.stderr).to.equal('')
    expect(result.code).to.equal(0)
  })

  it('dev --watch without a config folder stops before starting, saying where it looked', async () => {
    const result = await run(['dev', '--port', '0', '--watch', '--dir', 'nope'])
    expect(result.code).to.equal(1)
    expect(result.stderr).to.contain(`--watch: there is no config folder at ${join(dir, 'nope')}`).and.contain('bkend pull')
    expect(await readdir(dir)).not.to.include('.bkend')
  })

  it('dev exec runs the command against the config and seed; a rejected seed row stops it before the command runs', async () => {
    const ok = await run(['dev', 'exec', '--', process.execPath, BIN, 'data', 'list', 'posts', '--json'])
    expect(ok.stderr).to.equal('')
    expect(ok.code).to.equal(0)
    expect(parseJson(ok.stdout).items.map((r: { title: string }) => r.title).sort()).to.deep.equal(['first', 'second'])

    // the files are read while the emulator starts: an invalid one still stops everything before the command
    await writeFile(join(dir, 'bkend', 'tables', 'posts.json'), JSON.stringify({ ...POSTS, indexes: [POSTS.indexes[0], POSTS.indexes[0]] }))
    const invalid = await run(['dev', 'exec', '--', process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(join(dir, 'ran'))}, 'ran')`])
    expect(invalid.code).to.equal(1)
    expect(invalid.stderr).to.contain('bkend/tables/posts.json: indexes[1]')
    expect(await readdir(join(dir, 'tmp'))).to.deep.equal([])
    await writeFile(join(dir, 'bkend', 'tables', 'posts.json'), JSON.stringify(POSTS))

    await writeFile(join(dir, 'bkend', 'seed', 'data', 'posts.ndjson'), '{"title":"first"}\n{"views":"many"}\n')
    const marker = join(dir, 'ran')
    const bad = await run(['dev', 'exec', '--', process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`])
    expect(bad.code).to.equal(1)
    expect(bad.stderr).to.contain('data/posts.ndjson:2:').and.contain('title is required')
    expect(await stat(marker).then(() => true, () => false)).to.equal(false)
    expect(await readdir(join(dir, 'tmp'))).to.deep.equal([])
  })

  it('the CI recipe: `bkend dev exec -- npm test` passes or fails with the tests', async () => {
    const check = `const r = await fetch(process.env.BKEND_API_URL + '/v1/data/posts', { headers: { 'X-API-Key': process.env.BKEND_SECRET_KEY } })
const titles = (await r.json()).items.map((p) => p.title).sort()
if (titles.join() !== process.argv[2]) { console.error('expected ' + process.argv[2] + ', got ' + titles.join()); process.exit(1) }`
    await writeFile(join(dir, 'check.mjs'), check)
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, scripts: { test: 'node check.mjs first,second' } }))
    const passing = await run(['dev', 'exec', '--', 'npm', 'test'])
    expect(passing.stderr).to.equal('')
    expect(passing.code).to.equal(0)
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'app', private: true, scripts: { test: 'node check.mjs first,second,third' } }))
    const failing = await run(['dev', 'exec', '--', 'npm', 'test'])
    expect(failing.code).to.equal(1)
    expect(failing.stderr).to.contain('expected first,second,third, got first,second')
    expect(await readdir(join(dir, 'tmp'))).to.deep.equal([])
  })
})
