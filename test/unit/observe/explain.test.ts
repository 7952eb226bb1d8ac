import { expect } from 'chai'
import { SignJWT } from 'jose/jwt/sign'
import { conditionValues } from '../../../src/emulator/core/data/permissions/explain.js'
import { parseExpression } from '../../../src/emulator/core/data/permissions/expression.js'
import { authorizeList, type TablePolicy } from '../../../src/emulator/core/data/permissions/policy.js'
import { schemaTypes } from '../../../src/emulator/core/data/query/filter.js'
import { unauthorized } from '../../../src/emulator/core/errors.js'
import { API_KEY_CREDENTIAL, credentialKind, explainCredential, TENANT_CREDENTIAL } from '../../../src/emulator/core/observe/credential.js'
import type { DecisionTrace } from '../../../src/emulator/core/observe/decision.js'
import { principalFor } from '../../../src/emulator/core/principal.js'

const secret = new TextEncoder().encode('not-the-emulator-secret')
const jwt = (claims: Record<string, unknown>) => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(secret)

describe('unit: explaining decisions', () => {
  describe('credentialKind: what a presented credential looks like, from its shape and unverified claims', () => {
    const cases: Array<[string, () => Promise<string> | string, string]> = [
      ['a publishable key', () => `pk_${'a'.repeat(64)}`, 'publishable key'],
      ['a secret key', () => `sk_${'0'.repeat(64)}`, 'secret key'],
      ['a key too short', () => 'sk_123', 'malformed API key'],
      ['a user access token', () => jwt({ typ: 'access', eid: 'e1', sub: 'u1' }), 'user access token'],
      ['a refresh token', () => jwt({ typ: 'refresh', sid: 's' }), 'refresh token'],
      ['a tenant token', () => jwt({ org: 'o1', client_id: 'bkend-cli', scope: 'table:read' }), 'tenant token'],
      ['a JWT of something else', () => jwt({ sub: 'x' }), 'unknown token'],
      ['not a JWT at all', () => 'hello', 'unknown token'],
      ['three parts that are not JSON', () => 'a.b.c', 'unknown token'],
    ]
    for (const [name, value, kind] of cases) it(`${name} → ${kind}`, async () => expect(credentialKind(await value())).to.equal(kind))
  })

  it('explainCredential names the wrong kind, never the value, and leaves the refusal as it was', async () => {
    const tenant = await jwt({ org: 'o1', client_id: 'c' })
    const error = explainCredential(unauthorized('auth/unauthorized', 'An API key is required: send it in the X-API-Key header'), API_KEY_CREDENTIAL, tenant)
    expect(error.message).to.equal('An API key is required: send it in the X-API-Key header')
    expect(error.denial?.check).to.equal('credential')
    expect(error.denial?.message).to.match(/^A tenant token was sent where a publishable or secret API key is expected \(X-API-Key\)/)
    expect(error.denial?.details).to.include({ presented: 'tenant token', wrongKind: true, header: 'X-API-Key' })
    expect(JSON.stringify(error.denial)).not.to.include(tenant)
    const right = explainCredential(unauthorized('auth/token-expired', 'The tenant access token has expired'), TENANT_CREDENTIAL, tenant)
    expect(right.denial?.details).to.include({ presented: 'tenant token' })
    expect(right.denial?.details).not.to.have.property('wrongKind')
    expect(right.denial?.message).to.equal('The tenant access token has expired')
  })

  describe('conditionValues: each condition of an expression and its value for the caller', () => {
    const alice = principalFor('publishable', null, { userId: 'u1', role: 'editor', sessionId: 's', email: 'a' })
    const guest = principalFor('publishable', null, null)
    const cases: Array<[string, typeof alice, boolean, Record<string, boolean>]> = [
      ['admin | role:editor', alice, false, { admin: false, 'role:editor': true }],
      ['(user & self) | admin', alice, false, { user: true, self: false, admin: false }],
      ['(user & self) | admin', alice, true, { user: true, self: true, admin: false }],
      ['user | role:*', guest, false, { user: false, 'role:*': false }],
      ['public', guest, false, { public: true }],
    ]
    for (const [text, principal, self, values] of cases) {
      it(`"${text}" for ${principal.userId ?? 'a guest'}${self ? ' on their own record' : ''} → ${JSON.stringify(values)}`, () => {
        expect(conditionValues(parseExpression(text), principal, self)).to.deep.equal(values)
      })
    }
  })

  describe('authorizeList notes what narrowed a list only when something did', () => {
    const base: TablePolicy = { tableName: 'posts', kind: 'regular', permissions: null, expressionPermissions: null, columnPermissions: null, rowFilters: null }
    const types = schemaTypes({ bsonType: 'object', required: [], properties: { status: { bsonType: 'string' } } })
    const alice = principalFor('publishable', null, { userId: 'u1', role: 'user', sessionId: 's', email: 'a' })
    const trace = (): DecisionTrace => ({ denial: null })

    it('default permissions, no row filters → nothing noted', () => {
      const t = trace()
      authorizeList(base, alice, types, undefined, t)
      expect(t.denial).to.equal(null)
    })
    it('self-only list → self, with the permission', () => {
      const t = trace()
      authorizeList({ ...base, permissions: { user: { create: true }, self: { list: true } } }, alice, types, undefined, t)
      expect(t.denial?.check).to.equal('self')
      expect(t.denial?.details).to.deep.include({ self: { permission: 'self.list' } })
    })
    it('row filters, one matching and one not → row-filter, each entry with whether it matched', () => {
      const t = trace()
      const rowFilters = [
        { expression: 'admin', filter: { status: 'any' } },
        { expression: 'user', filter: { status: 'published' } },
      ]
      authorizeList({ ...base, rowFilters }, alice, types, undefined, t)
      expect(t.denial?.check).to.equal('row-filter')
      expect(t.denial?.message).to.equal('The list of table "posts" was narrowed for group "user" to the row filter "user"')
      expect(t.denial?.details?.rowFilters).to.deep.equal([{ ...rowFilters[0], matched: false }, { ...rowFilters[1], matched: true }])
    })
    it('row filters none of which match → no rows, and the note says so', () => {
      const t = trace()
      const filter = authorizeList({ ...base, rowFilters: [{ expression: 'admin', filter: { status: 'x' } }] }, alice, types, undefined, t)
      expect(filter.kind).to.equal('none')
      expect(t.denial?.message).to.include('no row filter matches this requester, so no rows')
    })
  })
})
