import { expect } from 'chai'
import { bracketFilters, parseFilterParam, schemaTypes } from '../../../src/emulator/core/data/query/filter.js'
import { parseListParams, project } from '../../../src/emulator/core/data/query/list-params.js'
import { compileFilter } from '../../../src/emulator/core/data/query/compile.js'
import { matches } from '../../../src/emulator/core/data/query/match.js'
import { searchMatcher } from '../../../src/emulator/core/data/query/search.js'
import { sortRecords } from '../../../src/emulator/core/data/query/sort.js'
import { normalizeSchema } from '../../../src/emulator/core/data/schema/normalize.js'
import { DomainError } from '../../../src/emulator/core/errors.js'

const schema = normalizeSchema({
  age: { bsonType: 'int' },
  score: { type: 'number' },
  active: { type: 'boolean' },
  born: { type: 'date' },
  name: { type: 'string' },
  tags: { type: 'array', items: { type: 'string' } },
  author: { type: 'object', properties: { name: { type: 'string' }, since: { type: 'date' } } },
}).schema
const types = schemaTypes(schema)

const doc = {
  id: '65a4f0c2e4b0a1b2c3d4e5f6',
  name: 'Alice',
  age: 30,
  score: 4.5,
  active: true,
  born: '1995-06-01T00:00:00.000Z',
  nothing: null,
  tags: ['red', 'blue'],
  matrix: [[1, 2]],
  author: { name: 'Bob', since: '2020-01-01T00:00:00.000Z' },
  items: [{ sku: 'a1', qty: 2 }, { sku: 'b2', qty: 5 }],
  createdBy: 'u1',
  createdAt: '2025-01-15T10:30:00.000Z',
  updatedAt: '2025-01-15T10:30:00.000Z',
}

