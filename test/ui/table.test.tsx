import { expect } from 'chai'
import { render } from 'ink-testing-library'
import { Table } from '../../src/ui/table.js'

describe('ui: Table', () => {
  const columns = [
    { key: 'id', header: 'id' },
    { key: 'title', header: 'title' },
  ]

  it('shows headers and rows in aligned columns', () => {
    const { lastFrame, unmount } = render(<Table columns={columns} rows={[{ id: 'a1', title: 'Hello' }, { id: 'b22', title: 'World' }]} />)
    const lines = (lastFrame() ?? '').split('\n').map((l) => l.trimEnd())
    unmount()
    expect(lines).to.deep.equal(['id   title', 'a1   Hello', 'b22  World'])
  })

  it('cuts long cells with an ellipsis and keeps a multi-line cell on one row', () => {
    const { lastFrame, unmount } = render(<Table columns={columns} rows={[{ id: '1', title: `${'x'.repeat(60)}` }, { id: '2', title: 'two\nlines' }]} maxColumnWidth={10} />)
    const lines = (lastFrame() ?? '').split('\n').map((l) => l.trimEnd())
    unmount()
    expect(lines[1]).to.equal(`1   ${'x'.repeat(9)}…`)
    expect(lines[2]).to.equal('2   two lines')
    expect(lines).to.have.length(3)
  })

  it('narrows the widest columns until a row fits the terminal width', () => {
    const wide = [{ key: 'id', header: 'id' }, { key: 'a', header: 'a' }, { key: 'b', header: 'b' }]
    const row = { id: '0123456789abcdef01234567', a: 'x'.repeat(30), b: 'short' }
    const { lastFrame, unmount } = render(<Table columns={wide} rows={[row]} width={50} />)
    const lines = (lastFrame() ?? '').split('\n').map((l) => l.trimEnd())
    unmount()
    expect(Math.max(...lines.map((l) => l.length))).to.be.at.most(50)
    expect(lines[1]).to.match(/^0123456789abcdef\w*…\s+x+…\s+short$/)
  })

  it('says so when there are no rows', () => {
    const { lastFrame, unmount } = render(<Table columns={columns} rows={[]} />)
    const frame = lastFrame() ?? ''
    unmount()
    expect(frame).to.include('(no rows)')
  })
})
