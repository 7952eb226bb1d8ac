import { expect } from 'chai'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { RuntimeFile } from '../../src/contract/emulator.js'
import { startManagementHarness, type ManagementHarness } from './management-harness.js'

/** What crossed the wire to /mcp: `tools/call <tool>`, other JSON-RPC methods by name, and `DELETE` for a session end. */
type Trip = string

/**
 * A recording proxy in front of the emulator's /mcp. `serverVersion` rewrites the version the initialize result
 * names, to play an emulator of another release.
 */
async function startRecorder(upstream: string, serverVersion?: string): Promise<{ url: string; trips: Trip[]; close: () => Promise<void> }> {
  const target = new URL(upstream)
  const trips: Trip[] = []
  const http: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = []
    incoming.on('data', (c: Buffer) => chunks.push(c))
    incoming.on('end', () => {
      const body = Buffer.concat(chunks)
      let initialize = false
      if (incoming.method === 'POST') {
        const message = JSON.parse(body.toString()) as { method?: string; params?: { name?: string } }
        trips.push(message.method === 'tools/call' ? `tools/call ${message.params?.name}` : String(message.method))
        initialize = message.method === 'initialize'
      } else trips.push(String(incoming.method))
      const forwarded = request({ host: target.hostname, port: target.port, path: incoming.url, method: incoming.method, headers: { ...incoming.headers, host: target.host } }, (answer) => {
        const parts: Buffer[] = []
        answer.on('data', (c: Buffer) => parts.push(c))
        answer.on('end', () => {
          let text = Buffer.concat(parts).toString()
          if (initialize && serverVersion) text = text.replace(/("serverInfo":\{"name":"bkend","version":")[^"]*"/, `$1${serverVersion}"`)
          const headers = { ...answer.headers }
          delete headers['content-length']
          outgoing.writeHead(answer.statusCode ?? 502, headers).end(text)
        })
      })
      forwarded.end(body)
    })
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`, trips, close: () => new Promise((resolve) => http.close(() => resolve())) }
}

describe('cli: MCP round trips of management commands (local target)', function () {
  this.timeout(60_000)
  let h: ManagementHarness
  before(async () => {
    h = await startManagementHarness()
  })
  after(async () => {
    await h.dispose()
  })

  /** Runs the CLI with a data dir whose runtime.json sends MCP through a recorder, and returns the run and the trips. */
  async function recorded(args: string[], serverVersion?: string) {
    const recorder = await startRecorder(h.emu.mcpUrl, serverVersion)
    const dir = join(h.dir, `..`, `recorded-${Math.random().toString(16).slice(2)}`)
    await mkdir(dir)
    const runtime = JSON.parse(await readFile(join(h.emu.dataDir, 'runtime.json'), 'utf8')) as RuntimeFile
    await writeFile(join(dir, 'runtime.json'), JSON.stringify({ ...runtime, mcpUrl: recorder.url }))
    try {
      const run = await h.run([...args, '--data-dir', dir], { dataDir: false })
      return { run, trips: recorder.trips }
    } finally {
      await recorder.close()
    }
  }

  it('tables list: one project read (its environments come with it), one table list, no tools/list', async () => {
    const { run, trips } = await recorded(['tables', 'list', '--json'])
    expect(run.code, run.stderr).to.equal(0)
    expect(run.json.environment).to.equal('dev')
    // note: the SDK also tries to open an SSE stream (GET, answered 405) beside the calls, never waited for
    expect(trips.filter((t) => t !== 'GET')).to.deep.equal(['initialize', 'notifications/initialized', 'tools/call backend_project_get', 'tools/call backend_table_list', 'DELETE'])
  })

  it('status reads the project once although three answers need it', async () => {
    const { run, trips } = await recorded(['status', '--json'])
    expect(run.code, run.stderr).to.equal(0)
    expect(run.json.environment.id).to.equal(h.emu.seed.environment.id)
    expect(trips.filter((t) => t === 'tools/call backend_project_get')).to.have.length(1)
    expect(trips).to.not.include('tools/call backend_env_list')
    expect(trips).to.not.include('tools/list')
  })

  it('keys create on the emulator of this version needs no tools/list to know the tool exists', async () => {
    const { run, trips } = await recorded(['keys', 'create', 'round-trip', '--json'])
    expect(run.code, run.stderr).to.equal(0)
    expect(run.json.name).to.equal('round-trip')
    expect(trips).to.not.include('tools/list')
    expect(trips).to.include('tools/call backend_access_token_create')
  })

  it('an emulator of another version is asked for its tools, once per session', async () => {
    const { run, trips } = await recorded(['keys', 'revoke', 'round-trip', '--yes', '--json'], '0.0.0-other')
    expect(run.code, run.stderr).to.equal(0)
    expect(trips.filter((t) => t === 'tools/list')).to.have.length(1)
    expect(trips.indexOf('tools/list')).to.be.lessThan(trips.indexOf('tools/call backend_access_token_revoke'))
    const list = await recorded(['tables', 'list', '--json'], '0.0.0-other')
    expect(list.run.code, list.run.stderr).to.equal(0)
    expect(list.trips).to.not.include('tools/list')
  })
})
