import { expect } from 'chai'
import { signUpCast, startUsersHarness, type SignedUp, type Caller, type UsersHarness } from './users-helpers.js'

const RESOURCES: Record<string, Record<string, unknown>> = {
  profile: { bio: 'hello' },
  preferences: { theme: 'dark' },
  notifications: { marketing: true },
  onboarding: { onboardingStatus: 'in_progress' },
  'public-settings': { isPublic: false },
}
const UNKNOWN = '0123456789abcdef01234567'

describe('http: /v1/users/:userId profile, preferences, notifications, onboarding, public settings', () => {
  let h: UsersHarness
  let alice: SignedUp
  let bob: SignedUp
  let carol: SignedUp
  beforeEach(async () => {
    h = await startUsersHarness()
    ;({ alice, bob, carol } = await signUpCast(h))
  })
  afterEach(() => h.emu.dispose())

  describe('access matrix (target: alice)', () => {
    const callers = (): Array<[string, Caller, number, string?]> => [
      ['alice herself', alice.caller, 200],
      ['bob, another user', bob.caller, 403, 'user/forbidden'],
      ['carol, a user with the admin role', carol.caller, 200],
      ['a secret key alone', { key: h.sk }, 200],
      ['a publishable key without a user', { key: h.pk }, 401, 'user/unauthorized'],
    ]
    for (const [resource, body] of Object.entries(RESOURCES)) {
      for (const method of ['GET', 'PATCH']) {
        it(`${method} /v1/users/:alice/${resource} by self, other user, admin user, secret key, guest`, async () => {
          for (const [who, caller, status, code] of callers()) {
            const reply = await h.call(method, `/v1/users/${alice.id}/${resource}`, caller, method === 'PATCH' ? body : undefined)
            expect(reply.status, `${who}: ${JSON.stringify(reply.body)}`).to.equal(status)
            if (code) expect(reply.body.error.code, who).to.equal(code)
          }
        })
      }
      it(`${resource} of an unknown, malformed or deleted user → 404 for admins, 403 for other users`, async () => {
        await h.call('DELETE', `/v1/users/${bob.id}`, { key: h.sk })
        for (const id of [UNKNOWN, 'nope', bob.id]) {
          const admin = await h.call('GET', `/v1/users/${id}/${resource}`, { key: h.sk })
          expect(admin.status, id).to.equal(404)
          expect(admin.body.error.code).to.equal('user/not-found')
        }
        const other = await h.call('PATCH', `/v1/users/${UNKNOWN}/${resource}`, alice.caller, body)
        expect(other.status).to.equal(403)
        expect(other.body.error.code).to.equal('user/forbidden')
      })
    }
  })

  describe('profile', () => {
    it('answers the profile object and changes it; the user object follows', async () => {
      const read = await h.call('GET', `/v1/users/${alice.id}/profile`, alice.caller)
      expect(read.body).to.deep.equal({ name: 'Alice', nickname: null, email: 'alice@example.com', mobile: null, gender: null, bio: null, socialLinks: null, image: null })
      const patched = await h.call('PATCH', `/v1/users/${alice.id}/profile`, alice.caller, { nickname: 'ali', mobile: '+821012345678', gender: 'female', bio: 'Hi', socialLinks: { github: 'https://github.com/alice' } })
      expect(patched.status).to.equal(200)
      expect(patched.body).to.deep.equal({ name: 'Alice', nickname: 'ali', email: 'alice@example.com', mobile: '+821012345678', gender: 'female', bio: 'Hi', socialLinks: { github: 'https://github.com/alice' }, image: null })
      const cleared = await h.call('PATCH', `/v1/users/${alice.id}/profile`, alice.caller, { nickname: null, socialLinks: { linkedin: 'https://linkedin.com/in/alice', github: null } })
      expect(cleared.body).to.include({ nickname: null })
      expect(cleared.body.socialLinks).to.deep.equal({ github: null, linkedin: 'https://linkedin.com/in/alice' })
      const me = await h.call('GET', '/v1/auth/me', alice.caller)
      expect(me.body).to.include({ mobile: '+821012345678', gender: 'female', bio: 'Hi' })
      expect(Date.parse(me.body.updatedAt)).to.be.greaterThan(Date.parse(me.body.createdAt) - 1)
    })

    it('accepts the profile it answered sent back whole (email and image unchanged)', async () => {
      const read = await h.call('GET', `/v1/users/${alice.id}/profile`, alice.caller)
      const back = await h.call('PATCH', `/v1/users/${alice.id}/profile`, alice.caller, { ...read.body, bio: 'round trip' })
      expect(back.status).to.equal(200)
      expect(back.body.bio).to.equal('round trip')
    })

    it('shows a public profile to other users without email and mobile, and refuses a private one', async () => {
      await h.call('PATCH', `/v1/users/${alice.id}/profile`, alice.caller, { mobile: '+14155550100', bio: 'Public bio' })
      const hidden = await h.call('GET', `/v1/users/${alice.id}/profile`, bob.caller)
      expect(hidden.status).to.equal(403)
      expect(hidden.body.error.code).to.equal('user/forbidden')
      await h.call('PATCH', `/v1/users/${alice.id}/public-settings`, alice.caller, { isPublic: true })
      const shown = await h.call('GET', `/v1/users/${alice.id}/profile`, bob.caller)
      expect(shown.status).to.equal(200)
      expect(shown.body).to.deep.equal({ name: 'Alice', nickname: null, gender: null, bio: 'Public bio', socialLinks: null, image: null })
      // Still self or admin to change it, public or not.
      expect((await h.call('PATCH', `/v1/users/${alice.id}/profile`, bob.caller, { bio: 'x' })).status).to.equal(403)
      // Guests still need to authenticate.
      expect((await h.call('GET', `/v1/users/${alice.id}/profile`, { key: h.pk })).status).to.equal(401)
      // Admins keep the full view.
      expect((await h.call('GET', `/v1/users/${alice.id}/profile`, carol.caller)).body).to.include({ email: 'alice@example.com', mobile: '+14155550100' })
    })

    const failures: Array<[string, Record<string, unknown>, string]> = [
      ['an empty name', { name: '  ' }, 'user/invalid-name'],
      ['a null name', { name: null }, 'user/invalid-name'],
      ['a name over 100 characters', { name: 'n'.repeat(101) }, 'user/invalid-name'],
      ['a nickname over 50 characters', { nickname: 'n'.repeat(51) }, 'user/invalid-nickname'],
      ['an empty nickname', { nickname: '' }, 'user/invalid-nickname'],
      ['a mobile number that is not E.164', { mobile: '010-1234-5678' }, 'common/invalid-parameters'],
      ['an unknown gender', { gender: 'other' }, 'common/invalid-parameters'],
      ['a bio over 500 characters', { bio: 'b'.repeat(501) }, 'common/invalid-parameters'],
      ['social links that are not an object', { socialLinks: ['x'] }, 'common/invalid-parameters'],
      ['an unknown social network', { socialLinks: { facebook: 'x' } }, 'common/invalid-parameters'],
      ['a social link over 2048 characters', { socialLinks: { github: 'h'.repeat(2049) } }, 'common/invalid-parameters'],
      ['a changed email', { email: 'new@example.com' }, 'common/invalid-parameters'],
      ['a changed image', { image: 'http://example.com/a.png' }, 'common/invalid-parameters'],
      ['an unknown field', { role: 'admin' }, 'common/invalid-parameters'],
    ]
    for (const [what, body, code] of failures) {
      it(`alice patching her profile with ${what} → 400 ${code}`, async () => {
        const reply = await h.call('PATCH', `/v1/users/${alice.id}/profile`, alice.caller, body)
        expect(reply.status).to.equal(400)
        expect(reply.body.error.code).to.equal(code)
      })
    }
  })

  describe('preferences', () => {
    it('defaults to nulls, stores a language tag, an IANA zone and a theme, and clears with null', async () => {
      expect((await h.call('GET', `/v1/users/${alice.id}/preferences`, alice.caller)).body).to.deep.equal({ locale: null, timezone: null, theme: null })
      const set = await h.call('PATCH', `/v1/users/${alice.id}/preferences`, alice.caller, { locale: 'en-US', timezone: 'Asia/Seoul', theme: 'system' })
      expect(set.body).to.deep.equal({ locale: 'en-US', timezone: 'Asia/Seoul', theme: 'system' })
      const partial = await h.call('PATCH', `/v1/users/${alice.id}/preferences`, alice.caller, { locale: 'ko', theme: null })
      expect(partial.body).to.deep.equal({ locale: 'ko', timezone: 'Asia/Seoul', theme: null })
      expect((await h.call('GET', `/v1/users/${alice.id}/preferences`, { key: h.sk })).body).to.deep.equal(partial.body)
      for (const timezone of ['UTC', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'Europe/Berlin']) {
        expect((await h.call('PATCH', `/v1/users/${alice.id}/preferences`, alice.caller, { timezone })).status, timezone).to.equal(200)
      }
    })

    const failures: Array<[string, Record<string, unknown>]> = [
      ['a locale that is not a language tag', { locale: 'english please' }],
      ['a locale with an underscore', { locale: 'en_US' }],
      ['a numeric locale', { locale: 42 }],
      ['an unknown time zone', { timezone: 'Mars/Olympus_Mons' }],
      ['a UTC offset instead of a zone', { timezone: '+09:00' }],
      ['an unknown theme', { theme: 'sepia' }],
      ['an unknown field', { fontSize: 12 }],
    ]
    for (const [what, body] of failures) {
      it(`alice setting ${what} → 400 common/invalid-parameters`, async () => {
        const reply = await h.call('PATCH', `/v1/users/${alice.id}/preferences`, alice.caller, body)
        expect(reply.status).to.equal(400)
        expect(reply.body.error.code).to.equal('common/invalid-parameters')
      })
    }
  })

  describe('notifications', () => {
    it('answers the documented defaults and changes booleans one by one', async () => {
      const defaults = { service: true, marketing: false, push: true, email: true, sms: false, nightTime: false, securityAlerts: true }
      expect((await h.call('GET', `/v1/users/${alice.id}/notifications`, alice.caller)).body).to.deep.equal(defaults)
      const set = await h.call('PATCH', `/v1/users/${alice.id}/notifications`, alice.caller, { marketing: true, push: false })
      expect(set.body).to.deep.equal({ ...defaults, marketing: true, push: false })
      expect((await h.call('GET', `/v1/users/${alice.id}/notifications`, alice.caller)).body).to.deep.equal(set.body)
    })

    for (const [what, body] of [
      ['a string for a boolean', { marketing: 'yes' }],
      ['null for a boolean', { push: null }],
      ['an unknown channel', { pigeon: true }],
    ] as Array<[string, Record<string, unknown>]>) {
      it(`alice setting ${what} → 400 common/invalid-parameters`, async () => {
        const reply = await h.call('PATCH', `/v1/users/${alice.id}/notifications`, alice.caller, body)
        expect(reply.status).to.equal(400)
        expect(reply.body.error.code).to.equal('common/invalid-parameters')
      })
    }
  })

  describe('onboarding', () => {
    it('moves through the statuses; completedAt is set on completion and mirrored in the user object', async () => {
      expect((await h.call('GET', `/v1/users/${alice.id}/onboarding`, alice.caller)).body).to.deep.equal({ onboardingStatus: 'not_started', step: null, data: null, completedAt: null })
      const progress = await h.call('PATCH', `/v1/users/${alice.id}/onboarding`, alice.caller, { onboardingStatus: 'in_progress', step: 'profile', data: { answers: [1, 2] } })
      expect(progress.body).to.deep.equal({ onboardingStatus: 'in_progress', step: 'profile', data: { answers: [1, 2] }, completedAt: null })
      h.emu.core.clock.advance(60)
      const before = h.emu.core.clock.nowMs()
      // A client-sent completedAt is ignored: the server stamps it.
      const done = await h.call('PATCH', `/v1/users/${alice.id}/onboarding`, alice.caller, { onboardingStatus: 'completed', completedAt: '2000-01-01T00:00:00.000Z' })
      expect(done.body).to.include({ onboardingStatus: 'completed', step: 'profile' })
      expect(Date.parse(done.body.completedAt)).to.be.within(before, h.emu.core.clock.nowMs())
      // Completing again keeps the first instant.
      h.emu.core.clock.advance(60)
      const again = await h.call('PATCH', `/v1/users/${alice.id}/onboarding`, alice.caller, { onboardingStatus: 'completed' })
      expect(again.body.completedAt).to.equal(done.body.completedAt)
      expect((await h.call('GET', '/v1/auth/me', alice.caller)).body.onboardingStatus).to.equal('completed')
      const restarted = await h.call('PATCH', `/v1/users/${alice.id}/onboarding`, alice.caller, { onboardingStatus: 'skipped', data: null, step: null })
      expect(restarted.body).to.deep.equal({ onboardingStatus: 'skipped', step: null, data: null, completedAt: null })
    })

    for (const [what, body] of [
      ['an unknown status', { onboardingStatus: 'finished' }],
      ['a step that is not a string', { step: 3 }],
      ['data that is an array', { data: [1] }],
      ['data that is a string', { data: 'x' }],
      ['an unknown field', { progress: 50 }],
    ] as Array<[string, Record<string, unknown>]>) {
      it(`alice setting ${what} → 400 common/invalid-parameters`, async () => {
        const reply = await h.call('PATCH', `/v1/users/${alice.id}/onboarding`, alice.caller, body)
        expect(reply.status).to.equal(400)
        expect(reply.body.error.code).to.equal('common/invalid-parameters')
      })
    }
  })

  describe('public settings', () => {
    it('stores a slug unique in the environment; a taken slug → 409 user/slug-taken; a freed one can be reused', async () => {
      expect((await h.call('GET', `/v1/users/${alice.id}/public-settings`, alice.caller)).body).to.deep.equal({ slug: null, isPublic: false })
      const set = await h.call('PATCH', `/v1/users/${alice.id}/public-settings`, alice.caller, { slug: 'alice_01', isPublic: true })
      expect(set.body).to.deep.equal({ slug: 'alice_01', isPublic: true })
      // Setting your own slug again is no conflict.
      expect((await h.call('PATCH', `/v1/users/${alice.id}/public-settings`, alice.caller, { slug: 'alice_01' })).status).to.equal(200)
      const taken = await h.call('PATCH', `/v1/users/${bob.id}/public-settings`, bob.caller, { slug: 'alice_01' })
      expect(taken.status).to.equal(409)
      expect(taken.body.error.code).to.equal('user/slug-taken')
      expect((await h.call('PATCH', `/v1/users/${alice.id}/public-settings`, alice.caller, { slug: null })).body).to.deep.equal({ slug: null, isPublic: true })
      expect((await h.call('PATCH', `/v1/users/${bob.id}/public-settings`, bob.caller, { slug: 'alice_01' })).status).to.equal(200)
      // A deleted user's slug is free again.
      await h.call('DELETE', `/v1/users/${bob.id}`, { key: h.sk })
      expect((await h.call('PATCH', `/v1/users/${alice.id}/public-settings`, alice.caller, { slug: 'alice_01' })).status).to.equal(200)
    })

    it('slugs are unique per environment, not across environments', async () => {
      const staging = await h.emu.core.envs.create(h.emu.actor, { environment: 'staging', environmentType: 'staging' }, h.emu.core.projects.doc(h.emu.seed.projectId)!)
      const stagingKey = (await h.emu.core.keys.create(h.emu.actor, { projectId: h.emu.seed.projectId, environment: staging.environment, type: 'publishable', name: 's' })).key
      await h.call('PATCH', `/v1/users/${alice.id}/public-settings`, alice.caller, { slug: 'shared' })
      const other = await h.call('POST', '/v1/auth/email/signup', { key: stagingKey }, { email: 'dave@example.com', password: 'secret123' })
      const reply = await h.call('PATCH', `/v1/users/${other.body.user.id}/public-settings`, { key: stagingKey, token: other.body.accessToken }, { slug: 'shared' })
      expect(reply.status).to.equal(200)
    })

    for (const [what, body] of [
      ['a one-character slug', { slug: 'a' }],
      ['a slug with capitals', { slug: 'Alice' }],
      ['a slug starting with a dash', { slug: '-alice' }],
      ['a slug over 50 characters', { slug: 'a'.repeat(51) }],
      ['isPublic as a string', { isPublic: 'true' }],
      ['an unknown field', { visibility: 'public' }],
    ] as Array<[string, Record<string, unknown>]>) {
      it(`alice setting ${what} → 400 common/invalid-parameters`, async () => {
        const reply = await h.call('PATCH', `/v1/users/${alice.id}/public-settings`, alice.caller, body)
        expect(reply.status).to.equal(400)
        expect(reply.body.error.code).to.equal('common/invalid-parameters')
      })
    }
  })

  it('a body that is not a JSON object → 400 common/invalid-parameters', async () => {
    for (const resource of Object.keys(RESOURCES)) {
      const reply = await h.call('PATCH', `/v1/users/${alice.id}/${resource}`, alice.caller, ['x'])
      expect(reply.status, resource).to.equal(400)
      expect(reply.body.error.code).to.equal('common/invalid-parameters')
    }
  })

  it('settings survive a restart of the emulator', async () => {
    await h.call('PATCH', `/v1/users/${alice.id}/preferences`, alice.caller, { timezone: 'Europe/Paris' })
    await h.call('PATCH', `/v1/users/${alice.id}/public-settings`, alice.caller, { slug: 'alice', isPublic: true })
    const dataDir = h.emu.dataDir
    await h.emu.stop()
    const { startEmulator } = await import('../helpers/emulator.js')
    const again = await startEmulator({ dataDir })
    try {
      const sk = again.seed.environment.secretKey
      const read = async (path: string) => (await fetch(again.url + path, { headers: { 'X-API-Key': sk } })).json()
      expect(await read(`/v1/users/${alice.id}/preferences`)).to.include({ timezone: 'Europe/Paris' })
      expect(await read(`/v1/users/${alice.id}/public-settings`)).to.deep.equal({ slug: 'alice', isPublic: true })
    } finally {
      await again.stop()
    }
  })
})
