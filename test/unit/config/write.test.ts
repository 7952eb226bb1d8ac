import { expect } from 'chai'
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { configLayout } from '../../../src/config/layout.js'
import { loadConfig } from '../../../src/config/load.js'
import type { ProjectModel } from '../../../src/config/model.js'
import { planConfigWrite, writeConfig } from '../../../src/config/write.js'
import { tempDir } from '../../helpers/tmp.js'
import { tableModel } from './tables.js'

describe('config: writing the folder', () => {
  let dir: string
  let cleanup: () => Promise<void>
  beforeEach(async () => ({ dir, cleanup } = await tempDir('bkend-write-')))
  afterEach(() => cleanup())
  const layout = () => configLayout(dir)
  const read = (path: string) => readFile(join(dir, 'bkend', path), 'utf8')

  it('the same model gives the same bytes, whatever order the target listed things in', async () => {
    const a: ProjectModel = { tables: { b: tableModel('b'), a: tableModel('a', { indexes: [{ name: 'z', fields: { n: 1 }, unique: false, sparse: false }, { name: 'y', fields: { title: -1 }, unique: true, sparse: false }] }) } }
    await writeConfig(layout(), a, 'local')
    const first = await read('tables/a.json')
    expect(first.endsWith('}\n')).to.equal(true)
    expect(first).to.include('\n  "name": "a",\n')
    const reordered: ProjectModel = { tables: { a: tableModel('a', { indexes: [...a.tables.a!.indexes].reverse() }), b: tableModel('b') } }
    const again = await writeConfig(layout(), reordered, 'local')
    expect(again.map((f) => f.change)).to.deep.equal(['unchanged', 'unchanged'])
    expect(await read('tables/a.json')).to.equal(first)
    expect(await readdir(join(dir, 'bkend', 'tables'))).to.deep.equal(['a.json', 'b.json'])
  })

  it('removes files of tables that are gone, only table files inside tables/', async () => {
    await mkdir(join(dir, 'bkend', 'tables'), { recursive: true })
    await writeFile(join(dir, 'bkend', 'tables', 'old.json'), '{}')
    await writeFile(join(dir, 'bkend', 'tables', 'NOTES.md'), 'keep')
    await mkdir(join(dir, 'bkend', 'seed'))
    await writeFile(join(dir, 'bkend', 'seed', 'users.json'), '[]')
    const pending = await planConfigWrite(layout(), { tables: { posts: tableModel('posts') } }, 'local')
    expect(pending.map((f) => [f.path.slice(dir.length), f.change])).to.deep.equal([
      ['/bkend/tables/old.json', 'removed'],
      ['/bkend/tables/posts.json', 'created'],
    ])
    // planning writes nothing
    expect(await read('tables/old.json')).to.equal('{}')
    await writeConfig(layout(), { tables: { posts: tableModel('posts') } }, 'local')
    expect((await readdir(join(dir, 'bkend', 'tables'))).sort()).to.deep.equal(['NOTES.md', 'posts.json'])
    expect(await read('seed/users.json')).to.equal('[]')
  })

  it('settings the model does not manage keep what the files said; cors goes to the overlay', async () => {
    await mkdir(join(dir, 'bkend', 'overlays'), { recursive: true })
    const email = { senderEmail: 'a@b.c', senderName: 'A', overrideDefaults: false }
    await writeFile(join(dir, 'bkend', 'project.json'), JSON.stringify({ email, cors: { allowedOrigins: ['https://shared.example'] } }))
    await writeFile(join(dir, 'bkend', 'overlays', 'cloud.json'), JSON.stringify({ cors: { allowedOrigins: ['https://cloud.example'] } }))
    await writeConfig(layout(), { tables: {}, settings: { cors: { allowedOrigins: ['http://localhost:3000'] } } }, 'local')
    expect(JSON.parse(await read('project.json'))).to.deep.equal({ $schema: '../node_modules/bkend/schemas/project.schema.json', email, cors: { allowedOrigins: ['https://shared.example'] } })
    expect(JSON.parse(await read('overlays/local.json'))).to.deep.equal({ $schema: '../../node_modules/bkend/schemas/overlay.schema.json', cors: { allowedOrigins: ['http://localhost:3000'] } })
    // the other target's overlay is not this pull's business
    expect(JSON.parse(await read('overlays/cloud.json'))).to.deep.equal({ cors: { allowedOrigins: ['https://cloud.example'] } })
    expect((await readdir(join(dir, 'bkend', 'overlays'))).sort()).to.deep.equal(['cloud.json', 'local.json'])
    // what was written loads back, for each target
    expect((await loadConfig(layout(), { kind: 'local', cwd: dir })).settings).to.deep.equal({ email: { sender: { ...email, logoUrl: null, brandColor: null }, templates: {} }, cors: { allowedOrigins: ['http://localhost:3000'] } })
    expect((await loadConfig(layout(), { kind: 'cloud', cwd: dir })).settings!.cors).to.deep.equal({ allowedOrigins: ['https://cloud.example'] })
  })

  it('no settings at all and no files: no project.json, no overlay', async () => {
    await writeConfig(layout(), { tables: {} }, 'cloud')
    expect(await readdir(join(dir, 'bkend')).catch(() => [])).to.deep.equal([])
  })
})
