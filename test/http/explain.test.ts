import { expect } from 'chai'
import type { DenialCheck, RequestEvent } from '../../src/contract/request-log.js'
import { principalFor } from '../../src/emulator/core/principal.js'
import { authClient, type AuthClient } from '../helpers/auth-client.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { connectWithToken, toolErrorCode } from '../helpers/mcp-client.js'
import { uploadFile } from './storage-helpers.js'

/** The log's event for a response, through the control `bkend dev explain` reads. */
async function explained(emu: TestEmulator, response: Response): Promise<RequestEvent> {
  const id = response.headers.get('x-request-id')
  expect(id, 'X-Request-Id').to.be.a('string')
  // The event is appended once the response is out, so it may lag the response a moment.
  for (let tries = 0; tries < 100; tries++) {
    const reply = await fetch(`${emu.url}/_emulator/logs/${id}`, { headers: { Authorization: `Bearer ${emu.seed.tenantToken}` } })
    if (reply.status === 200) return (await reply.json()) as RequestEvent
    expect(reply.status).to.equal(404)
    await new Promise((done) => setTimeout(done, 10))
  }
  throw new Error(`no request event ${id}`)
}

interface Scenario {
  name: string
  method?: string
  path: string | (() => string)
  headers: () => Record<string, string>
  body?: unknown
  status: number
  code?: string
  check: DenialCheck
  details: (details: Record<string, unknown>) => void
}

