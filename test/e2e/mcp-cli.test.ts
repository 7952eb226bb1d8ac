import { expect } from 'chai'
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { join } from 'node:path'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
// `bkend mcp` serves MCP on its own stdin and stdout, so every run here is the spawned binary
import { BIN, runBinary, spawnDev, type DevProcess } from '../helpers/cli.js'
import { connectWithToken, toolErrorCode, toolJson, toolText } from '../helpers/mcp-client.js'
import { authorizeCode, pkce, registerClient } from '../helpers/oauth.js'
import { tempDir } from '../helpers/tmp.js'

describe('e2e: spawned bkend dev with MCP clients', function () {
  this.timeout(60_000)
  let dir: string
  let cleanup: () => Promise<void>
  let dev: DevProcess
  before(async () => {
    ;({ dir, cleanup } = await tempDir())
    dev = await spawnDev(['--port', '0', '--data-dir', dir])
  })
  after(async () => {
    await dev.stop()
    await cleanup()
  })

  it('the SDK client connects to ready.mcpUrl with ready.tenantToken', async () => {
    const { client } = await connectWithToken(dev.ready.mcpUrl, dev.ready.tenantToken)
    try {
      const projects = toolJson<{ items: Array<{ id: string }> }>(await client.callTool({ name: 'backend_project_list', arguments: {} }))
      expect(projects.items.map((p) => p.id)).to.deep.equal([dev.ready.projectId])
      expect(toolText(await client.callTool({ name: 'get_context', arguments: {} }))).to.include(dev.ready.organizationId)
      // The built package finds its docs corpus next to dist/.
      expect(toolText(await client.callTool({ name: 'search_docs', arguments: { query: 'andFilters $gte' } }))).to.include('### Filters, search, sorting and paging')
    } finally {
      await client.close()
    }
  })

  it('bkend mcp bridges stdio to the running emulator found through --data-dir', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', '--data-dir', dir], stderr: 'pipe' })
    const client = new Client({ name: 'stdio-test', version: '1.0.0' })
    await client.connect(transport)
    try {
      expect(client.getServerVersion()?.name).to.equal('bkend')
      expect(client.getInstructions()).to.include('get_context')
      const { tools } = await client.listTools()
      expect(tools.map((t) => t.name)).to.include.members(['get_context', 'backend_table_create', 'backend_data_list'])
      const created = toolJson<{ id: string; slug: string }>(
        await client.callTool({ name: 'backend_project_create', arguments: { body: { organizationId: dev.ready.organizationId, slug: 'via-stdio', name: 'Via stdio', primaryCloud: 'aws', primaryRegion: 'local' } } }),
      )
      expect(created.slug).to.equal('via-stdio')
      expect(toolErrorCode(await client.callTool({ name: 'backend_project_get', arguments: { projectId: 'f'.repeat(24) } }))).to.equal('NOT_FOUND')
      let code: number | undefined
      await client.callTool({ name: 'no_such_tool', arguments: {} }).catch((error: { code: number }) => (code = error.code))
      expect(code).to.equal(-32602)
      const { resources } = await client.listResources()
      expect(resources.map((r) => r.uri)).to.include('bkend://projects')
      const read = await client.readResource({ uri: `bkend://projects/${created.id}` })
      expect(JSON.parse((read.contents[0] as { text: string }).text).slug).to.equal('via-stdio')
    } finally {
      await client.close()
    }
  })

  it('bkend mcp fails with a hint when no emulator runs in the data dir, or a URL target has no credentials', async () => {
    const { dir: empty, cleanup: done } = await tempDir()
    try {
      const env = { XDG_CONFIG_HOME: join(empty, 'config'), BKEND_ACCESS_TOKEN: undefined, BKEND_TARGET: undefined }
      const result = await runBinary(['mcp', '--data-dir', empty], { cwd: empty, env })
      expect(result.code).to.equal(1)
      expect(result.stderr).to.include(`Error: no running bkend dev found in ${empty}`).and.include("Hint: start one with 'bkend dev'")
      expect(result.stdout).to.equal('')
      for (const args of [['--url', 'http://127.0.0.1:9'], ['--target', 'http://127.0.0.1:9']]) {
        const urlOnly = await runBinary(['mcp', ...args], { cwd: empty, env })
        expect(urlOnly.code).to.equal(1)
        expect(urlOnly.stderr).to.equal("Error: not logged in to http://127.0.0.1:9/mcp\nHint: run 'bkend login --target http://127.0.0.1:9' (or set BKEND_ACCESS_TOKEN in CI)\n")
      }
    } finally {
      await done()
    }
  })

  it('bkend mcp with a wrong token reports the refusal with a hint', async () => {
    const result = await runBinary(['mcp', '--target', dev.ready.url, '--token', 'not-a-token'])
    expect(result.code).to.equal(1)
    expect(result.stdout).to.equal('')
    expect(result.stderr).to.include(`Error: ${dev.ready.mcpUrl} rejected the credentials (401)`).and.include('Hint: the access token (BKEND_ACCESS_TOKEN or --token) was rejected')
  })

  it('bkend mcp takes --target <url> with a token like every other command', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', '--target', dev.ready.url], env: { ...process.env, BKEND_ACCESS_TOKEN: dev.ready.tenantToken } as Record<string, string>, stderr: 'pipe' })
    const client = new Client({ name: 'stdio-url-test', version: '1.0.0' })
    await client.connect(transport)
    try {
      const projects = toolJson<{ items: Array<{ id: string }> }>(await client.callTool({ name: 'backend_project_list', arguments: {} }))
      expect(projects.items.map((p) => p.id)).to.include(dev.ready.projectId)
    } finally {
      await client.close()
    }
  })
})

