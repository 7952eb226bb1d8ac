import { expect } from 'chai'
import { rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { startManagementHarness, type ManagementHarness } from './management-harness.js'

/** A key is checked against the environment a command names, before any request, wherever the target can tell. */
describe('cli: secret key vs named environment', function () {
  this.timeout(60_000)
  let h: ManagementHarness
  let devKey: string
  let stagingKey: string
  before(async () => {
    h = await startManagementHarness()
    devKey = h.emu.seed.environment.secretKey
    expect((await h.run(['envs', 'create', 'staging'])).code).to.equal(0)
    stagingKey = (await h.run(['keys', 'create', 'ci', '--env', 'staging', '--type', 'secret', '--json'])).json.key
    expect((await h.run(['tables', 'create', 'orders', '--env', 'dev'])).code).to.equal(0)
  })
  after(async () => {
    await h.dispose()
  })

  it("dev's key with --env staging is refused naming both environments, and nothing is printed on stdout", async () => {
    const run = await h.run(['data', 'list', 'orders', '--env', 'staging'], { env: { BKEND_SECRET_KEY: devKey } })
    expect(run.code).to.equal(1)
    expect(run.stdout).to.equal('')
    expect(run.stderr).to.include('Error: the secret key from BKEND_SECRET_KEY belongs to environment "dev", but --env names "staging"')
    const json = await h.run(['data', 'list', 'orders', '--env', 'staging', '--secret-key', devKey, '--json'])
    expect(json.code).to.equal(1)
    expect(json.errorJson.error).to.include({ code: 'target/key-environment-mismatch' })
    expect(json.errorJson.error.hint).to.include('--env dev')
  })

  it('without --env the key decides, and the summary names the environment acted on', async () => {
    const staging = await h.run(['users', 'create', '--email', 'ada@example.com', '--name', 'Ada'], { env: { BKEND_SECRET_KEY: stagingKey } })
    expect(staging.code, staging.stderr).to.equal(0)
    expect(staging.stdout.split('\n')[0]).to.match(/^Created user [0-9a-f]{24} \(ada@example\.com\) \(environment staging\)\.$/)
    const dev = await h.run(['users', 'list'], { env: { BKEND_SECRET_KEY: devKey } })
    expect(dev.stdout.trimEnd().split('\n').at(-1)).to.equal('page 1 of 1, 0 users (environment dev)')
  })

  it('an environment named by bkend.json is checked too', async () => {
    const cwd = join(h.dir, '..')
    await writeFile(join(cwd, 'bkend.json'), JSON.stringify({ target: 'local', projectId: h.emu.seed.projectId, environment: 'staging' }))
    try {
      const run = await h.run(['users', 'list'], { cwd, env: { BKEND_SECRET_KEY: devKey } })
      expect(run.code).to.equal(1)
      expect(run.stderr).to.include('belongs to environment "dev", but bkend.json names "staging"')
      const matching = await h.run(['users', 'list'], { cwd, env: { BKEND_SECRET_KEY: stagingKey } })
      expect(matching.code, matching.stderr).to.equal(0)
    } finally {
      await rm(join(cwd, 'bkend.json'))
    }
  })

  it("a deleted environment's key (given, or saved) fails clearly instead of importing nowhere", async () => {
    expect((await h.run(['envs', 'create', 'prod'])).code).to.equal(0)
    const created = await h.run(['keys', 'create', 'ci', '--env', 'prod', '--type', 'secret', '--save', '--json'])
    expect(created.code, created.stderr).to.equal(0)
    expect((await h.run(['envs', 'delete', 'prod', '--yes'])).code).to.equal(0)
    const file = join(h.dir, 'rows.ndjson')
    await writeFile(file, '{"title":"a"}\n')
    const given = await h.run(['data', 'import', 'orders', file, '--env', 'prod', '--secret-key', created.json.key])
    expect(given.code).to.equal(1)
    expect(given.stdout).to.not.include('imported')
    expect(given.stderr).to.include('Error: the secret key from --secret-key is not a key of the emulator at')
    const saved = await h.run(['data', 'list', 'orders', '--env', 'prod', '--json'])
    expect(saved.code).to.equal(1)
    expect(saved.errorJson.error.code).to.equal('target/unknown-key')
    expect(saved.errorJson.error.message).to.include('from the saved credentials')
  })

  it('a URL target cannot tell: --env with an explicit key gets a note on stderr, --json stdout stays one document', async () => {
    const run = await h.run(['users', 'list', '--target', h.emu.url, '--env', 'staging', '--secret-key', devKey, '--json'], { dataDir: false })
    expect(run.code, run.stderr).to.equal(0)
    expect(run.json.items).to.be.an('array')
    expect(run.stderr).to.equal(`Note: ${h.emu.url} cannot tell which environment a key belongs to: the key from --secret-key decides, --env staging is not checked.\n`)
    const text = await h.run(['users', 'list', '--target', h.emu.url, '--secret-key', devKey], { dataDir: false })
    expect(text.stderr).to.equal('')
    expect(text.stdout.trimEnd().split('\n').at(-1)).to.equal("page 1 of 1, 0 users (the key's environment)")
  })
})
