import { expect } from 'chai'
import { render } from 'ink-testing-library'
import { Table, layoutTable, type TableColumn } from '../../src/ui/table.js'

const frameLines = (element: React.JSX.Element) => {
  const { lastFrame, unmount } = render(element)
  const lines = (lastFrame() ?? '').split('\n').map((l) => l.trimEnd())
  unmount()
  return lines
}

describe('ui: Table', () => {
  const columns = [
    { key: 'id', header: 'id' },
    { key: 'title', header: 'title' },
  ]

  it('shows headers and rows in aligned columns', () => {
    expect(frameLines(<Table columns={columns} rows={[{ id: 'a1', title: 'Hello' }, { id: 'b22', title: 'World' }]} />)).to.deep.equal(['id   title', 'a1   Hello', 'b22  World'])
  })

  it('cuts long cells of other columns with an ellipsis and keeps a multi-line cell on one row', () => {
    const lines = frameLines(<Table columns={columns} rows={[{ id: '1', title: `${'x'.repeat(60)}` }, { id: '2', title: 'two\nlines' }]} maxColumnWidth={10} />)
    expect(lines[1]).to.equal(`1   ${'x'.repeat(9)}…`)
    expect(lines[2]).to.equal('2   two lines')
    expect(lines).to.have.length(3)
  })

  it('never cuts an identity column, however long, and narrows the others instead', () => {
    const wide: TableColumn[] = [{ key: 'id', header: 'Id', identity: true }, { key: 'a', header: 'a' }, { key: 'b', header: 'b' }]
    const key = `pk_${'0123456789abcdef'.repeat(3)}`
    const lines = frameLines(<Table columns={wide} rows={[{ id: key, a: 'x'.repeat(30), b: 'short' }]} width={70} maxColumnWidth={100} />)
    expect(lines).to.have.length(2)
    expect(Math.max(...lines.map((l) => l.length))).to.be.at.most(70)
    expect(lines[1]).to.match(new RegExp(`^${key}\\s+x+…\\s+short$`))
  })

  it('at 80 columns shows every 24-character id whole and hides the rightmost other columns, saying which', () => {
    const keys: TableColumn[] = [
      { key: 'name', header: 'Name' },
      { key: 'type', header: 'Type' },
      { key: 'value', header: 'Key', identity: true },
      { key: 'status', header: 'Status' },
      { key: 'scopes', header: 'Scopes' },
      { key: 'expiresAt', header: 'Expires' },
      { key: 'id', header: 'Id', identity: true },
    ]
    const row = { name: 'default publishable key', type: 'publishable', value: 'pk_7c9e6679f4e94a4fa1c2b3d4e5f60718', status: 'active', scopes: 'all', expiresAt: '2026-01-31T12:00:00.000Z', id: '6b0f15e9c2a4d1f0e8b7a6c5' }
    const lines = frameLines(<Table columns={keys} rows={[row]} width={80} />)
    expect(lines).to.have.length(3)
    expect(Math.max(...lines.slice(0, 2).map((l) => l.length))).to.be.at.most(80)
    expect(lines[1]).to.include(row.id).and.include(row.value)
    expect(lines[0]).to.match(/^Name\s+Key\s+Id$/)
    expect(lines[1]).to.match(/^default publisha… {2}pk_/)
    expect(lines[2]).to.equal('Hidden to fit the terminal: Type, Status, Scopes, Expires (choose with --columns)')
  })

  it('hides nothing and cuts nothing when the terminal is wide enough', () => {
    const layout = layoutTable([{ key: 'id', header: 'Id', identity: true }, { key: 'n', header: 'Name' }], [{ id: 'x'.repeat(24), n: 'posts' }], 80)
    expect(layout.hidden).to.deep.equal([])
    expect(layout.widths).to.deep.equal([24, 5])
  })

  it('keeps identity columns whole even when they alone are wider than the terminal (the terminal wraps)', () => {
    const layout = layoutTable([{ key: 'id', header: 'Id', identity: true }, { key: 'e', header: 'Email', identity: true }, { key: 'n', header: 'Name' }], [{ id: 'x'.repeat(24), e: `${'y'.repeat(40)}@example.com`, n: 'Ada' }], 60)
    expect(layout.columns.map((c) => c.header)).to.deep.equal(['Id', 'Email'])
    expect(layout.widths).to.deep.equal([24, 52])
    expect(layout.hidden.map((c) => c.header)).to.deep.equal(['Name'])
  })

  it('says so when there are no rows', () => {
    expect(frameLines(<Table columns={columns} rows={[]} />).join('\n')).to.include('(no rows)')
  })
})