describe('data/query: filters (parse + match, MongoDB semantics)', () => {
  const cases: Array<[string, unknown, boolean]> = [
    ['direct equality', { name: 'Alice' }, true],
    ['equality is case-sensitive', { name: 'alice' }, false],
    ['no cross-type coercion', { age: '30' }, false],
    ['$eq', { age: { $eq: 30 } }, true],
    ['$ne on a different value', { age: { $ne: 31 } }, true],
    ['$ne on the same value', { age: { $ne: 30 } }, false],
    ['$ne on a missing field', { ghost: { $ne: 1 } }, true],
    ['$gt', { age: { $gt: 29 } }, true],
    ['$gt at the bound', { age: { $gt: 30 } }, false],
    ['$gte at the bound', { age: { $gte: 30 } }, true],
    ['$lt', { score: { $lt: 5 } }, true],
    ['$lte at the bound', { score: { $lte: 4.5 } }, true],
    ['range in one object', { age: { $gte: 18, $lt: 30 } }, false],
    ['range that holds', { age: { $gte: 18, $lt: 31 } }, true],
    ['$gt across types never matches', { age: { $gt: 'a' } }, false],
    ['$gt on strings compares by code point', { name: { $gt: 'Aa' } }, true],
    ['$gt with a boolean operand never matches', { active: { $gt: false } }, false],
    ['$in hit', { name: { $in: ['Bob', 'Alice'] } }, true],
    ['$in miss', { name: { $in: ['Bob'] } }, false],
    ['$in on an array field matches any element', { tags: { $in: ['blue', 'green'] } }, true],
    ['$in with null matches a missing field', { ghost: { $in: [null] } }, true],
    ['$nin hit', { name: { $nin: ['Alice'] } }, false],
    ['$nin miss', { name: { $nin: ['Bob'] } }, true],
    ['$nin on a missing field', { ghost: { $nin: ['x'] } }, true],
    ['$nin on an array field', { tags: { $nin: ['red'] } }, false],
    ['$regex', { name: { $regex: '^Al' } }, true],
    ['$regex is case-sensitive', { name: { $regex: '^al' } }, false],
    ['$regex with $options i', { name: { $regex: '^al', $options: 'i' } }, true],
    ['$regex on an array field', { tags: { $regex: 'lu' } }, true],
    ['$regex on a number never matches', { age: { $regex: '3' } }, false],
    ['$exists true', { name: { $exists: true } }, true],
    ['$exists false on a missing field', { ghost: { $exists: false } }, true],
    ['$exists counts null as present', { nothing: { $exists: true } }, true],
    ['null matches null', { nothing: null }, true],
    ['null matches missing', { ghost: null }, true],
    ['null does not match a value', { name: null }, false],
    ['$ne null on a missing field', { ghost: { $ne: null } }, false],
    ['array field: element equality', { tags: 'red' }, true],
    ['array field: whole-array equality', { tags: ['red', 'blue'] }, true],
    ['array field: whole array in another order', { tags: ['blue', 'red'] }, false],
    ['nested array whole-element equality', { matrix: [1, 2] }, true],
    ['dot path into an object', { 'author.name': 'Bob' }, true],
    ['dot path into an array of objects', { 'items.sku': 'b2' }, true],
    ['dot path with $gt into an array of objects', { 'items.qty': { $gt: 4 } }, true],
    ['dot path through an index', { 'items.0.sku': 'a1' }, true],
    ['embedded object equality', { author: { since: '2020-01-01T00:00:00.000Z', name: 'Bob' } }, true],
    ['id', { id: '65a4f0c2e4b0a1b2c3d4e5f6' }, true],
    ['date field compared as an instant with another offset', { born: '1995-06-01T09:00:00+09:00' }, true],
    ['date field compared with an ISO date', { born: { $gte: '1995-06-01', $lt: '1995-06-02' } }, true],
    ['nested date field', { 'author.since': { $lt: '2021-01-01' } }, true],
    ['createdAt compares as a date', { createdAt: { $gt: '2025-01-15T19:29:59+09:00' } }, true],
    ['createdAt equal instant, different text', { createdAt: '2025-01-15T10:30:00Z' }, true],
    ['boolean', { active: true }, true],
  ]
  for (const [name, filter, expected] of cases) {
    it(`${name}: ${JSON.stringify(filter)} → ${expected}`, () => {
      expect(matches(parseFilterParam(filter, 'and', types), doc)).to.equal(expected)
      expect(matches(parseFilterParam(JSON.stringify(filter), 'and', types), doc)).to.equal(expected)
    })
  }

  it('andFilters objects AND their entries, arrays AND their elements', () => {
    expect(matches(parseFilterParam({ name: 'Alice', age: 31 }, 'and', types), doc)).to.equal(false)
    expect(matches(parseFilterParam([{ name: 'Alice' }, { age: 30 }], 'and', types), doc)).to.equal(true)
    expect(matches(parseFilterParam([{ name: 'Alice' }, { age: 31 }], 'and', types), doc)).to.equal(false)
  })

  it('orFilters objects OR their entries, arrays OR elements whose entries are ANDed', () => {
    expect(matches(parseFilterParam({ name: 'Zed', age: 30 }, 'or', types), doc)).to.equal(true)
    expect(matches(parseFilterParam({ name: 'Zed', age: 31 }, 'or', types), doc)).to.equal(false)
    expect(matches(parseFilterParam([{ name: 'Zed' }, { name: 'Alice', age: 30 }], 'or', types), doc)).to.equal(true)
    expect(matches(parseFilterParam([{ name: 'Alice', age: 31 }, { name: 'Zed' }], 'or', types), doc)).to.equal(false)
  })

  it('empty or absent filters match everything', () => {
    for (const value of [undefined, '', {}, []]) expect(matches(parseFilterParam(value, 'and', types), doc)).to.equal(true)
  })

  const brackets: Array<[Record<string, string>, boolean]> = [
    [{ 'andFilters[age]': '30' }, true],
    [{ 'andFilters[score]': '4.5' }, true],
    [{ 'andFilters[active]': 'true' }, true],
    [{ 'andFilters[active]': 'false' }, false],
    [{ 'andFilters[born]': '1995-06-01' }, true],
    [{ 'andFilters[name]': 'Alice' }, true],
    [{ 'andFilters[age][$gte]': '18', 'andFilters[age][$lt]': '31' }, true],
    [{ 'andFilters[name][$in]': 'Bob,Alice' }, true],
    [{ 'andFilters[ghost][$exists]': 'false' }, true],
    [{ 'andFilters[undeclared]': '30' }, false],
  ]
  for (const [query, expected] of brackets) {
    it(`bracket form ${JSON.stringify(query)} coerces declared types → ${expected}`, () => {
      const filter = parseFilterParam(bracketFilters(query, 'andFilters'), 'and', types, { bracket: true })
      expect(matches(filter, { ...doc, undeclared: 30 })).to.equal(expected)
    })
  }

  const invalid: Array<[string, unknown]> = [
    ['unparseable JSON', '{"a":'],
    ['a scalar document', '5'],
    ['an unknown operator', { age: { $between: [1, 2] } }],
    ['$in with a non-array', { age: { $in: 3 } }],
    ['$nin with a non-array', { age: { $nin: 'x' } }],
    ['$exists with a non-boolean', { age: { $exists: 'yes' } }],
    ['an invalid regex', { name: { $regex: '(' } }],
    ['a non-string regex', { name: { $regex: 5 } }],
    ['bad $options', { name: { $regex: 'a', $options: 'g' } }],
    ['$options without $regex', { name: { $options: 'i' } }],
    ['a top-level operator', { $or: [{ a: 1 }] }],
    ['operators mixed with fields', { author: { $eq: 1, name: 'x' } }],
    ['an empty path segment', { 'a..b': 1 }],
    ['array elements that are not objects', [1]],
  ]
  for (const [name, filter] of invalid) {
    it(`rejects ${name} with data/validation-error`, () => {
      expect(() => parseFilterParam(filter, 'and', types)).to.throw(DomainError).with.property('code', 'data/validation-error')
    })
  }
})

