import { expect } from 'chai'
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { RuntimeFile } from '../../src/contract/emulator.js'
import { BIN, runBinary, spawnDev, withoutMachineBkendEnv, type DevProcess } from '../helpers/cli.js'
import { EXTENSION_TOOLS } from '../../src/emulator/mcp/registry.js'
import { connectWithToken } from '../helpers/mcp-client.js'
import { shellQuote as quote, tmuxAvailable, tmuxTerminal } from '../helpers/tmux.js'
import { tempDir } from '../helpers/tmp.js'

/** The names `tools/list` shows a session of this emulator. */
async function toolNames(dev: DevProcess): Promise<string[]> {
  const { client } = await connectWithToken(dev.ready.mcpUrl, dev.ready.tenantToken)
  try {
    return (await client.listTools()).tools.map((tool) => tool.name)
  } finally {
    await client.close()
  }
}

// `bkend dev` itself is under test: the flag and its variable must reach the emulator the binary starts.
describe('e2e: bkend dev --cloud-parity', function () {
  this.timeout(40_000)
  let dir: string
  let cleanup: () => Promise<void>
  beforeEach(async () => ({ dir, cleanup } = await tempDir()))
  afterEach(() => cleanup())

  const runtime = async () => JSON.parse(await readFile(join(dir, 'runtime.json'), 'utf8')) as RuntimeFile
  const clean = withoutMachineBkendEnv()

  it('the flag and BKEND_CLOUD_PARITY turn the mode on; without either it is off', async () => {
    const counts: Record<string, number> = {}
    for (const [name, args, env] of [
      ['flag', ['--cloud-parity'], clean],
      ['variable', [], { ...clean, BKEND_CLOUD_PARITY: '1' }],
      ['neither', [], clean],
    ] as const) {
      const dev = await spawnDev(['--port', '0', '--data-dir', dir, ...args], env)
      try {
        const on = name !== 'neither'
        expect(dev.ready.cloudParity, name).to.equal(on)
        expect((await runtime()).cloudParity, name).to.equal(on)
        counts[name] = (await toolNames(dev)).length
        const page = await fetch(`${dev.ready.url}/_emulator/invitations/${'a'.repeat(64)}`)
        const body = (await page.json().catch(() => undefined)) as { error?: { code: string } } | undefined
        // Without the mode the page exists and shows an unknown invitation as an HTML error page.
        expect(body?.error?.code, name).to.equal(on ? 'common/not-found' : undefined)
        expect((await fetch(`${dev.ready.url}/_emulator/health`)).status, name).to.equal(200)
      } finally {
        expect(await dev.stop('SIGTERM')).to.equal(0)
      }
    }
    expect(counts.flag).to.equal(counts.variable)
    // the mode hides exactly the extension tools
    expect(counts.neither! - counts.flag!).to.equal(EXTENSION_TOOLS.size)
  })

  it('the plain ready text names the mode, and the CLI explains a hidden tool instead of calling it', async () => {
    const dev = await spawnDev(['--port', '0', '--data-dir', dir, '--cloud-parity'], clean)
    try {
      const created = await runBinary(['keys', 'create', 'web', '--data-dir', dir], { env: clean })
      expect(created.code).to.equal(1)
      expect(created.stdout).to.equal('')
      expect(created.stderr).to.equal(
        `Error: the local emulator (${dev.ready.url}) cannot create API keys (its MCP server has no backend_access_token_create tool)\n` +
          "Hint: the hosted service lacks it too (bkend dev runs with --cloud-parity); restart 'bkend dev' without --cloud-parity to use it locally\n",
      )
      const listed = await runBinary(['projects', 'list', '--json', '--data-dir', dir], { env: clean })
      expect(listed.code, listed.stderr).to.equal(0)
    } finally {
      expect(await dev.stop('SIGTERM')).to.equal(0)
    }

    // Not a terminal and no --json: the plain ready text, whose mode line is the only difference the flag makes.
    for (const args of [['--cloud-parity'], []]) {
      const child = spawn(process.execPath, [BIN, 'dev', '--port', '0', '--data-dir', dir, ...args], { env: { ...process.env, ...clean }, stdio: ['ignore', 'pipe', 'pipe'] })
      const exited = new Promise((resolve) => child.on('exit', resolve))
      let text = ''
      await new Promise<void>((resolve) =>
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString()
          if (text.includes('credentials')) resolve()
        }),
      )
      child.kill('SIGTERM')
      await exited
      const modeLines = text.split('\n').filter((line) => line.trimStart().startsWith('mode '))
      expect(modeLines, text).to.deep.equal(args.length ? ['  mode             cloud parity: only what the hosted service documents'] : [])
    }
  })

  it('on a terminal, the dashboard shows the mode; Ctrl+C stops it cleanly', async () => {
    if (!(await tmuxAvailable())) throw new Error('the terminal tests need tmux: apt-get install tmux (.ci/run installs it)')
    const terminal = tmuxTerminal(`bkend-parity-${process.pid}`)
    try {
      await terminal.start(`${quote(process.execPath)} ${quote(BIN)} dev --port 0 --data-dir ${quote(dir)} --cloud-parity; echo "[exit $?]"; sleep 60`)
      const screen = await terminal.waitForScreen((s) => s.includes('q quit'))
      expect(screen).to.include('bkend dev is ready')
      expect(screen).to.match(/Mode\s+cloud parity: only what the hosted service documents/)
      await terminal.keys('C-c')
      expect(await terminal.waitForScreen((s) => s.includes('[exit'))).to.include('[exit 0]')
    } finally {
      await terminal.close()
    }
  })
})
