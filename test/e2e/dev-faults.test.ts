import { expect } from 'chai'
import { spawn } from 'node:child_process'
import { access, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { RuntimeFile } from '../../src/contract/emulator.js'
import type { FaultList, FaultRule } from '../../src/contract/faults.js'
import { seededDraws } from '../../src/emulator/http/middleware/fault-rules.js'
import { BIN, parseJson, runBinary, spawnDev, withoutMachineBkendEnv, type CliResult, type DevProcess } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'

// `bkend dev` and `bkend dev chaos` are under test as a person runs them: every run here is the built binary.
describe('e2e: injected faults through bkend dev and bkend dev chaos', function () {
  this.timeout(60_000)
  const clean = withoutMachineBkendEnv()
  let dir: string
  let cleanup: () => Promise<void>
  beforeEach(async () => ({ dir, cleanup } = await tempDir()))
  afterEach(() => cleanup())

  const runtime = async () => JSON.parse(await readFile(join(dir, 'runtime.json'), 'utf8')) as RuntimeFile
  const chaos = (...args: string[]): Promise<CliResult> => runBinary(['dev', 'chaos', ...args, '--data-dir', dir], { cwd: dir, env: { ...clean, XDG_CONFIG_HOME: join(dir, 'config') } })
  const statuses = async (dev: DevProcess, path: string, count: number) => {
    const key = dev.ready.environments[0]!.secretKey
    const seen: number[] = []
    for (let i = 0; i < count; i++) seen.push((await fetch(`${dev.ready.url}${path}`, { headers: { 'X-API-Key': key } })).status)
    return seen
  }

  it('--fail-rate with --fault-seed fails exactly the drawn requests; the ready event and runtime.json say so', async () => {
    const dev = await spawnDev(['--port', '0', '--data-dir', dir, '--fail-rate', '0.5', '--fault-seed', '9', '--latency', '20'], clean)
    try {
      expect(dev.ready.faults).to.include({ id: 'global', path: '*', failRate: 0.5, seed: 9, mode: 'error', status: 503 })
      expect(dev.ready.faults!.latencyMs).to.deep.equal({ min: 20, max: 20 })
      expect((await runtime()).faults).to.deep.equal(dev.ready.faults)
      const draw = seededDraws(9)
      // No table "notes" exists: a request that runs answers 404, an injected failure 503.
      const expected = Array.from({ length: 16 }, () => (draw() < 0.5 ? 503 : 404))
      expect(expected).to.include(503).and.to.include(404)
      expect(await statuses(dev, '/v1/data/notes', 16)).to.deep.equal(expected)
      expect((await fetch(`${dev.ready.url}/_emulator/health`)).status).to.equal(200)
    } finally {
      expect(await dev.stop('SIGTERM')).to.equal(0)
    }
  })

  it('BKEND_LATENCY and BKEND_FAIL_RATE set them like the flags; without any, faults are off and the ready event says nothing', async () => {
    const dev = await spawnDev(['--port', '0', '--data-dir', dir], { ...clean, BKEND_LATENCY: '10-30', BKEND_FAIL_RATE: '0' })
    try {
      expect(dev.ready.faults).to.include({ id: 'global', failRate: 0 })
      expect(dev.ready.faults!.latencyMs).to.deep.equal({ min: 10, max: 30 })
      // note: also gives bkend dev the moment it needs after its ready line to take SIGTERM as a clean stop.
      expect((await fetch(`${dev.ready.url}/_emulator/health`)).status).to.equal(200)
    } finally {
      expect(await dev.stop('SIGTERM')).to.equal(0)
    }
    const off = await spawnDev(['--port', '0', '--data-dir', dir], clean)
    try {
      expect(off.ready).to.not.have.property('faults')
      expect(await runtime()).to.not.have.property('faults')
      expect((await fetch(`${off.ready.url}/_emulator/health`)).status).to.equal(200)
    } finally {
      expect(await off.stop('SIGTERM')).to.equal(0)
    }
  })

  it('the plain ready text has a faults line', async () => {
    const child = spawn(process.execPath, [BIN, 'dev', '--port', '0', '--data-dir', dir, '--fail-rate', '0.2', '--latency', '200-800'], { env: { ...process.env, ...clean }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    const exited = new Promise((done) => child.on('exit', done))
    await new Promise<void>((done) => child.stdout.on('data', (chunk) => (out += chunk) && out.includes('credentials') && done()))
    child.kill('SIGTERM')
    await exited
    expect(out).to.match(/\n {2}faults {11}every API request: latency 200-800 ms, 20% fail with 503 \(bkend dev chaos clear stops it\)\n/)
  })

  for (const [args, message] of [
    [['--latency', '800-200'], 'Error: --latency 800-200 is reversed: write the smaller bound first (200-800)'],
    [['--fail-rate', '1.5'], 'Error: --fail-rate 1.5 is outside 0..1'],
    [['--fail-rate', 'often'], 'Error: --fail-rate often is not a number'],
    [['--fault-seed', '4'], 'Error: --fault-seed seeds the draws of --latency and --fail-rate, and neither is given'],
  ] as const) {
    it(`bkend dev ${args.join(' ')} → exit 2 with a hint, nothing started`, async () => {
      const out = await runBinary(['dev', '--port', '0', '--data-dir', dir, ...args], { env: clean })
      expect(out.code).to.equal(2)
      expect(out.stdout).to.equal('')
      expect(out.stderr).to.include(message)
      expect(out.stderr).to.match(/\nHint: /)
      const started = await access(join(dir, 'runtime.json')).then(() => true, () => false)
      expect(started).to.equal(false)
    })
  }

  it('chaos add, list, remove and clear drive the running emulator; bad rules are refused and change nothing', async () => {
    const dev = await spawnDev(['--port', '0', '--data-dir', dir], clean)
    try {
      const added = await chaos('add', '--path', '/v1/data/*', '--method', 'GET', '--status', '502', '--times', '2', '--json')
      expect(added.code, added.stderr).to.equal(0)
      const rule = parseJson(added.stdout) as FaultRule
      expect(rule).to.include({ id: 'f1', path: '/v1/data/*', method: 'GET', status: 502, failRate: 1, remaining: 2 })

      const human = await chaos('add', '--path', '/v1/auth/*', '--latency', '5', '--for', '10m')
      expect(human.code, human.stderr).to.equal(0)
      expect(human.stdout).to.equal('Added fault rule f2: latency 5 ms on requests to /v1/auth/*. bkend dev chaos remove f2 removes it.\n')

      for (const [args, message] of [
        [['--fail-rate', '3'], 'Error: --fail-rate 3 is outside 0..1'],
        [['--path', 'v1/data', '--fail-rate', '1'], 'Error: --path "v1/data" is not a path pattern'],
        [['--latency', '9-1'], 'Error: --latency 9-1 is reversed'],
        [['--path', '/_emulator/mailbox', '--fail-rate', '1'], 'can never fault'],
        [['--for', '-1m', '--latency', '5'], 'Error: --for -1m is not a positive duration'],
      ] as const) {
        const refused = await chaos('add', ...args)
        expect(refused.code, args.join(' ')).to.equal(2)
        expect(refused.stderr, args.join(' ')).to.include(message)
      }

      const listed = await chaos('list', '--json')
      expect(listed.code).to.equal(0)
      const items = (parseJson(listed.stdout) as FaultList).items
      expect(items.map((item) => item.id)).to.deep.equal(['f1', 'f2'])

      const table = await chaos('list')
      expect(table.stdout.split('\n')[0]).to.match(/^Id +Method +Path +Injects +Left +Expires in +Applied$/)
      expect(table.stdout).to.match(/\nf1 +GET +\/v1\/data\/\* +all fail with 502 +2 +0\n/)

      // The rule shapes two requests, then is gone; other routes never see it.
      expect(await statuses(dev, '/v1/data/notes', 3)).to.deep.equal([502, 502, 404])
      expect((parseJson((await chaos('list', '--json')).stdout) as FaultList).items.map((item) => item.id)).to.deep.equal(['f2'])

      const missing = await chaos('remove', 'f1')
      expect(missing.code).to.equal(1)
      expect(missing.stderr).to.include('Error: No fault rule f1')
      const removed = await chaos('remove', 'f2')
      expect(removed.stdout).to.equal('Removed fault rule f2.\n')

      await chaos('add', '--fail-rate', '1')
      await chaos('add', '--latency', '10')
      const cleared = await chaos('clear', '--json')
      expect(parseJson(cleared.stdout)).to.deep.equal({ removed: 2 })
      expect((await chaos('list')).stdout).to.equal('No fault rules: requests run untouched. bkend dev chaos add adds one.\n')
      expect(await statuses(dev, '/v1/data/notes', 1)).to.deep.equal([404])
    } finally {
      expect(await dev.stop('SIGTERM')).to.equal(0)
    }
  })

  it('bkend dev exec takes the same flags: the command it runs sees the failures', async () => {
    const probe = "fetch(process.env.BKEND_API_URL + '/v1/data/notes', { headers: { 'X-API-Key': process.env.BKEND_SECRET_KEY } }).then((r) => r.json().then((b) => console.log(r.status, b.error.code)))"
    const out = await runBinary(['dev', 'exec', '--fail-rate', '1', '--', process.execPath, '-e', probe], { cwd: dir, env: clean })
    expect(out.code, out.stderr).to.equal(0)
    expect(out.stdout).to.equal('503 common/service-unavailable\n')
    const refused = await runBinary(['dev', 'exec', '--latency', '9-1', '--', process.execPath, '-e', '0'], { cwd: dir, env: clean })
    expect(refused.code).to.equal(2)
    expect(refused.stderr).to.include('Error: --latency 9-1 is reversed')
  })

  it('chaos without a running emulator explains it', async () => {
    const out = await chaos('list')
    expect(out.code).to.equal(1)
    expect(out.stderr).to.include('Error: no running bkend dev found')
  })
})
