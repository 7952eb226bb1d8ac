import { expect } from 'chai'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { connectWithToken, toolErrorCode, toolJson, toolText } from '../helpers/mcp-client.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The extension fields and syntax of the documented API (README-D12): with cloud-parity mode on, each is answered as
 * the hosted service would; without it, the emulator's extension still works. Each case runs against both.
 */
describe('http: cloud-parity mode answers the API’s extensions as the cloud would (README-D12)', function () {
  this.timeout(30_000)
  let parity: TestEmulator
  let plain: TestEmulator
  before(async () => {
    parity = await startEmulator({ cloudParity: true })
    plain = await startEmulator()
  })
  after(async () => {
    await parity.dispose()
    await plain.dispose()
  })

  async function withMcp<T>(emu: TestEmulator, use: (client: Client) => Promise<T>): Promise<T> {
    const { client } = await connectWithToken(emu.mcpUrl, emu.seed.tenantToken)
    try {
      return await use(client)
    } finally {
      await client.close()
    }
  }

  describe('parentheses in permission expressions (RD-D10)', () => {
    const update = (emu: TestEmulator, tableName: string, expressionPermissions: Json) =>
      withMcp(emu, async (client) => {
        const created = await client.callTool({ name: 'backend_table_create', arguments: { projectId: emu.seed.projectId, environment: 'dev', tableName, schema: { title: { type: 'string' } } } })
        const tableId = toolJson<{ id: string }>(created).id
        return client.callTool({ name: 'backend_table_update', arguments: { tableId, expressionPermissions } })
      })

    // note: this runs first, so the parser's cache (shared by both emulators in this process) already holds the
    // expression when the parity emulator is asked to save it.
    it('are saved without the mode', async () => {
      const saved = await update(plain, 'grouped', { read: '(user | guest) & public' })
      expect(saved.isError ?? false, toolText(saved)).to.equal(false)
      expect(toolJson<Json>(saved).expressionPermissions).to.deep.equal({ read: '(user | guest) & public' })
    })

    it('are a syntax error with the mode, saying they are an emulator extension, and nothing is saved', async () => {
      const refused = await update(parity, 'grouped', { read: 'admin', list: '(user | guest) & public' })
      expect(toolErrorCode(refused)).to.equal('VALIDATION_ERROR')
      expect(toolText(refused)).to.include('Invalid permission expression \\"(user | guest) & public\\" in expressionPermissions.list: unexpected \\"(\\": parentheses are an emulator extension')
      const table = await withMcp(parity, async (client) => {
        const tables = toolJson<{ items: Array<{ id: string; tableName: string }> }>(await client.callTool({ name: 'backend_table_list', arguments: { projectId: parity.seed.projectId, environment: 'dev' } }))
        const id = tables.items.find((t) => t.tableName === 'grouped')?.id
        return toolJson<Json>(await client.callTool({ name: 'backend_table_get', arguments: { tableId: id } }))
      })
      expect(table.expressionPermissions ?? null).to.equal(null)
    })

    it('the same expression written without them is saved with the mode', async () => {
      const saved = await update(parity, 'flat', { read: 'user & public | guest & public' })
      expect(saved.isError ?? false, toolText(saved)).to.equal(false)
      expect(toolJson<Json>(saved).expressionPermissions).to.deep.equal({ read: 'user & public | guest & public' })
    })
  })
})
