import { expect } from 'chai'
import { connectWithToken, toolJson } from '../helpers/mcp-client.js'
import { spawnDev, type DevProcess } from '../helpers/cli.js'
import { tempDir } from '../helpers/tmp.js'

/**
 * An app's life against a spawned `bkend dev`, over real HTTP: the developer creates a table through MCP (as an
 * AI tool would), then two end users sign up and use the REST data API with the publishable key only.
 */
describe('e2e: an app against bkend dev', function () {
  this.timeout(30_000)
  let dev: DevProcess
  let cleanup: () => Promise<void>
  let pk: string

  before(async () => {
    const dir = await tempDir()
    cleanup = dir.cleanup
    dev = await spawnDev(['--port', '0', '--data-dir', dir.dir])
    pk = dev.ready.environments[0]!.publishableKey
    const { client } = await connectWithToken(dev.ready.mcpUrl, dev.ready.tenantToken)
    const created = await client.callTool({
      name: 'backend_table_create',
      arguments: {
        body: {
          projectId: dev.ready.projectId,
          environment: 'dev',
          tableName: 'todos',
          schema: { title: { type: 'string', required: true, maxLength: 100 }, done: { type: 'boolean', default: false }, priority: { type: 'number', minimum: 1, maximum: 5 } },
        },
      },
    })
    const table = toolJson<{ id: string }>(created)
    // Users see and change only their own todos.
    await client.callTool({
      name: 'backend_table_update',
      arguments: { tableId: table.id, body: { permissions: { user: { create: true }, self: { read: true, list: true, update: true, delete: true } } } },
    })
    await client.close()
  })
  after(async () => {
    await dev.stop()
    await cleanup()
  })

  async function api(method: string, path: string, token?: string, body?: unknown) {
    const headers: Record<string, string> = { 'X-API-Key': pk }
    if (token) headers.Authorization = `Bearer ${token}`
    const response = await fetch(`${dev.ready.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error?: { code: string } } }
  }

  it('signs up, writes rows, filters them, updates its own and is denied the others', async () => {
    const ann = (await api('POST', '/v1/auth/email/signup', undefined, { email: 'ann@example.com', password: 'ann-password' })).body as { accessToken: string; user: { id: string } }
    const ben = (await api('POST', '/v1/auth/email/signup', undefined, { email: 'ben@example.com', password: 'ben-password' })).body as { accessToken: string; user: { id: string } }

    const created: string[] = []
    for (const [title, priority] of [['buy milk', 2], ['write tests', 5], ['ship it', 4]] as const) {
      const r = await api('POST', '/v1/todos', ann.accessToken, { title, priority })
      expect(r.status, JSON.stringify(r.body)).to.equal(201)
      expect(r.body).to.include({ title, priority, done: false, createdBy: ann.user.id })
      created.push(r.body.id as string)
    }
    expect((await api('POST', '/v1/data/todos', ben.accessToken, { title: "ben's" })).status).to.equal(201)

    const invalid = await api('POST', '/v1/todos', ann.accessToken, { title: 'x', priority: 9 })
    expect(invalid.status).to.equal(400)
    expect(invalid.body.error?.code).to.equal('data/validation-error')

    const filter = encodeURIComponent(JSON.stringify({ priority: { $gte: 4 } }))
    const urgent = await api('GET', `/v1/todos?andFilters=${filter}&sortBy=priority&sortDirection=desc`, ann.accessToken)
    expect(urgent.status).to.equal(200)
    expect((urgent.body.items as Array<{ title: string }>).map((t) => t.title)).to.deep.equal(['write tests', 'ship it'])

    // The self rule filters lists to the requester's rows.
    const all = await api('GET', '/v1/todos', ben.accessToken)
    expect((all.body.items as Array<{ title: string }>).map((t) => t.title)).to.deep.equal(["ben's"])
    expect(all.body.pagination).to.include({ total: 1, page: 1, limit: 20 })

    const done = await api('PATCH', `/v1/todos/${created[0]}`, ann.accessToken, { done: true })
    expect(done.status).to.equal(200)
    expect(done.body).to.include({ done: true, title: 'buy milk' })

    const denied = await api('PATCH', `/v1/todos/${created[0]}`, ben.accessToken, { done: false })
    expect(denied.status).to.equal(403)
    expect(denied.body.error?.code).to.equal('data/permission-denied')
    const deniedDelete = await api('DELETE', `/v1/todos/${created[1]}`, ben.accessToken)
    expect(deniedDelete.status).to.equal(403)

    const guest = await api('GET', '/v1/todos')
    expect(guest.status).to.equal(403)
    expect(guest.body.error?.code).to.equal('data/permission-denied')

    expect((await api('DELETE', `/v1/todos/${created[2]}`, ann.accessToken)).body).to.deep.equal({ success: true })
    expect((await api('GET', `/v1/todos/${created[2]}`, ann.accessToken)).status).to.equal(404)
  })
})
