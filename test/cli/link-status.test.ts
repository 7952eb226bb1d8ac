import { expect } from 'chai'
import { copyFile, mkdir, readFile, rm } from 'node:fs/promises'
import { join, relative } from 'node:path'
// `bkend dev` itself runs as the binary; every other command in-process
import { runBinary, withoutMachineBkendEnv } from '../helpers/cli.js'
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
    // --data-dir (the harness passes the emulator's) is remembered relative to bkend.json
    expect(JSON.parse(await readFile(join(h.dir, 'bkend.json'), 'utf8'))).to.deep.equal({ target: 'local', organizationId: h.emu.seed.organizationId, projectId: h.emu.seed.projectId, projectSlug: 'local', environment: 'staging', dataDir: relative(h.dir, h.emu.dataDir) })

    const status = await h.run(['status', '--json'])
    expect(status.json.linkPath).to.equal(join(h.dir, 'bkend.json'))
    expect(status.json.environment.name).to.equal('staging')
    expect(status.json.environment.id).to.match(/^[0-9a-f]{24}$/)
    expect(status.json.sources).to.deep.equal({ target: 'link', project: 'link', env: 'link', dataDir: 'flag' })
    // the seeded publishable key belongs to dev; staging has none yet
    expect(status.json.publishableKey).to.equal(null)

    const fromEnv = await h.run(['status', '--json'], { env: { BKEND_ENV: 'dev' } })
    expect(fromEnv.json.environment.name).to.equal('dev')
    expect(fromEnv.json.sources.env).to.equal('env')
  })

  it('status -o env prints sourceable BKEND_* lines, the publishable key from runtime.json, never a secret key', async () => {
    const common = ['BKEND_TARGET=local', `BKEND_API_URL=${h.emu.url}`, `BKEND_MCP_URL=${h.emu.url}/mcp`, `BKEND_ORGANIZATION=${h.emu.seed.organizationId}`, `BKEND_PROJECT=${h.emu.seed.projectId}`]
    const dev = await h.run(['status', '-o', 'env'], { env: { BKEND_ENV: 'dev' } })
    expect(dev.code).to.equal(0)
    expect(dev.stdout).to.equal([...common, 'BKEND_ENV=dev', `BKEND_PUBLISHABLE_KEY=${h.emu.seed.environment.publishableKey}`, ''].join('\n'))
    expect(dev.stdout).to.not.include('sk_')
    // key lists carry no values (MCP-D11), so a key created for staging is not known to status
    const pk = await h.run(['keys', 'create', 'web', '--env', 'staging', '--json'])
    expect(pk.json.key).to.match(/^pk_/)
    const staging = await h.run(['status', '-o', 'env'])
    expect(staging.code).to.equal(0)
    expect(staging.stdout).to.equal([...common, 'BKEND_ENV=staging', ''].join('\n'))
  })

  it('status against a target without a login reports it and exits 1, as gh auth status does', async () => {
    const status = await h.run(['status', '--target', h.emu.url, '--json'], { dataDir: false })
    expect(status.code).to.equal(1)
    expect(status.json).to.include({ kind: 'url', identity: null, linkPath: null })
    expect(status.json.problem).to.include({ code: 'auth/login-required' })
    const text = await h.run(['status', '--target', h.emu.url], { dataDir: false })
    expect(text.code).to.equal(1)
    expect(text.stdout).to.match(/Signed in with\s+not signed in: not logged in to/)
    expect(text.stdout).to.include(`Hint: run 'bkend login --target ${h.emu.url}'`)
  })

  it('status with no emulator running exits 1 and still prints the document, with the data dir it looked in', async () => {
    // beside the work dir, which the tests above linked
    const empty = join(h.dir, '..', 'empty')
    await mkdir(empty)
    const status = await h.run(['status', '--json'], { dataDir: false, cwd: empty })
    expect(status.code).to.equal(1)
    expect(status.json).to.include({ kind: 'local', restUrl: null, mcpUrl: null, dataDir: join(empty, '.bkend') })
    expect(status.json.sources.dataDir).to.equal('default')
    expect(status.json.problem).to.include({ code: 'target/no-emulator' })
    const text = await h.run(['status'], { dataDir: false, cwd: empty })
    expect(text.code).to.equal(1)
    expect(text.stdout).to.match(/Data dir\s+.*empty\/\.bkend \(the default \.\/\.bkend\)/)
    expect(text.stdout).to.match(/REST API\s+unreachable: no running bkend dev found in/)
  })

  it('link --data-dir remembers the data dir relative to bkend.json; commands below it and bkend dev use it', async () => {
    const project = join(h.dir, '..', 'project')
    await mkdir(join(project, 'src', 'deep'), { recursive: true })
    const link = await h.run(['link', '--dir', project, '--project', 'local', '--env', 'dev', '--json'])
    expect(link.code, link.stderr).to.equal(0)
    const stored = JSON.parse(await readFile(join(project, 'bkend.json'), 'utf8'))
    expect(stored.dataDir).to.equal(relative(project, h.emu.dataDir))

    const deep = join(project, 'src', 'deep')
    const users = await h.run(['users', 'list', '--json'], { dataDir: false, cwd: deep })
    expect(users.code, users.stderr).to.equal(0)
    const status = await h.run(['status', '--json'], { dataDir: false, cwd: deep })
    expect(status.code, status.stderr).to.equal(0)
    expect(status.json).to.include({ dataDir: h.emu.dataDir, restUrl: h.emu.url })
    expect(status.json.sources.dataDir).to.equal('link')
    // bkend dev picks the same data dir, so it meets the running emulator's lock
    const dev = await runBinary(['dev', '--port', '0'], { cwd: deep, env: { ...withoutMachineBkendEnv(), XDG_CONFIG_HOME: h.configHome } })
    expect(dev.code).to.equal(1)
    expect(dev.stderr).to.include(`data directory ${h.emu.dataDir} is in use`)
    await rm(join(project, 'bkend.json'))
  })

  it('from another directory: BKEND_DATA_DIR works, and a .bkend/runtime.json in a parent is found', async () => {
    const elsewhere = join(h.dir, '..', 'elsewhere', 'a', 'b')
    await mkdir(elsewhere, { recursive: true })
    const viaEnv = await h.run(['users', 'list', '--json'], { dataDir: false, cwd: elsewhere, env: { BKEND_DATA_DIR: h.emu.dataDir } })
    expect(viaEnv.code, viaEnv.stderr).to.equal(0)
    const envStatus = await h.run(['status', '--json'], { dataDir: false, cwd: elsewhere, env: { BKEND_DATA_DIR: h.emu.dataDir } })
    expect(envStatus.json.sources.dataDir).to.equal('env')

    await mkdir(join(h.dir, '..', 'elsewhere', '.bkend'))
    await copyFile(join(h.emu.dataDir, 'runtime.json'), join(h.dir, '..', 'elsewhere', '.bkend', 'runtime.json'))
    const found = await h.run(['status', '--json'], { dataDir: false, cwd: elsewhere })
    expect(found.code, found.stderr).to.equal(0)
    expect(found.json).to.include({ dataDir: join(h.dir, '..', 'elsewhere', '.bkend'), restUrl: h.emu.url })
    expect(found.json.sources.dataDir).to.equal('found')
  })
})
