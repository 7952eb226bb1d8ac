import { expect } from 'chai'
import { Clock } from '../../../src/emulator/core/clock.js'
import { DomainError } from '../../../src/emulator/core/errors.js'
import { StorageTokens, type StorageClaims } from '../../../src/emulator/core/storage/tokens.js'
import { Store } from '../../../src/emulator/store/store.js'
import { tempDir } from '../../helpers/tmp.js'

describe('unit: signed storage tokens', () => {
  let store: Store
  let cleanup: () => Promise<void>
  let clock: Clock
  let tokens: StorageTokens
  const claims = (over: Partial<StorageClaims> = {}): StorageClaims => ({
    environmentId: '6b0000000000000000000001',
    key: 'files/6b0000000000000000000002/6b0000000000000000000003/a.txt',
    kind: 'object',
    method: 'PUT',
    uploadId: null,
    partNumber: null,
    maxSize: 10,
    contentType: 'text/plain',
    exp: clock.nowMs() + 60_000,
    ...over,
  })

  beforeEach(async () => {
    const tmp = await tempDir()
    cleanup = tmp.cleanup
    store = await Store.open({ dataDir: tmp.dir, fsync: 'everysec' })
    await StorageTokens.ensureSecret(store.control)
    clock = new Clock()
    tokens = new StorageTokens(store.control, clock)
  })
  afterEach(async () => {
    await store.close()
    await cleanup()
  })

  const refusal = (fn: () => unknown): string => {
    try {
      fn()
    } catch (error) {
      expect(error).to.be.instanceOf(DomainError)
      expect((error as DomainError).code).to.equal('file/access-denied')
      return (error as DomainError).message
    }
    throw new Error('expected a refusal')
  }

  it('round-trips the claims of a genuine token', () => {
    const token = tokens.sign(claims())
    expect(token).to.match(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/)
    expect(tokens.verify(token, 'PUT', ['object'])).to.deep.equal(claims({ exp: JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).exp }))
  })

  it('keeps the secret across restarts: a token signed before still verifies', async () => {
    const token = tokens.sign(claims())
    const again = new StorageTokens(store.control, clock)
    expect(again.verify(token, 'PUT', ['object']).key).to.equal(claims().key)
  })

  const tampered: Array<[string, (token: string) => string]> = [
    ['a payload with another key', (t) => Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(t.split('.')[0]!, 'base64url').toString()), key: 'files/x' })).toString('base64url') + '.' + t.split('.')[1]],
    ['a payload with a later expiry', (t) => Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(t.split('.')[0]!, 'base64url').toString()), exp: 9e15 })).toString('base64url') + '.' + t.split('.')[1]],
    ['a flipped signature character', (t) => t.slice(0, -2) + (t.at(-2) === 'A' ? 'B' : 'A') + t.at(-1)],
    ['a truncated signature', (t) => t.slice(0, -4)],
    ['no signature', (t) => t.split('.')[0]!],
    ['garbage', () => 'not-a-token'],
    ['an empty payload', (t) => '.' + t.split('.')[1]],
  ]
  for (const [what, mutate] of tampered) {
    it(`refuses ${what} → file/access-denied`, () => {
      refusal(() => tokens.verify(mutate(tokens.sign(claims())), 'PUT', ['object']))
    })
  }

  it('refuses a token signed with another secret', async () => {
    const tmp = await tempDir()
    const other = await Store.open({ dataDir: tmp.dir, fsync: 'everysec' })
    await StorageTokens.ensureSecret(other.control)
    const foreign = new StorageTokens(other.control, clock).sign(claims())
    await other.close()
    await tmp.cleanup()
    refusal(() => tokens.verify(foreign, 'PUT', ['object']))
  })

  it('expires by the emulator clock', () => {
    const token = tokens.sign(claims())
    expect(() => tokens.verify(token, 'PUT', ['object'])).to.not.throw()
    clock.advance(61)
    expect(refusal(() => tokens.verify(token, 'PUT', ['object']))).to.match(/expired/)
  })

  it('refuses another kind or another method', () => {
    const upload = tokens.sign(claims())
    refusal(() => tokens.verify(upload, 'GET', ['download']))
    refusal(() => tokens.verify(upload, 'GET', ['object']))
    const download = tokens.sign(claims({ kind: 'download', method: 'GET' }))
    refusal(() => tokens.verify(download, 'PUT', ['object', 'part', 'avatar']))
  })
})
