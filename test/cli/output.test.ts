import { expect } from 'chai'
import { startManagementHarness, type ManagementHarness } from './management-harness.js'

/** Tables in a pipe: the terminal's header names, every value whole, and --columns to choose and order columns. */
describe('cli: tables in a pipe and --columns', function () {
  this.timeout(60_000)
  let h: ManagementHarness
  before(async () => {
    h = await startManagementHarness()
    expect((await h.run(['tables', 'create', 'posts', '--field', 'title:string!'])).code).to.equal(0)
  })
  after(async () => {
    await h?.dispose()
  })

  it('prints the same header names as the terminal table (not upper-cased) and ids whole', async () => {
    const run = await h.run(['tables', 'list'])
    expect(run.code, run.stderr).to.equal(0)
    const lines = run.stdout.trimEnd().split('\n')
    expect(lines).to.have.length(2)
    expect(lines[0]).to.match(/^Name\s+Fields\s+Rows\s+Schema v\s+Id$/)
    expect(lines[1]).to.match(/^posts\s+1\s+0\s+1\s+[0-9a-f]{24}$/)
  })

  it('--columns picks columns by header name in any case, in the order given', async () => {
    const run = await h.run(['tables', 'list', '--columns', 'id,NAME'])
    expect(run.code, run.stderr).to.equal(0)
    const lines = run.stdout.trimEnd().split('\n')
    expect(lines).to.have.length(2)
    expect(lines[0]).to.match(/^Id\s+Name$/)
    expect(lines[1]).to.match(/^[0-9a-f]{24}\s+posts$/)
  })

  it('--columns also takes the JSON key of a column (a header with a space: schemaVersion)', async () => {
    const run = await h.run(['tables', 'list', '--columns', 'schemaVersion'])
    expect(run.code, run.stderr).to.equal(0)
    expect(run.stdout).to.equal('Schema v\n1\n')
  })

  it('an unknown column is a usage error that lists the columns there are', async () => {
    const run = await h.run(['envs', 'list', '--columns', 'name,region'])
    expect(run.code).to.equal(2)
    expect(run.stdout).to.equal('')
    expect(run.stderr).to.include('Error: unknown column "region"').and.include('Hint: the columns are: Name, Type, Status, Id, Created')
  })

  it('data list offers the record fields and the system fields to --columns', async () => {
    const insert = await h.run(['data', 'insert', 'posts', '--data', '{"title":"hello"}', '--json'])
    expect(insert.code, insert.stderr).to.equal(0)
    const run = await h.run(['data', 'list', 'posts', '--columns', 'title,updatedAt'])
    expect(run.code, run.stderr).to.equal(0)
    const lines = run.stdout.trimEnd().split('\n')
    expect(lines).to.have.length(3)
    expect(lines[0]).to.match(/^title\s+updatedAt$/)
    expect(lines[1]).to.match(/^hello\s+\d{4}-\d\d-\d\dT/)
    expect(lines[2]).to.equal('page 1 of 1, 1 record (environment dev)')
    const unknown = await h.run(['data', 'list', 'posts', '--columns', 'titel'])
    expect(unknown.code).to.equal(2)
    expect(unknown.stderr).to.include('unknown column "titel"').and.include('title')
  })
})
