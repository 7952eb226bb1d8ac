import { expect } from 'chai'
import type { Operation, TablePolicyConfig } from '../../../src/emulator/core/data/model.js'
import { parseColumnPermissions, parseExpressionPermissions, parsePermissions, parseRowFilters } from '../../../src/emulator/core/data/permissions/config.js'
import { evaluate, parseExpression, reduce } from '../../../src/emulator/core/data/permissions/expression.js'
import { assertColumnsWritable, assertOwner, authorizeList, authorizeRecord, authorizeSpec, stripColumns, type TablePolicy } from '../../../src/emulator/core/data/permissions/policy.js'
import { checkScope } from '../../../src/emulator/core/data/permissions/scopes.js'
import { schemaTypes } from '../../../src/emulator/core/data/query/filter.js'
import { matches } from '../../../src/emulator/core/data/query/match.js'
import { DomainError } from '../../../src/emulator/core/errors.js'
import { principalFor, tenantPrincipal, type Principal } from '../../../src/emulator/core/principal.js'

const user = (userId: string, role = 'user') => ({ userId, role, sessionId: 's', email: `${userId}@x` })
const P = {
  guest: principalFor('publishable', null, null),
  alice: principalFor('publishable', null, user('alice')),
  bob: principalFor('publishable', null, user('bob')),
  editor: principalFor('publishable', null, user('ed', 'editor')),
  guestRole: principalFor('publishable', null, user('gina', 'guest')),
  appAdmin: principalFor('publishable', null, user('root', 'admin')),
  secret: principalFor('secret', null, null),
}
const types = schemaTypes({ bsonType: 'object', required: [], properties: {} })
const policy = (config: Partial<TablePolicyConfig> = {}, tableName = 'posts', kind: TablePolicy['kind'] = 'regular'): TablePolicy => ({
  tableName,
  kind,
  permissions: null,
  expressionPermissions: null,
  columnPermissions: null,
  rowFilters: null,
  ...config,
})

/** 'all' | 'owner' | the error code. */
function decide(p: TablePolicy, principal: Principal, op: Operation): string {
  try {
    if (op === 'list') {
      const filter = authorizeList(p, principal, types)
      return filter.kind === 'all' ? 'all' : filter.kind === 'none' ? 'none' : 'filtered'
    }
    return authorizeRecord(p, principal, op).kind
  } catch (error) {
    return (error as DomainError).code
  }
}

const DENIED = 'data/permission-denied'
const SYSTEM = 'data/system-table-access'

describe('data/permissions: expressions', () => {
  const cases: Array<[string, keyof typeof P, boolean, boolean]> = [
    ['public', 'guest', false, true],
    ['guest', 'guest', false, true],
    ['guest', 'alice', false, true],
    ['user', 'guest', false, false],
    ['user', 'alice', false, true],
    ['user', 'appAdmin', false, true],
    ['admin', 'alice', false, false],
    ['admin', 'appAdmin', false, true],
    ['admin', 'secret', false, true],
    ['self', 'alice', false, false],
    ['self', 'alice', true, true],
    ['role:editor', 'editor', false, true],
    ['role:editor', 'alice', false, false],
    ['role:*', 'editor', false, true],
    ['role:*', 'alice', false, false],
    ['role:*', 'guest', false, false],
    ['guest | user & self', 'alice', false, true],
    ['user & self', 'alice', false, false],
    ['user & self', 'alice', true, true],
    ['(guest | user) & self', 'alice', false, false],
    [' role:editor|admin ', 'editor', false, true],
  ]
  for (const [text, who, self, expected] of cases) {
    it(`${JSON.stringify(text)} for ${who}${self ? ' (own record)' : ''} → ${expected}`, () => {
      expect(evaluate(parseExpression(text), P[who], self)).to.equal(expected)
    })
  }

  it('reduces list expressions to always, never or self', () => {
    expect(reduce(parseExpression('user | self'), P.alice)).to.equal('always')
    expect(reduce(parseExpression('user & self'), P.alice)).to.equal('self')
    expect(reduce(parseExpression('self'), P.guest)).to.equal('never')
    expect(reduce(parseExpression('role:editor'), P.alice)).to.equal('never')
  })

  for (const text of ['', 'user |', 'user && guest', 'nobody', '(user', 'user)', 'role:', 'USER', 'user ! guest']) {
    it(`rejects the syntax ${JSON.stringify(text)}`, () => expect(() => parseExpression(text)).to.throw(DomainError).with.property('code', 'data/validation-error'))
  }
})

