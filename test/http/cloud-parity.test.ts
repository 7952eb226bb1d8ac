import { readFile } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { join } from 'node:path'
import { expect } from 'chai'
import { McpError } from '@modelcontextprotocol/sdk/types.js'
import type { RuntimeFile } from '../../src/contract/emulator.js'
import { EXTENSION_SCOPES, MCP_SCOPES } from '../../src/contract/scopes.js'
import { ROUTES, routesFor } from '../../src/emulator/http/routes.js'
import { EXTENSION_TOOLS, TOOLS } from '../../src/emulator/mcp/registry.js'
import { withParityPair, type TestEmulator } from '../helpers/emulator.js'
import { connectWithToken } from '../helpers/mcp-client.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/** What an app does: calls with the publishable key (and a user token), never the tenant token. */
async function call(emu: TestEmulator, method: string, path: string, body?: unknown, token?: string): Promise<{ status: number; type: string; body: Json | string }> {
  const headers: Record<string, string> = { 'X-API-Key': emu.seed.environment.publishableKey }
  if (token) headers.Authorization = `Bearer ${token}`
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const response = await fetch(emu.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const type = response.headers.get('content-type') ?? ''
  const text = await response.text()
  return { status: response.status, type, body: type.includes('json') ? (JSON.parse(text) as Json) : text }
}

/** The tenant-token controls, as the CLI calls them. */
const control = (emu: TestEmulator, path: string, init: RequestInit = {}) =>
  fetch(emu.url + path, { ...init, headers: { Authorization: `Bearer ${emu.seed.tenantToken}`, 'Content-Type': 'application/json' } })

/** An invitation from a signed-up user, and the token of its captured e-mail (which links to the invitation page). */
async function invitationToken(emu: TestEmulator): Promise<string> {
  const signedUp = await call(emu, 'POST', '/v1/auth/email/signup', { email: 'alice@example.com', password: 'secret123', name: 'Alice' })
  expect(signedUp.status, JSON.stringify(signedUp.body)).to.equal(201)
  const invited = await call(emu, 'POST', '/v1/auth/invitations', { resourceType: 'organization', resourceId: 'org-1', resourceRole: 'member', email: 'bob@example.com' }, (signedUp.body as Json).accessToken)
  expect(invited.status, JSON.stringify(invited.body)).to.equal(201)
  const mail = (await (await control(emu, '/_emulator/mailbox?type=invitation')).json()) as { items: Array<{ token: string; link: string }> }
  expect(mail.items).to.have.length(1)
  expect(mail.items[0]!.link).to.equal(`${emu.url}/_emulator/invitations/${mail.items[0]!.token}`)
  return mail.items[0]!.token
}

/** A POST whose body carries the given content type, or none at all (fetch would add text/plain). */
function post(emu: TestEmulator, path: string, body: unknown, contentType: string | undefined): Promise<{ status: number; body: Json }> {
  const payload = JSON.stringify(body)
  const headers: Record<string, string> = { 'X-API-Key': emu.seed.environment.publishableKey, 'Content-Length': String(Buffer.byteLength(payload)) }
  if (contentType) headers['Content-Type'] = contentType
  return new Promise((resolve, reject) => {
    const req = httpRequest(emu.url + path, { method: 'POST', headers }, (res) => {
      let text = ''
      res.on('data', (chunk) => (text += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Json }))
    })
    req.on('error', reject)
    req.end(payload)
  })
}

