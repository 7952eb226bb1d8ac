import { expect } from 'chai'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startManagementHarness, type ManagementHarness } from './management-harness.js'

describe('cli: link and status', function () {
  this.timeout(60_000)
  let h: ManagementHarness
  before(async () => {
    h = await startManagementHarness()
  })
  after(async () => {
    await h.dispose()
  })

  it('status without a link: local target, seeded project, dev, the tenant token', async () => {
    const status = await h.run(['status', '--json'])
    expect(status.code, status.stderr).to.equal(0)
    expect(status.json).to.include({ target: 'local', kind: 'local', restUrl: h.emu.url, mcpUrl: `${h.emu.url}/mcp`, linkPath: null, problem: null, publishableKey: h.emu.seed.environment.publishableKey })
    expect(status.json.project).to.deep.equal({ id: h.emu.seed.projectId, slug: 'local', name: 'Local' })
    expect(status.json.organization.id).to.equal(h.emu.seed.organizationId)
    expect(status.json.identity.authMethod).to.equal('emulator-tenant-token')
  })

  it('link checks the project and environment and writes bkend.json; status then reads it', async () => {
    expect((await h.run(['envs', 'create', 'staging'])).code).to.equal(0)
    const bad = await h.run(['link', '--project', 'nope'])
    expect(bad.code).to.equal(1)
    expect(bad.stderr).to.include('Error: no project "nope"')

    const link = await h.run(['link', '--project', 'local', '--env', 'staging', '--json'])
    expect(link.code, link.stderr).to.equal(0)
    expect(link.json).to.include({ target: 'local', projectId: h.emu.seed.projectId, projectSlug: 'local', environment: 'staging', path: join(h.dir, 'bkend.json') })
    expect(JSON.parse(await readFile(join(h.dir, 'bkend.json'), 'utf8'))).to.deep.equal({ target: 'local', organizationId: h.emu.seed.organizationId, projectId: h.emu.seed.projectId, projectSlug: 'local', environment: 'staging' })

    const status = await h.run(['status', '--json'])
    expect(status.json.linkPath).to.equal(join(h.dir, 'bkend.json'))
    expect(status.json.environment.name).to.equal('staging')
    expect(status.json.environment.id).to.match(/^[0-9a-f]{24}$/)
    expect(status.json.sources).to.deep.equal({ target: 'link', project: 'link', env: 'link' })
    // the seeded publishable key belongs to dev; staging has none yet
    expect(status.json.publishableKey).to.equal(null)

    const fromEnv = await h.run(['status', '--json'], { env: { BKEND_ENV: 'dev' } })
    expect(fromEnv.json.environment.name).to.equal('dev')
    expect(fromEnv.json.sources.env).to.equal('env')
  })

  it('status -o env prints sourceable BKEND_* lines and never a secret key', async () => {
    const pk = await h.run(['keys', 'create', 'web', '--env', 'staging', '--json'])
    const env = await h.run(['status', '-o', 'env'])
    expect(env.code).to.equal(0)
    expect(env.stdout).to.equal(
      [
        'BKEND_TARGET=local',
        `BKEND_API_URL=${h.emu.url}`,
        `BKEND_MCP_URL=${h.emu.url}/mcp`,
        `BKEND_ORGANIZATION=${h.emu.seed.organizationId}`,
        `BKEND_PROJECT=${h.emu.seed.projectId}`,
        'BKEND_ENV=staging',
        `BKEND_PUBLISHABLE_KEY=${pk.json.key}`,
        '',
      ].join('\n'),
    )
    expect(env.stdout).to.not.include('sk_')
  })

  it('status against a target without a login reports it instead of failing', async () => {
    const status = await h.run(['status', '--target', h.emu.url, '--json'], { dataDir: false })
    expect(status.code).to.equal(0)
    expect(status.json).to.include({ kind: 'url', identity: null, linkPath: null })
    expect(status.json.problem).to.include({ code: 'auth/login-required' })
    const text = await h.run(['status', '--target', h.emu.url], { dataDir: false })
    expect(text.stdout).to.match(/Signed in with\s+not signed in: not logged in to/)
    expect(text.stdout).to.include(`Hint: run 'bkend login --target ${h.emu.url}'`)
  })
})
