import { expect } from 'chai'
import type { ObjectSchema } from '../../../src/emulator/core/data/model.js'
import { applyDefaults, canonicalDates, checkBody, withoutSystemFields } from '../../../src/emulator/core/data/schema/body.js'
import { dateMs, isoDate } from '../../../src/emulator/core/data/schema/dates.js'
import { normalizeSchema } from '../../../src/emulator/core/data/schema/normalize.js'
import { assertDefaultsValid, validateRecord } from '../../../src/emulator/core/data/schema/validator.js'
import { DomainError } from '../../../src/emulator/core/errors.js'

function caught(fn: () => unknown): DomainError {
  try {
    fn()
  } catch (error) {
    expect(error).to.be.instanceOf(DomainError)
    return error as DomainError
  }
  throw new Error('expected a DomainError')
}

describe('data/schema: normalising the input forms', () => {
  it('turns a field map with abstract types into the stored bsonType form', () => {
    const { schema, uniqueFields } = normalizeSchema({
      title: { type: 'string', required: true, maxLength: 200 },
      price: { type: 'number', minimum: 0 },
      done: { type: 'boolean', default: false },
      due: { type: 'date' },
      meta: { type: 'object', properties: { note: { type: 'string', required: true } } },
      tags: { type: 'array', items: { type: 'string' } },
      author: { type: 'reference', ref: 'users' },
      email: { type: 'string', unique: true },
    })
    expect(schema).to.deep.equal({
      bsonType: 'object',
      required: ['title'],
      properties: {
        title: { bsonType: 'string', maxLength: 200 },
        price: { bsonType: 'double', minimum: 0 },
        done: { bsonType: 'bool', default: false },
        due: { bsonType: 'date' },
        meta: { bsonType: 'object', properties: { note: { bsonType: 'string' } }, required: ['note'] },
        tags: { bsonType: 'array', items: { bsonType: 'string' } },
        author: { bsonType: 'objectId', ref: 'users' },
        email: { bsonType: 'string' },
      },
    })
    expect(uniqueFields).to.deep.equal(['email'])
  })

  const aliases: Array<[Record<string, string>, string]> = [
    [{ bsonType: 'long' }, 'int'],
    [{ bsonType: 'decimal' }, 'double'],
    [{ bsonType: 'number' }, 'double'],
    [{ bsonType: 'boolean' }, 'bool'],
    [{ type: 'int' }, 'int'],
    [{ type: 'integer' }, 'int'],
    [{ type: 'double' }, 'double'],
    [{ type: 'float' }, 'double'],
    [{ type: 'reference' }, 'objectId'],
    [{ bsonType: 'objectId' }, 'objectId'],
  ]
  for (const [def, stored] of aliases) {
    it(`normalises ${JSON.stringify(def)} to bsonType ${stored}`, () => {
      expect(normalizeSchema({ f: def }).schema.properties.f?.bsonType).to.equal(stored)
    })
  }

  it('accepts the stored form and keeps its required list', () => {
    const stored = { bsonType: 'object', required: ['a'], properties: { a: { bsonType: 'string' }, b: { bsonType: 'int' } } }
    expect(normalizeSchema(stored).schema).to.deep.equal(stored)
  })

  it('reads a plain JSON Schema object ({ type: "object", properties }) like the stored form', () => {
    expect(normalizeSchema({ type: 'object', required: ['a'], properties: { a: { type: 'string' } } }).schema).to.deep.equal({ bsonType: 'object', required: ['a'], properties: { a: { bsonType: 'string' } } })
  })

  it('still reads a map whose field is called "type"', () => {
    expect(normalizeSchema({ type: { type: 'string' } }).schema.properties.type).to.deep.equal({ bsonType: 'string' })
  })

  it('accepts {} and null as empty schemas', () => {
    expect(normalizeSchema({}).schema).to.deep.equal({ bsonType: 'object', required: [], properties: {} })
    expect(normalizeSchema(null).schema.properties).to.deep.equal({})
  })

  const bad: Array<[string, unknown, string]> = [
    ['reserved name id', { id: { type: 'string' } }, 'reserved'],
    ['reserved name createdAt', { createdAt: { type: 'date' } }, 'reserved'],
    ['reserved name _id', { _id: { type: 'string' } }, 'pattern'],
    ['a name starting with a digit', { '1a': { type: 'string' } }, 'pattern'],
    ['a dashed name', { 'a-b': { type: 'string' } }, 'pattern'],
    ['a 65-character name', { ['a'.repeat(65)]: { type: 'string' } }, 'pattern'],
    ['an unknown type', { a: { type: 'money' } }, 'type'],
    ['a missing type', { a: { maxLength: 3 } }, 'type'],
    ['an unknown keyword', { a: { type: 'string', color: 'red' } }, 'definition'],
    ['pattern on a number', { a: { type: 'number', pattern: 'x' } }, 'pattern'],
    ['an invalid pattern', { a: { type: 'string', pattern: '[' } }, 'pattern'],
    ['minLength > maxLength', { a: { type: 'string', minLength: 3, maxLength: 2 } }, 'minLength'],
    ['a negative maxLength', { a: { type: 'string', maxLength: -1 } }, 'maxLength'],
    ['minimum > maximum', { a: { type: 'number', minimum: 3, maximum: 2 } }, 'minimum'],
    ['an empty enum', { a: { type: 'string', enum: [] } }, 'enum'],
    ['items on a string', { a: { type: 'string', items: { type: 'string' } } }, 'items'],
    ['unique on a nested field', { a: { type: 'object', properties: { b: { type: 'string', unique: true } } } }, 'unique'],
    ['a required name that is not declared', { bsonType: 'object', required: ['x'], properties: {} }, 'required'],
    ['a schema that is not an object', 'title:string', 'type'],
    ['the type name "constructor"', { a: { type: 'constructor' } }, 'type'],
    ['the type name "toString"', { a: { bsonType: 'toString' } }, 'type'],
  ]
  for (const [name, input, rule] of bad) {
    it(`rejects ${name} (rule ${rule})`, () => {
      const error = caught(() => normalizeSchema(input))
      expect(error.code).to.equal('data/validation-error')
      expect(error.kind).to.equal('invalid')
      expect(error.details?.[0]?.rule).to.equal(rule)
    })
  }

  it('rejects a default that violates its own definition', () => {
    const { schema } = normalizeSchema({ n: { type: 'number', minimum: 1, default: 0 } })
    expect(caught(() => assertDefaultsValid(schema)).details?.[0]).to.include({ field: 'n', rule: 'default' })
  })
})

