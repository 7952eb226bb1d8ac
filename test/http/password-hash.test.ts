import { expect } from 'chai'
import { randomBytes, scryptSync } from 'node:crypto'
import { verifyPassword } from '../../src/emulator/core/auth/passwords.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { tempDir } from '../helpers/tmp.js'

/** A hash as the emulator stored them before the local cost: scrypt N=2^14, r=8, p=1. */
/** A hash as earlier versions wrote it: N=2^14 before the local cost, N=2^8 as the local cost before N=2^6. */
function oldHash(password: string, N = 16384): string {
  const salt = randomBytes(16)
  const key = scryptSync(password, salt, 32, { N, r: 8, p: 1, maxmem: 64 * 1024 * 1024 })
  return ['scrypt', N, 8, 1, salt.toString('base64'), key.toString('base64')].join('$')
}

describe('password hashing cost', () => {
  const created: TestEmulator[] = []
  afterEach(async () => {
    for (const emu of created.splice(0)) await emu.stop()
  })

  async function signUp(emu: TestEmulator, email: string, password: string) {
    const response = await fetch(`${emu.url}/v1/auth/email/signup`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': emu.seed.environment.publishableKey }, body: JSON.stringify({ email, password }) })
    const body = (await response.json()) as { user: { id: string } }
    expect(response.status).to.equal(201)
    return emu.core.auth.pool.get(emu.seed.environment.id, body.user.id)!
  }
  async function signIn(emu: TestEmulator, email: string, password: string): Promise<{ status: number; code?: string }> {
    const response = await fetch(`${emu.url}/v1/auth/email/signin`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': emu.seed.environment.publishableKey }, body: JSON.stringify({ email, password }) })
    const body = (await response.json()) as { error?: { code: string } }
    return { status: response.status, code: body.error?.code }
  }

  it('verifies hashes made at the former cost (N=2^14), and refuses a wrong password against them', async () => {
    const stored = oldHash('old-secret-1')
    expect(await verifyPassword('old-secret-1', stored)).to.equal(true)
    expect(await verifyPassword('old-secret-2', stored)).to.equal(false)
  })

  it('refuses stored parameters it would not run (not a power of two, or beyond the largest cost) without throwing', async () => {
    const [, , r, p, salt, hash] = oldHash('secret123').split('$')
    expect(await verifyPassword('secret123', ['scrypt', 1000, r, p, salt, hash].join('$'))).to.equal(false)
    expect(await verifyPassword('secret123', ['scrypt', 2 ** 24, r, p, salt, hash].join('$'))).to.equal(false)
    expect(await verifyPassword('secret123', 'bcrypt$whatever')).to.equal(false)
  })

  it('stores the local cost by default and the production cost when asked; each signs in after a restart at the other', async () => {
    const { dir, cleanup } = await tempDir()
    try {
      const production = await startEmulator({ dataDir: dir, passwordHash: 'production' })
      created.push(production)
      const strong = await signUp(production, 'strong@example.com', 'strong-secret')
      expect(strong.passwordHash).to.match(/^scrypt\$131072\$8\$1\$/)
      expect(strong.passwordHash).to.not.include('strong-secret')
      await created.pop()!.stop()

      const local = await startEmulator({ dataDir: dir })
      created.push(local)
      const fast = await signUp(local, 'fast@example.com', 'fast-secret')
      expect(fast.passwordHash).to.match(/^scrypt\$64\$8\$1\$/)
      expect(await signIn(local, 'strong@example.com', 'strong-secret')).to.deep.equal({ status: 200, code: undefined })
      expect(await signIn(local, 'strong@example.com', 'fast-secret')).to.deep.equal({ status: 401, code: 'auth/invalid-credentials' })
      expect(await signIn(local, 'fast@example.com', 'fast-secret')).to.deep.equal({ status: 200, code: undefined })
      expect(await signIn(local, 'fast@example.com', 'fast-secret!')).to.deep.equal({ status: 401, code: 'auth/invalid-credentials' })
    } finally {
      for (const emu of created.splice(0)) await emu.stop()
      await cleanup()
    }
  })

  it('keeps users whose hashes are at former costs signing in, and only with the right password', async () => {
    const emu = await startEmulator()
    created.push(emu)
    for (const N of [16384, 256]) {
      const email = `legacy-${N}@example.com`
      const user = await signUp(emu, email, 'placeholder-1')
      // the stored document as an older emulator wrote it: replaced, never mutated, as the pool's documents are
      const legacy = { ...user, passwordHash: oldHash('legacy-secret', N) }
      await emu.core.auth.pool.save(emu.seed.environment.id, user, legacy)
      expect(await signIn(emu, email, 'legacy-secret')).to.deep.equal({ status: 200, code: undefined })
      expect(await signIn(emu, email, 'placeholder-1')).to.deep.equal({ status: 401, code: 'auth/invalid-credentials' })
    }
  })
})
