import { expect } from 'chai'
import type { FieldDef } from '../../../src/contract/tables.js'
import type { TableModel } from '../../../src/config/model.js'
import type { ConfigProblem } from '../../../src/config/problems.js'
import { tableFromFile, tableToFile, type FileField, type TableFile } from '../../../src/config/table-file.js'
import { tableModel } from './tables.js'
import { normalizeSchema } from '../../../src/emulator/core/data/schema/normalize.js'

const table = (schema: TableModel['schema'], extra: Partial<TableModel> = {}): TableModel => tableModel('posts', { schema, ...extra })

function fromFile(file: TableFile, expected = file.name): { model: TableModel; problems: Omit<ConfigProblem, 'file'>[] } {
  const problems: Omit<ConfigProblem, 'file'>[] = []
  const model = tableFromFile(file, expected, (path, message, fix) => problems.push({ path, message, fix }))
  return { model, problems }
}

/** One field per case: its stored form, and the file form people write for it. */
const FIELD_CASES: { name: string; stored: FieldDef; required?: boolean; file: FileField }[] = [
  { name: 'string with length bounds and pattern', stored: { bsonType: 'string', minLength: 1, maxLength: 200, pattern: '^[a-z]+$' }, required: true, file: { type: 'string', required: true, pattern: '^[a-z]+$', minLength: 1, maxLength: 200 } },
  { name: 'number (double) with bounds', stored: { bsonType: 'double', minimum: 0, maximum: 9.5 }, file: { type: 'number', minimum: 0, maximum: 9.5 } },
  { name: 'int stays int, not number', stored: { bsonType: 'int', minimum: -3 }, file: { type: 'int', minimum: -3 } },
  { name: 'boolean with a default', stored: { bsonType: 'bool', default: false }, file: { type: 'boolean', default: false } },
  { name: 'date', stored: { bsonType: 'date', description: 'when it is due' }, file: { type: 'date', description: 'when it is due' } },
  { name: 'enum with a default', stored: { bsonType: 'string', enum: ['draft', 'live'], default: 'draft', title: 'Status' }, file: { type: 'string', title: 'Status', enum: ['draft', 'live'], default: 'draft' } },
  { name: 'int enum', stored: { bsonType: 'int', enum: [1, 2, 3] }, file: { type: 'int', enum: [1, 2, 3] } },
  { name: 'reference with ref', stored: { bsonType: 'objectId', ref: 'users' }, required: true, file: { type: 'reference', ref: 'users', required: true } },
  { name: 'object without properties', stored: { bsonType: 'object' }, file: { type: 'object' } },
  { name: 'object with empty properties', stored: { bsonType: 'object', properties: {}, required: [] }, file: { type: 'object', properties: {} } },
  {
    name: 'nested object with required fields two levels down',
    stored: { bsonType: 'object', required: ['city'], properties: { city: { bsonType: 'string' }, geo: { bsonType: 'object', required: ['lat', 'lng'], properties: { lat: { bsonType: 'double' }, lng: { bsonType: 'double' }, label: { bsonType: 'string' } } } } },
    file: { type: 'object', properties: { city: { type: 'string', required: true }, geo: { type: 'object', properties: { lat: { type: 'number', required: true }, lng: { type: 'number', required: true }, label: { type: 'string' } } } } },
  },
  { name: 'array of strings with an element pattern', stored: { bsonType: 'array', items: { bsonType: 'string', pattern: '^#' } }, file: { type: 'array', items: { type: 'string', pattern: '^#' } } },
  {
    name: 'array of objects with required fields',
    stored: { bsonType: 'array', default: [], items: { bsonType: 'object', required: ['sku'], properties: { sku: { bsonType: 'string' }, qty: { bsonType: 'int', minimum: 1 } } } },
    file: { type: 'array', default: [], items: { type: 'object', properties: { sku: { type: 'string', required: true }, qty: { type: 'int', minimum: 1 } } } },
  },
  { name: 'array of references', stored: { bsonType: 'array', items: { bsonType: 'objectId', ref: 'tags' } }, file: { type: 'array', items: { type: 'reference', ref: 'tags' } } },
  { name: 'object default', stored: { bsonType: 'object', default: { a: 1 } }, file: { type: 'object', default: { a: 1 } } },
]

