/* eslint-disable @typescript-eslint/no-explicit-any -- CLI --json output is checked by chai assertions, not typed */
import { expect } from 'chai'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { RuntimeClient } from '../../src/client/runtime.js'
import { ImportJob } from '../../src/cli/io/transfer/import-service.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { startCliHarness, type CliHarness } from './data-harness.js'

const SLUGS = {
  bsonType: 'object',
  required: ['slug', 'n'],
  properties: { slug: { bsonType: 'string', unique: true }, n: { bsonType: 'int' } },
}
const ROWS = 1200

/** 1,200 rows, three of them refused: a missing field, a wrong type, and a slug repeated a few rows on (same batch). */
function rows(): string {
  const lines = Array.from({ length: ROWS }, (_, i) => JSON.stringify({ slug: `s${i}`, n: i }))
  lines[99] = JSON.stringify({ slug: 's99' })
  lines[600] = JSON.stringify({ slug: 's600', n: 'six hundred' })
  lines[704] = JSON.stringify({ slug: 's700', n: 704 })
  return lines.join('\n') + '\n'
}

/** The requests an emulator logged that wrote into `table`: bulk inserts and single POSTs. */
function writes(emu: TestEmulator, table: string): { bulk: number; single: number } {
  const events = emu.core.requestLog.recent(10_000).filter((e) => e.method === 'POST')
  return { bulk: events.filter((e) => e.path === `/_emulator/data/${table}/bulk`).length, single: events.filter((e) => e.path === `/v1/data/${table}`).length }
}

/**
 * `bkend data import` through the local emulator's bulk insert, and one POST per row where the target hides it
 * (cloud-parity mode): the same rows written, the same rejections with the same reasons.
 */
