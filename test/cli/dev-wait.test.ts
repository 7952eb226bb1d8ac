import { expect } from 'chai'
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { RuntimeFile } from '../../src/contract/emulator.js'
import { BIN, runCli } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'
import { alive } from '../helpers/process.js'

/** `bkend dev & bkend users create … --wait` in one script: the second command waits for the first. */
describe('cli: --wait and bkend dev wait', function () {
  this.timeout(60_000)
  let dir: string
  let cleanup: () => Promise<void>
  const isolated = () => ({ ...Object.fromEntries(Object.keys(process.env).filter((k) => k.startsWith('BKEND_')).map((k) => [k, undefined])), XDG_CONFIG_HOME: join(dir, 'config') })

  beforeEach(async () => {
    ;({ dir, cleanup } = await tempDir('bkend-wait-'))
  })
  afterEach(async () => {
    // the script leaves its background emulator running: stop it by the pid it wrote
    const runtime = await readFile(join(dir, 'data', 'runtime.json'), 'utf8').then((text) => JSON.parse(text) as RuntimeFile, () => undefined)
    if (runtime) {
      process.kill(runtime.pid, 'SIGTERM')
      const deadline = Date.now() + 10_000
      while (alive(runtime.pid) && Date.now() < deadline) await sleep(50)
    }
    await cleanup()
  })

  const script = (body: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn('sh', ['-c', body], { cwd: dir, env: { ...process.env, ...isolated(), BKEND: `${process.execPath} ${BIN}` } })
      let stdout = ''
      let stderr = ''
      child.stdout.on('data', (c) => (stdout += c))
      child.stderr.on('data', (c) => (stderr += c))
      child.on('exit', (code) => resolve({ code, stdout, stderr }))
    })

  it('a command started together with bkend dev succeeds with --wait', async () => {
    const run = await script('$BKEND dev --port 0 --data-dir data > dev.log 2>&1 & $BKEND users create --email ada@example.com --name Ada --data-dir data --json --wait')
    expect(run.code, run.stderr).to.equal(0)
    expect(JSON.parse(run.stdout)).to.include({ email: 'ada@example.com', name: 'Ada' })
    const listed = await runCli(['users', 'list', '--data-dir', join(dir, 'data'), '--json'], { env: isolated() })
    expect(JSON.parse(listed.stdout).items.map((u: { email: string }) => u.email)).to.deep.equal(['ada@example.com'])
  })

  it('bkend dev wait returns once the emulator answers and prints its URL', async () => {
    const run = await script('$BKEND dev --port 0 --data-dir data > dev.log 2>&1 & $BKEND dev wait --data-dir data --json')
    expect(run.code, run.stderr).to.equal(0)
    const ready = JSON.parse(run.stdout)
    const runtime = JSON.parse(await readFile(join(dir, 'data', 'runtime.json'), 'utf8')) as RuntimeFile
    expect(ready).to.deep.equal({ url: runtime.url, mcpUrl: runtime.mcpUrl, dataDir: join(dir, 'data'), pid: runtime.pid })
  })

  it('with nothing starting, waiting ends after the timeout with target/wait-timeout and exit 1', async () => {
    const started = Date.now()
    const waited = await runCli(['dev', 'wait', '--data-dir', join(dir, 'data'), '--timeout', '1', '--json'], { env: isolated() })
    expect(waited.code).to.equal(1)
    expect(JSON.parse(waited.stderr).error).to.include({ code: 'target/wait-timeout' })
    const flagged = await runCli(['users', 'list', '--data-dir', join(dir, 'data'), '--wait=1'], { env: isolated() })
    expect(flagged.code).to.equal(1)
    expect(flagged.stderr).to.include(`Error: no bkend dev became ready within 1s in ${join(dir, 'data')}: no running bkend dev found in`)
    expect(Date.now() - started).to.be.below(15_000)
  })
})
