import { expect } from 'chai'
import { createWriteStream } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DataExportResult } from '../../src/commands/data/export.js'
import type { DataImportResult } from '../../src/commands/data/import.js'
import type { DataListResult } from '../../src/commands/data/list.js'
import { runCli, spawnDev, type DevProcess } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'

const ROWS = 10_000

/**
 * What a CI job does to seed an environment, with nothing but the built CLI: create a project, an environment, a
 * table with fields and permissions, a scoped secret key; import 10,000 rows; export them back and compare.
 */
describe('e2e: CLI seeding pipeline against bkend dev', function () {
  this.timeout(120_000)
  let dir: string
  let cleanup: () => Promise<void>
  let dev: DevProcess
  /** Environment of every CLI run: only this emulator and this config dir, no BKEND_* from the machine. */
  let env: NodeJS.ProcessEnv

  before(async () => {
    ;({ dir, cleanup } = await tempDir('bkend-pipeline-'))
    dev = await spawnDev(['--port', '0', '--data-dir', dir])
    const clean = Object.fromEntries(Object.keys(process.env).filter((k) => k.startsWith('BKEND_')).map((k) => [k, undefined]))
    env = { ...clean, XDG_CONFIG_HOME: join(dir, 'config'), BKEND_DATA_DIR: dir, BKEND_PROJECT: 'ci-shop', BKEND_ENV: 'staging' }
  })
  after(async () => {
    await dev?.stop()
    await cleanup()
  })

  async function bkend(...args: string[]): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any -- each step asserts the fields it uses
    const out = await runCli([...args, '--json'], { cwd: dir, env })
    expect(out.code, `bkend ${args.join(' ')}\n${out.stderr}`).to.equal(0)
    return JSON.parse(out.stdout)
  }

  it('creates the structure, imports 10,000 NDJSON rows with a scoped key, and exports the same rows back', async () => {
    const project = await runCli(['projects', 'create', 'CI Shop', '--slug', 'ci-shop', '--json'], { cwd: dir, env: { ...env, BKEND_PROJECT: undefined, BKEND_ENV: undefined } })
    expect(project.code, project.stderr).to.equal(0)
    expect(JSON.parse(project.stdout)).to.include({ slug: 'ci-shop' })

    expect(await bkend('envs', 'create', 'staging')).to.include({ environment: 'staging' })
    await bkend('tables', 'create', 'products', '--field', 'name:string!', '--field', 'price:number')
    await bkend('tables', 'fields', 'add', 'products', 'sku', '--type', 'string', '--required')
    await bkend('tables', 'fields', 'add', 'products', 'inStock', '--type', 'boolean')
    await bkend('tables', 'permissions', 'set', 'products', '--allow', 'user=read,list', '--allow', 'guest=read,list')
    const key = await bkend('keys', 'create', 'ci-seeder', '--type', 'secret', '--scope', 'products:create', '--scope', 'products:read', '--scope', 'products:list')
    expect(key.key).to.match(/^sk_[0-9a-f]{64}$/)
    env.BKEND_SECRET_KEY = key.key

    const source = join(dir, 'products.ndjson')
    const rows = Array.from({ length: ROWS }, (_, i) => ({ sku: `SKU-${String(i).padStart(5, '0')}`, name: `Product "${i}", line\n${i % 7}`, price: Math.round(i * 1.37 * 100) / 100, inStock: i % 3 !== 0, tags: [`t${i % 5}`] }))
    await writeLines(source, rows.map((r) => JSON.stringify(r)))

    const imported = (await bkend('data', 'import', 'products', source)) as DataImportResult
    expect(imported.rows).to.deep.equal({ read: ROWS, written: ROWS, rejected: 0 })
    expect(imported.rejects).to.deep.equal([])

    const page = (await bkend('data', 'list', 'products', '--limit', '1')) as DataListResult
    expect(page.pagination.total).to.equal(ROWS)

    const target = join(dir, 'export.ndjson')
    const exported = (await bkend('data', 'export', 'products', target)) as DataExportResult
    expect(exported).to.include({ rows: ROWS, format: 'ndjson' })
    const back = (await readFile(target, 'utf8')).trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(back).to.have.length(ROWS)
    for (const record of back) {
      expect(record.id).to.match(/^[0-9a-f]{24}$/)
      expect(record.createdBy).to.equal('')
    }
    const strip = ({ id: _i, createdBy: _b, createdAt: _c, updatedAt: _u, ...rest }: Record<string, unknown>) => rest
    const bySku = (a: Record<string, unknown>, b: Record<string, unknown>) => String(a.sku).localeCompare(String(b.sku))
    expect(back.map(strip).sort(bySku)).to.deep.equal(rows)

    // the key's scopes stop what the pipeline was not given
    const denied = await runCli(['data', 'delete', 'products', back[0]!.id as string, '--yes', '--json'], { cwd: dir, env })
    expect(denied.code).to.equal(1)
    expect(JSON.parse(denied.stderr).error.code).to.equal('data/scope-insufficient')
  })
})

async function writeLines(path: string, lines: string[]): Promise<void> {
  const out = createWriteStream(path)
  for (const line of lines) if (!out.write(line + '\n')) await new Promise<void>((resolve) => out.once('drain', () => resolve()))
  await new Promise<void>((resolve) => out.end(() => resolve()))
}
