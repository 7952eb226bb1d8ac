import { expect } from 'chai'
import { join } from 'node:path'
// `bkend dev` itself is under test, so the emulator is the spawned binary
import { runCli, spawnDev, withoutMachineBkendEnv, type DevProcess } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'

/** A project's allowed origins, set with the CLI, as a browser on another origin then meets them (README-D9). */
describe('e2e: bkend dev CORS allowlist and --cors', function () {
  this.timeout(30_000)
  let dir: string
  let cleanup: () => Promise<void>
  beforeEach(async () => ({ dir, cleanup } = await tempDir()))
  afterEach(() => cleanup())

  async function withAllowlist(args: string[], env: NodeJS.ProcessEnv, check: (dev: DevProcess) => Promise<void>): Promise<void> {
    const dev = await spawnDev(['--port', '0', '--data-dir', dir, ...args], env)
    try {
      const update = await runCli(['projects', 'update', dev.ready.projectId, '--allowed-origin', 'https://app.example', '--data-dir', dir], {
        cwd: dir,
        env: { ...withoutMachineBkendEnv(), XDG_CONFIG_HOME: join(dir, 'config') },
      })
      expect(update.code, update.stderr).to.equal(0)
      await check(dev)
    } finally {
      await dev.stop('SIGTERM')
    }
  }

  const call = (dev: DevProcess, origin: string, preflight = false) =>
    fetch(`${dev.ready.url}/v1/users`, preflight ? { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' } } : { headers: { Origin: origin, 'X-API-Key': dev.ready.environments[0]!.secretKey } })

  it('once the project lists origins, another origin is not reflected and its preflight is a 403', async () => {
    await withAllowlist([], {}, async (dev) => {
      expect((await call(dev, 'https://app.example')).headers.get('access-control-allow-origin')).to.equal('https://app.example')
      expect((await call(dev, 'https://other.example')).headers.get('access-control-allow-origin')).to.equal(null)
      const preflight = await call(dev, 'https://other.example', true)
      expect(preflight.status).to.equal(403)
      expect(((await preflight.json()) as { error: { code: string } }).error.code).to.equal('common/origin-not-allowed')
    })
  })

  const anyOrigin: Array<[string, string[], NodeJS.ProcessEnv]> = [
    ['--cors any', ['--cors', 'any'], {}],
    ['BKEND_CORS=any', [], { BKEND_CORS: 'any' }],
  ]
  for (const [what, args, env] of anyOrigin) {
    it(`${what} reflects every origin whatever the list says`, async () => {
      await withAllowlist(args, env, async (dev) => {
        expect((await call(dev, 'https://other.example')).headers.get('access-control-allow-origin')).to.equal('https://other.example')
        expect((await call(dev, 'https://other.example', true)).status).to.equal(204)
      })
    })
  }
})
