import { expect } from 'chai'
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BIN } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'

const HOOK = fileURLToPath(new URL('../fixtures/module-log.mjs', import.meta.url))

describe('e2e: the MCP SDK loads with the first MCP session, not at start-up', function () {
  this.timeout(30_000)

  it('bkend dev is ready without the SDK, its schemas or zod; an MCP initialize then loads and answers', async () => {
    const { dir, cleanup } = await tempDir()
    const log = join(dir, 'modules.log')
    const child = spawn(process.execPath, ['--import', HOOK, BIN, 'dev', '--json', '--port', '0', '--data-dir', join(dir, 'data')], { env: { ...process.env, BKEND_MODULE_LOG: log }, stdio: ['ignore', 'pipe', 'ignore'] })
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
    try {
      let out = ''
      const ready = await new Promise<{ mcpUrl: string; tenantToken: string }>((resolve) =>
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString()
          if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0] as string))
        }),
      )
      const sdk = async () => (await readFile(log, 'utf8')).trim().split('\n').filter((url) => url.includes('/@modelcontextprotocol/sdk/') || url.includes('/node_modules/zod/') || url.endsWith('/dist/client/mcp-sdk.js'))
      expect(await sdk()).to.deep.equal([])

      const initialize = await fetch(ready.mcpUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${ready.tenantToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'lazy-test', version: '1' } } }),
      })
      expect(initialize.status).to.equal(200)
      expect(await initialize.text()).to.include('"serverInfo"')
      const loaded = await sdk()
      expect(loaded.some((url) => url.includes('/@modelcontextprotocol/sdk/dist/esm/server/'))).to.equal(true)
    } finally {
      child.kill('SIGTERM')
      await exited
      await cleanup()
    }
  })
})
