import { expect } from 'chai'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { mcpEndpoint, McpTargetError, resolveMcpTarget } from '../../src/client/mcp-target.js'
import { tempDir } from '../helpers/tmp.js'

describe('unit: bkend mcp target resolution', () => {
  let dir: string
  let cleanup: () => Promise<void>
  beforeEach(async () => ({ dir, cleanup } = await tempDir()))
  afterEach(() => cleanup())
  const runtime = (pid: number) => writeFile(join(dir, 'runtime.json'), JSON.stringify({ version: 1, pid, url: 'http://127.0.0.1:4555', mcpUrl: 'http://127.0.0.1:4555/mcp', tenantToken: 'tok' }))
  const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error)

  it('appends /mcp to bare origins and keeps explicit paths', () => {
    expect(mcpEndpoint('http://127.0.0.1:4100')).to.equal('http://127.0.0.1:4100/mcp')
    expect(mcpEndpoint('https://api.example.com/mcp')).to.equal('https://api.example.com/mcp')
    expect(() => mcpEndpoint('not a url')).to.throw(McpTargetError)
  })

  it('flags win over the runtime file', async () => {
    expect(await resolveMcpTarget({ dataDir: dir, url: 'http://h:1', token: 't' })).to.deep.equal({ url: 'http://h:1/mcp', token: 't', source: 'flags' })
  })

  it('uses the running emulator of the data dir, with its tenant token', async () => {
    await runtime(process.pid)
    expect(await resolveMcpTarget({ dataDir: dir })).to.deep.equal({ url: 'http://127.0.0.1:4555/mcp', token: 'tok', source: 'runtime' })
    expect(await resolveMcpTarget({ dataDir: dir, token: 'mine' })).to.include({ token: 'mine', source: 'flags' })
  })

  it('refuses a runtime file whose process is gone, and a missing one', async () => {
    expect(await failure(resolveMcpTarget({ dataDir: dir }))).to.be.instanceOf(McpTargetError).with.property('message').that.includes('no running bkend emulator')
    await runtime(2 ** 22 + 12345)
    expect(await failure(resolveMcpTarget({ dataDir: dir }))).to.be.instanceOf(McpTargetError).with.property('message').that.includes('is not running')
  })
})
