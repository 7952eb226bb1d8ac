import { expect } from 'chai'
import { checkScope, routeOperation } from '../../../src/emulator/core/data/permissions/scopes.js'
import { principalFor } from '../../../src/emulator/core/principal.js'

describe('core: the scope operation of users and files routes', () => {
  const cases: Array<['users' | 'files', string, string, string]> = [
    ['users', 'GET', '/v1/users', 'list'],
    ['users', 'GET', '/v1/users/:userId', 'read'],
    ['users', 'GET', '/v1/users/:userId/preferences', 'read'],
    ['users', 'POST', '/v1/users', 'create'],
    ['users', 'PATCH', '/v1/users/:userId', 'update'],
    ['users', 'PATCH', '/v1/users/:userId/role', 'update'],
    ['users', 'POST', '/v1/users/:userId/avatar/upload-url', 'update'],
    ['users', 'DELETE', '/v1/users/:userId/avatar', 'update'],
    ['users', 'DELETE', '/v1/users/:userId', 'delete'],
    ['files', 'GET', '/v1/files', 'list'],
    ['files', 'GET', '/v1/files/buckets', 'list'],
    ['files', 'GET', '/v1/files/:fileId', 'read'],
    ['files', 'GET', '/v1/files/:fileId/download-url', 'read'],
    ['files', 'POST', '/v1/files/:fileId/download-url', 'read'],
    ['files', 'GET', '/v1/files/:fileId/download', 'read'],
    ['files', 'POST', '/v1/files/presigned-url', 'create'],
    ['files', 'POST', '/v1/files/upload', 'create'],
    ['files', 'POST', '/v1/files/multipart/:uploadId/complete', 'create'],
    ['files', 'POST', '/v1/files', 'create'],
    ['files', 'PATCH', '/v1/files/:fileId/visibility', 'update'],
    ['files', 'DELETE', '/v1/files/:fileId', 'delete'],
  ]
  expect(cases).to.have.length(21)
  for (const [resource, method, route, op] of cases) {
    it(`${method} ${route} needs ${resource}:${op}`, () => {
      expect(routeOperation(resource, method, route)).to.equal(op)
    })
  }

  it('a list accepts a read scope; other operations want their own, and unscoped keys pass', () => {
    const reader = principalFor('secret', ['users:read'], null)
    expect(() => checkScope(reader, 'users', 'list')).to.not.throw()
    expect(() => checkScope(reader, 'users', 'update')).to.throw('API key scope does not include users:update')
    expect(() => checkScope(reader, 'files', 'read')).to.throw('API key scope does not include files:read')
    expect(() => checkScope(principalFor('secret', null, null), 'files', 'delete')).to.not.throw()
  })
})