describe('data/permissions: boolean model with the default permissions (§8.2)', () => {
  const table: Array<[keyof typeof P, Record<Operation, string>]> = [
    ['guest', { create: DENIED, read: 'all', list: 'all', update: DENIED, delete: DENIED }],
    ['alice', { create: 'all', read: 'all', list: 'all', update: DENIED, delete: DENIED }],
    ['guestRole', { create: DENIED, read: 'all', list: 'all', update: DENIED, delete: DENIED }],
    ['editor', { create: 'all', read: 'all', list: 'all', update: DENIED, delete: DENIED }],
    ['appAdmin', { create: 'all', read: 'all', list: 'all', update: 'all', delete: 'all' }],
    ['secret', { create: 'all', read: 'all', list: 'all', update: 'all', delete: 'all' }],
  ]
  for (const [who, ops] of table) {
    for (const [op, expected] of Object.entries(ops)) {
      it(`${who} ${op} → ${expected}`, () => expect(decide(policy(), P[who], op as Operation)).to.equal(expected))
    }
  }
  it('treats {} like no permissions', () => expect(decide(policy({ permissions: {} }), P.alice, 'create')).to.equal('all'))
})

describe('data/permissions: the documented example policy (§8.1)', () => {
  const example = policy({
    permissions: {
      admin: { create: true, read: true, update: true, delete: true, list: true },
      user: { create: true, read: true, update: false, delete: false, list: true },
      guest: { read: true, list: true },
      self: { read: true, update: true, delete: true, list: true },
    },
  })
  const table: Array<[keyof typeof P, Record<Operation, string>]> = [
    ['guest', { create: DENIED, read: 'all', list: 'all', update: DENIED, delete: DENIED }],
    ['alice', { create: 'all', read: 'all', list: 'all', update: 'owner', delete: 'owner' }],
    ['secret', { create: 'all', read: 'all', list: 'all', update: 'all', delete: 'all' }],
  ]
  for (const [who, ops] of table) {
    for (const [op, expected] of Object.entries(ops)) {
      it(`${who} ${op} → ${expected}`, () => expect(decide(example, P[who], op as Operation)).to.equal(expected))
    }
  }

  it('an owner decision allows only the creator', () => {
    const access = authorizeRecord(example, P.alice, 'update')
    expect(() => assertOwner(access, P.alice, { createdBy: 'alice' })).to.not.throw()
    expect(() => assertOwner(access, P.alice, { createdBy: 'bob' })).to.throw(DomainError).with.property('code', DENIED)
  })
})

describe('data/permissions: self-only and fallbacks', () => {
  const selfOnly = policy({ permissions: { user: { create: true }, self: { read: true, update: true } } })
  it('self list falls back to self read and filters by createdBy', () => {
    const filter = authorizeList(selfOnly, P.alice, types)
    expect(matches(filter, { id: 'x', createdBy: 'alice' })).to.equal(true)
    expect(matches(filter, { id: 'x', createdBy: 'bob' })).to.equal(false)
  })
  it('a group list falls back to that group read', () => {
    expect(decide(policy({ permissions: { guest: { read: true } } }), P.guest, 'list')).to.equal('all')
    expect(decide(policy({ permissions: { guest: { read: true, list: false } } }), P.guest, 'list')).to.equal(DENIED)
  })
  it('self needs a user id: a guest without one is denied', () => expect(decide(selfOnly, P.guest, 'read')).to.equal(DENIED))
  it('self never grants create', () => expect(decide(policy({ permissions: { self: { read: true } } }), P.alice, 'create')).to.equal(DENIED))
  it('omitted groups lose everything once permissions are configured', () => expect(decide(selfOnly, P.guest, 'list')).to.equal(DENIED))
  it('a true group permission wins over self', () => expect(decide(policy({ permissions: { user: { update: true }, self: { update: true } } }), P.alice, 'update')).to.equal('all'))
  it('denial messages name the group, operation and table', () => {
    expect(() => authorizeRecord(selfOnly, P.guest, 'delete')).to.throw(/group "guest" has no "delete" permission on table "posts"/)
  })
})

