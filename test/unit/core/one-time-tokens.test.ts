import { expect } from 'chai'
import { sha256 } from '../../../src/emulator/core/ids.js'
import type { OneTimeTokenFailure } from '../../../src/emulator/core/one-time-tokens.js'
import type { Database } from '../../../src/emulator/store/store.js'
import { startEmulator, type TestEmulator } from '../../helpers/emulator.js'

class Refused extends Error {
  constructor(readonly failure: OneTimeTokenFailure) {
    super(failure)
  }
}
const fail = (failure: OneTimeTokenFailure) => new Refused(failure)

async function failureOf(promise: Promise<unknown>): Promise<OneTimeTokenFailure | undefined> {
  try {
    await promise
  } catch (error) {
    if (error instanceof Refused) return error.failure
    throw error
  }
  return undefined
}

describe('core: one-time tokens', () => {
  let emu: TestEmulator
  let db: Database
  beforeEach(async () => {
    emu = await startEmulator()
    db = emu.core.envs.database(emu.seed.environment.id)!
  })
  afterEach(() => emu.dispose())

  const tokens = () => emu.core.oneTimeTokens

  it('issues 64-hex tokens stored only as their SHA-256', async () => {
    const { token, doc } = await tokens().issue(db, { purpose: 'password_reset', email: 'a@example.com', ttlSeconds: 60, data: { callbackUrl: null } })
    expect(token).to.match(/^[0-9a-f]{64}$/)
    expect(doc.id).to.equal(sha256(token))
    expect(JSON.stringify([...db.collection('oneTimeTokens').values()])).to.not.include(token)
  })

  it('is single use', async () => {
    const { token } = await tokens().issue(db, { purpose: 'magic_link', email: 'a@example.com', ttlSeconds: 60 })
    expect((await tokens().consume(db, 'magic_link', token, { fail })).email).to.equal('a@example.com')
    expect(await failureOf(tokens().consume(db, 'magic_link', token, { fail }))).to.equal('unknown')
  })

  it('lets only one of two racing uses pass', async () => {
    const { token } = await tokens().issue(db, { purpose: 'magic_link', email: 'a@example.com', ttlSeconds: 60 })
    const results = await Promise.allSettled([tokens().consume(db, 'magic_link', token, { fail }), tokens().consume(db, 'magic_link', token, { fail })])
    expect(results.map((r) => r.status).sort()).to.deep.equal(['fulfilled', 'rejected'])
  })

  it('expires by the emulator clock', async () => {
    const { token } = await tokens().issue(db, { purpose: 'password_reset', email: 'a@example.com', ttlSeconds: 60 })
    emu.core.clock.advance(59)
    expect(tokens().peek(db, 'password_reset', token, { fail }).purpose).to.equal('password_reset')
    emu.core.clock.advance(1)
    expect(await failureOf(tokens().consume(db, 'password_reset', token, { fail }))).to.equal('expired')
  })

  it('refuses another purpose, another email, garbage', async () => {
    const { token } = await tokens().issue(db, { purpose: 'password_reset', email: 'a@example.com', ttlSeconds: 60 })
    expect(await failureOf(tokens().consume(db, 'magic_link', token, { fail }))).to.equal('unknown')
    expect(await failureOf(tokens().consume(db, 'password_reset', token, { email: 'b@example.com', fail }))).to.equal('unknown')
    for (const garbage of [undefined, '', 42, 'x'.repeat(64)]) expect(await failureOf(tokens().consume(db, 'password_reset', garbage, { fail }))).to.equal('unknown')
    expect(await failureOf(tokens().consume(db, 'password_reset', token, { email: 'a@example.com', fail }))).to.equal(undefined)
  })

  it('replaces earlier tokens of the same purpose and email, not others', async () => {
    const old = await tokens().issue(db, { purpose: 'password_reset', email: 'a@example.com', ttlSeconds: 60 })
    const other = await tokens().issue(db, { purpose: 'password_reset', email: 'b@example.com', ttlSeconds: 60 })
    const magic = await tokens().issue(db, { purpose: 'magic_link', email: 'a@example.com', ttlSeconds: 60 })
    const fresh = await tokens().issue(db, { purpose: 'password_reset', email: 'a@example.com', ttlSeconds: 60 })
    expect(await failureOf(tokens().consume(db, 'password_reset', old.token, { fail }))).to.equal('unknown')
    for (const [purpose, t] of [['password_reset', other.token], ['magic_link', magic.token], ['password_reset', fresh.token]] as const) {
      expect(await failureOf(tokens().consume(db, purpose, t, { fail }))).to.equal(undefined)
    }
  })

  it('invalidates by purpose and email', async () => {
    const a = await tokens().issue(db, { purpose: 'email_verification', email: 'a@example.com', ttlSeconds: 60 })
    await tokens().invalidate(db, 'email_verification', 'a@example.com')
    expect(await failureOf(tokens().consume(db, 'email_verification', a.token, { fail }))).to.equal('unknown')
  })

  it('finds the tokens to replace among thousands without missing one written behind its back', async () => {
    const issued = []
    for (let i = 0; i < 2000; i++) issued.push(await tokens().issue(db, { purpose: 'email_verification', email: `u${i}@example.com`, ttlSeconds: 60 }))
    expect(issued).to.have.length(2000)
    // a token put straight into the database (as a snapshot restore brings tokens back) is still replaced
    const restored = { id: sha256('restored'), purpose: 'email_verification', email: 'u7@example.com', userId: null, data: null, createdAt: new Date().toISOString(), expiresAt: emu.core.clock.nowMs() + 60_000 }
    await db.put('oneTimeTokens', restored)
    await tokens().issue(db, { purpose: 'email_verification', email: 'u7@example.com', ttlSeconds: 60 })
    expect(await failureOf(tokens().consume(db, 'email_verification', 'restored', { fail }))).to.equal('unknown')
    expect(await failureOf(tokens().consume(db, 'email_verification', issued[7]!.token, { fail }))).to.equal('unknown')
    // a collection replaced wholesale (a reset) leaves nothing for the index to find
    await db.replace(['oneTimeTokens'], [['oneTimeTokens', [{ ...restored, id: sha256('after-reset') }]]])
    const fresh = await tokens().issue(db, { purpose: 'email_verification', email: 'u7@example.com', ttlSeconds: 60 })
    expect(await failureOf(tokens().consume(db, 'email_verification', 'after-reset', { fail }))).to.equal('unknown')
    expect(await failureOf(tokens().consume(db, 'email_verification', fresh.token, { fail }))).to.equal(undefined)
  })
})
