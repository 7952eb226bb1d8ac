import { expect } from 'chai'
import { spawnSync } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CliError } from '../../src/cli/errors.js'
import { expandBareWait, resolveRuntimeTarget, resolveTargetContext } from '../../src/cli/target.js'
import type { RuntimeFile } from '../../src/contract/emulator.js'
import { tempDir } from '../helpers/tmp.js'

const runtime: RuntimeFile = {
  version: 1,
  pid: process.pid,
  url: 'http://127.0.0.1:4999',
  mcpUrl: 'http://127.0.0.1:4999/mcp',
  startedAt: '2026-01-01T00:00:00.000Z',
  organizationId: 'a'.repeat(24),
  projectId: 'b'.repeat(24),
  environments: [{ id: 'c'.repeat(24), name: 'dev', publishableKey: 'pk_test', secretKey: 'sk_test' }],
  tenantToken: 'tenant-token',
  cloudParity: false,
}

/** Target resolution in-process: precedence flags > BKEND_* > bkend.json > profile, cloud and URL targets. */
describe('cli: target resolution and precedence', function () {
  let dir: string
  let cleanup: () => Promise<void>
  const saved = { cwd: process.cwd(), env: { ...process.env } }
  const writeJson = (path: string, value: unknown) => writeFile(path, JSON.stringify(value))

  beforeEach(async () => {
    ;({ dir, cleanup } = await tempDir('bkend-target-'))
    for (const key of Object.keys(process.env)) if (key.startsWith('BKEND_')) delete process.env[key]
    process.env.XDG_CONFIG_HOME = join(dir, 'config')
    await mkdir(join(dir, 'config', 'bkend'), { recursive: true })
    await mkdir(join(dir, 'app', '.bkend'), { recursive: true })
    await mkdir(join(dir, 'app', 'src'))
    await writeJson(join(dir, 'app', '.bkend', 'runtime.json'), runtime)
    process.chdir(join(dir, 'app'))
  })
  afterEach(async () => {
    process.chdir(saved.cwd)
    process.env = { ...saved.env }
    await cleanup()
  })

  it('defaults to the local emulator of ./.bkend with its seeded project and dev', async () => {
    const context = await resolveTargetContext({})
    expect(context).to.include({ kind: 'local', target: 'local', mcpUrl: runtime.mcpUrl, restUrl: runtime.url, project: runtime.projectId, env: 'dev', profile: 'default' })
    expect(context.sources).to.deep.equal({ target: 'default', project: 'emulator', env: 'default', dataDir: 'found' })
  })

  it('flags > BKEND_* env vars > bkend.json (found from a subdirectory) > profile', async () => {
    await writeJson(join(dir, 'config', 'bkend', 'config.json'), { profiles: { default: { target: 'cloud', project: 'from-profile', env: 'prod' } } })
    let context = await resolveTargetContext({})
    expect(context).to.include({ kind: 'cloud', project: 'from-profile', env: 'prod', restUrl: 'https://api.bkend.ai', mcpUrl: 'https://api.bkend.ai/mcp' })
    expect(context.sources).to.deep.equal({ target: 'profile', project: 'profile', env: 'profile' })

    await writeJson(join(dir, 'app', 'bkend.json'), { target: 'cloud', projectId: 'from-link', environment: 'staging' })
    process.chdir(join(dir, 'app', 'src'))
    context = await resolveTargetContext({})
    expect(context).to.include({ project: 'from-link', env: 'staging', linkPath: join(dir, 'app', 'bkend.json') })
    expect(context.sources.project).to.equal('link')

    // oclif puts BKEND_ENV into the flag value; the resolver tells the two apart by the variable
    process.env.BKEND_ENV = 'from-env'
    context = await resolveTargetContext({ env: 'from-env', project: 'from-flag' })
    expect(context).to.include({ env: 'from-env', project: 'from-flag' })
    expect(context.sources).to.include({ env: 'env', project: 'flag' })
  })

  it('a link made against another target is ignored; the data dir is the nearest .bkend upwards', async () => {
    await writeJson(join(dir, 'app', 'bkend.json'), { target: 'cloud', projectId: 'cloud-project' })
    process.chdir(join(dir, 'app', 'src'))
    const local = await resolveTargetContext({ target: 'local' })
    expect(local.project).to.equal(runtime.projectId)
    expect(local.linkPath).to.equal(undefined)
    await writeJson(join(dir, 'app', 'bkend.json'), { target: 'local', projectId: runtime.projectId, environment: 'dev' })
    const linked = await resolveTargetContext({})
    expect(linked).to.include({ kind: 'local', dataDir: join(dir, 'app', '.bkend') })
    expect(linked.sources).to.include({ project: 'link', dataDir: 'found' })
  })

  it('cloud URLs are overridable in config.json and by BKEND_CLOUD_*; URL targets get /mcp', async () => {
    await writeJson(join(dir, 'config', 'bkend', 'config.json'), { cloud: { apiUrl: 'https://api.example.test/', mcpUrl: 'https://mcp.example.test/mcp' } })
    expect(await resolveTargetContext({ target: 'cloud' })).to.include({ restUrl: 'https://api.example.test', mcpUrl: 'https://mcp.example.test/mcp' })
    process.env.BKEND_CLOUD_MCP_URL = 'https://other.example.test/mcp'
    expect((await resolveTargetContext({ target: 'cloud' })).mcpUrl).to.equal('https://other.example.test/mcp')
    expect(await resolveTargetContext({ target: 'http://127.0.0.1:4100/' })).to.include({ kind: 'url', restUrl: 'http://127.0.0.1:4100', mcpUrl: 'http://127.0.0.1:4100/mcp' })
  })

  it('unknown targets and profiles are usage errors with hints', async () => {
    const target = await resolveTargetContext({ target: 'staging' }).catch((e: unknown) => e as CliError)
    expect(target).to.be.instanceOf(CliError).and.include({ exitCode: 2, code: 'target/unknown' })
    await writeJson(join(dir, 'config', 'bkend', 'config.json'), { profiles: { work: {} } })
    const profile = await resolveTargetContext({ profile: 'play' }).catch((e: unknown) => e as CliError)
    expect(profile).to.include({ exitCode: 2, hint: 'known profiles: work' })
  })

  it('resolveRuntimeTarget: seeded key locally, --secret-key anywhere, saved keys for other targets', async () => {
    expect(await resolveRuntimeTarget({})).to.deep.equal({ restUrl: runtime.url, secretKey: 'sk_test', environment: 'dev', checked: true, source: 'local', kind: 'local' })
    const noKey = await resolveRuntimeTarget({ env: 'prod' }).catch((e: unknown) => e as CliError)
    expect(noKey).to.include({ code: 'target/no-key' })
    // the cloud cannot say whose a key is: the environment is not checked
    expect(await resolveRuntimeTarget({ target: 'cloud', 'secret-key': 'sk_flag' })).to.include({ restUrl: 'https://api.bkend.ai', secretKey: 'sk_flag', source: 'flag', checked: false, kind: 'cloud' })

    const missing = (await resolveRuntimeTarget({ target: 'cloud', project: 'shop' }).catch((e: unknown) => e)) as CliError
    expect(missing).to.include({ code: 'target/no-key' })
    expect(missing.hint).to.include('BKEND_SECRET_KEY')
    await writeJson(join(dir, 'config', 'bkend', 'credentials.json'), { version: 1, logins: {}, secretKeys: [{ restUrl: 'https://api.bkend.ai', projectId: 'd'.repeat(24), projectSlug: 'shop', environment: 'dev', secretKey: 'sk_saved' }] })
    expect(await resolveRuntimeTarget({ target: 'cloud', project: 'shop' })).to.include({ secretKey: 'sk_saved', source: 'credentials', kind: 'cloud' })
  })

  it('data dir: --data-dir > BKEND_DATA_DIR > bkend.json dataDir (relative to it) > profile > nearest .bkend > ./.bkend', async () => {
    const place = async (name: string) => {
      await mkdir(join(dir, name), { recursive: true })
      await writeJson(join(dir, name, 'runtime.json'), runtime)
      return join(dir, name)
    }
    const [flagged, envDir, linkedDir, profiled] = await Promise.all(['flagged', 'from-env', 'app/var/bkend', 'profiled'].map(place))
    await writeJson(join(dir, 'config', 'bkend', 'config.json'), { profiles: { default: { dataDir: profiled } } })
    await writeJson(join(dir, 'app', 'bkend.json'), { target: 'local', projectId: runtime.projectId, dataDir: 'var/bkend' })
    process.chdir(join(dir, 'app', 'src'))
    process.env.BKEND_DATA_DIR = envDir
    const choose = async (flags: { 'data-dir'?: string }) => {
      const context = await resolveTargetContext(flags)
      return [context.dataDir, context.sources.dataDir]
    }
    expect(await choose({ 'data-dir': flagged })).to.deep.equal([flagged, 'flag'])
    expect(await choose({ 'data-dir': envDir })).to.deep.equal([envDir, 'env'])
    delete process.env.BKEND_DATA_DIR
    expect(await choose({})).to.deep.equal([linkedDir, 'link'])
    await writeJson(join(dir, 'app', 'bkend.json'), { target: 'local', projectId: runtime.projectId })
    expect(await choose({})).to.deep.equal([profiled, 'profile'])
    await writeJson(join(dir, 'config', 'bkend', 'config.json'), {})
    // app/.bkend/runtime.json, two levels up from app/src's child
    await mkdir(join(dir, 'app', 'src', 'deep'))
    process.chdir(join(dir, 'app', 'src', 'deep'))
    expect(await choose({})).to.deep.equal([join(dir, 'app', '.bkend'), 'found'])
    process.chdir(dir)
    const none = (await resolveTargetContext({}).catch((e: unknown) => e)) as CliError
    expect(none).to.include({ code: 'target/no-emulator' })
    expect(none.message).to.equal(`no running bkend dev found in ${join(dir, '.bkend')} (nor in a .bkend of a parent directory)`)
  })

  it('a runtime.json whose emulator process is gone means no running emulator, naming the pid and the file', async () => {
    const exited = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid
    await writeJson(join(dir, 'app', '.bkend', 'runtime.json'), { ...runtime, pid: exited })
    const error = (await resolveTargetContext({}).catch((e: unknown) => e)) as CliError
    expect(error).to.be.instanceOf(CliError).and.include({ code: 'target/no-emulator', exitCode: 1 })
    expect(error.message).to.equal(`no running bkend dev: ${join(dir, 'app', '.bkend', 'runtime.json')} was written by pid ${exited}, which is no longer running`)
    expect(error.hint).to.include('--wait')
  })

  it('--wait gives up after its seconds with target/wait-timeout when no emulator answers', async () => {
    // the runtime file names a live process (this one) but nothing listens at its URL
    const started = Date.now()
    const error = (await resolveTargetContext({ wait: 1 }).catch((e: unknown) => e)) as CliError
    expect(error).to.be.instanceOf(CliError).and.include({ code: 'target/wait-timeout', exitCode: 1 })
    expect(error.message).to.match(/^no bkend dev became ready within 1s in .*\.bkend: cannot reach http:\/\/127\.0\.0\.1:4999/)
    expect(Date.now() - started).to.be.within(1000, 4000)
  })

  it('a bare --wait takes the default seconds; a number after it is its value; nothing after -- changes', () => {
    expect(expandBareWait(['users', 'list', '--wait'])).to.deep.equal(['users', 'list', '--wait=30'])
    expect(expandBareWait(['--wait', '--json'])).to.deep.equal(['--wait=30', '--json'])
    expect(expandBareWait(['--wait', 'orders'])).to.deep.equal(['--wait=30', 'orders'])
    expect(expandBareWait(['--wait', '5', 'orders'])).to.deep.equal(['--wait', '5', 'orders'])
    expect(expandBareWait(['--wait=7'])).to.deep.equal(['--wait=7'])
    expect(expandBareWait(['--', '--wait'])).to.deep.equal(['--', '--wait'])
  })
})