describe('data/schema: validating records', () => {
  const schema = normalizeSchema({
    title: { type: 'string', required: true, minLength: 2, maxLength: 5, pattern: '^[a-z😀]+$' },
    count: { bsonType: 'int', minimum: 0, maximum: 10 },
    big: { bsonType: 'long' },
    price: { type: 'number' },
    flag: { type: 'boolean' },
    when: { type: 'date' },
    status: { type: 'string', enum: ['draft', 'published'] },
    tags: { type: 'array', items: { type: 'string', maxLength: 3 } },
    author: { type: 'object', properties: { name: { type: 'string', required: true } } },
    ref: { type: 'reference' },
  }).schema
  const ok = { title: 'abc' }
  const cases: Array<[string, Record<string, unknown>, Array<{ field: string; rule: string }>]> = [
    ['a minimal valid record', ok, []],
    ['undeclared fields', { ...ok, extra: { any: [1] } }, []],
    ['null for non-required fields', { ...ok, count: null, when: null, status: null, tags: null, author: null }, []],
    ['missing required field', {}, [{ field: 'title', rule: 'required' }]],
    ['null required field', { title: null }, [{ field: 'title', rule: 'required' }]],
    ['wrong string type', { title: 5 }, [{ field: 'title', rule: 'type' }]],
    ['minLength counts code points', { title: '😀' }, [{ field: 'title', rule: 'minLength' }]],
    ['maxLength counts code points', { title: '😀😀😀😀😀' }, []],
    ['maxLength exceeded', { title: 'abcdef' }, [{ field: 'title', rule: 'maxLength' }]],
    ['pattern mismatch', { title: 'ABC' }, [{ field: 'title', rule: 'pattern' }]],
    ['int with a fraction', { ...ok, count: 1.5 }, [{ field: 'count', rule: 'type' }]],
    ['int beyond the safe range', { ...ok, big: 2 ** 60 }, [{ field: 'big', rule: 'type' }]],
    ['int below minimum', { ...ok, count: -1 }, [{ field: 'count', rule: 'minimum' }]],
    ['int above maximum', { ...ok, count: 11 }, [{ field: 'count', rule: 'maximum' }]],
    ['int at both bounds', { ...ok, count: 10 }, []],
    ['double given a string', { ...ok, price: '9.5' }, [{ field: 'price', rule: 'type' }]],
    ['double given an integer', { ...ok, price: 9 }, []],
    ['bool given a string', { ...ok, flag: 'true' }, [{ field: 'flag', rule: 'type' }]],
    ['date as ISO date', { ...ok, when: '2025-01-15' }, []],
    ['date as date-time with offset', { ...ok, when: '2025-01-15T10:30:00+09:00' }, []],
    ['date as epoch ms', { ...ok, when: 1736937000000 }, []],
    ['date as free text', { ...ok, when: 'yesterday' }, [{ field: 'when', rule: 'type' }]],
    ['date that does not exist', { ...ok, when: '2025-02-31' }, [{ field: 'when', rule: 'type' }]],
    ['enum miss', { ...ok, status: 'deleted' }, [{ field: 'status', rule: 'enum' }]],
    ['array given an object', { ...ok, tags: { a: 1 } }, [{ field: 'tags', rule: 'type' }]],
    ['array element of the wrong type', { ...ok, tags: ['ok', 3] }, [{ field: 'tags', rule: 'items' }]],
    ['array element too long', { ...ok, tags: ['toolong'] }, [{ field: 'tags', rule: 'items' }]],
    ['nested required missing', { ...ok, author: {} }, [{ field: 'author.name', rule: 'required' }]],
    ['nested type wrong', { ...ok, author: { name: 1 } }, [{ field: 'author.name', rule: 'type' }]],
    ['objectId malformed', { ...ok, ref: 'abc' }, [{ field: 'ref', rule: 'type' }]],
    ['objectId well-formed', { ...ok, ref: '65a4f0c2e4b0a1b2c3d4e5f6' }, []],
    ['several failures at once', { title: 1, count: 'x' }, [{ field: 'title', rule: 'type' }, { field: 'count', rule: 'type' }]],
  ]
  for (const [name, record, expected] of cases) {
    it(`${name} → ${expected.map((e) => `${e.field}:${e.rule}`).join(', ') || 'valid'}`, () => {
      const details = validateRecord(schema, record)
      expect(details.map((d) => ({ field: d.field, rule: d.rule }))).to.deep.equal(expected)
      for (const d of details) expect(d.message).to.be.a('string').and.not.equal('')
    })
  }
})

