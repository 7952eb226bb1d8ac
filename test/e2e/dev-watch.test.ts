import { expect } from 'chai'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
// `bkend dev --watch` itself is under test, so the emulator is the spawned binary
import { parseJson, runBinary, spawnDev, withoutMachineBkendEnv, type DevProcess } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'

const POSTS = { name: 'posts', fields: { title: { type: 'string', required: true }, views: { type: 'int' } } }

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- events are checked by chai assertions
type Event = Record<string, any>

/** The `{"event":"config"}` lines after `from`, once `done` accepts them (10 s at most). */
async function configEvents(dev: DevProcess, from: number, done: (events: Event[]) => boolean): Promise<Event[]> {
  const deadline = Date.now() + 10_000
  for (;;) {
    const events = dev.lines.slice(from).map((line) => JSON.parse(line) as Event).filter((e) => e.event === 'config')
    if (done(events)) return events
    if (Date.now() > deadline) throw new Error(`config events so far: ${JSON.stringify(events)}; stderr: ${dev.stderr()}`)
    await sleep(50)
  }
}

describe('e2e: bkend dev --watch', function () {
  this.timeout(60_000)
  let dir: string
  let cleanup: () => Promise<void>
  let dev: DevProcess
  let env: NodeJS.ProcessEnv
  const posts = () => join(dir, 'bkend', 'tables', 'posts.json')
  const tableGet = async (name: string) => parseJson((await runBinary(['tables', 'get', name, '--json', '--data-dir', join(dir, '.bkend')], { env })).stdout)

  beforeEach(async () => {
    ;({ dir, cleanup } = await tempDir())
    await mkdir(join(dir, 'bkend', 'tables'), { recursive: true })
    await writeFile(posts(), JSON.stringify(POSTS))
    env = withoutMachineBkendEnv()
    dev = await spawnDev(['--port', '0', '--watch', '--data-dir', join(dir, '.bkend'), '--dir', join(dir, 'bkend')], env)
    await configEvents(dev, 0, () => dev.lines.some((line) => line.includes('"status":"applied"')))
  })
  afterEach(async () => {
    expect(await dev.stop()).to.equal(0)
    await cleanup()
  })

  it('applies a non-destructive save, once for a burst of writes, and logs each step', async () => {
    const from = dev.lines.length
    const withBody = { ...POSTS, fields: { ...POSTS.fields, body: { type: 'string' } } }
    // an editor's save is often several writes in a row: one plan, one apply
    for (let i = 0; i < 3; i++) await writeFile(posts(), JSON.stringify(withBody))
    const events = await configEvents(dev, from, (e) => e.length > 0)
    await sleep(500)
    expect(dev.lines.slice(from).filter((line) => line.includes('"event":"config"'))).to.have.length(1)
    expect(events[0]).to.deep.equal({ event: 'config', status: 'applied', step: 'add field posts.body (string)', kind: 'field.add' })
    expect(Object.keys((await tableGet('posts')).schema.properties).sort()).to.deep.equal(['body', 'title', 'views'])
  })

  it('refuses a destructive step with the push to run, and applies the rest of the save', async () => {
    const from = dev.lines.length
    await writeFile(posts(), JSON.stringify({ name: 'posts', fields: { title: POSTS.fields.title, body: { type: 'string' } } }))
    const events = await configEvents(dev, from, (e) => e.length >= 2)
    expect(events).to.have.length(2)
    expect(events[0]).to.include({ status: 'applied', kind: 'field.add' })
    expect(events[1]).to.deep.equal({ event: 'config', status: 'refused', step: 'drop field posts.views', kind: 'field.drop', command: `bkend push --allow-destructive --dir ${join(dir, 'bkend')} --data-dir ${join(dir, '.bkend')}` })
    expect(Object.keys((await tableGet('posts')).schema.properties).sort()).to.deep.equal(['body', 'title', 'views'])
  })

  it('reports an invalid file with its path and keeps the last good state; fixing it applies', async () => {
    const from = dev.lines.length
    await writeFile(join(dir, 'bkend', 'tables', 'tags.json'), JSON.stringify({ name: 'tags', fields: { label: { type: 'text' } } }))
    const invalid = await configEvents(dev, from, (e) => e.length > 0)
    expect(invalid).to.have.length(1)
    expect(invalid[0]!.status).to.equal('invalid')
    expect(invalid[0]!.problems).to.have.length(1)
    expect(invalid[0]!.problems[0]).to.include({ file: join(dir, 'bkend', 'tables', 'tags.json'), path: 'fields.label.type' })
    expect((await runBinary(['tables', 'get', 'tags', '--json', '--data-dir', join(dir, '.bkend')], { env })).code).to.equal(1)
    const health = await fetch(`${dev.ready.url}/_emulator/health`)
    expect(health.status).to.equal(200)

    const next = dev.lines.length
    await writeFile(join(dir, 'bkend', 'tables', 'tags.json'), JSON.stringify({ name: 'tags', fields: { label: { type: 'string' } } }))
    const fixed = await configEvents(dev, next, (e) => e.length > 0)
    expect(fixed[0]).to.include({ status: 'applied', kind: 'table.create' })
    expect(Object.keys((await tableGet('tags')).schema.properties)).to.deep.equal(['label'])
  })

  it('a save the emulator refuses is taken back whole and reported with its step', async () => {
    const key = dev.ready.environments[0]!.secretKey
    for (const title of ['same', 'same']) {
      const created = await fetch(`${dev.ready.url}/v1/data/posts`, { method: 'POST', headers: { 'X-API-Key': key, 'Content-Type': 'application/json' }, body: JSON.stringify({ title }) })
      expect(created.status).to.equal(201)
    }
    const from = dev.lines.length
    // a new field (fine on its own) and a unique index the duplicates block, in one save
    await writeFile(posts(), JSON.stringify({ ...POSTS, fields: { ...POSTS.fields, body: { type: 'string' } }, indexes: [{ name: 'title_unique', fields: { title: 1 }, unique: true }] }))
    const events = await configEvents(dev, from, (e) => e.length > 0)
    expect(events).to.have.length(1)
    expect(events[0]).to.include({ status: 'failed', step: 'add index posts.title_unique (unique)' })
    expect(events[0]!.message).to.contain('nothing of this save was applied')
    const table = await tableGet('posts')
    expect(Object.keys(table.schema.properties).sort()).to.deep.equal(['title', 'views'])
    expect(table.indexes.map((i: { name: string }) => i.name)).not.to.include('title_unique')
  })
})
