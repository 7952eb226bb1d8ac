import { expect } from 'chai'
import { RequestCounts } from '../../../src/emulator/core/observe/request-counts.js'

describe('unit: requests counted per environment and UTC day', () => {
  it('counts within a day, starts again at midnight UTC, and keeps environments apart', () => {
    let now = Date.parse('2026-12-02T23:59:59.000Z')
    const counts = new RequestCounts(() => now)
    counts.add('env-a')
    counts.add('env-a')
    counts.add('env-b')
    expect([counts.of('env-a'), counts.of('env-b'), counts.of('env-c')]).to.deep.equal([2, 1, 0])
    expect(counts.today()).to.equal('2026-12-02')
    now += 1000
    expect(counts.today()).to.equal('2026-12-03')
    expect(counts.of('env-a')).to.equal(0)
    counts.add('env-a')
    expect(counts.of('env-a')).to.equal(1)
    // a clock moved back (the emulator clock can be reset) counts that day afresh, from its own formatted date
    now = Date.parse('2026-12-02T12:00:00.000Z')
    expect(counts.today()).to.equal('2026-12-02')
    expect(counts.of('env-a')).to.equal(0)
  })
})
