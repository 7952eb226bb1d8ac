import { expect } from 'chai'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { startManagementHarness, type ManagementHarness } from './management-harness.js'

const project = { id: 'a'.repeat(24), organizationId: 'b'.repeat(24), name: 'Shop', slug: 'shop', environmentCount: 1 }
const env = { id: 'c'.repeat(24), projectId: project.id, organizationId: project.organizationId, environment: 'dev', environmentType: 'dev', status: 'active' }
const page = (items: unknown[]) => ({ items, pagination: { total: items.length, page: 1, limit: 100, totalPages: 1, hasNext: false, hasPrev: false, hasNextPage: false, hasPrevPage: false } })
const text = (value: unknown) => ({ content: [{ type: 'text' as const, text: JSON.stringify(value) }] })

/**
 * A server shaped like bkend's hosted MCP: the documented read tools only, no key creation or deletion tools.
 * Stateless Streamable HTTP (a fresh server per request), any bearer token accepted.
 */
async function startHostedLikeServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const http: Server = createServer(async (request, response) => {
    const server = new McpServer({ name: 'hosted-like', version: '1.0.0' })
    server.registerTool('backend_project_list', {}, async () => text(page([project])))
    server.registerTool('backend_project_get', {}, async () => text({ ...project, environments: [env] }))
    server.registerTool('backend_env_list', {}, async () => text(page([env])))
    server.registerTool('backend_table_get', {}, async () => ({ isError: true, content: [{ type: 'text' as const, text: JSON.stringify({ error: { code: 'FORBIDDEN', message: 'this table belongs to another organization', details: [] } }) }] }))
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
    response.on('close', () => void server.close())
    await server.connect(transport)
    await transport.handleRequest(request, response)
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`
  return { url, close: () => new Promise((resolve) => http.close(() => resolve())) }
}

describe('cli: capabilities a target lacks, and tool errors', function () {
  this.timeout(30_000)
  let h: ManagementHarness
  let hosted: { url: string; close: () => Promise<void> }
  before(async () => {
    h = await startManagementHarness()
    hosted = await startHostedLikeServer()
  })
  after(async () => {
    await hosted.close()
    await h.dispose()
  })
  const run = (args: string[]) => h.run([...args, '--target', hosted.url, '--project', 'shop'], { dataDir: false, env: { BKEND_ACCESS_TOKEN: 'ci-token' } })

  it('reads work through BKEND_ACCESS_TOKEN', async () => {
    const envs = await run(['envs', 'list', '--json'])
    expect(envs.code, envs.stderr).to.equal(0)
    expect(envs.json.environments[0].id).to.equal(env.id)
  })

  it('keys create is explained from tools/list, not attempted', async () => {
    const created = await run(['keys', 'create', 'web'])
    expect(created.code).to.equal(1)
    expect(created.stderr).to.equal(`Error: ${hosted.url} cannot create API keys (its MCP server has no backend_access_token_create tool)\nHint: create keys in the bkend console (or use 'bkend keys create' against the local emulator)\n`)
    const json = await run(['projects', 'delete', 'shop', '--yes', '--json'])
    expect(json.errorJson.error).to.include({ code: 'target/unsupported', hint: 'delete it in the bkend console' })
  })

  it('auth settings commands are explained from tools/list on a target without the extension tools', async () => {
    const cases: Array<[string[], string]> = [
      [['auth', 'config', 'get'], 'read authentication settings (its MCP server has no backend_auth_config_get tool)'],
      [['auth', 'config', 'set', 'minLength=8'], 'change authentication settings (its MCP server has no backend_auth_config_update tool)'],
      [['auth', 'providers', 'disable', 'github'], 'configure sign-in providers (its MCP server has no backend_auth_provider_upsert tool)'],
    ]
    for (const [args, message] of cases) {
      const out = await run([...args, '--json'])
      expect(out.code).to.equal(1)
      expect(out.stdout).to.equal('')
      expect(out.errorJson.error).to.deep.equal({ code: 'target/unsupported', message: `${hosted.url} cannot ${message}`, hint: 'change authentication settings in the bkend console' })
    }
  })

  it('the console commands of issue 16 are explained from tools/list on a target without their tools', async () => {
    const cases: Array<[string[], string, string]> = [
      [['keys', 'delete', 'web', '--yes'], 'delete API keys (its MCP server has no backend_access_token_delete tool)', 'delete it in the bkend console'],
      [['auth', 'providers', 'delete', 'github', '--yes'], 'delete sign-in provider configurations (its MCP server has no backend_auth_provider_delete tool)', 'change authentication settings in the bkend console'],
      [['auth', 'templates', 'list'], 'read e-mail templates (its MCP server has no backend_email_template_list tool)', 'change e-mail templates in the bkend console'],
      [['auth', 'templates', 'reset', 'magic_link', '--yes'], 'reset e-mail templates (its MCP server has no backend_email_template_reset tool)', 'change e-mail templates in the bkend console'],
      [['auth', 'sender', 'set', '--name', 'Shop'], 'change e-mail sender settings (its MCP server has no backend_email_settings_update tool)', 'change e-mail settings in the bkend console'],
      [['projects', 'stats'], 'show usage statistics (its MCP server has no backend_org_usage tool)', "see the figures on the bkend console's dashboard"],
    ]
    for (const [args, message, hint] of cases) {
      const out = await run([...args, '--json'])
      expect(out.code, args.join(' ')).to.equal(1)
      expect(out.stdout).to.equal('')
      expect(out.errorJson.error).to.deep.equal({ code: 'target/unsupported', message: `${hosted.url} cannot ${message}`, hint })
    }
  })

  it('an isError tool result becomes an error with the server code and a hint', async () => {
    const table = await run(['tables', 'get', 'd'.repeat(24), '--json'])
    expect(table.code).to.equal(1)
    expect(table.stdout).to.equal('')
    expect(table.errorJson.error).to.deep.equal({ code: 'FORBIDDEN', message: 'this table belongs to another organization', hint: 'your organization role does not allow this; ask an owner or admin of the organization' })
  })

  it('an unreachable target says so', async () => {
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const port = (probe.address() as AddressInfo).port
    await new Promise((resolve) => probe.close(resolve))
    const down = await h.run(['projects', 'list', '--target', `http://127.0.0.1:${port}`], { dataDir: false, env: { BKEND_ACCESS_TOKEN: 'x' } })
    expect(down.code).to.equal(1)
    expect(down.stderr).to.equal(`Error: cannot reach http://127.0.0.1:${port}/mcp (ECONNREFUSED)\nHint: start the emulator with 'bkend dev' (or pass --data-dir), or check --target and your network connection\n`)
  })
})
