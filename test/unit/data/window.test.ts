import { expect } from 'chai'
import { newId } from '../../../src/emulator/core/ids.js'
import { sortRecords, type SortSpec } from '../../../src/emulator/core/data/query/sort.js'
import { pageOfIdOrdered, pageOfIds, pageWindow } from '../../../src/emulator/core/data/query/window.js'

// A small deterministic generator, so a failure can be replayed.
function random(seed: number) {
  return () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
}

function records(count: number, next: () => number) {
  const values = [null, 3, 3.5, -1, 'b', 'a', 'B', true, false, [1, 2], { x: 1 }]
  return Array.from({ length: count }, (_, i) => {
    const record: Record<string, unknown> & { id: string } = { id: newId(1_700_000_000_000 + i * 1000), n: Math.floor(next() * 10) }
    if (next() < 0.8) record.v = values[Math.floor(next() * values.length)]
    record.at = new Date(1_700_000_000_000 + Math.floor(next() * 1e9)).toISOString()
    return record
  })
}

describe('data: pageWindow equals a full sort followed by a slice', () => {
  const specs: SortSpec[] = [
    { sortBy: 'id', direction: 'desc', date: false },
    { sortBy: 'id', direction: 'asc', date: false },
    { sortBy: 'n', direction: 'asc', date: false },
    { sortBy: 'n', direction: 'desc', date: false },
    { sortBy: 'v', direction: 'asc', date: false },
    { sortBy: 'at', direction: 'desc', date: true },
    { sortBy: 'missing', direction: 'asc', date: false },
  ]
  for (const [seed, count] of [
    [1, 0],
    [2, 1],
    [3, 7],
    [4, 200],
    [5, 1000],
  ] as const) {
    for (const spec of specs) {
      it(`${count} records by ${spec.sortBy} ${spec.direction}, in id order and shuffled (seed ${seed})`, () => {
        const next = random(seed)
        const ordered = records(count, next)
        const shuffled = [...ordered].sort(() => next() - 0.5)
        for (const rows of [ordered, shuffled]) {
          for (const [start, limit] of <Array<[number, number]>>[
            [0, 20],
            [0, 1],
            [5, 10],
            [count - 3, 20],
            [count + 5, 20],
            [0, count + 10],
          ]) {
            const s = Math.max(0, start)
            const expected = sortRecords(rows, spec).slice(s, s + limit).map((r) => r.id)
            expect(pageWindow(rows, spec, s, limit).map((r) => r.id), `start ${s} limit ${limit}`).to.deep.equal(expected)
          }
        }
      })
    }
  }
})

describe('data: pageOfIdOrdered cuts the same page from storage order', () => {
  it('matches pageWindow for every start and limit, both directions', () => {
    const rows = records(57, random(9))
    for (const direction of ['asc', 'desc'] as const) {
      for (const start of [0, 1, 19, 50, 56, 57, 80]) {
        for (const limit of [1, 10, 20, 100]) {
          const spec: SortSpec = { sortBy: 'id', direction, date: false }
          expect(pageOfIdOrdered(rows, rows.length, direction, start, limit).map((r) => r.id), `${direction} ${start} ${limit}`).to.deep.equal(pageWindow(rows, spec, start, limit).map((r) => r.id))
        }
      }
    }
  })
})

describe('data: pageOfIds picks a page of ids in id order', () => {
  it('equals sorting the ids, for ordered and shuffled input', () => {
    const next = random(11)
    const ids = records(300, next).map((r) => r.id)
    const shuffled = [...ids].sort(() => next() - 0.5)
    for (const input of [ids, shuffled, new Set(shuffled)]) {
      for (const direction of ['asc', 'desc'] as const) {
        const sorted = [...ids].sort()
        if (direction === 'desc') sorted.reverse()
        for (const [start, limit] of [[0, 20], [7, 5], [290, 20], [300, 1], [0, 500]] as Array<[number, number]>) {
          expect(pageOfIds(input, direction, start, limit), `${direction} ${start} ${limit}`).to.deep.equal(sorted.slice(start, start + limit))
        }
      }
    }
  })
})

describe('data: index entries know whether they are in id order', () => {
  it('stays ordered for creations in id order and not after an update moves an id to the end', async () => {
    const { TableIndexes } = await import('../../../src/emulator/core/data/indexes/table-indexes.js')
    const def = { name: 'cat_1', fields: { cat: 1 as const }, unique: false, sparse: false }
    const rows = records(30, random(5)).map((r, i) => ({ ...r, cat: i % 2 === 0 ? 'a' : 'b' }))
    const indexes = new TableIndexes([def], rows)
    const a = indexes.lookup('cat_1', (await import('../../../src/emulator/core/data/indexes/index-defs.js')).valueKey(['a']))
    expect(a.size).to.equal(15)
    expect(indexes.inIdOrder(a)).to.equal(true)
    const sorted = [...a].sort().reverse()
    expect(pageOfIds(a, 'desc', 0, 5, a.size)).to.deep.equal(sorted.slice(0, 5))
    expect(pageOfIds(a, 'desc', 3, 5, a.size)).to.deep.equal(sorted.slice(3, 8))
    // An update re-adds the record: its id now sits after larger ones.
    const moved = rows[0]!
    indexes.remove(moved)
    indexes.add(moved)
    expect(indexes.inIdOrder(a)).to.equal(false)
    expect(pageOfIds(a, 'desc', 0, 100)).to.deep.equal(sorted)
  })
})
