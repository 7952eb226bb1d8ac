import { expect } from 'chai'
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { API_KEY, hashKey } from '../../../src/emulator/core/keys/api-keys.js'
import { DomainError } from '../../../src/emulator/core/errors.js'
import { startEmulator, type TestEmulator } from '../../helpers/emulator.js'

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    return (error as DomainError).code
  }
  return undefined
}

describe('core: API keys', () => {
  let emu: TestEmulator
  beforeEach(async () => (emu = await startEmulator()))
  afterEach(() => emu.dispose())

  const create = (input: Record<string, unknown>) => emu.core.keys.create(emu.actor, { projectId: emu.seed.projectId, environment: 'dev', name: 'k', ...input })

  it('generates pk_/sk_ keys of 64 lowercase hex from 32 random bytes, each unique', async () => {
    const a = await create({ type: 'publishable' })
    const b = await create({ type: 'secret' })
    expect(a.key).to.match(/^pk_[0-9a-f]{64}$/)
    expect(b.key).to.match(/^sk_[0-9a-f]{64}$/)
    expect(a.key).to.not.equal(b.key.replace('sk_', 'pk_'))
    expect(API_KEY.test(a.key)).to.equal(true)
    expect(a.maskedKey).to.equal(`${a.key.slice(0, 11)}…${a.key.slice(-4)}`)
    expect(b.warning).to.match(/only once/)
  })

  it('looks keys up by SHA-256 and never stores a secret key in plaintext', async () => {
    const secret = await create({ type: 'secret' })
    const found = emu.core.keys.find(secret.key)
    expect(found?.id).to.equal(secret.id)
    expect(found?.keyHash).to.equal(hashKey(secret.key))
    expect(found?.plaintext).to.equal(null)
    expect(emu.core.keys.get(emu.actor, secret.id)).to.not.have.property('key')
    await emu.core.store.control.compact()
    const dbDir = join(emu.dataDir, 'db')
    for (const file of await readdir(dbDir)) {
      expect(await readFile(join(dbDir, file), 'utf8'), file).to.not.include(secret.key.slice(3))
    }
  })

  it('shows publishable keys again, since they are public by design', async () => {
    const pk = await create({ type: 'publishable' })
    expect(emu.core.keys.get(emu.actor, pk.id).key).to.equal(pk.key)
  })

  it('authenticates in the documented order: missing, malformed, unknown, revoked, expired', async () => {
    const keys = emu.core.keys
    expect(codeOf(() => keys.authenticate(undefined))).to.equal('auth/unauthorized')
    expect(codeOf(() => keys.authenticate('pk_123'))).to.equal('auth/invalid-token-format')
    expect(codeOf(() => keys.authenticate(`sk_${'a'.repeat(64)}`))).to.equal('auth/invalid-token')

    const revoked = await create({ type: 'secret' })
    expect(keys.authenticate(revoked.key).environment.id).to.equal(emu.seed.environment.id)
    const after = await keys.revoke(emu.actor, revoked.id)
    expect(after.status).to.equal('revoked')
    expect(codeOf(() => keys.authenticate(revoked.key))).to.equal('auth/token-revoked')
    expect((await keys.revoke(emu.actor, revoked.id)).revokedAt).to.equal(after.revokedAt)

    const expiring = await create({ type: 'publishable', expiresAt: new Date(emu.core.clock.nowMs() + 3600_000).toISOString() })
    expect(keys.authenticate(expiring.key).key.id).to.equal(expiring.id)
    emu.core.clock.advance(3601)
    expect(codeOf(() => keys.authenticate(expiring.key))).to.equal('auth/token-expired')
    expect(keys.get(emu.actor, expiring.id).status).to.equal('expired')
  })

  it('accepts an upper-case hex key as the same key', async () => {
    const pk = await create({ type: 'publishable' })
    expect(emu.core.keys.authenticate(`pk_${pk.key.slice(3).toUpperCase()}`).key.id).to.equal(pk.id)
  })

  it('validates names, types, scopes and expiry with the field named', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ type: 'other' }, /type/],
      [{ type: 'secret', name: '' }, /name/],
      [{ type: 'secret', scopes: ['posts:destroy'] }, /scope/],
      [{ type: 'secret', scopes: 'posts:read' }, /scopes/],
      [{ type: 'secret', expiresAt: 'tomorrow' }, /expiresAt/],
      [{ type: 'secret', expiresAt: '2001-01-01T00:00:00Z' }, /future/],
      [{ type: 'secret', extra: 1 }, /unknown keys extra/],
    ]
    for (const [input, message] of cases) {
      const error = await create(input).then(() => null, (e: DomainError) => e)
      expect(error, JSON.stringify(input)).to.be.instanceOf(DomainError)
      expect(error!.kind).to.equal('invalid')
      expect(error!.message).to.match(message)
    }
    const scoped = await create({ type: 'secret', scopes: ['posts:read', '*:list', 'posts:read'] })
    expect(scoped.scopes).to.deep.equal(['posts:read', '*:list'])
  })

  it('deleting an environment removes its keys, and they stop working', async () => {
    const project = await emu.core.projects.create(emu.actor, { organizationId: emu.actor.organizationId, slug: 'shop', name: 'Shop', primaryCloud: 'aws', primaryRegion: 'eu-west-1' })
    const staging = await emu.core.envs.create(emu.actor, { environment: 'staging', environmentType: 'staging' }, emu.core.projects.doc(project.id)!)
    const key = await emu.core.keys.create(emu.actor, { projectId: project.id, environment: 'staging', type: 'secret', name: 'ci' })
    expect(emu.core.keys.authenticate(key.key).environment.environment).to.equal('staging')
    await emu.core.envs.delete(emu.actor, staging.id)
    expect(codeOf(() => emu.core.keys.authenticate(key.key))).to.equal('auth/invalid-token')
    expect(emu.core.keys.list(emu.actor, { projectId: project.id }).map((k) => k.id)).to.not.include(key.id)
  })
})
