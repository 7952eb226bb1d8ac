import { expect } from 'chai'
import { selectFields } from '../../src/cli/fields.js'
import { startManagementHarness, type ManagementHarness } from './management-harness.js'

describe('cli: --fields', function () {
  this.timeout(60_000)

  describe('selectFields', () => {
    const page = { items: [{ id: 'a', title: 'x', views: 1 }, { id: 'b', views: 2 }], pagination: { page: 1, total: 2 } }

    it('narrows each item of the named list, in the order asked, keeping the envelope; a missing value is null', () => {
      expect(selectFields(page, { names: ['title', 'id'], list: 'items' })).to.deep.equal({ items: [{ title: 'x', id: 'a' }, { title: null, id: 'b' }], pagination: { page: 1, total: 2 } })
    })

    it('narrows a single object', () => {
      expect(selectFields({ id: 'a', slug: 's', name: 'n' }, { names: ['slug'] })).to.deep.equal({ slug: 's' })
    })

    it('a field no item has is a usage error naming the fields there are', () => {
      expect(() => selectFields(page, { names: ['id', 'titel'], list: 'items' })).to.throw('unknown field "titel" for --fields').with.property('hint', 'the fields are: id, title, views')
      expect(() => selectFields({ id: 'a' }, { names: ['x', 'y'] })).to.throw('unknown fields "x", "y" for --fields').with.property('exitCode', 2)
    })

    it('an empty list has nothing to check against and stays empty', () => {
      expect(selectFields({ items: [], pagination: {} }, { names: ['anything'], list: 'items' })).to.deep.equal({ items: [], pagination: {} })
    })
  })

  describe('the built CLI', () => {
    let h: ManagementHarness
    before(async () => {
      h = await startManagementHarness()
      expect((await h.run(['tables', 'create', 'posts', '--field', 'title:string'])).code).to.equal(0)
    })
    after(async () => {
      await h?.dispose()
    })

    it('--fields on a list implies --json and narrows each item', async () => {
      const run = await h.run(['tables', 'list', '--fields', 'tableName,documentCount'])
      expect(run.code, run.stderr).to.equal(0)
      expect(run.json).to.deep.equal({ environment: 'dev', tables: [{ tableName: 'posts', documentCount: 0 }] })
    })

    it('--fields on a paged list keeps the pagination envelope', async () => {
      expect((await h.run(['data', 'insert', 'posts', '--data', '{"title":"hi"}'])).code).to.equal(0)
      const run = await h.run(['data', 'list', 'posts', '--json', '--fields', 'title'])
      expect(run.code, run.stderr).to.equal(0)
      expect(run.json.items).to.deep.equal([{ title: 'hi' }])
      expect(run.json.pagination).to.include({ page: 1, total: 1 })
    })

    it('--fields on a get narrows the object', async () => {
      const run = await h.run(['envs', 'get', '--fields', 'environment,environmentType'])
      expect(run.code, run.stderr).to.equal(0)
      expect(run.json).to.deep.equal({ environment: 'dev', environmentType: 'dev' })
    })

    it('an unknown field is a usage error (exit 2) naming the available ones, stdout empty', async () => {
      const run = await h.run(['projects', 'get', '--json', '--fields', 'slug,nme'])
      expect(run.code).to.equal(2)
      expect(run.stdout).to.equal('')
      expect(run.errorJson.error.code).to.equal('cli/usage')
      expect(run.errorJson.error.message).to.equal('unknown field "nme" for --fields')
      expect(run.errorJson.error.hint).to.match(/^the fields are: id, .*\bslug\b/)
    })
  })
})