describe('data/schema: bodies and dates', () => {
  const badKeys: Array<[string, unknown]> = [
    ['an empty key', { '': 1 }],
    ['a $-prefixed key', { $set: { a: 1 } }],
    ['a dotted key', { 'a.b': 1 }],
    ['a nested dotted key', { a: { 'b.c': 1 } }],
    ['a $ key inside an array', { a: [{ $x: 1 }] }],
  ]
  for (const [name, body] of badKeys) {
    it(`rejects ${name}`, () => expect(caught(() => checkBody(body)).code).to.equal('data/validation-error'))
  }

  const members = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', 'prototype', '__proto__']
  for (const name of members) {
    it(`refuses the Object member name ${name} as a field name, at the top level and nested`, () => {
      const top = caught(() => normalizeSchema({ [name]: { type: 'string' } }))
      expect(top.code).to.equal('data/validation-error')
      expect(top.details?.[0]?.field).to.equal(name)
      if (!name.startsWith('_')) expect(top.message).to.match(/built-in member of every JavaScript object/)
      const nested = caught(() => normalizeSchema(JSON.parse(`{"meta":{"type":"object","properties":{${JSON.stringify(name)}:{"type":"string"}}}}`)))
      expect(nested.details?.[0]?.field).to.equal(`meta.${name}`)
    })
  }

  it('validates fields as own properties: a record without a member-named field is not refused', () => {
    // A schema stored before such names were refused: the lookups must still only see what the record holds.
    const legacy = JSON.parse('{"bsonType":"object","required":["valueOf"],"properties":{"constructor":{"bsonType":"string"},"toString":{"bsonType":"int"},"valueOf":{"bsonType":"string"}}}') as ObjectSchema
    expect(validateRecord(legacy, { valueOf: 'v' })).to.deep.equal([])
    expect(validateRecord(legacy, {}).map((d) => `${d.field} ${d.rule}`)).to.deep.equal(['valueOf required'])
    expect(validateRecord(legacy, { valueOf: 'v', constructor: 5 }).map((d) => `${d.field} ${d.rule}`)).to.deep.equal(['constructor type'])
    const withDefault = JSON.parse('{"bsonType":"object","required":[],"properties":{"toString":{"bsonType":"string","default":"d"},"constructor":{"bsonType":"date"}}}') as ObjectSchema
    expect(applyDefaults(withDefault, {})).to.deep.equal({ toString: 'd' })
    expect(canonicalDates(withDefault, { a: 1 })).to.deep.equal({ a: 1 })
  })

  it('rejects bodies that are not objects and treats no body as {}', () => {
    expect(caught(() => checkBody([1])).code).to.equal('data/validation-error')
    expect(caught(() => checkBody('x')).code).to.equal('data/validation-error')
    for (const body of [null, 0, 1.5, true, false, '']) expect(caught(() => checkBody(body)).message).to.match(/must be a JSON object/)
    expect(checkBody(undefined)).to.deep.equal({})
  })

  it('drops system fields silently', () => {
    expect(withoutSystemFields({ id: 'x', _id: 'y', createdBy: 'z', createdAt: 1, updatedAt: 2, keep: true })).to.deep.equal({ keep: true })
  })

  it('applies defaults to absent fields only, nested ones inside present objects', () => {
    const schema: ObjectSchema = normalizeSchema({ a: { type: 'string', default: 'x' }, b: { type: 'number', default: 1 }, o: { type: 'object', properties: { c: { type: 'boolean', default: true } } } }).schema
    expect(applyDefaults(schema, { b: null, o: {} })).to.deep.equal({ a: 'x', b: null, o: { c: true } })
  })

  it('stores dates as ISO UTC with milliseconds, in nested objects and arrays too', () => {
    const schema = normalizeSchema({ d: { type: 'date' }, o: { type: 'object', properties: { d: { type: 'date' } } }, l: { type: 'array', items: { type: 'date' } } }).schema
    expect(canonicalDates(schema, { d: '2025-01-15T19:30:00+09:00', o: { d: 0 }, l: ['2025-01-01'] })).to.deep.equal({
      d: '2025-01-15T10:30:00.000Z',
      o: { d: '1970-01-01T00:00:00.000Z' },
      l: ['2025-01-01T00:00:00.000Z'],
    })
  })

  it('reads date-times without an offset as UTC', () => {
    expect(isoDate('2025-01-15T10:30:00')).to.equal('2025-01-15T10:30:00.000Z')
    expect(dateMs('2025-13-01')).to.equal(null)
    expect(dateMs(Number.NaN)).to.equal(null)
  })
})
