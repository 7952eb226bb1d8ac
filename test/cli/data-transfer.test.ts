import { expect } from 'chai'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { DataExportResult } from '../../src/commands/data/export.js'
import type { DataImportResult } from '../../src/commands/data/import.js'
import { startCliHarness, type CliHarness } from './data-harness.js'

const ITEMS = {
  bsonType: 'object',
  required: ['name'],
  properties: { name: { bsonType: 'string' }, qty: { bsonType: 'int' }, price: { bsonType: 'double' }, active: { bsonType: 'bool' }, tags: { bsonType: 'array' }, meta: { bsonType: 'object' } },
}

describe('cli: data import/export', function () {
  this.timeout(60_000)
  let h: CliHarness
  const file = (name: string) => join(h.dir, name)

  before(async () => {
    h = await startCliHarness()
    for (const table of ['items', 'csv_items', 'json_items', 'roundtrip', 'empty']) await h.table(table, ITEMS)
  })
  after(() => h.dispose())

  it('imports NDJSON, writing good rows and rejecting bad ones with reasons (also to --rejects), exit 1', async () => {
    const lines = Array.from({ length: 250 }, (_, i) => JSON.stringify({ name: `item ${i}`, qty: i, active: i % 2 === 0 }))
    lines.splice(10, 0, '{"name": broken')
    lines.splice(20, 0, '["not", "an", "object"]')
    lines.splice(30, 0, JSON.stringify({ qty: 'lots' }))
    await writeFile(file('items.ndjson'), lines.join('\n') + '\n')
    const out = await h.run(['data', 'import', 'items', file('items.ndjson'), '--rejects', file('rejects.ndjson'), '--json'])
    expect(out.code).to.equal(1)
    const result = out.json as DataImportResult
    expect(result).to.include({ table: 'items', format: 'ndjson', rejectsOmitted: 0 })
    expect(result.rows).to.deep.equal({ read: 253, written: 250, rejected: 3 })
    const byRow = Object.fromEntries(result.rejects.map((r) => [r.row, r]))
    expect(byRow[11]).to.include({ code: 'import/invalid-row' })
    expect(byRow[11]!.message).to.match(/^invalid JSON/)
    expect(byRow[21]).to.deep.equal({ row: 21, code: 'import/invalid-row', message: 'expected a JSON object, got an array' })
    expect(byRow[31]).to.include({ code: 'data/validation-error' })
    const rejected = (await readFile(file('rejects.ndjson'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l))
    expect(rejected).to.have.length(3)
    expect(rejected.find((r) => r.row === 31).record).to.deep.equal({ qty: 'lots' })

    const count = await h.run(['data', 'list', 'items', '--limit', '1', '--json'])
    expect(count.json.pagination.total).to.equal(250)
  })

  it('lists every reason in --json, or the first 1000 when --rejects holds them all', async () => {
    await writeFile(file('bad.ndjson'), 'nope\n'.repeat(1200))
    const all = await h.run(['data', 'import', 'items', file('bad.ndjson'), '--json'])
    expect(all.json.rejects).to.have.length(1200)
    expect(all.json.rejectsOmitted).to.equal(0)
    const capped = await h.run(['data', 'import', 'items', file('bad.ndjson'), '--rejects', file('bad-rejects.ndjson'), '--json'])
    expect(capped.json.rejects).to.have.length(1000)
    expect(capped.json).to.include({ rejectsOmitted: 200, rejectsFile: file('bad-rejects.ndjson') })
    expect((await readFile(file('bad-rejects.ndjson'), 'utf8')).trim().split('\n')).to.have.length(1200)
    const human = await h.run(['data', 'import', 'items', file('bad.ndjson'), '--rejects', file('bad-rejects.ndjson')])
    expect(human.stderr).to.include(`… and 1,190 more in ${file('bad-rejects.ndjson')}`)
  })

  it('prints a summary and the first reasons on stderr for a person', async () => {
    await writeFile(file('two.ndjson'), '{"name":"ok"}\n{"qty":1}\n')
    const out = await h.run(['data', 'import', 'items', file('two.ndjson')])
    expect(out.code).to.equal(1)
    expect(out.stdout).to.match(/^Imported 1 of 2 rows into items \(env dev\) in [\d.]+ s \([\d,]+ rows\/s\)\.\n$/)
    expect(out.stderr).to.match(/^1 rejected:\n {2}line 2: .*name.* \[data\/validation-error\]\n$/)
  })

  it('imports CSV with quotes, doubled quotes, commas and line breaks in fields, converting declared types', async () => {
    const csv = [
      'name,qty,price,active,tags,meta,note',
      '"Widget, large","3","9.5",true,"[""a"",""b""]","{""k"":1}",42',
      '"Say ""hi""",,1e2,0,,,"two',
      'lines"',
      'Bad qty,many,1,true,,,',
      'Short,1',
      '',
    ].join('\r\n')
    await writeFile(file('items.csv'), csv)
    const out = await h.run(['data', 'import', 'csv_items', file('items.csv'), '--json'])
    const result = out.json as DataImportResult
    expect(result.format).to.equal('csv')
    expect(result.rows).to.deep.equal({ read: 4, written: 2, rejected: 2 })
    expect(result.rejects).to.deep.equal([
      { row: 5, code: 'import/invalid-row', message: 'field "qty": "many" is not a number' },
      { row: 6, code: 'import/invalid-row', message: 'has 2 fields, the header has 7' },
    ])
    const list = await h.run(['data', 'list', 'csv_items', '--sort', 'name', '--json'])
    const [hi, widget] = list.json.items
    expect(widget).to.include({ name: 'Widget, large', qty: 3, price: 9.5, active: true, note: '42' })
    expect(widget.tags).to.deep.equal(['a', 'b'])
    expect(widget.meta).to.deep.equal({ k: 1 })
    expect(hi).to.include({ name: 'Say "hi"', price: 100, active: false, note: 'two\r\nlines' })
    expect(hi).to.not.have.property('qty')

    await writeFile(file('inferred.csv'), 'name,note,flag,extra\nInferred,42,true,null\n')
    await h.run(['data', 'import', 'csv_items', file('inferred.csv'), '--infer-types', '--json'])
    const inferred = await h.run(['data', 'list', 'csv_items', '--filter', '{"name":"Inferred"}', '--json'])
    expect(inferred.json.items[0]).to.include({ note: 42, flag: true, extra: null })
  })

  it('streams a JSON array from standard input, telling the format from the first character', async () => {
    const rows = Array.from({ length: 120 }, (_, i) => ({ name: `j${i} ] , "quoted" }`, qty: i, meta: { nested: [i, { deep: '[' }] } }))
    const out = await h.run(['data', 'import', 'json_items', '-', '--json'], { input: JSON.stringify(rows, null, 2) })
    expect(out.code, out.stderr).to.equal(0)
    expect(out.json).to.include({ format: 'json', source: '-' })
    expect(out.json.rows).to.deep.equal({ read: 120, written: 120, rejected: 0 })
    const one = await h.run(['data', 'list', 'json_items', '--filter', '{"qty":7}', '--json'])
    expect(one.json.items[0]).to.include({ name: 'j7 ] , "quoted" }' })
    expect(one.json.items[0].meta).to.deep.equal({ nested: [7, { deep: '[' }] })
  })

  it('treats empty files and an empty array as nothing to import', async () => {
    for (const [name, text] of [['empty.ndjson', ''], ['empty.csv', ''], ['header-only.csv', 'name,qty\n'], ['empty.json', '[ ]'], ['blank.json', '\n']]) {
      await writeFile(file(name!), text!)
      const out = await h.run(['data', 'import', 'empty', file(name!), '--json'])
      expect(out.code, `${name}: ${out.stderr}`).to.equal(0)
      expect(out.json.rows, name).to.deep.equal({ read: 0, written: 0, rejected: 0 })
    }
  })

  it('never takes piped rows for a missing file argument: the rows stay unread and the error says what is missing', async () => {
    const piped = await h.run(['data', 'import', 'items'], { input: '{"name":"piped","qty":1}\n' })
    expect(piped.code, piped.stderr).to.equal(2)
    expect(piped.stderr).to.include('Error: missing the <file> argument')
    expect(piped.stderr).to.not.include('piped')
    const written = await h.run(['data', 'list', 'items', '--filter', '{"name":"piped"}', '--json'])
    expect(written.json.items).to.have.length(0)
  })

  it('stops with a clear error for a malformed file, a missing file or table, and an unknown stdin format', async () => {
    await writeFile(file('object.json'), '{"name":"not an array"}')
    const notArray = await h.run(['data', 'import', 'items', file('object.json'), '--json'])
    expect(notArray.code).to.equal(1)
    expect(JSON.parse(notArray.stderr).error).to.include({ code: 'import/bad-file', message: 'the input is not a JSON array: it starts with "{"' })

    const noFile = await h.run(['data', 'import', 'items', file('missing.ndjson')])
    expect(noFile.code).to.equal(1)
    expect(noFile.stderr).to.include('no such file')

    const noTable = await h.run(['data', 'import', 'nope', file('two.ndjson')])
    expect(noTable.code).to.equal(1)
    expect(noTable.stderr).to.include("Hint: check the name with 'bkend tables list --env dev', or create it with 'bkend tables create'")

    const csvOnStdin = await h.run(['data', 'import', 'items', '-'], { input: 'name\nx\n' })
    expect(csvOnStdin.code).to.equal(2)
    expect(csvOnStdin.stderr).to.include('Hint: pass --format csv, ndjson or json')
    const withFormat = await h.run(['data', 'import', 'empty', '-', '--format', 'csv', '--json'], { input: 'name,qty\nfrom stdin,4\n' })
    expect(withFormat.json).to.deep.include({ format: 'csv', rows: { read: 1, written: 1, rejected: 0 } })
  })

  it('exports NDJSON to standard output oldest first, and JSON and CSV to files', async () => {
    const ndjson = await h.run(['data', 'export', 'items'])
    expect(ndjson.code, ndjson.stderr).to.equal(0)
    const records = ndjson.stdout.trim().split('\n').map((l) => JSON.parse(l))
    expect(records).to.have.length(251)
    expect(records[0]).to.include({ name: 'item 0', qty: 0 })
    expect(records.map((r) => r.id)).to.deep.equal(records.map((r) => r.id).sort())
    expect(ndjson.stderr).to.include('Exported 251 records of items (env dev) to standard output as ndjson.')

    const json = await h.run(['data', 'export', 'items', file('items.json'), '--filter', '{"active":true}', '--json'])
    expect(json.json as DataExportResult).to.deep.equal({ table: 'items', format: 'json', destination: file('items.json'), rows: 125, droppedFields: [] })
    const array = JSON.parse(await readFile(file('items.json'), 'utf8'))
    expect(array).to.have.length(125)
    expect(array.every((r: { active: boolean }) => r.active)).to.equal(true)

    const csv = await h.run(['data', 'export', 'csv_items', file('out.csv'), '--select', 'name,tags', '--sort', 'name', '--json'])
    expect(csv.json.rows).to.equal(3)
    expect(await readFile(file('out.csv'), 'utf8')).to.equal('name,tags\r\nInferred,\r\n"Say ""hi""",\r\n"Widget, large","[""a"",""b""]"\r\n')
  })

  it('round-trips CSV: export with a header from the records, import into another table, same values', async () => {
    const out = await h.run(['data', 'export', 'csv_items', file('all.csv'), '--filter', '{"name":{"$ne":"Inferred"}}', '--json'])
    expect(out.json).to.include({ format: 'csv', rows: 2 })
    const header = (await readFile(file('all.csv'), 'utf8')).split('\r\n')[0]!.split(',')
    expect(header).to.include.members(['id', 'name', 'qty', 'price', 'active', 'tags', 'meta', 'note', 'createdAt'])
    const back = await h.run(['data', 'import', 'roundtrip', file('all.csv'), '--json'])
    expect(back.json.rows).to.deep.equal({ read: 2, written: 2, rejected: 0 })
    const strip = ({ id: _i, createdAt: _c, updatedAt: _u, createdBy: _b, ...rest }: Record<string, unknown>) => rest
    const original = (await h.run(['data', 'list', 'csv_items', '--filter', '{"name":{"$ne":"Inferred"}}', '--sort', 'name', '--json'])).json.items.map(strip)
    const copy = (await h.run(['data', 'list', 'roundtrip', '--sort', 'name', '--json'])).json.items.map(strip)
    expect(copy).to.deep.equal(original)
  })

  it('fails before writing any record when the export or rejects file cannot be created', async () => {
    const out = await h.run(['data', 'export', 'items', join(h.dir, 'no-such-dir', 'out.ndjson'), '--json'])
    expect(out.code).to.equal(1)
    expect(JSON.parse(out.stderr).error).to.include({ code: 'cli/cannot-write' })
    const rejects = await h.run(['data', 'import', 'items', file('two.ndjson'), '--rejects', join(h.dir, 'no-such-dir', 'r.ndjson'), '--json'])
    expect(rejects.code).to.equal(1)
    expect(JSON.parse(rejects.stderr).error).to.include({ code: 'cli/cannot-write' })
  })

  it('refuses to export over an existing file before any request, unless --force', async () => {
    await writeFile(file('kept.ndjson'), 'keep me\n')
    const refused = await h.run(['data', 'export', 'items', file('kept.ndjson')])
    expect(refused.code).to.equal(1)
    expect(refused.stderr).to.equal(`Error: ${file('kept.ndjson')} already exists\nHint: pass --force to replace it, or choose another file\n`)
    expect(await readFile(file('kept.ndjson'), 'utf8')).to.equal('keep me\n')
    const forced = await h.run(['data', 'export', 'items', file('kept.ndjson'), '--force'])
    expect(forced.code, forced.stderr).to.equal(0)
    expect(forced.stderr).to.equal(`Exported 251 records of items (env dev) to ${file('kept.ndjson')} as ndjson.\n`)
    expect((await readFile(file('kept.ndjson'), 'utf8')).trim().split('\n')).to.have.length(251)
  })

  it('refuses --json while exporting to standard output (two documents on one stream)', async () => {
    const out = await h.run(['data', 'export', 'items', '--json'])
    expect(out.code).to.equal(2)
    expect(out.stdout).to.equal('')
    expect(JSON.parse(out.stderr).error.hint).to.include('export to a file')
  })
})
