import { expect } from 'chai'
import { newId } from '../../../src/emulator/core/ids.js'
import { sortRecords, type SortSpec } from '../../../src/emulator/core/data/query/sort.js'
import { TableIndexes } from '../../../src/emulator/core/data/indexes/table-indexes.js'
import { walkPage } from '../../../src/emulator/core/data/query/scan.js'
import { pageOfIds, pageWindow } from '../../../src/emulator/core/data/query/window.js'

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

describe('data: walkPage cuts the same page from the id-ordered table', () => {
  const def = { name: 'n_1', fields: { n: 1 as const }, unique: false, sparse: false }
  type R = ReturnType<typeof records>[number]
  const rows = records(57, random(9))
  const indexes = new TableIndexes<R>([def], rows)
  // Some records deleted, some updated in place: the walk skips the first and sees the new version of the second.
  const live = new Map(rows.map((r) => [r.id, r]))
  for (const r of rows.filter((_, i) => i % 7 === 3)) {
    indexes.deleted(r)
    live.delete(r.id)
  }
  for (const r of rows.filter((row, i) => i % 5 === 1 && live.has(row.id))) {
    const next = { ...r, n: 9 }
    indexes.updated(r, next)
    live.set(r.id, next)
  }
  const big = (r: R) => (r.n as number) > 4

  it('matches pageWindow over the live records for every start and limit, both directions, with and without a filter', () => {
    const liveRows = [...live.values()]
    expect(liveRows.length).to.be.greaterThan(40)
    for (const [name, test] of [['all', null], ['n > 4', big]] as const) {
      const matching = test ? liveRows.filter(test) : liveRows
      for (const direction of ['asc', 'desc'] as const) {
        for (const start of [0, 1, 19, 40, 56, 57, 80]) {
          for (const limit of [1, 10, 20, 100]) {
            const spec: SortSpec = { sortBy: 'id', direction, date: false }
            // Twice: the second call reads the remembered count and stops once its page is full.
            for (const round of [1, 2]) {
              const page = walkPage(indexes, test, name, live.size, direction, start, limit)!
              expect(page.items.map((r) => r.id), `${name} ${direction} ${start} ${limit} #${round}`).to.deep.equal(pageWindow(matching, spec, start, limit).map((r) => r.id))
              expect(page.total).to.equal(matching.length)
            }
          }
        }
      }
    }
  })

  it('counts again after a write', () => {
    const before = walkPage(indexes, big, 'n > 4', live.size, 'desc', 0, 5)!.total
    const created = { ...records(1, random(3))[0]!, id: newId(1_800_000_000_000), n: 8 }
    indexes.created(created)
    const after = walkPage(indexes, big, 'n > 4', live.size + 1, 'desc', 0, 5)!
    expect(after.total).to.equal(before + 1)
    expect(after.items[0]!.id).to.equal(created.id)
  })

  it('declines a table whose storage order is not id order', () => {
    const shuffled = new TableIndexes<R>([def], [...rows].reverse())
    expect(walkPage(shuffled, null, 'all', rows.length, 'asc', 0, 10)).to.equal(null)
  })
})

describe('data: pageOfIds cuts a page out of ids in id order', () => {
  it('equals slicing the sorted ids, in both directions', () => {
    const ids = records(300, random(11)).map((r) => r.id).sort()
    for (const direction of ['asc', 'desc'] as const) {
      const sorted = direction === 'desc' ? [...ids].reverse() : ids
      for (const [start, limit] of [[0, 20], [7, 5], [290, 20], [300, 1], [0, 500]] as Array<[number, number]>) {
        expect(pageOfIds(ids, direction, start, limit), `${direction} ${start} ${limit}`).to.deep.equal(sorted.slice(start, start + limit))
      }
    }
  })
})

describe('data: index entries keep their ids in id order', () => {
  it('for creations in id order, after an update of a record, and for records added out of order', async () => {
    const { valueKey } = await import('../../../src/emulator/core/data/indexes/index-defs.js')
    const def = { name: 'cat_1', fields: { cat: 1 as const }, unique: false, sparse: false }
    const rows = records(30, random(5)).map((r, i) => ({ ...r, cat: i % 2 === 0 ? 'a' : 'b' }))
    const indexes = new TableIndexes<Record<string, unknown> & { id: string }>([def], rows)
    const a = () => indexes.lookup('cat_1', valueKey(['a']))
    const sorted = rows.filter((r) => r.cat === 'a').map((r) => r.id).sort()
    expect(a()).to.have.length(15)
    expect(a()).to.deep.equal(sorted)
    expect(pageOfIds(a(), 'desc', 0, 5)).to.deep.equal([...sorted].reverse().slice(0, 5))
    // An update that keeps the key leaves the entry as it is; one that changes it moves the id between entries.
    indexes.updated(rows[0]!, { ...rows[0]!, title: 'changed' })
    expect(a()).to.deep.equal(sorted)
    indexes.updated(rows[0]!, { ...rows[0]!, cat: 'b' })
    expect(a()).to.deep.equal(sorted.filter((id) => id !== rows[0]!.id))
    indexes.updated({ ...rows[0]!, cat: 'b' }, rows[0]!)
    expect(a()).to.deep.equal(sorted)
    // Records added in any order (a clock moved back) still land in id order, once each.
    const shuffled = new TableIndexes([def], [...rows].reverse())
    shuffled.created(rows[2]!)
    expect(shuffled.lookup('cat_1', valueKey(['a']))).to.deep.equal(sorted)
  })
})
