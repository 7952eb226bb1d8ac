import { expect } from 'chai'
import { BulkInserter } from '../../../src/client/bulk-inserter.js'
import { ClientError } from '../../../src/client/errors.js'
import type { BulkInsertResponse } from '../../../src/contract/data-bulk.js'

describe('client: BulkInserter', () => {
  it('sends the inserts of one turn together, at most `size` per request, and answers each with its own id', async () => {
    const sent: number[] = []
    const inserter = new BulkInserter(async (records, json) => {
      sent.push(records.length)
      // the body sent is the records' JSON, each serialised once
      expect(JSON.parse(json)).to.deep.equal(records)
      return { results: records.map((r) => ({ id: `id-${(r as { n: number }).n}` })) }
    }, 500)
    const ids = await Promise.all(Array.from({ length: 1200 }, (_, n) => inserter.insert({ n })))
    expect(sent).to.deep.equal([500, 500, 200])
    expect(ids).to.have.length(1200)
    expect(ids[0]).to.equal('id-0')
    expect(ids[1199]).to.equal('id-1199')
  })

  it('turns a refused record into the ClientError its single POST would have thrown, leaving the others', async () => {
    const inserter = new BulkInserter(async (): Promise<BulkInsertResponse> => ({
      results: [{ id: 'a' }, { statusCode: 409, error: { code: 'data/duplicate-value', message: 'taken', details: [{ field: 'slug', rule: 'unique', message: 'taken' }] } }],
    }))
    const [first, second] = await Promise.allSettled([inserter.insert({}), inserter.insert({})])
    expect(first).to.deep.equal({ status: 'fulfilled', value: 'a' })
    expect(second.status).to.equal('rejected')
    const error = (second as PromiseRejectedResult).reason as ClientError
    expect(error).to.be.instanceOf(ClientError)
    expect(error).to.include({ code: 'data/duplicate-value', status: 409 })
    expect(error.details.fields).to.deep.equal([{ field: 'slug', rule: 'unique', message: 'taken' }])
  })

  it('rejects every record of a request that failed as a whole, and a short answer', async () => {
    const down = new BulkInserter(async () => {
      throw new ClientError('target/unreachable', 'down', 0, {}, 'POST')
    })
    const outcomes = await Promise.allSettled([down.insert({}), down.insert({})])
    expect(outcomes.map((o) => o.status)).to.deep.equal(['rejected', 'rejected'])
    const short = new BulkInserter(async () => ({ results: [{ id: 'only' }] }))
    const answers = await Promise.allSettled([short.insert({}), short.insert({})])
    expect(answers[0]).to.deep.equal({ status: 'fulfilled', value: 'only' })
    expect(((answers[1] as PromiseRejectedResult).reason as ClientError).code).to.equal('http/invalid-response')
  })

  it('starts a new request before a body would pass `maxBytes`, and sends a record larger than that alone', async () => {
    const bodies: number[] = []
    const inserter = new BulkInserter(async (records) => {
      bodies.push(Buffer.byteLength(JSON.stringify(records)))
      return { results: records.map(() => ({ id: 'x' })) }
    }, 500, 1000)
    const record = { text: 'é'.repeat(40) } // 91 bytes of JSON, 50 characters
    await Promise.all([...Array.from({ length: 25 }, () => inserter.insert(record)), inserter.insert({ text: 'y'.repeat(2000) }), inserter.insert(record)])
    expect(bodies).to.have.length(5)
    // 10 records of 91 bytes, their 9 commas and the brackets: 921 bytes; an 11th would make 1,013
    expect(bodies).to.deep.equal([921, 921, 461, 2013, 93])
  })
})
