import { expect } from 'chai'
import { wideningOf } from '../../src/cli/permission-widening.js'
import type { TablePermissions } from '../../src/contract/tables.js'

const all = { create: true, read: true, update: true, delete: true, list: true }
const none = { create: false, read: false, update: false, delete: false, list: false }
const locked = { admin: all, user: none, guest: none, self: { read: false, update: false, delete: false, list: false } }

describe('cli: wideningOf (what a permission change newly allows)', () => {
  const cases: Array<{ name: string; current: TablePermissions; next: TablePermissions; expect: string[] }> = [
    { name: 'defaults to defaults → nothing', current: { permissions: null }, next: { permissions: null }, expect: [] },
    { name: 'an empty object counts as defaults', current: { permissions: {} }, next: { permissions: null }, expect: [] },
    {
      name: 'locked down to defaults → users create, read, list; guests read, list',
      current: { permissions: locked },
      next: { permissions: null },
      expect: ['any signed-in user may now create, read, list', 'guests (anyone, signed in or not) may now read, list'],
    },
    {
      name: 'groups left out of a configured map have nothing, so defaults widen for them',
      current: { permissions: { user: { read: true } } },
      next: { permissions: null },
      expect: ['any signed-in user may now create', 'guests (anyone, signed in or not) may now read, list'],
    },
    { name: 'a missing list follows read (no widening of list)', current: { permissions: { user: { create: true, read: true }, guest: { read: true } } }, next: { permissions: null }, expect: [] },
    { name: 'defaults to wider: guests may update', current: { permissions: null }, next: { permissions: { user: { create: true, read: true, list: true }, guest: { read: true, list: true, update: true } } }, expect: ['guests (anyone, signed in or not) may now update'] },
    { name: 'self grants are the owner\'s', current: { permissions: locked }, next: { permissions: { ...locked, self: { read: true, update: true, delete: true, list: true } } }, expect: ["the record's owner (self) may now read, update, delete, list"] },
    { name: 'narrowing only → nothing', current: { permissions: null }, next: { permissions: locked }, expect: [] },
    {
      name: 'clearing row filters, column and expression permissions removes restrictions',
      current: { permissions: null, expressionPermissions: { read: 'user' }, columnPermissions: { email: { read: 'admin' } }, rowFilters: [{ expression: 'user', filter: {} }] },
      next: { permissions: null },
      expect: [
        'expression permissions are removed (the boolean map decides alone)',
        'column permissions are removed (every column follows the table permissions)',
        'row filters are removed (lists are no longer narrowed by them)',
      ],
    },
    { name: 'empty row filters were no restriction', current: { permissions: null, rowFilters: [] }, next: { permissions: null }, expect: [] },
  ]
  for (const c of cases) {
    it(c.name, () => expect(wideningOf(c.current, c.next)).to.deep.equal(c.expect))
  }
})
