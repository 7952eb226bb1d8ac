import { expect } from 'chai'
import { spawn } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { BIN } from '../helpers/cli.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { tempDir } from '../helpers/tmp.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const HOOK = fileURLToPath(new URL('../fixtures/module-log.mjs', import.meta.url))

/** Runs the built CLI with the module-log hook: exit code, stdout, and every module URL it resolved. */
async function runLogged(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string; modules: string[] }> {
  const { dir, cleanup } = await tempDir()
  const log = join(dir, 'modules.log')
  try {
    const child = spawn(process.execPath, ['--import', HOOK, BIN, ...args], { env: { ...process.env, ...env, BKEND_MODULE_LOG: log }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c) => (stdout += c))
    child.stderr.on('data', (c) => (stderr += c))
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    return { code, stdout, stderr, modules: (await readFile(log, 'utf8')).trim().split('\n') }
  } finally {
    await cleanup()
  }
}

// The build replaces dist/client/mcp-sdk.js with an esbuild bundle; tests from src use the SDK's own files.
describe('e2e: the built CLI talks MCP through its bundled SDK', function () {
  this.timeout(30_000)
  let emu: TestEmulator
  before(async () => {
    emu = await startEmulator()
  })
  after(async () => {
    await emu.dispose()
  })

  it('the bundle exports what the source module does, as one file with no SDK or zod import', async () => {
    const bundled = await import(pathToFileURL(join(ROOT, 'dist', 'client', 'mcp-sdk.js')).href)
    const source = await import('../../src/client/mcp-sdk.js')
    const names = Object.keys(source).sort()
    expect(names.length).to.be.greaterThan(5)
    expect(Object.keys(bundled).sort()).to.deep.equal(names)
    const text = await readFile(join(ROOT, 'dist', 'client', 'mcp-sdk.js'), 'utf8')
    expect(text).to.not.match(/from\s*["'](?:@modelcontextprotocol|zod|ajv)/)
  })

  it('a management command works through it and resolves no module of the SDK or zod', async () => {
    const run = await runLogged(['tables', 'list', '--json', '--data-dir', emu.dataDir], { XDG_CONFIG_HOME: join(emu.dataDir, 'config') })
    expect(run.code, run.stderr).to.equal(0)
    expect(JSON.parse(run.stdout)).to.deep.equal({ environment: 'dev', tables: [] })
    expect(run.modules.some((url) => url.endsWith('/dist/client/mcp-sdk.js'))).to.equal(true)
    expect(run.modules.filter((url) => /\/node_modules\/(?:@modelcontextprotocol|zod|ajv)\//.test(url))).to.deep.equal([])
  })

  it("the SDK's own errors are still recognised: a rejected token is auth/unauthorized, not unreachable", async () => {
    const { dir, cleanup } = await tempDir()
    try {
      const runtime = JSON.parse(await readFile(join(emu.dataDir, 'runtime.json'), 'utf8')) as Record<string, unknown>
      await writeFile(join(dir, 'runtime.json'), JSON.stringify({ ...runtime, tenantToken: 'not-a-token' }))
      const run = await runLogged(['tables', 'list', '--json', '--data-dir', dir], { XDG_CONFIG_HOME: join(dir, 'config') })
      expect(run.code).to.equal(1)
      expect(run.stdout).to.equal('')
      expect(JSON.parse(run.stderr).error.code).to.equal('auth/unauthorized')
    } finally {
      await cleanup()
    }
  })
})