describe('config: table files ↔ model', () => {
  describe('one field of every type and constraint', () => {
    for (const c of FIELD_CASES) {
      it(`${c.name}: stored → file → stored is lossless`, () => {
        const stored = table({ bsonType: 'object', required: c.required ? ['f'] : [], properties: { f: c.stored } })
        const file = tableToFile(stored)
        expect(file.fields).to.deep.equal({ f: c.file })
        const back = fromFile(file)
        expect(back.problems).to.deep.equal([])
        expect(back.model).to.deep.equal(stored)
      })
      it(`${c.name}: the file form means what the emulator stores for it`, () => {
        // The emulator's own normaliser reads the same file form: both sides agree on the mapping.
        expect(normalizeSchema({ f: c.file }).schema).to.deep.equal(fromFile({ name: 'posts', fields: { f: c.file } }).model.schema)
      })
    }
  })

  it('a whole table: names, indexes (sorted by name, false flags left out), every permission kind', () => {
    const stored = table(
      { bsonType: 'object', required: ['title'], properties: { title: { bsonType: 'string' }, score: { bsonType: 'int' } } },
      {
        displayName: 'Posts',
        description: 'Blog posts',
        indexes: [
          { name: 'z_score', fields: { score: -1, title: 1 }, unique: false, sparse: true },
          { name: 'a_title', fields: { title: 1 }, unique: true, sparse: false },
        ],
        permissions: { self: { update: true, read: true }, guest: { read: true, list: true } },
        expressionPermissions: { update: "auth.role == 'editor'" },
        columnPermissions: { score: { write: "auth.role == 'admin'" } },
        rowFilters: [{ expression: "auth.role != 'admin'", filter: { createdBy: '{{userId}}' } }],
      },
    )
    const file = tableToFile(stored, '../../node_modules/bkend/schemas/table.schema.json')
    expect(Object.keys(file)).to.deep.equal(['$schema', 'name', 'displayName', 'description', 'fields', 'indexes', 'permissions', 'expressionPermissions', 'columnPermissions', 'rowFilters'])
    expect(file.indexes).to.deep.equal([
      { name: 'a_title', fields: { title: 1 }, unique: true },
      { name: 'z_score', fields: { score: -1, title: 1 }, sparse: true },
    ])
    // groups and operations in one fixed order, whatever order the target answered in
    expect(JSON.stringify(file.permissions)).to.equal('{"guest":{"read":true,"list":true},"self":{"read":true,"update":true}}')
    const back = fromFile(file)
    expect(back.problems).to.deep.equal([])
    expect(back.model).to.deep.equal({ ...stored, indexes: [stored.indexes[1], stored.indexes[0]] })
  })

  it('absent and empty permission objects both mean "not configured" (null), as the tools store them', () => {
    const { model } = fromFile({ name: 'posts', fields: {}, permissions: {}, expressionPermissions: {}, columnPermissions: {}, rowFilters: [] })
    expect([model.permissions, model.expressionPermissions, model.columnPermissions, model.rowFilters]).to.deep.equal([null, null, null, null])
    expect(tableToFile(model)).to.deep.equal({ name: 'posts', fields: {} })
  })

  describe('what the JSON Schema cannot say', () => {
    const CASES: { name: string; file: TableFile; expected?: string; problems: Omit<ConfigProblem, 'file'>[] }[] = [
      {
        name: 'a file named after another table',
        file: { name: 'post', fields: {} },
        expected: 'posts',
        problems: [{ path: 'name', message: 'the table is named "post" but the file is posts.json', fix: 'rename the file to post.json, or write "name": "posts"' }],
      },
      {
        name: 'a reserved table name, in any case',
        file: { name: 'Users', fields: {} },
        problems: [{ path: 'name', message: '"Users" is reserved for a built-in table or route', fix: 'choose another name (reserved: data, auth, users, files, accounts, sessions); the built-in tables are not declared in config' }],
      },
      {
        name: 'two indexes of one name',
        file: { name: 'posts', fields: { a: { type: 'int' } }, indexes: [{ name: 'by_a', fields: { a: 1 } }, { name: 'by_a', fields: { a: -1 } }] },
        problems: [{ path: 'indexes[1].name', message: 'a second index is named "by_a"', fix: 'give each index its own name, or merge the two' }],
      },
      {
        name: 'a string constraint on a number field',
        file: { name: 'posts', fields: { price: { type: 'number', maxLength: 3 } } },
        problems: [{ path: 'fields.price.maxLength', message: 'maxLength does not apply to a number field', fix: 'remove it, or make the field "string"' }],
      },
      {
        name: 'ref on a string field, deep inside an object',
        file: { name: 'posts', fields: { meta: { type: 'object', properties: { owner: { type: 'string', ref: 'users' } } } } },
        problems: [{ path: 'fields.meta.properties.owner.ref', message: 'ref does not apply to a string field', fix: 'remove it, or make the field "reference"' }],
      },
      {
        name: 'a required array element',
        file: { name: 'posts', fields: { tags: { type: 'array', items: { type: 'string', required: true } } } },
        problems: [{ path: 'fields.tags.items.required', message: 'an array element cannot be required', fix: 'remove it; to require the array itself, write "required": true on the array field' }],
      },
      {
        name: 'bounds the wrong way round and a broken pattern',
        file: { name: 'posts', fields: { a: { type: 'string', minLength: 5, maxLength: 2, pattern: '([' }, n: { type: 'int', minimum: 3, maximum: 1 } } },
        problems: [
          { path: 'fields.a.pattern', message: '"([" is not a valid regular expression', fix: 'write a JavaScript regular expression without the surrounding slashes' },
          { path: 'fields.a.minLength', message: 'minLength is greater than maxLength', fix: 'swap them, or lower minLength' },
          { path: 'fields.n.minimum', message: 'minimum is greater than maximum', fix: 'swap them, or lower minimum' },
        ],
      },
      {
        name: 'enum values and defaults of another type, a default outside the enum',
        file: {
          name: 'posts',
          fields: {
            n: { type: 'int', enum: [1, 2.5], default: 'one' },
            s: { type: 'string', enum: ['a', 'b'], default: 'c' },
            d: { type: 'date', default: 'yesterday' },
            ok: { type: 'date', default: '2026-01-01T00:00:00.000Z' },
          },
        },
        problems: [
          { path: 'fields.n.enum[1]', message: '2.5 is not an integer', fix: "write an integer, or change the field's type" },
          { path: 'fields.n.default', message: '"one" is not an integer', fix: 'write an integer, or remove the default' },
          { path: 'fields.s.default', message: '"c" is not one of the enum values', fix: 'write one of: "a", "b"' },
          { path: 'fields.d.default', message: '"yesterday" is not a date (ISO 8601 string or epoch milliseconds)', fix: 'write a date (ISO 8601 string or epoch milliseconds), or remove the default' },
        ],
      },
    ]
    for (const c of CASES) {
      it(c.name, () => {
        expect(fromFile(c.file, c.expected).problems).to.deep.equal(c.problems)
      })
    }
  })
})
