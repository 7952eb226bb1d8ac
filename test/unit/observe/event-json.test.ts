import { expect } from 'chai'
import type { MissedEvent, RequestEvent, Who } from '../../../src/contract/request-log.js'
import { eventLine } from '../../../src/emulator/core/observe/event-json.js'

const base = (who: Who, path = '/v1/data/posts/abc'): RequestEvent => ({ event: 'request', time: '2026-12-02T00:00:00.123Z', id: 'a1b2c3-1z', method: 'GET', path, status: 200, durationMs: 0.4, who })

const keyWho: Who = { kind: 'key', keyType: 'secret', keyName: 'default secret', keyPrefix: 'sk_1234abcd' }
const events: Array<RequestEvent | MissedEvent> = [
  base({ kind: 'guest' }),
  base({ kind: 'none' }),
  base({ kind: 'tenant', tenantId: 't1', clientId: 'bkend-cli' }),
  base({ kind: 'rejected', presented: 'bearer' }),
  { ...base(keyWho), environment: 'dev', project: 'my-app' },
  { ...base({ ...keyWho, keyType: 'publishable', userId: 'u1', role: 'user' }), environment: 'dev', project: 'my-app', code: 'data/permission-denied', denial: { check: 'role', message: 'no "read"', details: { table: 'posts', values: { n: 1, list: [1, null] } } } },
  { ...base(keyWho), status: 503, fault: { rule: 'global', latencyMs: 20, failed: true } },
  { ...base(keyWho), requestBody: { title: 't', password: '[redacted]' }, responseBody: '[text/html, 12 characters]' },
  // A dropped request is logged as its event spread with status 0, as `logDropped` does.
  { ...{ ...base(keyWho), environment: 'dev' }, status: 0 },
  // Strings JSON must escape, and some it must not.
  base({ ...keyWho, keyName: 'quote " back \\ tab \t nul \u0000' }, '/v1/data/posts?q=%22&x="\\'),
  base({ kind: 'key', keyType: 'secret', keyName: 'lone \ud800 surrogate', keyPrefix: 'sk_x', userId: 'ü ✓ 😀' }, '/v1/data/é'),
  { event: 'missed', count: 7 },
]

describe('unit: request events as JSON lines', () => {
  it('writes every kind of event byte for byte as JSON.stringify does, one line each', () => {
    expect(events).to.have.length(12)
    for (const event of events) {
      const line = eventLine(event)
      expect(line).to.equal(`${JSON.stringify(event)}\n`)
      expect(JSON.parse(line)).to.deep.equal(event)
    }
  })
})