describe('http: explained denials (which check decided, from the one evaluator)', () => {
  let emu: TestEmulator
  let api: AuthClient
  const users: Record<'alice' | 'bob', { id: string; token: string }> = { alice: { id: '', token: '' }, bob: { id: '', token: '' } }
  let scopedKey = ''
  let bobsNote = ''
  let bobsFile = ''
  let revokedKey = ''
  let hiddenNote = ''
  before(async () => {
    emu = await startEmulator()
    api = authClient(emu)
    for (const name of ['alice', 'bob'] as const) {
      const tokens = await api.signUp(`${name}@example.com`)
      users[name] = { id: tokens.user.id, token: tokens.accessToken }
    }
    const table = async (tableName: string, update?: Record<string, unknown>) => {
      const created = await emu.core.tables.create(emu.actor, { projectId: emu.seed.projectId, environment: 'dev', tableName, schema: { title: { type: 'string' }, status: { type: 'string' }, internalNotes: { type: 'string' } } })
      if (update) await emu.core.tables.update(emu.actor, created.id, update)
      return emu.core.tables.resolve(emu.seed.environment.id, tableName)
    }
    await table('notes')
    const owned = await table('owned', { permissions: { user: { create: true, read: true, list: true }, self: { update: true, delete: true } } })
    await table('exprs', { expressionPermissions: { create: 'admin | role:editor', read: 'user' } })
    await table('cols', { permissions: { user: { create: true, read: true, list: true } }, columnPermissions: { internalNotes: { write: 'admin' } } })
    const rows = await table('rows', { permissions: { user: { create: true, list: true } }, rowFilters: [{ expression: 'user', filter: { status: 'published' } }] })
    const asUser = (userId: string) => principalFor('secret', null, { userId, role: 'user', sessionId: 's', email: 'x' })
    const hidden = await table('hidden', { permissions: { user: { read: true, list: true } }, columnPermissions: { internalNotes: { read: 'admin' } } })
    hiddenNote = (await emu.core.records.create(hidden, asUser(users.bob.id), { title: 'h', internalNotes: 'only admins' })).id
    bobsNote = (await emu.core.records.create(owned, asUser(users.bob.id), { title: 'b' })).id
    for (const status of ['published', 'draft', 'draft', 'published', 'draft']) await emu.core.records.create(rows, asUser(users.bob.id), { title: 't', status })
    bobsFile = (await uploadFile(emu, { key: emu.seed.environment.publishableKey, token: users.bob.token }, 'private notes')).id as string
    const revoked = await emu.core.keys.create(emu.actor, { projectId: emu.seed.projectId, environment: 'dev', type: 'secret', name: 'old-server', scopes: null })
    await emu.core.keys.revoke(emu.actor, revoked.id)
    revokedKey = revoked.key
    scopedKey = (await emu.core.keys.create(emu.actor, { projectId: emu.seed.projectId, environment: 'dev', type: 'publishable', name: 'read-notes', scopes: ['notes:read'] })).key
  })
  after(() => emu.dispose())

  const pk = () => ({ 'X-API-Key': emu.seed.environment.publishableKey })
  const as = (name: 'alice' | 'bob') => () => ({ ...pk(), Authorization: `Bearer ${users[name].token}` })
  const json = { 'Content-Type': 'application/json' }

  const scenarios: Scenario[] = [
    {
      name: 'no credential on /v1 → credential: the X-API-Key header was expected, nothing was sent',
      path: '/v1/data/notes',
      headers: () => ({}),
      status: 401,
      code: 'auth/unauthorized',
      check: 'credential',
      details: (d) => expect(d).to.include({ header: 'X-API-Key', presented: 'nothing' }),
    },
    {
      name: 'a tenant token on /v1 → credential of the wrong kind',
      path: '/v1/data/notes',
      headers: () => ({ Authorization: `Bearer ${emu.seed.tenantToken}` }),
      status: 401,
      code: 'auth/unauthorized',
      check: 'credential',
      details: (d) => expect(d).to.include({ header: 'X-API-Key', presented: 'tenant token', wrongKind: true }),
    },
    {
      name: 'a user JWT on a control → credential of the wrong kind (a tenant token was expected)',
      path: '/_emulator/clock',
      headers: () => ({ Authorization: `Bearer ${users.alice.token}` }),
      status: 401,
      code: 'auth/invalid-token',
      check: 'credential',
      details: (d) => {
        expect(d).to.include({ header: 'Authorization: Bearer', presented: 'user access token', wrongKind: true })
        expect(d.expected).to.match(/tenant token/)
      },
    },
    {
      name: 'a revoked secret key → credential: what was presented, by kind',
      path: '/v1/data/notes',
      headers: () => ({ 'X-API-Key': revokedKey }),
      status: 401,
      code: 'auth/token-revoked',
      check: 'credential',
      details: (d) => {
        expect(d).to.include({ header: 'X-API-Key', presented: 'secret key', code: 'auth/token-revoked' })
        expect(d).not.to.have.property('wrongKind')
      },
    },
    {
      name: 'a key scoped to notes:read creating a note → key scope: its scopes and the missing table:op',
      method: 'POST',
      path: '/v1/data/notes',
      headers: () => ({ 'X-API-Key': scopedKey, ...json }),
      body: { title: 'x' },
      status: 403,
      code: 'data/scope-insufficient',
      check: 'key-scope',
      details: (d) => expect(d).to.deep.include({ scopes: ['notes:read'], needed: 'notes:create' }),
    },
    {
      name: 'a guest creating a note under the default permissions → role: the group and the missing permission',
      method: 'POST',
      path: '/v1/data/notes',
      headers: () => ({ ...pk(), ...json }),
      body: { title: 'x' },
      status: 403,
      code: 'data/permission-denied',
      check: 'role',
      details: (d) => {
        expect(d).to.include({ table: 'notes', operation: 'create', group: 'guest', permission: 'guest.create', defaults: true })
        expect(d.entry).to.deep.include({ create: false, read: true })
      },
    },
    {
      name: "alice updating bob's record where only self may update → self: the creator and the caller",
      method: 'PATCH',
      path: () => `/v1/data/owned/${bobsNote}`,
      headers: () => ({ ...as('alice')(), ...json }),
      body: { title: 'mine now' },
      status: 403,
      code: 'data/permission-denied',
      check: 'self',
      details: (d) => {
        expect(d).to.include({ table: 'owned', operation: 'update', permission: 'self.update', recordCreatedBy: users.bob.id, callerUserId: users.alice.id })
        expect(d.allow).to.match(/sign in as the record's creator, or grant user\.update/)
      },
    },
    {
      name: 'alice creating where the expression is "admin | role:editor" → expression with the values it was evaluated with',
      method: 'POST',
      path: '/v1/data/exprs',
      headers: () => ({ ...as('alice')(), ...json }),
      body: { title: 'x' },
      status: 403,
      code: 'data/permission-denied',
      check: 'expression',
      details: (d) => {
        expect(d).to.include({ table: 'exprs', operation: 'create', expression: 'admin | role:editor' })
        expect(d.values).to.deep.equal({ admin: false, 'role:editor': false })
        expect(d.caller).to.deep.include({ group: 'user', role: 'user', userId: users.alice.id })
      },
    },
    {
      name: 'alice writing a column only admin may write → column: the field and its rule',
      method: 'POST',
      path: '/v1/data/cols',
      headers: () => ({ ...as('alice')(), ...json }),
      body: { title: 'x', internalNotes: 'secret plan' },
      status: 403,
      code: 'data/permission-denied',
      check: 'column',
      details: (d) => {
        expect(d).to.include({ table: 'cols', field: 'internalNotes', rule: 'write', expression: 'admin' })
        expect(d.values).to.deep.equal({ admin: false })
      },
    },
    {
      name: 'a guest listing the built-in users table → system table',
      path: '/v1/data/users',
      headers: pk,
      status: 403,
      code: 'data/system-table-access',
      check: 'system-table',
      details: (d) => expect(d).to.include({ table: 'users', kind: 'builtin', operation: 'list' }),
    },
    {
      name: "alice renaming bob's account → self (users API)",
      method: 'PATCH',
      path: () => `/v1/users/${users.bob.id}`,
      headers: () => ({ ...as('alice')(), ...json }),
      body: { name: 'Not Bob' },
      status: 403,
      code: 'user/forbidden',
      check: 'self',
      details: (d) => expect(d).to.include({ userId: users.bob.id, callerUserId: users.alice.id }),
    },
    {
      name: "alice reading bob's private file → self (files API): its owner and visibility",
      path: () => `/v1/files/${bobsFile}`,
      headers: as('alice'),
      status: 403,
      code: 'file/access-denied',
      check: 'self',
      details: (d) => expect(d).to.include({ file: bobsFile, visibility: 'private', ownerId: users.bob.id, callerOwnerId: users.alice.id, admin: false }),
    },
  ]

  for (const s of scenarios) {
    it(`${s.name} (${s.status} ${s.code})`, async () => {
      const path = typeof s.path === 'function' ? s.path() : s.path
      const response = await fetch(emu.url + path, { method: s.method ?? 'GET', headers: s.headers(), body: s.body === undefined ? undefined : JSON.stringify(s.body) })
      // The answer is what it was before the evaluator explained itself: same status, same code.
      expect(response.status).to.equal(s.status)
      const body = (await response.json()) as { error: { code: string; message: string } }
      expect(body.error.code).to.equal(s.code)
      const event = await explained(emu, response)
      expect(event).to.include({ status: s.status, code: s.code, path })
      expect(event.denial?.check).to.equal(s.check)
      expect(event.denial?.message).to.be.a('string').and.not.equal('')
      s.details(event.denial?.details ?? {})
      expect(event.denial?.details?.allow, 'what would allow it').to.be.a('string')
      // Never a secret: the explanation names kinds of credentials, not their values.
      const text = JSON.stringify(event)
      for (const secret of [emu.seed.tenantToken, users.alice.token, emu.seed.environment.secretKey, scopedKey, revokedKey]) expect(text).not.to.include(secret)
    })
  }

  it('a list that a row filter narrowed is answered 200 and noted: the filter and how many rows it removed', async () => {
    const response = await fetch(`${emu.url}/v1/data/rows`, { headers: as('alice')() })
    expect(response.status).to.equal(200)
    const page = (await response.json()) as { items: Array<{ status: string }>; pagination: { total: number } }
    expect(page.items).to.have.length(2)
    for (const item of page.items) expect(item.status).to.equal('published')
    const event = await explained(emu, response)
    expect(event.status).to.equal(200)
    expect(event.denial?.check).to.equal('row-filter')
    expect(event.denial?.details).to.deep.include({ table: 'rows', matching: 5, returned: 2, filteredOut: 3 })
    expect(event.denial?.details?.rowFilters).to.deep.equal([{ expression: 'user', filter: { status: 'published' }, matched: true }])
  })

  it('a read whose columns a read rule hid is answered 200 and noted: the fields and their rules (get and list)', async () => {
    for (const path of [`/v1/data/hidden/${hiddenNote}`, '/v1/data/hidden']) {
      const response = await fetch(emu.url + path, { headers: as('alice')() })
      expect(response.status).to.equal(200)
      expect(JSON.stringify(await response.json())).not.to.include('only admins')
      const event = await explained(emu, response)
      expect(event.denial?.check, path).to.equal('column')
      expect(event.denial?.details?.fields).to.deep.equal([{ field: 'internalNotes', rule: 'read', expression: 'admin' }])
    }
    const admin = await fetch(`${emu.url}/v1/data/hidden/${hiddenNote}`, { headers: { 'X-API-Key': emu.seed.environment.secretKey } })
    expect((await explained(emu, admin)).denial).to.equal(undefined)
  })

  it("a list narrowed to the caller's own records by the caller's query counts only what the query matched", async () => {
    const mine = await fetch(`${emu.url}/v1/data/rows?andFilters=${encodeURIComponent(JSON.stringify({ status: 'draft' }))}`, { headers: as('alice')() })
    expect(mine.status).to.equal(200)
    const event = await explained(emu, mine)
    expect(event.denial?.details).to.deep.include({ matching: 3, returned: 0, filteredOut: 3 })
  })

  it('a list nothing narrowed, and a secret-key list, carry no denial', async () => {
    for (const headers of [pk(), { 'X-API-Key': emu.seed.environment.secretKey }]) {
      const response = await fetch(`${emu.url}/v1/data/notes`, { headers })
      expect(response.status).to.equal(200)
      expect((await explained(emu, response)).denial).to.equal(undefined)
    }
  })

  it('an unknown or forgotten request id is a 404 saying how many requests the log holds', async () => {
    const unknown = await fetch(`${emu.url}/_emulator/logs/nope-123`, { headers: { Authorization: `Bearer ${emu.seed.tenantToken}` } })
    expect(unknown.status).to.equal(404)
    const body = (await unknown.json()) as { error: { code: string; message: string } }
    expect(body.error.code).to.equal('common/not-found')
    expect(body.error.message).to.match(/No request nope-123 in the request log: it holds the last 10000 requests/)
    const seen = await fetch(`${emu.url}/v1/data/notes`, { headers: pk() })
    const id = (await explained(emu, seen)).id
    emu.core.requestLog.clear()
    const gone = await fetch(`${emu.url}/_emulator/logs/${id}`, { headers: { Authorization: `Bearer ${emu.seed.tenantToken}` } })
    expect(gone.status).to.equal(404)
  })

  it('an MCP tool call the token lacks the scope for is answered as a tool error and explained on its request', async () => {
    const { token } = await emu.core.tenantTokens.mint({ tenantId: emu.seed.tenantId, organizationId: emu.seed.organizationId, scopes: ['table:data:read'], clientId: 'narrow-client', lifetimeSeconds: 600 })
    const { client } = await connectWithToken(`${emu.url}/mcp`, token)
    try {
      const notes = emu.core.tables.resolve(emu.seed.environment.id, 'notes')
      const result = await client.callTool({ name: 'backend_data_create', arguments: { tableId: notes.id, body: { title: 'x' } } })
      expect(toolErrorCode(result)).to.equal('SCOPE_INSUFFICIENT')
    } finally {
      await client.close()
    }
    await new Promise((done) => setTimeout(done, 50))
    const refused = emu.core.requestLog.recent(20).filter((event) => event.path === '/mcp' && event.denial)
    expect(refused).to.have.length(1)
    expect(refused[0]!.status).to.equal(200)
    expect(refused[0]!.denial).to.deep.include({ check: 'key-scope' })
    expect(refused[0]!.denial?.details).to.deep.include({ tool: 'backend_data_create', scopes: ['table:data:read'], needed: 'table:data:create' })
    expect(JSON.stringify(refused[0])).not.to.include(token)
  })

  it('the explanation control takes the tenant token only', async () => {
    const response = await fetch(`${emu.url}/_emulator/logs/anything`, { headers: pk() })
    expect(response.status).to.equal(401)
  })
})

describe('http: explained cloud-only refusals', () => {
  let emu: TestEmulator
  before(async () => {
    emu = await startEmulator({ cloudParity: true })
  })
  after(() => emu.dispose())

  it('a password on user create in cloud-parity mode → cloud-only, naming the extension (answer unchanged: 400)', async () => {
    const response = await fetch(`${emu.url}/v1/users`, {
      method: 'POST',
      headers: { 'X-API-Key': emu.seed.environment.secretKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'c@example.com', name: 'C', password: 'Str0ng-Passw0rd!' }),
    })
    expect(response.status).to.equal(400)
    expect(((await response.json()) as { error: { code: string } }).error.code).to.equal('common/invalid-parameters')
    const event = await explained(emu, response)
    expect(event.denial?.check).to.equal('cloud-only')
    expect(event.denial?.details).to.include({ extension: 'password on user create' })
    expect(JSON.stringify(event)).not.to.include('Str0ng-Passw0rd!')
  })
})