describe('data/query: search, sort, paging, select', () => {
  it('search is a case-insensitive literal substring over top-level strings, system fields excluded', () => {
    expect(searchMatcher('LIC', undefined)?.(doc)).to.equal(true)
    expect(searchMatcher('a.*', undefined)?.({ ...doc, name: 'x' })).to.equal(false)
    expect(searchMatcher('a.*', undefined)?.({ ...doc, name: 'xa.*y' })).to.equal(true)
    expect(searchMatcher('u1', undefined)?.(doc)).to.equal(false)
    expect(searchMatcher('bob', undefined)?.(doc)).to.equal(false)
    expect(searchMatcher('bob', 'author.name')?.(doc)).to.equal(true)
    expect(searchMatcher('30', 'age')?.(doc)).to.equal(false)
    expect(searchMatcher('', undefined)).to.equal(null)
  })

  const rows = [
    { id: 'a1', v: 'b' },
    { id: 'a2', v: 2 },
    { id: 'a3' },
    { id: 'a4', v: null },
    { id: 'a5', v: true },
    { id: 'a6', v: { x: 1 } },
    { id: 'a7', v: [1] },
    { id: 'a8', v: 1 },
    { id: 'a9', v: 'B' },
  ]
  it('sorts in MongoDB type order with id tie-breaks in the same direction', () => {
    const asc = sortRecords(rows, { sortBy: 'v', direction: 'asc', date: false }).map((r) => r.id)
    expect(asc).to.deep.equal(['a3', 'a4', 'a8', 'a2', 'a9', 'a1', 'a6', 'a7', 'a5'])
    const desc = sortRecords(rows, { sortBy: 'v', direction: 'desc', date: false }).map((r) => r.id)
    expect(desc).to.deep.equal(['a5', 'a7', 'a6', 'a1', 'a9', 'a2', 'a8', 'a4', 'a3'])
  })

  it('sorts dates after every other type and as instants', () => {
    const dated = [
      { id: 'b1', d: '2025-01-02T00:00:00.000Z' },
      { id: 'b2', d: '2025-01-01T23:00:00-02:00' },
      { id: 'b3', d: true },
    ]
    expect(sortRecords(dated, { sortBy: 'd', direction: 'asc', date: true }).map((r) => r.id)).to.deep.equal(['b3', 'b1', 'b2'])
  })

  it('defaults to id descending', () => {
    const params = parseListParams({})
    expect(params).to.include({ sortBy: 'id', direction: 'desc', page: 1, limit: 20, offset: null })
    expect(sortRecords(rows, { sortBy: params.sortBy, direction: params.direction, date: false })[0]?.id).to.equal('a9')
  })

  const paging: Array<[Record<string, unknown>, { page: number; limit: number; offset: number | null }]> = [
    [{ page: '3', limit: '10' }, { page: 3, limit: 10, offset: null }],
    [{ limit: '500' }, { page: 1, limit: 100, offset: null }],
    [{ limit: '0' }, { page: 1, limit: 1, offset: null }],
    [{ limit: '-5' }, { page: 1, limit: 1, offset: null }],
    [{ page: '0' }, { page: 1, limit: 20, offset: null }],
    [{ offset: '45', limit: '20', page: '9' }, { page: 3, limit: 20, offset: 45 }],
    [{ offset: -3 }, { page: 1, limit: 20, offset: 0 }],
    [{ page: 2, limit: 5 }, { page: 2, limit: 5, offset: null }],
  ]
  for (const [query, expected] of paging) {
    it(`paging ${JSON.stringify(query)} → ${JSON.stringify(expected)}`, () => expect(parseListParams(query)).to.include(expected))
  }

  for (const query of [{ page: 'two' }, { limit: 'ten' }, { offset: 'x' }, { sortDirection: 'up' }]) {
    it(`rejects ${JSON.stringify(query)}`, () => expect(() => parseListParams(query)).to.throw(DomainError).with.property('code', 'data/validation-error'))
  }

  it('select keeps the named fields and dot paths plus the system fields; fields is an alias', () => {
    const select = parseListParams({ select: 'name,author.name,unknown' }).select
    expect(project(doc, select)).to.deep.equal({ id: doc.id, createdBy: 'u1', createdAt: doc.createdAt, updatedAt: doc.updatedAt, name: 'Alice', author: { name: 'Bob' } })
    expect(parseListParams({ fields: ['age', 'name'] }).select).to.deep.equal(['age', 'name'])
    expect(project(doc, null)).to.equal(doc)
  })
})

describe('data/query: compiled filters agree with the matcher', () => {
  // Fields named like Object.prototype members, held or not, and ordinary ones, against every specialised test.
  const rows: Array<Record<string, unknown>> = [{ constructor: 5, score: 3 }, { toString: 'x', score: 7 }, { score: 'high' }, {}, { score: [3, 9] }, { score: { v: 1 } }, { constructor: null }]
  const filters: unknown[] = [
    { constructor: 5 },
    { constructor: { $gt: 1 } },
    { constructor: { $ne: 5 } },
    { toString: 'x' },
    { valueOf: { $lte: 0 } },
    { score: { $gte: 5 } },
    { score: { $lt: 5 } },
    { score: 3 },
    { score: { $ne: 3 } },
    { score: 'high' },
  ]
  for (const filter of filters) {
    it(`${JSON.stringify(filter)}`, () => {
      const parsed = parseFilterParam(filter, 'and', types)
      const test = compileFilter(parsed)
      expect(rows).to.have.length(7)
      for (const row of rows) expect(test(row), JSON.stringify(row)).to.equal(matches(parsed, row))
    })
  }
})
