import { expect } from 'chai'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { BIN, runBinary, runCli } from '../helpers/cli.js'
import { startCliHarness, type CliHarness } from './data-harness.js'

const ROWS = 40_000

/**
 * Ctrl+C during `bkend data import`, sent to the built CLI as a real signal: the summary so far, exit 130, and a
 * resume that ends with every input row in the table exactly once.
 */
describe('cli: data import interrupted and resumed', function () {
  this.timeout(120_000)
  let h: CliHarness
  const file = (name: string) => join(h.dir, name)

  before(async () => {
    h = await startCliHarness()
    // every 50th row breaks the schema, so the rejects file is written while the import is cut short
    await writeFile(file('big.ndjson'), Array.from({ length: ROWS }, (_, i) => JSON.stringify({ seq: i + 1, label: i % 50 === 49 ? 7 : `row ${i + 1}` })).join('\n') + '\n')
  })
  after(() => h.dispose())

  /** Records in the table, counted through the REST API the CLI uses. */
  async function total(table: string): Promise<number> {
    const response = await fetch(`${h.emu.url}/v1/data/${table}?limit=1`, { headers: { 'x-api-key': h.emu.seed.environment.secretKey } })
    return ((await response.json()) as { pagination: { total: number } }).pagination.total
  }

  /** Starts an import, sends SIGINT once `written` rows are in the table, and waits for the exit. */
  async function interruptedImport(table: string, args: string[], written: number) {
    const child = spawn(process.execPath, [BIN, 'data', 'import', table, 'big.ndjson', ...args, '--data-dir', h.emu.dataDir], { cwd: h.dir, env: { ...process.env, XDG_CONFIG_HOME: join(h.dir, 'config') } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr += c))
    const closed = once(child, 'close')
    for (let waited = 0; (await total(table)) < written; waited += 50) {
      expect(waited, `fewer than ${written} rows arrived within 30 s: ${stderr}`).to.be.below(30_000)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    child.kill('SIGINT')
    const [code] = await closed
    return { code: code as number | null, stdout, stderr }
  }

  it('prints the summary so far and the command to go on, exits 130; resuming imports the rest exactly once', async () => {
    const schema = { bsonType: 'object', required: ['seq', 'label'], properties: { seq: { bsonType: 'int' }, label: { bsonType: 'string' } } }
    await h.table('resumed', schema)
    const stopped = await interruptedImport('resumed', ['--rejects', 'rejects.ndjson'], 3000)
    expect(stopped.code, stopped.stderr).to.equal(130)
    expect(stopped.stdout).to.equal('')
    const lines = stopped.stderr.trim().split('\n')
    expect(lines[0]).to.equal('Stopping: waiting for the requests in flight (Ctrl+C again to stop at once)…')
    const head = /^Interrupted: imported ([\d,]+) of ([\d,]+) rows read into resumed \(env dev\) in [\d.]+ s, ([\d,]+) rejected\.$/.exec(lines[1]!)
    expect(head, lines[1]).to.not.equal(null)
    const [written, read, rejected] = head!.slice(1).map((v) => Number(v.replaceAll(',', '')))
    expect(read).to.be.below(ROWS)
    expect(written! + rejected!).to.equal(read)
    // the rows read are lines 1..read, all settled: the next line is where the import goes on
    expect(lines[2]).to.equal(`Every row before line ${(read! + 1).toLocaleString('en-US')} was written or rejected, and no row from there on was sent.`)
    expect(lines[3]).to.equal(`To go on: bkend data import resumed big.ndjson --rejects rejects.ndjson --data-dir ${h.emu.dataDir} --resume-from ${read! + 1}`)
    expect(await total('resumed')).to.equal(written)
    // the rejects file was closed with one complete line per rejected row
    const firstRejects = (await readFile(file('rejects.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l))
    expect(firstRejects).to.have.length(rejected!)

    // the printed command line, word for word (the temp paths need no quoting)
    const resume = await runCli([...lines[3]!.replace('To go on: bkend ', '').split(' '), '--json'], { cwd: h.dir, env: { XDG_CONFIG_HOME: join(h.dir, 'config') } })
    expect(resume.code, resume.stderr).to.equal(1)
    const resumed = JSON.parse(resume.stdout)
    expect(resumed).to.include({ interrupted: false, resumeFrom: null, startRow: read! + 1, skipped: read })
    expect(resumed.rows.read).to.equal(ROWS - read!)

    const exported = await h.run(['data', 'export', 'resumed', 'out.ndjson', '--json'])
    expect(exported.code, exported.stderr).to.equal(0)
    const seqs = (await readFile(file('out.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l).seq as number)
    const expected = Array.from({ length: ROWS }, (_, i) => i + 1).filter((seq) => seq % 50 !== 0)
    expect(seqs).to.have.length(expected.length)
    expect([...seqs].sort((a, b) => a - b)).to.deep.equal(expected)
    // the resumed run appended its rejects: every bad row once, across both runs
    const allRejects = (await readFile(file('rejects.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l).row as number)
    expect(allRejects.sort((a, b) => a - b)).to.deep.equal(Array.from({ length: ROWS / 50 }, (_, i) => (i + 1) * 50))
  })

  it('with --json prints the summary with interrupted and resumeFrom on stdout, and nothing on stderr', async () => {
    await h.table('as_json', { bsonType: 'object', required: ['label'], properties: { seq: { bsonType: 'int' }, label: { bsonType: 'string' } } })
    const stopped = await interruptedImport('as_json', ['--json', '--rejects', 'json-rejects.ndjson', '--concurrency', '32'], 2000)
    expect(stopped.code, stopped.stderr).to.equal(130)
    expect(stopped.stderr).to.equal('')
    const summary = JSON.parse(stopped.stdout)
    expect(summary).to.include({ table: 'as_json', environment: 'dev', interrupted: true, resumeFrom: summary.rows.read + 1 })
    expect(summary.unsettled).to.deep.equal([])
    expect(summary.settledAfterResume).to.deep.equal([])
    expect(summary.rows.written + summary.rows.rejected).to.equal(summary.rows.read)
    expect(await total('as_json')).to.equal(summary.rows.written)
  })

  it('writes thousands of server rejects to --rejects from many requests at once without a MaxListenersExceededWarning', async () => {
    await h.table('strict', { bsonType: 'object', required: ['missing'], properties: { missing: { bsonType: 'string' } } })
    await writeFile(file('all-bad.ndjson'), Array.from({ length: 3000 }, (_, i) => JSON.stringify({ seq: i, padding: 'x'.repeat(200) })).join('\n') + '\n')
    // Node prints the warning on stderr itself, later: only the binary's stderr surely holds it
    const out = await runBinary(['data', 'import', 'strict', 'all-bad.ndjson', '--rejects', 'strict-rejects.ndjson', '--concurrency', '64', '--data-dir', h.emu.dataDir], { cwd: h.dir, env: { XDG_CONFIG_HOME: join(h.dir, 'config') } })
    expect(out.code).to.equal(1)
    expect(out.stderr).to.not.include('MaxListenersExceededWarning')
    expect(out.stderr).to.match(/^3,000 rejected:\n/)
    expect((await readFile(file('strict-rejects.ndjson'), 'utf8')).trim().split('\n')).to.have.length(3000)
  })
})
