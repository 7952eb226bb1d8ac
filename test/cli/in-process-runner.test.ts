import { expect } from 'chai'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runBinary, runCli, withoutMachineBkendEnv, type CliResult, type CliRunOptions } from '../helpers/cli.js'
import { startCliHarness, type CliHarness } from './data-harness.js'

/**
 * The CLI suites run commands in-process (runCli) and keep the spawned binary (runBinary) where the process is the
 * point. This holds the in-process runner to the binary: same exit code, stdout and stderr, and nothing carried over
 * from one run to the next.
 */
describe('cli: the in-process runner against the binary', function () {
  this.timeout(60_000)
  let h: CliHarness
  let options: CliRunOptions
  const bkend = (args: string[]) => [...args, '--data-dir', h.emu.dataDir]

  before(async () => {
    h = await startCliHarness()
    await h.table('items', { bsonType: 'object', required: ['name'], properties: { name: { bsonType: 'string' } } })
    options = { cwd: h.dir, env: { ...withoutMachineBkendEnv(), XDG_CONFIG_HOME: join(h.dir, 'config') } }
  })
  after(() => h.dispose())

  const same = [
    { name: 'a success, rendered for a person', args: ['orgs', 'list'], code: 0 },
    { name: 'a success with --json', args: ['orgs', 'list', '--json'], code: 0 },
    { name: "a topic's help", args: ['tables', '--help'], code: 0 },
    { name: 'a usage error: an unknown flag', args: ['orgs', 'list', '--bogus'], code: 2 },
    { name: 'a usage error: a missing argument', args: ['data', 'get', 'items'], code: 2 },
    { name: 'a failure with --json', args: ['orgs', 'get', 'no-such-org', '--json'], code: 1 },
    { name: 'a failure for a person', args: ['dev', 'clock', '+1h', '--target', 'cloud'], code: 1 },
  ]
  for (const { name, args, code } of same) {
    it(`${name} (bkend ${args.join(' ')}) → exit ${code}, the same output both ways`, async () => {
      const inProcess = await runCli(bkend(args), options)
      const binary = await runBinary(bkend(args), options)
      expect(binary.code, binary.stderr).to.equal(code)
      expect(inProcess).to.deep.equal(binary)
    })
  }

  it('a command that sets process.exitCode (an import with a rejected row) → exit 1 both ways, and the runner resets it', async () => {
    await writeFile(join(h.dir, 'two.ndjson'), '{"name":"ok"}\n{"qty":1}\n')
    const args = bkend(['data', 'import', 'items', 'two.ndjson'])
    const timing = (run: CliResult) => ({ ...run, stdout: run.stdout.replace(/ in [\d.]+ s \([\d,]+ rows\/s\)/, ' in <time>') })
    const inProcess = timing(await runCli(args, options))
    const binary = timing(await runBinary(args, options))
    expect(binary.code).to.equal(1)
    expect(binary.stdout).to.match(/^Imported 1 of 2 rows into items .*in <time>\.\n$/)
    expect(inProcess).to.deep.equal(binary)
    expect(process.exitCode).to.equal(undefined)
    expect((await runCli(bkend(['orgs', 'list', '--json']), options)).code).to.equal(0)
  })

  it("help leaves the command tree as it was: the next run still finds the topic's commands", async () => {
    expect((await runCli(bkend(['tables', '--help']), options)).code).to.equal(0)
    const next = await runCli(bkend(['tables', 'get']), options)
    expect(next.code, next.stderr).to.equal(2)
    expect(next).to.deep.equal(await runBinary(bkend(['tables', 'get']), options))
  })

  it('refuses the servers, bkend dev and bkend mcp, which need a process of their own', async () => {
    for (const args of [['dev', '--port', '0'], ['mcp']]) {
      const error = await runCli(bkend(args), options).then(() => undefined, (e: Error) => e)
      expect(error?.message).to.include(`bkend ${args[0]} serves until it is stopped`)
    }
    expect((await runCli(bkend(['dev', 'clock', '--json']), options)).code).to.equal(0)
  })

  it('stdin holds the input, and is an empty pipe for the next run', async () => {
    const args = bkend(['data', 'import', 'items', '-', '--format', 'ndjson', '--json'])
    const fed = await runCli(args, { ...options, input: '{"name":"fed once"}\n' })
    expect(fed.code, fed.stderr).to.equal(0)
    expect(JSON.parse(fed.stdout).rows).to.include({ read: 1, written: 1 })
    const unfed = await runCli(args, options)
    expect(unfed.code, unfed.stderr).to.equal(0)
    expect(JSON.parse(unfed.stdout).rows).to.include({ read: 0, written: 0 })
    const binary = await runBinary(args, options)
    expect(JSON.parse(binary.stdout).rows).to.deep.equal(JSON.parse(unfed.stdout).rows)
  })

  it('piped input reaches a command reading stdin itself, as with the binary', async () => {
    const args = bkend(['data', 'import', 'items', '-', '--json'])
    const input = { ...options, input: '{"name":"piped"}\n' }
    const [inProcess, binary] = [await runCli(args, input), await runBinary(args, input)]
    expect(binary.code, binary.stderr).to.equal(0)
    expect(inProcess.code).to.equal(0)
    expect(JSON.parse(inProcess.stdout).rows).to.deep.equal(JSON.parse(binary.stdout).rows)
  })

  it('leaves the process as it found it: env, working directory, argv, streams, signal handlers', async () => {
    process.env.BKEND_RUNNER_PROBE = 'kept'
    try {
      const before = { cwd: process.cwd(), argv: [...process.argv], stdin: process.stdin, write: process.stdout.write, sigint: process.listenerCount('SIGINT') }
      const run = await runCli(bkend(['orgs', 'list', '--json']), { cwd: h.dir, env: { ...options.env, BKEND_RUNNER_PROBE: undefined, BKEND_RUNNER_SET: 'run only' } })
      expect(run.code, run.stderr).to.equal(0)
      expect(process.env.BKEND_RUNNER_PROBE).to.equal('kept')
      expect(process.env).not.to.have.property('BKEND_RUNNER_SET')
      expect({ cwd: process.cwd(), argv: process.argv, stdin: process.stdin, write: process.stdout.write, sigint: process.listenerCount('SIGINT') }).to.deep.equal(before)
    } finally {
      delete process.env.BKEND_RUNNER_PROBE
    }
  })

  it('runs started together are queued: each one gets its own output', async () => {
    const runs = await Promise.all([runCli(bkend(['orgs', 'list', '--json']), options), runCli(bkend(['orgs', 'get', 'no-such-org', '--json']), options)])
    expect(runs.map((r) => r.code)).to.deep.equal([0, 1])
    expect(JSON.parse(runs[0]!.stdout).organizations).to.have.length(1)
    expect(runs[1]!.stdout).to.equal('')
    expect(JSON.parse(runs[1]!.stderr).error.code).to.be.a('string')
  })
})
