import { expect } from 'chai'
import type { RequestEvent } from '../../../src/contract/request-log.js'
import { RequestLog } from '../../../src/emulator/core/observe/request-log.js'

const event = (n: number): RequestEvent => ({ event: 'request', time: new Date(n).toISOString(), id: `r${n}`, method: 'GET', path: `/v1/data/t/${n}`, status: 200, durationMs: 1, who: { kind: 'guest' } })

describe('unit: the request log ring', () => {
  it('keeps the newest events up to its capacity, oldest first', () => {
    const log = new RequestLog(3)
    for (let n = 0; n < 5; n++) log.append(event(n))
    expect(log.head).to.equal(5)
    expect(log.oldest).to.equal(2)
    expect(log.recent(10).map((e) => e.id)).to.deep.equal(['r2', 'r3', 'r4'])
    expect(log.recent(2).map((e) => e.id)).to.deep.equal(['r3', 'r4'])
  })

  it('tells a reader that fell behind how many events it missed, and where to go on', () => {
    const log = new RequestLog(3)
    for (let n = 0; n < 5; n++) log.append(event(n))
    const behind = log.since(0)
    expect(behind.missed).to.equal(2)
    expect(behind.events.map((e) => e.id)).to.deep.equal(['r2', 'r3', 'r4'])
    expect(behind.next).to.equal(5)
    const caughtUp = log.since(behind.next)
    expect(caughtUp).to.deep.equal({ events: [], next: 5, missed: 0 })
    const limited = log.since(3, 1)
    expect(limited.events.map((e) => e.id)).to.deep.equal(['r3'])
    expect(limited.next).to.equal(4)
  })

  it('finds a held event by request id, and forgets evicted and cleared ones', () => {
    const log = new RequestLog(2)
    for (let n = 0; n < 3; n++) log.append(event(n))
    expect(log.find('r2')?.path).to.equal('/v1/data/t/2')
    expect(log.find('r0')).to.equal(undefined)
    log.clear()
    expect(log.find('r2')).to.equal(undefined)
    expect(log.recent(5)).to.deep.equal([])
    log.append(event(7))
    expect(log.since(0)).to.deep.include({ next: 4, missed: 3 })
    expect(log.recent(5).map((e) => e.id)).to.deep.equal(['r7'])
  })

  it('tells listeners of each append with its number, until they unsubscribe', () => {
    const log = new RequestLog(4)
    const seen: Array<[string, number]> = []
    const stop = log.subscribe((e, seq) => seen.push([e.id, seq]))
    log.append(event(1))
    log.append(event(2))
    stop()
    log.append(event(3))
    expect(seen).to.deep.equal([['r1', 0], ['r2', 1]])
  })

  it('refuses a capacity below 1', () => {
    expect(() => new RequestLog(0)).to.throw(RangeError)
  })
})
