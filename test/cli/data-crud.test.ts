import { expect } from 'chai'
import type { DataListResult } from '../../src/commands/data/list.js'
import { startCliHarness, type CliHarness } from './data-harness.js'

const POSTS = {
  bsonType: 'object',
  required: ['title'],
  properties: { title: { bsonType: 'string' }, views: { bsonType: 'int' }, published: { bsonType: 'bool' }, author: { bsonType: 'string' } },
}

describe('cli: data list/get/insert/update/delete', function () {
  this.timeout(60_000)
  let h: CliHarness
  const ids: Record<string, string> = {}

  before(async () => {
    h = await startCliHarness()
    await h.table('posts', POSTS)
    for (const [title, views, published, author] of [
      ['Alpha', 10, true, 'alice'],
      ['Beta', 50, false, 'bob'],
      ['Gamma', 30, true, 'carol'],
      ['Delta hello', 5, true, 'alice'],
    ] as const) {
      const out = await h.run(['data', 'insert', 'posts', '--data', JSON.stringify({ title, views, published, author }), '--json'])
      expect(out.code, out.stderr).to.equal(0)
      ids[title] = out.json.id
    }
  })
  after(() => h.dispose())

  const titles = (result: DataListResult) => result.items.map((r) => r.title)

  it('inserts from --data and from standard input, returning the stored record', async () => {
    const out = await h.run(['data', 'insert', 'posts', '--data', '-', '--json'], { input: '{"title":"Piped","views":1}' })
    expect(out.code, out.stderr).to.equal(0)
    expect(out.json).to.include({ title: 'Piped', views: 1, createdBy: '' })
    expect(out.json.id).to.match(/^[0-9a-f]{24}$/)
    ids.Piped = out.json.id
  })

  it('lists with --filter, --or, --sort, --select, --search, --limit and --page', async () => {
    const filtered = await h.run(['data', 'list', 'posts', '--filter', '{"published":true,"views":{"$gte":10}}', '--sort', 'views:desc', '--json'])
    expect(titles(filtered.json)).to.deep.equal(['Gamma', 'Alpha'])

    const or = await h.run(['data', 'list', 'posts', '--or', '[{"author":"bob"},{"views":{"$lt":6}}]', '--sort', 'title', '--json'])
    expect(titles(or.json)).to.deep.equal(['Beta', 'Delta hello', 'Piped'])

    const selected = await h.run(['data', 'list', 'posts', '--filter', '{"author":"alice"}', '--select', 'title', '--sort', 'title:asc', '--json'])
    expect(selected.json.items[0]).to.have.keys('id', 'title', 'createdBy', 'createdAt', 'updatedAt')

    const searched = await h.run(['data', 'list', 'posts', '--search', 'HELLO', '--search-field', 'title', '--json'])
    expect(titles(searched.json)).to.deep.equal(['Delta hello'])

    const paged = await h.run(['data', 'list', 'posts', '--sort', 'views:asc', '--limit', '2', '--page', '2', '--json'])
    expect(titles(paged.json)).to.deep.equal(['Alpha', 'Gamma'])
    expect(paged.json.pagination).to.include({ total: 5, page: 2, limit: 2, totalPages: 3, hasNext: true, hasPrev: true })
  })

  it('gets one record, with --select', async () => {
    const out = await h.run(['data', 'get', 'posts', ids.Beta!, '--select', 'views', '--json'])
    expect(out.json).to.include({ id: ids.Beta, views: 50 })
    expect(out.json).to.not.have.property('title')
  })

  it('updates fields partially and deletes with --yes', async () => {
    const updated = await h.run(['data', 'update', 'posts', ids.Beta!, '--data', '{"published":true}', '--json'])
    expect(updated.json).to.include({ title: 'Beta', views: 50, published: true })
    const told = await h.run(['data', 'update', 'posts', ids.Beta!, '--data', '{"views":51}'])
    expect(told.stdout.trimEnd().split('\n').at(-1)).to.equal(`Updated ${ids.Beta} in posts (environment dev).`)

    const refused = await h.run(['data', 'delete', 'posts', ids.Piped!])
    expect(refused.code).to.equal(2)
    expect(refused.stderr).to.include('needs confirmation')

    const deleted = await h.run(['data', 'delete', 'posts', ids.Piped!, '--yes', '--json'])
    expect(deleted.json).to.deep.equal({ table: 'posts', id: ids.Piped, deleted: true })
    const gone = await h.run(['data', 'get', 'posts', ids.Piped!, '--json'])
    expect(gone.code).to.equal(1)
    expect(JSON.parse(gone.stderr).error).to.include({ code: 'data/not-found' })
  })

  it('prints records as a plain table when piped', async () => {
    const out = await h.run(['data', 'list', 'posts', '--sort', 'title', '--select', 'title,views'])
    const lines = out.stdout.trimEnd().split('\n')
    expect(lines[0]).to.match(/^id\s+title\s+views\s+createdAt$/)
    expect(lines[1]).to.match(/^[0-9a-f]{24}\s+Alpha\s+10\s+\d{4}-/)
    expect(lines.at(-1)).to.equal('page 1 of 1, 4 records (environment dev)')
    const one = await h.run(['data', 'get', 'posts', ids.Alpha!])
    expect(one.stdout).to.match(new RegExp(`^id\\s+${ids.Alpha}\\n`))
    expect(one.stdout).to.match(/\ntitle\s+Alpha\n/)
  })

  it('explains a missing table, an invalid record, and bad query flags', async () => {
    const missing = await h.run(['data', 'list', 'nope'])
    expect(missing.code).to.equal(1)
    expect(missing.stderr).to.include('Error: Table "nope" not found')
    expect(missing.stderr).to.include("Hint: check the name with 'bkend tables list --env dev', or create it with 'bkend tables create'")

    const invalid = await h.run(['data', 'insert', 'posts', '--data', '{"views":"many"}', '--json'])
    expect(invalid.code).to.equal(1)
    const error = JSON.parse(invalid.stderr).error
    expect(error.code).to.equal('data/validation-error')
    expect(error.message).to.match(/title/)

    const badJson = await h.run(['data', 'list', 'posts', '--filter', '{oops'])
    expect(badJson.code).to.equal(2)
    expect(badJson.stderr).to.include('Error: --filter is not valid JSON')

    const badSort = await h.run(['data', 'list', 'posts', '--sort', 'views:sideways'])
    expect(badSort.code).to.equal(2)
    expect(badSort.stderr).to.include('is not field[:asc|desc]')

    const notObject = await h.run(['data', 'insert', 'posts', '--data', '[1,2]'])
    expect(notObject.code).to.equal(2)
    expect(notObject.stderr).to.include('--data must be a JSON object')
  })
})