describe('data/permissions: expression permissions (§8.4)', () => {
  const exprs = policy({ expressionPermissions: { create: 'user', read: 'user | guest', update: 'self', delete: 'self', list: 'user | self' } })
  const table: Array<[keyof typeof P, Record<Operation, string>]> = [
    ['guest', { create: DENIED, read: 'all', list: DENIED, update: DENIED, delete: DENIED }],
    ['alice', { create: 'all', read: 'all', list: 'all', update: 'owner', delete: 'owner' }],
    ['secret', { create: 'all', read: 'all', list: 'all', update: 'all', delete: 'all' }],
  ]
  for (const [who, ops] of table) {
    for (const [op, expected] of Object.entries(ops)) {
      it(`${who} ${op} → ${expected}`, () => expect(decide(exprs, P[who], op as Operation)).to.equal(expected))
    }
  }
  it('list falls back to the read expression; other missing operations to the boolean model', () => {
    const partial = policy({ expressionPermissions: { read: 'self' } })
    expect(decide(partial, P.alice, 'list')).to.equal('filtered')
    expect(decide(partial, P.alice, 'create')).to.equal('all')
    expect(decide(partial, P.guest, 'create')).to.equal(DENIED)
  })
  it('self on create is true for a signed-in requester', () => {
    expect(decide(policy({ expressionPermissions: { create: 'self' } }), P.alice, 'create')).to.equal('all')
    expect(decide(policy({ expressionPermissions: { create: 'self' } }), P.guest, 'create')).to.equal(DENIED)
  })
  it('role conditions', () => {
    const roles = policy({ expressionPermissions: { update: 'role:editor | self' } })
    expect(decide(roles, P.editor, 'update')).to.equal('all')
    expect(decide(roles, P.alice, 'update')).to.equal('owner')
  })
})

describe('data/permissions: system tables (§4)', () => {
  it('built-in tables: admin reads and lists, nobody writes, users and guests are refused', () => {
    const users = policy({}, 'users', 'builtin')
    expect(decide(users, P.secret, 'read')).to.equal('all')
    expect(decide(users, P.secret, 'list')).to.equal('all')
    for (const op of ['create', 'update', 'delete'] as const) expect(decide(users, P.secret, op)).to.equal(SYSTEM)
    for (const op of ['read', 'list'] as const) expect(decide(users, P.alice, op)).to.equal(SYSTEM)
    expect(() => authorizeSpec(users, P.guest)).to.throw(DomainError).with.property('code', SYSTEM)
    expect(() => authorizeSpec(users, P.secret)).to.not.throw()
  })
  it('_ tables: admin has full access, others need configured permissions', () => {
    expect(decide(policy({}, '_audit', 'underscore'), P.secret, 'delete')).to.equal('all')
    expect(decide(policy({}, '_audit', 'underscore'), P.alice, 'read')).to.equal(SYSTEM)
    expect(decide(policy({ permissions: { user: { read: true } } }, '_audit', 'underscore'), P.alice, 'read')).to.equal('all')
    expect(decide(policy({ permissions: { user: { read: true } } }, '_audit', 'underscore'), P.alice, 'delete')).to.equal(DENIED)
  })
})

