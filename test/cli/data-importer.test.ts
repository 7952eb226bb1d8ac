import { expect } from 'chai'
import { ClientError } from '../../src/client/errors.js'
import { importRows, type Reject } from '../../src/cli/io/transfer/importer.js'
import { ImportPosition } from '../../src/cli/io/transfer/position.js'
import type { SourceRow } from '../../src/cli/io/transfer/source-row.js'

/** Rows 1..count, pulled lazily; `pulled` tells how far the importer has read. */
function source(count: number, bad: number[] = []) {
  const state = { pulled: 0 }
  async function* rows(): AsyncGenerator<SourceRow> {
    for (let i = 1; i <= count; i++) {
      state.pulled = i
      yield bad.includes(i) ? { row: i, error: 'invalid JSON: nope' } : { row: i, record: { n: i } }
    }
  }
  return { rows: rows(), state }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1))

describe('cli: importRows', () => {
  it('keeps at most `concurrency` inserts in flight and pulls the source only as slots free', async () => {
    const { rows, state } = source(200)
    let inFlight = 0
    let peak = 0
    let maxAhead = 0
    let done = 0
    const counts = await importRows(rows, {
      concurrency: 8,
      insert: async () => {
        inFlight++
        peak = Math.max(peak, inFlight)
        maxAhead = Math.max(maxAhead, state.pulled - done)
        await tick()
        inFlight--
        done++
      },
      onReject: () => undefined,
    })
    expect(counts).to.deep.equal({ read: 200, written: 200, rejected: 0 })
    expect(peak).to.equal(8)
    expect(maxAhead).to.be.at.most(8)
  })

  it('rejects unreadable rows and rows the server refuses (400, 409, 413) and goes on', async () => {
    const { rows } = source(10, [2])
    const rejects: Array<[Reject, unknown]> = []
    const counts = await importRows(rows, {
      concurrency: 3,
      insert: async (record) => {
        await tick()
        if (record.n === 5) throw new ClientError('data/validation-error', 'Validation failed', 400, { fields: [{ field: 'title', rule: 'required', message: 'is required' }] })
        if (record.n === 7) throw new ClientError('data/duplicate-value', 'Duplicate value for index sku_unique', 409)
      },
      onReject: (reject, record) => {
        rejects.push([reject, record])
      },
    })
    expect(counts).to.deep.equal({ read: 10, written: 7, rejected: 3 })
    expect(rejects.sort(([a], [b]) => a.row - b.row)).to.deep.equal([
      [{ row: 2, code: 'import/invalid-row', message: 'invalid JSON: nope' }, undefined],
      [{ row: 5, code: 'data/validation-error', message: 'Validation failed (title: is required)' }, { n: 5 }],
      [{ row: 7, code: 'data/duplicate-value', message: 'Duplicate value for index sku_unique' }, { n: 7 }],
    ])
  })

  it('waits out a rate limit (Retry-After, else 1, 2, 4… s) and retries the row, giving up after 5 attempts', async () => {
    const waits: number[] = []
    const limited = (retryAfter?: number) => new ClientError('data/rate-limit-exceeded', 'Rate limit exceeded', 429, {}, 'POST /v1/data/t', retryAfter)
    const tries = new Map<number, number>()
    const counts = await importRows(source(3).rows, {
      concurrency: 1,
      insert: async (record) => {
        const n = (tries.get(record.n as number) ?? 0) + 1
        tries.set(record.n as number, n)
        if (record.n === 2 && n === 1) throw limited(3)
        if (record.n === 2 && n === 2) throw limited()
      },
      onReject: () => undefined,
      sleep: async (ms) => {
        waits.push(ms)
      },
    })
    expect(counts).to.deep.equal({ read: 3, written: 3, rejected: 0 })
    expect(waits).to.deep.equal([3000, 2000])

    waits.length = 0
    let error: unknown
    try {
      await importRows(source(1).rows, { concurrency: 1, insert: async () => Promise.reject(limited()), onReject: () => undefined, sleep: async (ms) => void waits.push(ms) })
    } catch (e) {
      error = e
    }
    expect((error as ClientError).status).to.equal(429)
    expect(waits).to.deep.equal([1000, 2000, 4000, 8000])
  })

  it('stops reading on a failure that is not about the row, lets requests in flight settle, and throws it', async () => {
    const { rows, state } = source(1000)
    let settled = 0
    let started = 0
    const unauthorized = new ClientError('auth/invalid-token', 'Invalid API key', 401)
    let error: unknown
    try {
      await importRows(rows, {
        concurrency: 4,
        insert: async (record) => {
          started++
          await tick()
          settled++
          if (record.n === 10) throw unauthorized
        },
        onReject: () => undefined,
      })
    } catch (e) {
      error = e
    }
    expect(error).to.equal(unauthorized)
    expect(state.pulled).to.be.below(20)
    expect(settled).to.equal(started)
  })

  it('on stop reads no further row and lets the requests in flight finish, so the rows read are all settled', async () => {
    const { rows, state } = source(10_000)
    const stop = new AbortController()
    const position = new ImportPosition()
    const counts = await importRows(rows, {
      concurrency: 8,
      insert: async (record) => {
        // uneven latencies: requests finish out of order
        await new Promise((resolve) => setTimeout(resolve, (record.n as number) % 3))
        if (record.n === 100) stop.abort()
      },
      onReject: () => undefined,
      stop: stop.signal,
      position,
    })
    expect(counts.read).to.be.within(100, 108)
    expect(counts.written).to.equal(counts.read)
    expect(state.pulled).to.be.at.most(counts.read + 1)
    expect(position.resumeFrom()).to.equal(counts.read + 1)
    expect(position.unsettled()).to.deep.equal([])
  })

  it('resumes from the first row still in flight and names the rows after it that already settled', () => {
    const position = new ImportPosition(11)
    expect(position.resumeFrom()).to.equal(11)
    for (const row of [11, 12, 13, 14, 15]) position.read(row)
    for (const row of [11, 13, 14]) position.settled(row)
    expect(position.resumeFrom()).to.equal(12)
    expect(position.unsettled()).to.deep.equal([12, 15])
    expect(position.settledAfterResume()).to.deep.equal([13, 14])
    position.settled(12)
    expect(position.resumeFrom()).to.equal(15)
    expect(position.settledAfterResume()).to.deep.equal([])
    position.settled(15)
    expect(position.resumeFrom()).to.equal(16)
  })
})
