import { expect } from 'chai'
import { parseCsv } from '../../src/cli/io/transfer/csv-parser.js'
import { csvReader } from '../../src/cli/io/transfer/csv-reader.js'
import { csvLine } from '../../src/cli/io/transfer/csv-writer.js'
import { readJsonArray } from '../../src/cli/io/transfer/json-array-reader.js'
import { readNdjson } from '../../src/cli/io/transfer/ndjson-reader.js'
import type { SourceRow } from '../../src/cli/io/transfer/source-row.js'

/** The text cut into chunks of `size` characters, so every boundary case (inside strings, escapes, CRLF) is hit. */
async function* chunks(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size)
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}

const SIZES = [1, 2, 3, 7, 64, 1 << 16]

describe('cli: import parsers', () => {
  describe('NDJSON', () => {
    it('reads one object per line whatever the chunking, skipping blank lines, with line numbers', async () => {
      const text = '\uFEFF{"a":1}\r\n\n{"b":"x\\ny"}\n[1]\nnot json\n{"c":true}'
      for (const size of SIZES) {
        const rows = await all(readNdjson(chunks(text, size)))
        expect(rows.map((r) => r.row), `chunk ${size}`).to.deep.equal([1, 3, 4, 5, 6])
        expect(rows[0]!.record).to.deep.equal({ a: 1 })
        expect(rows[1]!.record).to.deep.equal({ b: 'x\ny' })
        expect(rows[2]!.error).to.equal('expected a JSON object, got an array')
        expect(rows[3]!.error).to.match(/^invalid JSON/)
        expect(rows[4]!.record).to.deep.equal({ c: true })
      }
    })
  })

  describe('JSON array (streaming)', () => {
    it('finds element boundaries across chunks, through nested brackets, commas and escaped quotes in strings', async () => {
      const text = '\uFEFF [ {"t":"a ] , } \\" [","n":{"x":[1,{"y":2}]}} ,\n{"t":"b"}, 42, [1,2], {"bad":} ]  \n'
      for (const size of SIZES) {
        const rows: SourceRow[] = await all(readJsonArray(chunks(text, size)))
        expect(rows.map((r) => r.row), `chunk ${size}`).to.deep.equal([1, 2, 3, 4, 5])
        expect(rows[0]!.record).to.deep.equal({ t: 'a ] , } " [', n: { x: [1, { y: 2 }] } })
        expect(rows[1]!.record).to.deep.equal({ t: 'b' })
        expect(rows[2]!.error).to.equal('expected a JSON object, got number')
        expect(rows[3]!.error).to.equal('expected a JSON object, got an array')
        expect(rows[4]!.error).to.match(/^invalid JSON/)
      }
    })

    it('reads an empty array and empty input as no rows', async () => {
      expect(await all(readJsonArray(chunks('[]', 1)))).to.deep.equal([])
      expect(await all(readJsonArray(chunks(' \n', 1)))).to.deep.equal([])
    })

    for (const [name, text, why] of [
      ['an object instead of an array', '{"a":1}', 'starts with "{"'],
      ['a cut-off array', '[{"a":1},{"b":', 'ends before its closing bracket'],
      ['text after the array', '[{"a":1}] x', 'has "x" after the closing bracket'],
      ['a trailing comma', '[{"a":1},]', 'has an empty element after element 1'],
    ] as const) {
      it(`rejects ${name} as a whole`, async () => {
        let error: Error | undefined
        try {
          await all(readJsonArray(chunks(text, 3)))
        } catch (e) {
          error = e as Error
        }
        expect(error?.message).to.equal(`the input is not a JSON array: it ${why}`)
      })
    }
  })

  describe('CSV', () => {
    it('parses quotes, doubled quotes, commas and line breaks inside quotes, CRLF, and a BOM, across chunks', async () => {
      const text = '\uFEFFa,b,c\r\n"x, y","say ""hi""","two\r\nlines"\r\n\r\n1,,3\n"",last,\n'
      for (const size of SIZES) {
        const records = await all(parseCsv(chunks(text, size)))
        expect(records, `chunk ${size}`).to.deep.equal([
          { line: 1, cells: ['a', 'b', 'c'] },
          { line: 2, cells: ['x, y', 'say "hi"', 'two\r\nlines'] },
          { line: 5, cells: ['1', '', '3'] },
          { line: 6, cells: ['', 'last', ''] },
        ])
      }
    })

    it('flags a quoted field that never closes', async () => {
      const records = await all(parseCsv(chunks('a\n"open\nstill', 4)))
      expect(records[1]!.error).to.equal('a quoted field starting on line 2 is never closed')
    })

    it('turns rows into records: schema types for declared fields, strings or inferred values for the rest', async () => {
      const text = 'title,views,ok,tags,meta,note\nHi,3,true,"[""a""]","{""k"":1}",12\nNo,x,true,,,\nYo,1,maybe,,,\nshort\n'
      const plain = await all(csvReader({ title: 'string', views: 'int', ok: 'bool', tags: 'array' }, false)(chunks(text, 5)))
      expect(plain[0]).to.deep.equal({ row: 2, record: { title: 'Hi', views: 3, ok: true, tags: ['a'], meta: '{"k":1}', note: '12' } })
      expect(plain[1]).to.deep.equal({ row: 3, error: 'field "views": "x" is not a number' })
      expect(plain[2]).to.deep.equal({ row: 4, error: 'field "ok": "maybe" is not true or false' })
      expect(plain[3]).to.deep.equal({ row: 5, error: 'has 1 fields, the header has 6' })
      const inferred = await all(csvReader({}, true)(chunks(text, 64)))
      expect(inferred[0]!.record).to.deep.equal({ title: 'Hi', views: 3, ok: true, tags: ['a'], meta: { k: 1 }, note: 12 })
    })

    it('refuses a header with an empty or repeated name', async () => {
      for (const [text, message] of [
        ['a,,c\n1,2,3\n', 'CSV header column 2 has no name'],
        ['a,b,a\n1,2,3\n', 'CSV header names "a" twice'],
      ]) {
        let error: Error | undefined
        try {
          await all(csvReader({}, false)(chunks(text!, 64)))
        } catch (e) {
          error = e as Error
        }
        expect(error?.message).to.equal(message)
      }
    })

    it('writes cells that need it quoted, objects as JSON, null as empty, so the parser reads them back', async () => {
      const line = csvLine(['plain', 'a,b', 'say "x"', 'two\nlines', null, { k: [1] }, 3, false])
      expect(line).to.equal('plain,"a,b","say ""x""","two\nlines",,"{""k"":[1]}",3,false\r\n')
      const [record] = await all(parseCsv(chunks(line, 2)))
      expect(record!.cells).to.deep.equal(['plain', 'a,b', 'say "x"', 'two\nlines', '', '{"k":[1]}', '3', 'false'])
    })
  })
})