describe('data/permissions: columns and row filters', () => {
  const columns = policy({ columnPermissions: { email: { read: 'user | admin', write: 'self' }, internalNotes: { read: 'admin', write: 'admin' } } })
  const record = { id: 'r', email: 'e', internalNotes: 'n', title: 't', createdBy: 'alice', createdAt: 'c', updatedAt: 'u' }
  it('strips unreadable columns, keeps system fields, admin bypasses', () => {
    expect(Object.keys(stripColumns(columns, P.guest, record))).to.deep.equal(['id', 'title', 'createdBy', 'createdAt', 'updatedAt'])
    expect(Object.keys(stripColumns(columns, P.alice, record))).to.deep.equal(['id', 'email', 'title', 'createdBy', 'createdAt', 'updatedAt'])
    expect(stripColumns(columns, P.secret, record)).to.equal(record)
  })
  it('refuses writes to protected columns with 403', () => {
    expect(() => assertColumnsWritable(columns, P.alice, { email: 'x' }, { createdBy: 'alice' })).to.not.throw()
    expect(() => assertColumnsWritable(columns, P.alice, { email: 'x' }, null)).to.not.throw()
    expect(() => assertColumnsWritable(columns, P.alice, { email: 'x' }, { createdBy: 'bob' })).to.throw(DomainError).with.property('code', DENIED)
    expect(() => assertColumnsWritable(columns, P.alice, { internalNotes: 'x' }, null)).to.throw(/column "internalNotes"/)
    expect(() => assertColumnsWritable(columns, P.secret, { internalNotes: 'x' }, null)).to.not.throw()
  })

  const rows = policy({ rowFilters: [{ expression: 'user', filter: { status: 'published' } }, { expression: 'self', filter: { createdBy: '$userId' } }] })
  it('ORs the filters of matching entries, substituting $userId', () => {
    const filter = authorizeList(rows, P.alice, types)
    expect(matches(filter, { id: 'a', status: 'published', createdBy: 'bob' })).to.equal(true)
    expect(matches(filter, { id: 'b', status: 'draft', createdBy: 'alice' })).to.equal(true)
    expect(matches(filter, { id: 'c', status: 'draft', createdBy: 'bob' })).to.equal(false)
  })
  it('yields no rows when no entry matches, and admin bypasses them', () => {
    expect(authorizeList(rows, P.guest, types).kind).to.equal('none')
    expect(authorizeList(rows, P.secret, types).kind).to.equal('all')
  })
})

describe('data/permissions: API key scopes (§9)', () => {
  const scoped = (scopes: string[]) => principalFor('secret', scopes, null)
  const cases: Array<[string[], string, Operation, boolean]> = [
    [['posts:read'], 'posts', 'read', true],
    [['posts:read'], 'posts', 'list', true],
    [['posts:list'], 'posts', 'list', true],
    [['posts:list'], 'posts', 'read', false],
    [['posts:read'], 'posts', 'delete', false],
    [['posts:*'], 'posts', 'delete', true],
    [['posts:*'], 'Posts', 'read', false],
    [['*:create'], 'anything', 'create', true],
    [['*:create'], 'anything', 'update', false],
    [['*:*'], 'x', 'delete', true],
    [[], 'x', 'delete', true],
  ]
  for (const [scopes, table, op, ok] of cases) {
    it(`${JSON.stringify(scopes)} ${table}:${op} → ${ok ? 'granted' : '403'}`, () => {
      const run = () => checkScope(scoped(scopes), table, op)
      if (ok) expect(run).to.not.throw()
      else expect(run).to.throw(DomainError, `API key scope does not include ${table}:${op}`).with.property('code', 'data/scope-insufficient')
    })
  }
  it('the tenant principal is unrestricted', () => expect(() => checkScope(tenantPrincipal(), 'x', 'delete')).to.not.throw())
})

describe('data/permissions: configuration checks on save', () => {
  it('normalises empty configurations to null', () => {
    expect(parsePermissions({})).to.equal(null)
    expect(parseExpressionPermissions(null)).to.equal(null)
    expect(parseColumnPermissions({})).to.equal(null)
    expect(parseRowFilters([], types)).to.equal(null)
  })
  const bad: Array<[string, () => unknown]> = [
    ['an unknown group', () => parsePermissions({ moderator: { read: true } })],
    ['an unknown operation', () => parsePermissions({ user: { write: true } })],
    ['self create', () => parsePermissions({ self: { create: true } })],
    ['a non-boolean flag', () => parsePermissions({ user: { read: 'yes' } })],
    ['an expression syntax error', () => parseExpressionPermissions({ read: 'user |' })],
    ['a non-string expression', () => parseExpressionPermissions({ read: true })],
    ['a column rule key', () => parseColumnPermissions({ email: { delete: 'admin' } })],
    ['a column expression error', () => parseColumnPermissions({ email: { read: 'nobody' } })],
    ['a row filter without filter', () => parseRowFilters([{ expression: 'user' }], types)],
    ['a row filter with a bad operator', () => parseRowFilters([{ expression: 'user', filter: { a: { $near: 1 } } }], types)],
  ]
  for (const [name, run] of bad) it(`rejects ${name}`, () => expect(run).to.throw(DomainError).with.property('kind', 'invalid'))
})