describe('e2e: bkend mcp lifecycle', function () {
  this.timeout(60_000)

  it('survives an emulator restart on another port: it re-reads runtime.json and reconnects', async () => {
    const { dir, cleanup } = await tempDir()
    let dev = await spawnDev(['--port', '0', '--data-dir', dir])
    const client = new Client({ name: 'restart-test', version: '1.0.0' })
    try {
      await client.connect(new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp', '--data-dir', dir], stderr: 'pipe' }))
      const before = toolJson<{ items: unknown[] }>(await client.callTool({ name: 'backend_project_list', arguments: {} }))
      const firstUrl = dev.ready.url
      await dev.stop()
      dev = await spawnDev(['--port', '0', '--data-dir', dir])
      expect(dev.ready.url).to.not.equal(firstUrl)
      const after = toolJson<{ items: unknown[] }>(await client.callTool({ name: 'backend_project_list', arguments: {} }))
      expect(after.items).to.deep.equal(before.items)
    } finally {
      await client.close()
      await dev.stop()
      await cleanup()
    }
  })

  /** Runs `fn` with a `bkend mcp` bridged to a fresh `bkend dev`: the child, its exit code, and its stdout so far. */
  async function withBridge(fn: (bridge: { child: ChildProcessWithoutNullStreams; exited: Promise<number | null>; out: () => string }) => Promise<void>): Promise<void> {
    const { dir, cleanup } = await tempDir()
    const dev = await spawnDev(['--port', '0', '--data-dir', dir])
    try {
      const child = spawn(process.execPath, [BIN, 'mcp', '--data-dir', dir], { stdio: ['pipe', 'pipe', 'pipe'] })
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
      let out = ''
      child.stdout.on('data', (chunk) => (out += chunk))
      await fn({ child, exited, out: () => out })
    } finally {
      await dev.stop()
      await cleanup()
    }
  }

  it('exits by itself when the host closes its stdin', () =>
    withBridge(async ({ child, exited, out }) => {
      const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } }
      child.stdin.write(JSON.stringify(init) + '\n')
      while (!out().includes('"id":1')) await new Promise((r) => setTimeout(r, 50))
      expect(JSON.parse(out().split('\n')[0] as string).result.serverInfo.name).to.equal('bkend')
      child.stdin.end()
      expect(await exited).to.equal(0)
    }))

  it('answers every request a host piped in before closing its stdin, then exits', () =>
    withBridge(async ({ child, exited, out }) => {
      const messages = [
        { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'piped', version: '1' } } },
        { jsonrpc: '2.0', method: 'notifications/initialized' },
        { jsonrpc: '2.0', id: 2, method: 'tools/list' },
        { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'backend_project_list', arguments: {} } },
      ]
      child.stdin.end(messages.map((m) => JSON.stringify(m)).join('\n') + '\n')
      expect(await exited).to.equal(0)
      const answers = out().trim().split('\n').map((line) => JSON.parse(line) as { id: number; result: { tools?: unknown[]; content?: unknown[] } })
      expect(answers.map((a) => a.id).sort()).to.deep.equal([1, 2, 3])
      expect(answers.find((a) => a.id === 2)!.result.tools).to.have.length.greaterThan(10)
      expect(answers.find((a) => a.id === 3)!.result.content).to.have.length(1)
    }))
})

describe('e2e: bkend dev --oauth-auto-approve', function () {
  this.timeout(60_000)

  for (const [how, args, env] of [
    ['the flag', ['--oauth-auto-approve'], {}],
    ['BKEND_OAUTH_AUTO_APPROVE=1', [], { BKEND_OAUTH_AUTO_APPROVE: '1' }],
  ] as const) {
    it(`${how} makes the authorization endpoint redirect with a code at once`, async () => {
      const { dir, cleanup } = await tempDir()
      const dev = await spawnDev(['--port', '0', '--data-dir', dir, ...args], env)
      try {
        const { client_id } = await registerClient(dev.ready.url)
        expect(await authorizeCode(dev.ready.url, client_id, pkce().challenge)).to.match(/^[0-9a-f]{32}$/)
      } finally {
        await dev.stop()
        await cleanup()
      }
    })
  }

  it('without it, the authorization endpoint shows the consent page', async () => {
    const { dir, cleanup } = await tempDir()
    const dev = await spawnDev(['--port', '0', '--data-dir', dir])
    try {
      const { client_id } = await registerClient(dev.ready.url)
      let failure: unknown
      await authorizeCode(dev.ready.url, client_id, pkce().challenge).catch((error) => (failure = error))
      expect(String(failure)).to.include('no code: 200')
    } finally {
      await dev.stop()
      await cleanup()
    }
  })
})
