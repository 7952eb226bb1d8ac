import { expect } from 'chai'
import { indexKeys, normalizeIndex, valueKey } from '../../../src/emulator/core/data/indexes/index-defs.js'
import { TableIndexes } from '../../../src/emulator/core/data/indexes/table-indexes.js'
import type { IndexDef } from '../../../src/emulator/core/data/model.js'
import { parseFilterParam, schemaTypes } from '../../../src/emulator/core/data/query/filter.js'
import { plan } from '../../../src/emulator/core/data/query/planner.js'
import { DomainError } from '../../../src/emulator/core/errors.js'

const types = schemaTypes({ bsonType: 'object', required: [], properties: {} })
const index = (fields: Record<string, 1 | -1>, unique = true, sparse = false, name = 'i'): IndexDef => ({ name, fields, unique, sparse })

describe('data/indexes: index keys with MongoDB rules', () => {
  it('a missing field counts as null, so two records lacking it collide', () => {
    expect(indexKeys({ id: 'a' }, index({ email: 1 }))).to.deep.equal(indexKeys({ id: 'b', email: null }, index({ email: 1 })))
  })

  it('a sparse index skips records missing all its fields', () => {
    expect(indexKeys({ id: 'a' }, index({ email: 1 }, true, true))).to.deep.equal([])
    expect(indexKeys({ id: 'a', email: null }, index({ email: 1 }, true, true))).to.have.length(1)
    expect(indexKeys({ id: 'a', b: 1 }, index({ a: 1, b: 1 }, true, true))).to.have.length(1)
  })

  it('an array contributes each element', () => {
    expect(indexKeys({ id: 'a', tags: ['x', 'y', 'x'] }, index({ tags: 1 }))).to.deep.equal([valueKey(['x']), valueKey(['y'])])
  })

  it('a compound index keys the tuple of its fields', () => {
    const keys = indexKeys({ id: 'a', a: 1, b: ['x', 'y'] }, index({ a: 1, b: -1 }))
    expect(keys).to.deep.equal([valueKey([1, 'x']), valueKey([1, 'y'])])
  })

  it('keys are exact: 1 and "1" differ, case matters, object key order does not', () => {
    expect(valueKey([1])).to.not.equal(valueKey(['1']))
    expect(valueKey(['A'])).to.not.equal(valueKey(['a']))
    expect(indexKeys({ id: 'a', o: { x: 1, y: 2 } }, index({ o: 1 }))).to.deep.equal(indexKeys({ id: 'b', o: { y: 2, x: 1 } }, index({ o: 1 })))
  })

  it('dot paths reach into nested objects and arrays of objects', () => {
    expect(indexKeys({ id: 'a', items: [{ sku: 'p' }, { sku: 'q' }] }, index({ 'items.sku': 1 }))).to.deep.equal([valueKey(['p']), valueKey(['q'])])
  })
})

describe('data/indexes: the in-memory maps', () => {
  const defs = [index({ email: 1 }, true, false, 'email_unique'), index({ a: 1, b: 1 }, true, false, 'ab'), index({ cat: 1 }, false, false, 'cat_1')]
  const build = () => new TableIndexes<Record<string, unknown> & { id: string }>(defs, [
    { id: 'r1', email: 'x@y', a: 1, b: 1, cat: 'news' },
    { id: 'r2', email: 'z@y', a: 1, b: 2, cat: 'news' },
  ])

  it('finds a unique violation and names the index and field', () => {
    const violation = build().violation({ id: 'r3', email: 'x@y' })
    expect(violation?.index.name).to.equal('email_unique')
    expect(violation?.field).to.equal('email')
  })

  it('ignores the record itself (updates) and non-unique indexes', () => {
    expect(build().violation({ id: 'r1', email: 'x@y', a: 1, b: 1, cat: 'news' })).to.equal(null)
    expect(build().violation({ id: 'r3', email: 'new', a: 9, cat: 'news' })).to.equal(null)
  })

  it('checks compound tuples, not single fields', () => {
    expect(build().violation({ id: 'r3', email: 'n', a: 1, b: 3 })).to.equal(null)
    expect(build().violation({ id: 'r3', email: 'n', a: 1, b: 2 })?.index.name).to.equal('ab')
  })

  it('treats two records without the field as duplicates of null', () => {
    const maps = new TableIndexes([index({ email: 1 }, true, false, 'e')], [{ id: 'r1' }])
    expect(maps.violation({ id: 'r2' })?.index.name).to.equal('e')
    const sparse = new TableIndexes([index({ email: 1 }, true, true, 'e')], [{ id: 'r1' }])
    expect(sparse.violation({ id: 'r2' })).to.equal(null)
  })

  it('is maintained on delete and create', () => {
    const maps = build()
    maps.deleted({ id: 'r1', email: 'x@y', a: 1, b: 1, cat: 'news' })
    expect(maps.violation({ id: 'r3', email: 'x@y' })).to.equal(null)
    maps.created({ id: 'r3', email: 'x@y' })
    expect(maps.violation({ id: 'r4', email: 'x@y' })?.index.name).to.equal('email_unique')
  })

  it('reports collisions among existing records', () => {
    const maps = new TableIndexes([index({ email: 1 }, true, false, 'e')], [{ id: 'r1', email: 'a' }, { id: 'r2', email: 'a' }])
    expect(maps.firstCollision()?.index.name).to.equal('e')
  })
})

