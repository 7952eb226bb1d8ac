import { expect } from 'chai'
import { EventEmitter } from 'node:events'
import type { RequestEvent } from '../../../src/contract/request-log.js'
import { LogPump } from '../../../src/emulator/core/observe/log-pump.js'
import { RequestLog } from '../../../src/emulator/core/observe/request-log.js'

const event = (n: number): RequestEvent => ({ event: 'request', time: '2026-01-01T00:00:00.000Z', id: `r${n}`, method: 'GET', path: `/p${n}`, status: 200, durationMs: 1, who: { kind: 'none' } })
const tick = () => new Promise((done) => setImmediate(done))

/** A sink that reports itself full until `drain()` is called, recording every write. */
class SlowSink extends EventEmitter {
  chunks: string[] = []
  full = false
  write(chunk: string): boolean {
    this.chunks.push(chunk)
    return !this.full
  }
  drain(): void {
    this.full = false
    this.emit('drain')
  }
}

describe('unit: the log pump', () => {
  const options = { format: (e: RequestEvent) => `${e.id}\n`, missed: (count: number) => `missed ${count}\n` }

  it('writes new events in order, batched, after the append that announced them', async () => {
    const log = new RequestLog(100)
    log.append(event(0))
    const sink = new SlowSink()
    const pump = new LogPump(log, sink, options)
    for (let n = 1; n <= 3; n++) log.append(event(n))
    expect(sink.chunks).to.deep.equal([])
    await tick()
    expect(sink.chunks).to.deep.equal(['r1\nr2\nr3\n'])
    pump.stop()
  })

  it('a full sink is not written to again until it drains; what the ring overwrote meanwhile is one missed line', async () => {
    const log = new RequestLog(10)
    const sink = new SlowSink()
    const pump = new LogPump(log, sink, options)
    sink.full = true
    log.append(event(0))
    await tick()
    expect(sink.chunks).to.have.length(1)
    for (let n = 1; n <= 30; n++) log.append(event(n))
    await tick()
    expect(sink.chunks).to.have.length(1)
    sink.drain()
    expect(sink.chunks).to.have.length(2)
    expect(sink.chunks[1]).to.equal(`missed 20\n${Array.from({ length: 10 }, (_, i) => `r${21 + i}\n`).join('')}`)
    pump.stop()
  })

  it('a filter skips events; finish() writes what is left and stops reading', async () => {
    const log = new RequestLog(100)
    const sink = new SlowSink()
    const pump = new LogPump(log, sink, { ...options, format: (e) => (e.id === 'r1' ? undefined : `${e.id}\n`) })
    for (let n = 0; n < 3; n++) log.append(event(n))
    pump.finish()
    expect(sink.chunks).to.deep.equal(['r0\nr2\n'])
    log.append(event(3))
    await tick()
    expect(sink.chunks).to.have.length(1)
  })

  it('stop() leaves what is unread unwritten: the reader went away', async () => {
    const log = new RequestLog(100)
    const sink = new SlowSink()
    const pump = new LogPump(log, sink, options)
    log.append(event(0))
    pump.stop()
    await tick()
    expect(sink.chunks).to.deep.equal([])
  })

  it('with an interval, the appends of that interval become one write at its end; stop() cancels a pending one', async () => {
    const log = new RequestLog(100)
    const sink = new SlowSink()
    const pump = new LogPump(log, sink, { ...options, intervalMs: 30 })
    log.append(event(1))
    await tick()
    log.append(event(2))
    await tick()
    expect(sink.chunks).to.deep.equal([])
    await new Promise((done) => setTimeout(done, 60))
    expect(sink.chunks).to.deep.equal(['r1\nr2\n'])
    log.append(event(3))
    pump.stop()
    await new Promise((done) => setTimeout(done, 60))
    expect(sink.chunks).to.deep.equal(['r1\nr2\n'])
  })
})
