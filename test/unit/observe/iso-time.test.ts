import { expect } from 'chai'
import { isoTime } from '../../../src/emulator/http/middleware/request-log.js'

describe('unit: the request log time', () => {
  it('formats every millisecond as toISOString does, across seconds, days and years, in any order', () => {
    const start = Date.UTC(2026, 11, 31, 23, 59, 58, 990)
    const times = [...Array.from({ length: 2100 }, (_, i) => start + i), start + 5, 0, 999, 1000, Date.UTC(2030, 0, 1, 0, 0, 0, 7), start + 1010]
    expect(times).to.have.length(2106)
    for (const ms of times) expect(isoTime(ms)).to.equal(new Date(ms).toISOString())
  })
})
