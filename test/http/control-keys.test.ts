import { expect } from 'chai'
import { DomainError } from '../../src/emulator/core/errors.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'

/** `POST /_emulator/keys/lookup`: which project and environment a key belongs to, for the tenant who owns it. */
describe('http: emulator key lookup control', () => {
  let emu: TestEmulator
  let bearer: Record<string, string>
  before(async () => {
    emu = await startEmulator()
    bearer = { Authorization: `Bearer ${emu.seed.tenantToken}`, 'Content-Type': 'application/json' }
  })
  after(() => emu.dispose())

  const lookup = (body: unknown, headers: Record<string, string> = bearer) => fetch(`${emu.url}/_emulator/keys/lookup`, { method: 'POST', headers, body: JSON.stringify(body) })
  const codeOf = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code

  it('the tenant asking about the seeded secret key → its project, environment, type and status', async () => {
    const response = await lookup({ key: emu.seed.environment.secretKey })
    expect(response.status).to.equal(200)
    expect(await response.json()).to.deep.equal({ projectId: emu.seed.projectId, projectSlug: 'local', environmentId: emu.seed.environment.id, environment: 'dev', type: 'secret', status: 'active' })
  })

  it('a key of another environment names that environment; once it is deleted the key is not found', async () => {
    const project = emu.core.projects.doc(emu.seed.projectId)!
    const staging = await emu.core.envs.create(emu.actor, { environment: 'staging', environmentType: 'staging' }, project)
    const key = await emu.core.keys.create(emu.actor, { projectId: emu.seed.projectId, environment: 'staging', type: 'secret', name: 'ci' })
    expect(await (await lookup({ key: key.key })).json()).to.include({ environment: 'staging', environmentId: staging.id })
    await emu.core.envs.delete(emu.actor, staging.id)
    const gone = await lookup({ key: key.key })
    expect(gone.status).to.equal(404)
    expect(await codeOf(gone)).to.equal('common/not-found')
  })

  const refusals = [
    { name: 'without the tenant token → 401 auth/unauthorized', body: { key: 'sk_x' }, headers: { 'Content-Type': 'application/json' }, status: 401, code: 'auth/unauthorized' },
    { name: 'an API key as the bearer → 401 auth/invalid-token', body: { key: 'sk_x' }, bearerKey: true, status: 401, code: 'auth/invalid-token' },
    { name: 'an unknown key → 404 common/not-found', body: { key: `sk_${'0'.repeat(64)}` }, status: 404, code: 'common/not-found' },
    { name: 'a malformed key → 404 common/not-found (nothing to tell)', body: { key: 'hello' }, status: 404, code: 'common/not-found' },
    { name: 'no key in the body → 400 common/invalid-parameters', body: {}, status: 400, code: 'common/invalid-parameters' },
  ]
  for (const s of refusals) {
    it(s.name, async () => {
      const headers = s.bearerKey ? { Authorization: `Bearer ${emu.seed.environment.secretKey}`, 'Content-Type': 'application/json' } : (s.headers ?? bearer)
      const response = await lookup(s.body, headers)
      expect(response.status).to.equal(s.status)
      expect(await codeOf(response)).to.equal(s.code)
    })
  }

  it('a tenant token of another organization learns nothing about this one', () => {
    expect(() => emu.core.keys.lookup({ tenantId: emu.actor.tenantId, organizationId: 'f'.repeat(24) }, emu.seed.environment.secretKey)).to.throw(DomainError).with.property('code', 'common/not-found')
  })

  it('sends no CORS headers, like every control', async () => {
    const response = await fetch(`${emu.url}/_emulator/keys/lookup`, { method: 'POST', headers: { ...bearer, Origin: 'https://evil.example' }, body: JSON.stringify({ key: emu.seed.environment.secretKey }) })
    expect(response.headers.get('access-control-allow-origin')).to.equal(null)
  })
})