describe('data/query/planner: equality index use', () => {
  const maps = new TableIndexes([index({ cat: 1 }, false, false, 'cat_1'), index({ a: 1, b: 1 }, false, false, 'ab')], [
    { id: 'r1', cat: 'news', a: 1, b: 1 },
    { id: 'r2', cat: 'tech', a: 1 },
    { id: 'r3', cat: ['news', 'x'] },
  ])
  const cases: Array<[string, unknown, string[] | null]> = [
    ['scalar equality on an indexed field', { cat: 'news' }, ['r1', 'r3']],
    ['$eq operator', { cat: { $eq: 'tech' } }, ['r2']],
    ['equality inside a larger conjunction', [{ cat: 'tech' }, { a: 1 }], ['r2']],
    ['no index on the field', { a: 1 }, null],
    ['id equality uses the record key', { id: 'r2' }, ['r2']],
    ['a non-string id matches nothing', { id: 5 }, []],
    ['null equality (also matches missing) scans', { cat: null }, null],
    ['array operand (whole-array equality) scans', { cat: ['news', 'x'] }, null],
    ['range operators scan', { cat: { $gt: 'a' } }, null],
    ['$in of scalars unites the values on an indexed field', { cat: { $in: ['tech', 'news', 'none'] } }, ['r1', 'r2', 'r3']],
    ['$in of ids uses the record key', { id: { $in: ['r1', 'r3', 5] } }, ['r1', 'r3']],
    ['$in holding null scans', { cat: { $in: ['tech', null] } }, null],
    ['$in on a field without an index scans', { a: { $in: [1] } }, null],
  ]
  for (const [name, filter, expected] of cases) {
    it(`${name} → ${expected ? expected.join(',') : 'scan'}`, () => {
      const ids = plan(parseFilterParam(filter, 'and', types), maps)
      expect(ids === null ? null : [...ids].sort()).to.deep.equal(expected)
    })
  }
  it('an OR never uses an index', () => expect(plan(parseFilterParam({ cat: 'news', a: 1 }, 'or', types), maps)).to.equal(null))
})

describe('data/indexes: index definitions', () => {
  it('defaults unique and sparse to false', () => {
    expect(normalizeIndex({ name: 'cat_1', fields: { cat: 1 } })).to.deep.equal({ name: 'cat_1', fields: { cat: 1 }, unique: false, sparse: false })
  })
  const bad: unknown[] = [
    { name: '_mine', fields: { a: 1 } },
    { name: '_id_', fields: { a: 1 } },
    { name: '1abc', fields: { a: 1 } },
    { name: 'x', fields: {} },
    { name: 'x', fields: { a: 2 } },
    { name: 'x', fields: { 'a..b': 1 } },
    { name: 'x', fields: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`f${i}`, 1])) },
    { name: 'x', fields: { a: 1 }, unique: 'yes' },
    { name: 'x', fields: { a: 1 }, color: 'red' },
    { fields: { a: 1 } },
  ]
  for (const input of bad) {
    it(`rejects ${JSON.stringify(input).slice(0, 60)}`, () => expect(() => normalizeIndex(input)).to.throw(DomainError).with.property('kind', 'invalid'))
  }
})