describe('cli: data import over the bulk insert', function () {
  this.timeout(60_000)
  let h: CliHarness
  let parity: TestEmulator
  const file = (name: string) => join(h.dir, name)

  before(async () => {
    h = await startCliHarness()
    parity = await startEmulator({ cloudParity: true })
    await writeFile(file('slugs.ndjson'), rows())
  })
  after(async () => {
    await parity?.dispose()
    await h?.dispose()
  })

  async function importInto(emu: TestEmulator, table: string, rejectsFile: string) {
    await emu.core.tables.create(emu.actor, { projectId: emu.seed.projectId, environment: 'dev', tableName: table, schema: SLUGS })
    const out = await h.run(['data', 'import', table, 'slugs.ndjson', '--rejects', rejectsFile, '--json'], { dataDir: emu.dataDir })
    const exported = await h.run(['data', 'export', table, '-', '--format', 'ndjson'], { dataDir: emu.dataDir })
    const slugs = exported.stdout.trim().split('\n').map((l) => JSON.parse(l).slug as string)
    const rejected = (await readFile(file(rejectsFile), 'utf8')).trim().split('\n').map((l) => JSON.parse(l))
    return { out, slugs, rejected }
  }

  it('writes through bulk requests on the local emulator, rejecting rows of a batch one by one with reasons, exit 1', async () => {
    const { out, slugs, rejected } = await importInto(h.emu, 'slugs', 'bulk-rejects.ndjson')
    expect(out.code, out.stderr).to.equal(1)
    expect(out.json.rows).to.deep.equal({ read: ROWS, written: ROWS - 3, rejected: 3 })
    const reasons = (out.json.rejects as any[]).sort((a, b) => a.row - b.row)
    expect(reasons).to.have.length(3)
    expect(reasons.map((r) => [r.row, r.code])).to.deep.equal([[100, 'data/validation-error'], [601, 'data/validation-error'], [705, 'data/duplicate-value']])
    expect(reasons[0].message).to.include('n')
    expect(rejected.map((r) => r.row).sort((a, b) => a - b)).to.deep.equal([100, 601, 705])
    expect(rejected.find((r) => r.row === 705).record).to.deep.equal({ slug: 's700', n: 704 })
    expect(slugs).to.have.length(ROWS - 3)
    expect(new Set(slugs).size).to.equal(ROWS - 3)
    expect(slugs).to.not.include('s704')
    const sent = writes(h.emu, 'slugs')
    expect(sent.single).to.equal(0)
    // 500 rows to a request at most
    expect(sent.bulk).to.be.within(3, 12)
  })

  it('falls back to one POST per row on an emulator in cloud-parity mode, with the same rows and reasons', async () => {
    const local = await h.run(['data', 'export', 'slugs', '-', '--format', 'ndjson'], { dataDir: h.emu.dataDir })
    const { out, slugs, rejected } = await importInto(parity, 'slugs', 'parity-rejects.ndjson')
    expect(out.code, out.stderr).to.equal(1)
    expect(out.json.rows).to.deep.equal({ read: ROWS, written: ROWS - 3, rejected: 3 })
    const bulkRejects = (await readFile(file('bulk-rejects.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l))
    const byRow = (list: any[]) => [...list].sort((a, b) => a.row - b.row)
    expect(rejected).to.have.length(3)
    expect(byRow(rejected)).to.deep.equal(byRow(bulkRejects))
    expect(slugs.sort()).to.deep.equal(local.stdout.trim().split('\n').map((l) => JSON.parse(l).slug as string).sort())
    const sent = writes(parity, 'slugs')
    expect(sent.single).to.equal(ROWS)
    // refused (404) for the batches sent before the first refusal came back, then never tried again
    expect(sent.bulk).to.be.within(1, 2)
  })

  it('keeps each request under the body limit: wide CSV rows are all written, none refused as too large', async () => {
    const columns = Array.from({ length: 300 }, (_, i) => `a_rather_long_column_name_for_field_${String(i).padStart(3, '0')}`)
    const csv = [columns.join(','), ...Array.from({ length: 400 }, (_, r) => columns.map((_, c) => String((r + c) % 10)).join(','))].join('\n') + '\n'
    await writeFile(file('wide.csv'), csv)
    await h.table('wide')
    const out = await h.run(['data', 'import', 'wide', 'wide.csv', '--json'])
    expect(out.code, out.stderr).to.equal(0)
    expect(out.json.rows).to.deep.equal({ read: 400, written: 400, rejected: 0 })
    expect(writes(h.emu, 'wide').bulk).to.be.greaterThan(1)
  })
})

/**
 * Rate-limited imports: every refused row waits out the emulator's Retry-After and goes again, none rejected or
 * written twice; the emulator's clock moves instead of the test waiting a minute.
 */
describe('cli: ImportJob rate-limited, over the bulk insert and its fallback', function () {
  this.timeout(60_000)
  const cases = [
    { name: 'a 429 bulk request: all its rows retried together', cloudParity: false, limit: 3, rows: 3000 },
    { name: 'cloud-parity mode: one POST per row keeps its Retry-After through the fallback', cloudParity: true, limit: 100, rows: 300 },
  ]
  for (const c of cases) {
    it(c.name, async () => {
      const emu = await startEmulator({ cloudParity: c.cloudParity, rateLimit: { enabled: true, limit: c.limit } })
      const runtime = new RuntimeClient({ restUrl: emu.url, secretKey: emu.seed.environment.secretKey, environment: 'dev', connections: 16, bulk: true })
      try {
        await emu.core.tables.create(emu.actor, { projectId: emu.seed.projectId, environment: 'dev', tableName: 'paced', schema: SLUGS })
        const input = join(emu.dataDir, 'paced.ndjson')
        await writeFile(input, Array.from({ length: c.rows }, (_, i) => JSON.stringify({ slug: `p${i}`, n: i })).join('\n') + '\n')
        const waits: number[] = []
        // the rows refused together all wait at once: one shift of the clock serves them all, as one real wait would
        let waking: Promise<void> | undefined
        const sleep = (ms: number) => {
          waits.push(ms)
          waking ??= new Promise((resolve) => setImmediate(() => {
            emu.core.clock.advance(ms / 1000)
            waking = undefined
            resolve()
          }))
          return waking
        }
        const job = new ImportJob({ data: runtime.data, table: 'paced', environment: 'dev', input, format: 'ndjson', concurrency: 16, inferTypes: false, bulk: true, types: {}, sleep })
        const summary = await job.run()
        expect(summary.rows).to.deep.equal({ read: c.rows, written: c.rows, rejected: 0 })
        expect(waits.length).to.be.greaterThan(0)
        // the window's rest (a minute at most), not the 1, 2, 4… s used when an answer names no Retry-After
        expect(Math.min(...waits)).to.be.greaterThan(10_000)
        expect(Math.max(...waits)).to.be.at.most(60_000)
        emu.core.clock.advance(61)
        expect((await runtime.data.list('paced', { limit: 1 })).pagination.total).to.equal(c.rows)
      } finally {
        await runtime.close()
        await emu.dispose()
      }
    })
  }
})
