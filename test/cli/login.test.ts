import { expect } from 'chai'
import { spawn } from 'node:child_process'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { BIN } from '../helpers/cli.js'
import { postForm } from '../helpers/oauth.js'
import { startManagementHarness, type ManagementHarness } from './management-harness.js'

/**
 * `bkend login --no-browser` against the emulator's real OAuth server: the test plays the person at the browser,
 * reading the printed URL, loading the consent page and posting the form, then following the redirect to the CLI's
 * loopback listener.
 */
describe('cli: login / whoami / logout (OAuth 2.1 + PKCE against bkend dev)', function () {
  this.timeout(60_000)
  let h: ManagementHarness
  const credentialsFile = () => join(h.configHome, 'bkend', 'credentials.json')
  before(async () => {
    h = await startManagementHarness()
  })
  after(async () => {
    await h.dispose()
  })

  /** Runs login, answers the consent page with `action`, and resolves with the CLI's exit code and output. */
  function loginThroughConsent(action: 'approve' | 'deny') {
    const child = spawn(process.execPath, [BIN, 'login', '--target', h.emu.url, '--no-browser', '--json'], { cwd: h.dir, env: { ...process.env, BKEND_TARGET: undefined, XDG_CONFIG_HOME: h.configHome } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    const consented = new Promise<void>((resolve, reject) => {
      child.stderr.on('data', async (chunk) => {
        stderr += chunk
        const match = /^(http:\/\/\S+\/mcp\/oauth\/authorize\?\S+)$/m.exec(stderr)
        if (!match || stderr.includes('#answered')) return
        stderr += '#answered'
        try {
          const url = new URL(match[1]!)
          const page = await fetch(url)
          expect(page.status).to.equal(200)
          expect(await page.text()).to.include('bkend CLI')
          const form = { ...Object.fromEntries(url.searchParams), organization_id: h.emu.seed.organizationId, action }
          const answer = await postForm(`${h.emu.url}/mcp/oauth/authorize`, form)
          expect(answer.status).to.equal(302)
          const callback = answer.headers.get('location') as string
          expect(callback).to.match(/^http:\/\/127\.0\.0\.1:\d+\/callback\?/)
          await fetch(callback)
          resolve()
        } catch (error) {
          reject(error as Error)
        }
      })
    })
    return Promise.all([consented, exited]).then(([, code]) => ({ code, stdout, stderr: stderr.replace('#answered', '') }))
  }

  it('login completes the flow and stores tokens in a 0600 credentials file', async () => {
    const { code, stdout, stderr } = await loginThroughConsent('approve')
    expect(code, stderr).to.equal(0)
    const result = JSON.parse(stdout)
    expect(result).to.include({ target: h.emu.url, mcpUrl: `${h.emu.url}/mcp`, profile: 'default', loggedIn: true })
    expect(result.identity).to.include({ authMethod: 'oauth-login', tenantId: h.emu.seed.tenantId })
    expect(result.identity.organization).to.include({ id: h.emu.seed.organizationId, role: 'owner' })
    expect((await stat(credentialsFile())).mode & 0o777).to.equal(0o600)
    const stored = JSON.parse(await readFile(credentialsFile(), 'utf8')).logins.default[`${h.emu.url}/mcp`]
    expect(stored.clientInformation.client_id).to.match(/^dyn-/)
    expect(stored.tokens.refresh_token).to.match(/^[0-9a-f]{64}$/)
  })

  it('management commands use the login; an access token the server rejects is refreshed by the SDK', async () => {
    const projects = await h.run(['projects', 'list', '--target', h.emu.url, '--json'], { dataDir: false })
    expect(projects.code, projects.stderr).to.equal(0)
    expect(projects.json.projects[0].id).to.equal(h.emu.seed.projectId)

    const before = JSON.parse(await readFile(credentialsFile(), 'utf8'))
    const login = before.logins.default[`${h.emu.url}/mcp`]
    login.tokens.access_token = 'expired-or-revoked'
    await writeFile(credentialsFile(), JSON.stringify(before))
    const whoami = await h.run(['whoami', '--target', h.emu.url, '--json'], { dataDir: false })
    expect(whoami.code, whoami.stderr).to.equal(0)
    expect(whoami.json).to.include({ authMethod: 'oauth-login', tenantId: h.emu.seed.tenantId })
    const after = JSON.parse(await readFile(credentialsFile(), 'utf8')).logins.default[`${h.emu.url}/mcp`]
    expect(after.tokens.access_token).to.not.equal('expired-or-revoked')
    expect(after.tokens.refresh_token).to.not.equal(login.tokens.refresh_token)
  })

  it('a login the server ended (revoked refresh token) asks for a new login', async () => {
    const stored = JSON.parse(await readFile(credentialsFile(), 'utf8')).logins.default[`${h.emu.url}/mcp`]
    await postForm(`${h.emu.url}/mcp/oauth/revoke`, { token: stored.tokens.refresh_token, client_id: stored.clientInformation.client_id })
    const whoami = await h.run(['whoami', '--target', h.emu.url, '--json'], { dataDir: false })
    expect(whoami.code).to.equal(1)
    expect(whoami.errorJson.error).to.include({ code: 'auth/login-required' })
    expect(whoami.errorJson.error.hint).to.include(`bkend login --target ${h.emu.url}`)
    // log in again for the tests that follow
    expect((await loginThroughConsent('approve')).code).to.equal(0)
  })

  it('logins are per profile', async () => {
    await writeFile(join(h.configHome, 'bkend', 'config.json'), JSON.stringify({ profiles: { other: {} } }))
    const other = await h.run(['whoami', '--target', h.emu.url, '--profile', 'other', '--json'], { dataDir: false })
    expect(other.errorJson.error).to.include({ code: 'auth/login-required' })
    const mine = await h.run(['whoami', '--target', h.emu.url, '--json'], { dataDir: false })
    expect(mine.json).to.include({ profile: 'default', authMethod: 'oauth-login' })
  })

  it('BKEND_ACCESS_TOKEN is used instead of a login (CI)', async () => {
    const whoami = await h.run(['whoami', '--target', h.emu.url, '--json'], { dataDir: false, env: { BKEND_ACCESS_TOKEN: h.emu.ready.tenantToken } })
    expect(whoami.json).to.include({ authMethod: 'access-token-env' })
  })

  it('logout revokes and forgets; afterwards commands say how to log in', async () => {
    const logout = await h.run(['logout', '--target', h.emu.url, '--json'], { dataDir: false })
    expect(logout.json).to.include({ wasLoggedIn: true, revoked: true })
    const whoami = await h.run(['whoami', '--target', h.emu.url], { dataDir: false })
    expect(whoami.code).to.equal(1)
    expect(whoami.stderr).to.equal(`Error: not logged in to ${h.emu.url}/mcp\nHint: run 'bkend login --target ${h.emu.url}' (or set BKEND_ACCESS_TOKEN in CI)\n`)
    const json = await h.run(['whoami', '--target', h.emu.url, '--json'], { dataDir: false })
    expect(json.errorJson.error.code).to.equal('auth/login-required')
  })

  it('a denied consent fails the login with a hint', async () => {
    const { code, stdout, stderr } = await loginThroughConsent('deny')
    expect(code).to.equal(1)
    expect(stdout).to.equal('')
    expect(JSON.parse(stderr.slice(stderr.indexOf('{"error"'))).error).to.include({ code: 'auth/access_denied', hint: 'approve the request on the consent page to log in' })
  })

  it('the local target needs no login: without one, commands use the runtime.json tenant token', async () => {
    const whoami = await h.run(['whoami', '--json'])
    expect(whoami.json).to.include({ authMethod: 'emulator-tenant-token', tenantId: h.emu.seed.tenantId })
    const logout = await h.run(['logout', '--json'])
    expect(logout.code, logout.stderr).to.equal(0)
    expect(logout.json).to.include({ target: 'local', wasLoggedIn: false })
  })
})