describe('http: cloud-parity mode (README-D12)', function () {
  this.timeout(30_000)

  describe('the route list', () => {
    it('keeps the controls and stand-ins and drops only the product extensions, in one filter', () => {
      const dropped = ROUTES.filter((entry) => !routesFor(true).includes(entry))
      expect(dropped.map((entry) => entry.register.name)).to.deep.equal(['registerInvitationPage', 'registerBulkData', 'registerOrgInvitationPage'])
      for (const entry of dropped) expect(entry.extension, entry.register.name).to.equal(true)
      const kept = ROUTES.filter((entry) => entry.extension && entry.parity)
      expect(kept.map((entry) => `${entry.register.name}:${entry.parity}`)).to.deep.equal(['registerControl:control', 'registerMailbox:control', 'registerDevState:control', 'registerPush:control', 'registerLogs:control', 'registerFaults:control', 'registerFakeIdp:stand-in', 'registerStorage:stand-in', 'registerConsoleSignIn:stand-in', 'registerConsole:stand-in'])
      expect(routesFor(false)).to.equal(ROUTES)
    })

    it('hides an extension added without saying why it stays: hidden is the default', () => {
      const added = { surface: 'control' as const, extension: true, register: () => undefined }
      const product = { surface: 'data' as const, extension: false, register: () => undefined }
      expect(routesFor(true, [added, product])).to.deep.equal([product])
      expect(routesFor(false, [added, product])).to.deep.equal([added, product])
    })
  })

  describe('an emulator with the mode on and one without', () => {
    const emus = withParityPair()

    it('says so in the ready event and runtime.json', async () => {
      expect(emus.parity.ready.cloudParity).to.equal(true)
      expect(emus.plain.ready.cloudParity).to.equal(false)
      const runtime = (emu: TestEmulator) => readFile(join(emu.dataDir, 'runtime.json'), 'utf8').then((text) => JSON.parse(text) as RuntimeFile)
      expect((await runtime(emus.parity)).cloudParity).to.equal(true)
      expect((await runtime(emus.plain)).cloudParity).to.equal(false)
    })

    it('the invitation page works without the mode', async () => {
      const token = await invitationToken(emus.plain)
      const page = await call(emus.plain, 'GET', `/_emulator/invitations/${token}`)
      expect(page.status).to.equal(200)
      expect(page.type).to.include('text/html')
      expect(page.body).to.include('bob@example.com')
    })

    it('with the mode, the invitation page answers 404 exactly as an unknown route, for GET and for its form POST', async () => {
      const token = await invitationToken(emus.parity)
      const unknown = await call(emus.parity, 'GET', `/_emulator/nothing-here/${token}`)
      expect(unknown.status).to.equal(404)
      const page = await call(emus.parity, 'GET', `/_emulator/invitations/${token}`)
      expect(page.status).to.equal(404)
      expect((page.body as Json).error.code).to.equal((unknown.body as Json).error.code)
      expect(page.body).to.have.all.keys(Object.keys(unknown.body as Json))
      const answer = await fetch(`${emus.parity.url}/_emulator/invitations/${token}`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'action=accept' })
      expect(answer.status).to.equal(404)
      // Nothing was answered: the invitation is still pending through the documented API.
      const accepted = await call(emus.parity, 'POST', '/v1/auth/invitations/accept', { token })
      expect(accepted.status, JSON.stringify(accepted.body)).to.equal(200)
    })

    it('keeps the /_emulator controls the CLI uses, and the documented API', async () => {
      for (const emu of [emus.parity, emus.plain]) {
        expect((await fetch(`${emu.url}/_emulator/health`)).status).to.equal(200)
        expect((await control(emu, '/_emulator/clock')).status).to.equal(200)
        expect((await control(emu, '/_emulator/mailbox')).status).to.equal(200)
        const lookup = await control(emu, '/_emulator/keys/lookup', { method: 'POST', body: JSON.stringify({ key: emu.seed.environment.publishableKey }) })
        expect(lookup.status).to.equal(200)
        expect(((await lookup.json()) as Json).environmentId).to.equal(emu.seed.environment.id)
        expect((await call(emu, 'GET', '/v1/users')).status).to.not.equal(404)
      }
    })

    it('with the mode, a push runs on the hosted tools only: a table drop (an extension tool) is refused and nothing is kept', async () => {
      const model = { name: 'notes', displayName: null, description: null, schema: { bsonType: 'object', required: [], properties: { text: { bsonType: 'string' } } }, indexes: [], permissions: null, expressionPermissions: null, columnPermissions: null, rowFilters: null }
      const push = (steps: unknown[]) => control(emus.parity, '/_emulator/push', { method: 'POST', body: JSON.stringify({ projectId: emus.parity.seed.projectId, environment: emus.parity.seed.environment.name, steps }) })
      const created = await push([{ kind: 'table.create', table: 'notes', model }])
      expect(created.status, await created.clone().text()).to.equal(200)
      const dropped = await push([{ kind: 'table.create', table: 'more', model: { ...model, name: 'more' } }, { kind: 'table.drop', table: 'notes' }])
      expect(dropped.status).to.equal(400)
      const body = (await dropped.json()) as Json
      expect(body.error.message).to.equal('this emulator has no backend_table_delete tool')
      expect(body.error.details).to.deep.equal([{ field: 'steps[1]', rule: 'VALIDATION_ERROR', message: 'this emulator has no backend_table_delete tool' }])
      expect(emus.parity.core.tables.list({ tenantId: emus.parity.seed.tenantId, organizationId: emus.parity.seed.organizationId }).map((t) => t.tableName)).to.deep.equal(['notes'])
    })

    it('with the mode, JSON must say application/json: text/plain and no content type are refused (README-D8 is off)', async () => {
      const cases = [
        ['text/plain', 'text'],
        [undefined, 'none'],
      ] as const
      for (const [type, label] of cases) {
        const signup = { email: `${label}@example.com`, password: 'secret123' }
        expect((await post(emus.plain, '/v1/auth/email/signup', signup, type)).status, label).to.equal(201)
        const refused = await post(emus.parity, '/v1/auth/email/signup', signup, type)
        expect(refused.status, label).to.equal(400)
        expect(refused.body.error.code, label).to.equal('common/invalid-parameters')
        expect(refused.body.error.message, label).to.equal('Unsupported Content-Type: send application/json')
        // The data API names its own code for it (rest-data.md): the header is checked before the table is looked up.
        expect((await post(emus.plain, '/v1/data/nothing', { a: 1 }, type)).body.error.code, label).to.equal('data/table-not-found')
        expect((await post(emus.parity, '/v1/data/nothing', { a: 1 }, type)).body.error.code, label).to.equal('data/invalid-header')
      }
      // Nothing was created from a refused request: the address is still free.
      expect((await post(emus.parity, '/v1/auth/email/signup', { email: 'text@example.com', password: 'secret123' }, 'application/json; charset=utf-8')).status).to.equal(201)
    })

    it('with the mode, custom roles are refused; the built-in ones still work', async () => {
      const admin = async (emu: TestEmulator, method: string, path: string, body: unknown) => {
        const response = await fetch(emu.url + path, { method, headers: { 'X-API-Key': emu.seed.environment.secretKey, 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
        return { status: response.status, body: (await response.json()) as Json }
      }
      const created = await admin(emus.plain, 'POST', '/v1/users', { name: 'Mod', email: 'mod@example.com', role: 'moderator' })
      expect(created.status, JSON.stringify(created.body)).to.equal(201)
      expect(created.body.role).to.equal('moderator')
      expect((await admin(emus.plain, 'PATCH', `/v1/users/${created.body.id}/role`, { role: 'editor' })).body.role).to.equal('editor')

      const refused = await admin(emus.parity, 'POST', '/v1/users', { name: 'Mod', email: 'mod@example.com', role: 'moderator' })
      expect(refused.status).to.equal(400)
      expect(refused.body.error).to.include({ code: 'user/invalid-role', message: 'role must be admin, user or guest' })
      const user = await admin(emus.parity, 'POST', '/v1/users', { name: 'Mod', email: 'mod@example.com', role: 'guest' })
      expect(user.status, JSON.stringify(user.body)).to.equal(201)
      const changed = await admin(emus.parity, 'PATCH', `/v1/users/${user.body.id}/role`, { role: 'editor' })
      expect(changed.status).to.equal(400)
      expect(changed.body.error.code).to.equal('user/invalid-role')
      expect((await admin(emus.parity, 'PATCH', `/v1/users/${user.body.id}/role`, { role: 'admin' })).body.role).to.equal('admin')
    })

    it('with the mode, POST /v1/users refuses the password extension field and creates nothing', async () => {
      const create = (emu: TestEmulator, email: string, extra: Json = {}) =>
        fetch(`${emu.url}/v1/users`, { method: 'POST', headers: { 'X-API-Key': emu.seed.environment.secretKey, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Pat', email, ...extra }) })
      expect((await create(emus.plain, 'pat@example.com', { password: 'secret123' })).status).to.equal(201)
      const signIn = await call(emus.plain, 'POST', '/v1/auth/email/signin', { email: 'pat@example.com', password: 'secret123' })
      expect(signIn.status, JSON.stringify(signIn.body)).to.equal(200)

      const refused = await create(emus.parity, 'pat@example.com', { password: 'secret123' })
      expect(refused.status).to.equal(400)
      const body = (await refused.json()) as Json
      expect(body.error.code).to.equal('common/invalid-parameters')
      expect(body.error.message).to.match(/^Unknown field password; .*password reset$/)
      // The address is still free: the refused request created no user.
      expect((await create(emus.parity, 'pat@example.com')).status).to.equal(201)
    })

    it('emailVerified on POST /v1/users marks the address verified, and the mode refuses it creating nothing', async () => {
      const create = (emu: TestEmulator, email: string, extra: Json = {}) =>
        fetch(`${emu.url}/v1/users`, { method: 'POST', headers: { 'X-API-Key': emu.seed.environment.secretKey, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Vera', email, ...extra }) })
      const verified = (await (await create(emus.plain, 'vera@example.com', { emailVerified: true })).json()) as Json
      expect(verified.emailVerified).to.match(/^\d{4}-\d\d-\d\dT/)
      expect(((await (await create(emus.plain, 'unverified@example.com', { emailVerified: false })).json()) as Json).emailVerified).to.equal(null)
      const wrongType = await create(emus.plain, 'typo@example.com', { emailVerified: 'yes' })
      expect(wrongType.status).to.equal(400)

      const refused = await create(emus.parity, 'vera@example.com', { emailVerified: true })
      expect(refused.status).to.equal(400)
      expect(((await refused.json()) as Json).error.message).to.match(/^Unknown field emailVerified; /)
      expect((await create(emus.parity, 'vera@example.com')).status).to.equal(201)
    })

    it('the OAuth metadata offers the extension scopes only without the mode', async () => {
      const offered = async (emu: TestEmulator, path: string) => ((await (await fetch(emu.url + path)).json()) as { scopes_supported: string[] }).scopes_supported
      for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/oauth-protected-resource']) {
        const all = await offered(emus.plain, path)
        const documented = await offered(emus.parity, path)
        expect(all, path).to.deep.equal([...MCP_SCOPES])
        expect(EXTENSION_SCOPES.length).to.be.greaterThan(0)
        expect(documented, path).to.deep.equal(MCP_SCOPES.filter((scope) => !EXTENSION_SCOPES.includes(scope)))
      }
      // a scope hidden by the mode guards extension tools only
      const hosted = TOOLS.filter((tool) => !EXTENSION_TOOLS.has(tool.name))
      expect(hosted.length).to.be.greaterThan(0)
      for (const tool of hosted) expect(EXTENSION_SCOPES, tool.name).to.not.include(tool.scope)
    })

    it('MCP tools/list differs by exactly the extension tools, and a hidden tool is refused like an unknown one', async () => {
      const names = async (emu: TestEmulator) => {
        const { client } = await connectWithToken(emu.mcpUrl, emu.seed.tenantToken)
        try {
          return (await client.listTools()).tools.map((tool) => tool.name)
        } finally {
          await client.close()
        }
      }
      const all = await names(emus.plain)
      const documented = await names(emus.parity)
      expect(all).to.have.length(TOOLS.length)
      expect(documented).to.have.length(TOOLS.length - EXTENSION_TOOLS.size)
      expect(all.filter((name) => !documented.includes(name)).sort()).to.deep.equal([...EXTENSION_TOOLS].sort())
      expect(documented.filter((name) => EXTENSION_TOOLS.has(name))).to.deep.equal([])

      const { client } = await connectWithToken(emus.parity.mcpUrl, emus.parity.seed.tenantToken)
      try {
        const refusal = async (name: string) => {
          try {
            await client.callTool({ name, arguments: { projectId: emus.parity.seed.projectId } })
          } catch (error) {
            expect(error).to.be.instanceOf(McpError)
            return { code: (error as McpError).code, message: (error as McpError).message.replace(name, '<name>') }
          }
          throw new Error(`${name} was not refused`)
        }
        const unknown = await refusal('backend_no_such_tool')
        expect(unknown.code).to.equal(-32602)
        expect(EXTENSION_TOOLS.size).to.be.greaterThan(0)
        for (const name of EXTENSION_TOOLS) expect(await refusal(name), name).to.deep.equal(unknown)
        const documented = await client.callTool({ name: 'backend_project_get', arguments: { projectId: emus.parity.seed.projectId } })
        expect(documented.isError ?? false).to.equal(false)
      } finally {
        await client.close()
      }
    })
  })

  it('marks exactly the tools mcp.md §8 calls extensions, each of them a real tool', () => {
    const names = new Set(TOOLS.map((tool) => tool.name))
    for (const name of EXTENSION_TOOLS) expect(names.has(name), name).to.equal(true)
    const described = TOOLS.filter((tool) => tool.description.startsWith('(extension)')).map((tool) => tool.name)
    // every listed name described once: as many descriptions as names, and the same names
    expect(described).to.have.length(EXTENSION_TOOLS.size)
    expect(new Set(described)).to.deep.equal(EXTENSION_TOOLS)
  })
})
