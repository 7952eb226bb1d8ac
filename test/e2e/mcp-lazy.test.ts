import { expect } from 'chai'
import { devWithModuleLog } from '../helpers/module-log.js'
import { tempDir } from '../helpers/tmp.js'

describe('e2e: the MCP SDK loads with the first MCP session, not at start-up', function () {
  this.timeout(30_000)

  it('bkend dev is ready without the SDK, its schemas or zod; an MCP initialize then loads and answers', async () => {
    const { dir, cleanup } = await tempDir()
    const dev = await devWithModuleLog<{ mcpUrl: string; tenantToken: string }>(dir)
    try {
      const { ready } = dev
      const sdk = async () => (await dev.loaded()).filter((url) => url.includes('/@modelcontextprotocol/sdk/') || url.includes('/node_modules/zod/') || url.endsWith('/dist/client/mcp-sdk.js'))
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
      await dev.stop()
      await cleanup()
    }
  })
})
