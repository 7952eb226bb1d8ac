import { expect } from 'chai'
import type { AuthConfigGetResult } from '../../src/commands/auth/config/get.js'
import type { AuthProvidersListResult } from '../../src/commands/auth/providers/list.js'
import { startDevHarness, type DevHarness } from '../helpers/dev-harness.js'
import { connectWithToken } from '../helpers/mcp-client.js'

describe('cli: bkend auth config / providers against bkend dev', function () {
  this.timeout(90_000)
  let h: DevHarness

  before(async () => (h = await startDevHarness()))
  after(() => h?.dispose())

  const ok = async (...args: string[]) => {
    const out = await h.run([...args, '--json'])
    expect(out.code, out.stderr).to.equal(0)
    return out.json
  }
  const signup = (email: string, password: string) =>
    fetch(`${h.dev.ready.url}/v1/auth/email/signup`, { method: 'POST', headers: { 'x-api-key': h.dev.ready.environments[0]!.publishableKey, 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) })

  it('gets the documented defaults', async () => {
    const config = (await ok('auth', 'config', 'get')) as AuthConfigGetResult
    expect(config.projectId).to.equal(h.dev.ready.projectId)
    expect(config.email).to.deep.include({ magicLinkEnabled: true, magicLinkExpirationMinutes: 15, emailVerificationRequired: false })
    expect(config.email.passwordPolicy).to.deep.equal({ minLength: 8, maxLength: 128, requireUppercase: false, requireLowercase: false, requireNumbers: false, requireSpecialChars: false, rejectCommonPasswords: false, expirationDays: null })
    expect(config.oauth.google).to.include({ enabled: true, clientId: 'emulator-google-client-id', hasClientSecret: false })
  })

  it('sets key=value pairs and flags together, and the policy applies to sign-up at once', async () => {
    const config = (await ok('auth', 'config', 'set', 'minLength=10', 'requireNumbers=true', '--no-magic-link', '--expiration-days', '90')) as AuthConfigGetResult
    expect(config.email.passwordPolicy).to.include({ minLength: 10, requireNumbers: true, expirationDays: 90 })
    expect(config.email.magicLinkEnabled).to.equal(false)

    const weak = await signup('weak@example.com', 'short1')
    expect(weak.status).to.equal(400)
    expect(((await weak.json()) as { error: { code: string } }).error.code).to.equal('auth/invalid-password-format')
    expect((await signup('strong@example.com', 'long-enough-1')).status).to.equal(201)

    await ok('auth', 'config', 'set', 'minLength=8', 'requireNumbers=false', 'magicLinkEnabled=true', 'expirationDays=none')
  })

  it('prints the settings as key/value lines under the keys set takes', async () => {
    const out = await h.run(['auth', 'config', 'get'])
    expect(out.code).to.equal(0)
    const lines = out.stdout.trimEnd().split('\n')
    expect(lines[0]).to.match(/^minLength\s+8$/)
    expect(out.stdout).to.match(/\nrejectCommonPasswords\s+false\n/)
    expect(out.stdout).to.match(/\nexpirationDays\s+none\n/)
    expect(out.stdout).to.match(/\nmagicLinkExpirationMinutes\s+15\n/)
    expect(lines.slice(-2)).to.deep.equal(['google                      enabled', 'github                      enabled'])
  })

  const usage: Array<[string[], string]> = [
    [['auth', 'config', 'set'], 'nothing to change'],
    [['auth', 'config', 'set', 'colour=red'], 'unknown auth setting "colour"'],
    [['auth', 'config', 'set', 'minLength=eight'], 'minLength must be a whole number'],
    [['auth', 'config', 'set', 'magicLinkEnabled=true', '--no-magic-link'], 'magicLinkEnabled given both'],
    [['auth', 'providers', 'set', 'github'], 'nothing to change'],
    [['auth', 'providers', 'enable', 'twitter'], 'Expected twitter to be one of: google, github'],
  ]
  for (const [args, message] of usage) {
    it(`bkend ${args.join(' ')} → usage error, exit 2`, async () => {
      const out = await h.run(args)
      expect(out.code).to.equal(2)
      expect(out.stdout).to.equal('')
      expect(out.stderr).to.include(message)
    })
  }

  it('reports a value the server refuses with its code and message', async () => {
    const out = await h.run(['auth', 'config', 'set', 'magicLinkExpirationMinutes=5000', '--json'])
    expect(out.code).to.equal(1)
    expect(out.stdout).to.equal('')
    expect(out.errorJson.error.code).to.equal('VALIDATION_ERROR')
    expect(out.errorJson.error.message).to.include('magicLinkExpirationMinutes')
  })

  it('lists, configures, disables and enables providers; the secret is stored but never printed', async () => {
    const list = (await ok('auth', 'providers', 'list')) as AuthProvidersListResult
    expect(list.providers.map((p) => [p.provider, p.settings?.enabled])).to.deep.equal([['google', true], ['github', true]])

    const secret = 'gh-secret-value-42'
    const set = await h.run(['auth', 'providers', 'set', 'github', '--client-id', 'gh-client', '--client-secret', '-', '--scope', 'user:email', '--scope', 'read:user', '--json'], { input: `${secret}\n` })
    expect(set.code, set.stderr).to.equal(0)
    expect(set.json).to.include({ provider: 'github', clientId: 'gh-client', hasClientSecret: true, enabled: true })
    expect(set.json.scopes).to.deep.equal(['user:email', 'read:user'])
    expect(set.json.redirectUri).to.equal(`${h.dev.ready.url}/v1/auth/github/callback`)
    expect(set.stdout).to.not.include(secret)

    const disabled = await ok('auth', 'providers', 'disable', 'github')
    expect(disabled).to.include({ enabled: false, clientId: 'gh-client', hasClientSecret: true })

    const table = await h.run(['auth', 'providers', 'list'])
    expect(table.stdout).to.match(/^Provider\s+Status\s+Client id\s+Secret\s+Scopes\s+Redirect URI\n/)
    expect(table.stdout).to.match(/\ngithub\s+disabled\s+gh-client\s+set\s+user:email read:user\s+http:\/\/127\.0\.0\.1:\d+\/v1\/auth\/github\/callback\n/)
    expect(table.stdout).to.match(/\ngoogle\s+enabled\s+emulator-google-client-id\s+not set\s+openid email profile\s+/)
    expect(table.stdout).to.not.include(secret)

    expect(await ok('auth', 'providers', 'enable', 'github')).to.include({ enabled: true, clientId: 'gh-client', hasClientSecret: true })
    // an absent boolean flag is undefined, not false: `set --disabled` must still turn it off
    expect(await ok('auth', 'providers', 'set', 'github', '--disabled')).to.include({ enabled: false, clientId: 'gh-client' })
    expect(await ok('auth', 'providers', 'set', 'github', '--enabled')).to.include({ enabled: true, clientId: 'gh-client' })
  })

  it('configures a provider that was deleted, with the documented defaults for what is not given', async () => {
    const { client } = await connectWithToken(h.dev.ready.mcpUrl, h.dev.ready.tenantToken)
    await client.callTool({ name: 'backend_auth_provider_delete', arguments: { projectId: h.dev.ready.projectId, provider: 'google' } })
    await client.close()
    expect(((await ok('auth', 'providers', 'list')) as AuthProvidersListResult).providers[0]).to.deep.equal({ provider: 'google', settings: null })
    expect((await h.run(['auth', 'providers', 'list'])).stdout).to.match(/\ngoogle\s+not configured\s*\n/)

    const enable = await h.run(['auth', 'providers', 'enable', 'google'])
    expect(enable.code).to.equal(1)
    expect(enable.stderr).to.equal("Error: google sign-in is not configured for this project\nHint: configure it with 'bkend auth providers set google --client-id <id> [--client-secret -]'\n")

    const set = await ok('auth', 'providers', 'set', 'google', '--client-id', 'web.apps.example')
    expect(set).to.include({ provider: 'google', clientId: 'web.apps.example', enabled: true, hasClientSecret: false, redirectUri: `${h.dev.ready.url}/v1/auth/google/callback` })
    expect(set.scopes).to.deep.equal(['openid', 'email', 'profile'])
  })

  it('stops with a clear message when no emulator runs', async () => {
    const out = await h.run(['auth', 'config', 'get', '--data-dir', `${h.dir}/nowhere`], { dataDir: false })
    expect(out.code).to.equal(1)
    expect(out.stderr).to.include('Error: no running bkend dev found in')
    expect(out.stderr).to.include("Hint: start one with 'bkend dev'")
  })
})
