import { expect } from 'chai'
import Fastify, { type FastifyInstance } from 'fastify'
import { handleConsole } from '../../src/emulator/http/console/console.js'
import { acceptFormBodies } from '../../src/emulator/http/middleware/body.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { join } from '../helpers/teams.js'
import { call, signUp, uploadFile } from './storage-helpers.js'

const ENV = '/_/o/local/p/local/e/dev'
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex')

// The users, files, mailbox, request log, keys and settings pages behind the session guard, for the seeded tenant.
describe('http: console runtime pages (users, files, mailbox, request log, keys, settings)', () => {
  let emu: TestEmulator
  let app: FastifyInstance

  /** The console's pages as a signed-in tenant sees them, in-process. */
  async function consoleFor(tenantId: string): Promise<FastifyInstance> {
    const session = { tenant: emu.core.tenants.get(tenantId)!, sessionId: 'not-looked-up' }
    const server = Fastify()
    acceptFormBodies(server)
    server.route({ method: ['GET', 'POST'], url: '/_/*', handler: (request, reply) => handleConsole(emu.core, request, reply, session) })
    await server.ready()
    return server
  }

  before(async () => {
    emu = await startEmulator()
    app = await consoleFor(emu.seed.tenantId)
  })
  after(async () => {
    await app.close()
    await emu.dispose()
  })

  const get = (url: string) => app.inject({ method: 'GET', url })
  const post = (url: string, form: Record<string, string>) => app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(form).toString() })
  const envId = () => emu.seed.environment.id
  const pk = () => emu.seed.environment.publishableKey

  describe('users', () => {
    it('a bad e-mail re-renders the create form with the message at the field; a good one creates and lists the user', async () => {
      const bad = await post(`${ENV}/users`, { email: 'not-an-email', name: 'Ada' })
      expect(bad.statusCode).to.equal(400)
      expect(bad.body).to.include('id="error"').and.include('value="Ada"')
      expect(emu.core.auth.pool.all(envId())).to.have.length(0)
      const created = await post(`${ENV}/users`, { email: 'ada@example.com', name: 'Ada <Lovelace>', role: 'admin' })
      expect(created.statusCode).to.equal(303)
      expect(created.headers.location).to.match(/\/users\/[0-9a-f]{24}\?notice=/)
      const list = await get(`${ENV}/users?search=ada`)
      expect(list.body).to.include('data-user="ada@example.com"').and.include('Ada &lt;Lovelace&gt;').and.not.include('<Lovelace>')
      expect((await get(`${ENV}/users?search=nobody`)).body).to.include('id="no-users"')
    })

    it('changes a role, bans (after confirming: every session ends) and unbans, revokes one session, deletes', async () => {
      const user = await signUp(emu, 'grace@example.com')
      await call(emu, 'POST', '/v1/auth/email/signin', { key: pk() }, { email: 'grace@example.com', password: 'secret123' })
      const path = `${ENV}/users/${user.id}`
      const page = await get(path)
      const sessionIds = [...page.body.matchAll(/data-session="([0-9a-f]{24})"/g)].map((m) => m[1])
      expect(sessionIds).to.have.length(2)

      expect((await post(`${path}/role`, { role: 'admin' })).statusCode).to.equal(303)
      expect(emu.core.auth.pool.get(envId(), user.id)?.role).to.equal('admin')
      expect((await post(`${path}/role`, { role: 'editor' })).statusCode).to.equal(303)
      expect(emu.core.auth.pool.get(envId(), user.id)?.role).to.equal('editor')
      expect((await get(path)).body).to.include('id="user-role">editor<')
      const badRole = await post(`${path}/role`, { role: '' })
      expect(badRole.statusCode).to.equal(400)
      expect(badRole.body).to.include('id="error"')

      expect((await post(`${path}/sessions/${sessionIds[0]}/revoke`, {})).body).to.include('id="confirm-text"')
      expect((await post(`${path}/sessions/${sessionIds[0]}/revoke`, { confirmed: 'yes' })).statusCode).to.equal(303)
      const after = [...(await get(path)).body.matchAll(/data-session="([0-9a-f]{24})"/g)].map((m) => m[1])
      expect(after).to.deep.equal([sessionIds[1]])

      const asked = await post(`${path}/ban`, { banned: 'true' })
      expect(asked.body).to.include('id="confirm-text"')
      expect(emu.core.auth.pool.get(envId(), user.id)?.banned).to.equal(false)
      expect((await post(`${path}/ban`, { banned: 'true', confirmed: 'yes' })).statusCode).to.equal(303)
      expect(emu.core.auth.pool.get(envId(), user.id)?.banned).to.equal(true)
      const banned = await get(path)
      expect(banned.body).to.include('id="user-status">banned<').and.include('id="no-sessions"').and.include('id="unban"')
      expect((await call(emu, 'GET', '/v1/auth/me', user.as)).status).to.equal(403)
      expect((await post(`${path}/ban`, { banned: 'false' })).statusCode).to.equal(303)
      expect(emu.core.auth.pool.get(envId(), user.id)?.banned).to.equal(false)

      expect((await post(`${path}/delete`, {})).body).to.include('id="confirm-text"')
      expect(emu.core.auth.pool.get(envId(), user.id)).to.not.equal(undefined)
      expect((await post(`${path}/delete`, { confirmed: 'yes' })).headers.location).to.match(/\/users\?notice=/)
      expect(emu.core.auth.pool.get(envId(), user.id)).to.equal(undefined)
      expect((await get(path)).statusCode).to.equal(404)
    })
  })

  describe('files', () => {
    let imageId: string
    before(async () => {
      const owner = await signUp(emu, 'files@example.com')
      await uploadFile(emu, owner.as, 'plain words', { originalName: 'notes.txt' })
      const issued = await call(emu, 'POST', '/v1/files/presigned-url', owner.as, { filename: 'dot.png', contentType: 'image/png' })
      await fetch(issued.body.url as string, { method: 'PUT', body: PNG, headers: { 'Content-Type': 'image/png' } })
      imageId = (await call(emu, 'POST', '/v1/files', owner.as, { s3Key: issued.body.key, originalName: 'dot.png', mimeType: 'image/png', size: PNG.length })).body.id as string
    })

    it('lists every file with an image preview through the signed download URL, and filters', async () => {
      const page = await get(`${ENV}/files`)
      expect(page.statusCode).to.equal(200)
      const previews = [...page.body.matchAll(/<img class="thumb" src="([^"]+)"/g)].map((m) => m[1]!.replaceAll('&amp;', '&'))
      expect(previews).to.have.length(1)
      expect(previews[0]).to.match(new RegExp(`^${emu.url}/_emulator/storage/download/`))
      const bytes = await fetch(previews[0]!)
      expect(bytes.status).to.equal(200)
      expect(Buffer.from(await bytes.arrayBuffer()).equals(PNG)).to.equal(true)
      const images = await get(`${ENV}/files?mimeType=image%2F*`)
      expect(images.body).to.include('data-file="dot.png"').and.not.include('data-file="notes.txt"')
      const bad = await get(`${ENV}/files?visibility=everyone`)
      expect(bad.statusCode).to.equal(400)
      expect(bad.body).to.include('id="error"').and.include('visibility')
    })

    it('changes a file’s visibility (a bad value shows the message) and deletes it after confirming', async () => {
      const bad = await post(`${ENV}/files/${imageId}/visibility`, { visibility: 'everyone' })
      expect(bad.statusCode).to.equal(400)
      expect(bad.body).to.include('id="error"')
      expect((await post(`${ENV}/files/${imageId}/visibility`, { visibility: 'public' })).statusCode).to.equal(303)
      expect(emu.core.storage.files.record(envId(), imageId)?.visibility).to.equal('public')
      expect((await get(`${ENV}/files?visibility=public`)).body).to.include('data-file="dot.png"')
      expect((await post(`${ENV}/files/${imageId}/delete`, {})).body).to.include('id="confirm-text"')
      expect(emu.core.storage.files.record(envId(), imageId)).to.not.equal(undefined)
      expect((await post(`${ENV}/files/${imageId}/delete`, { confirmed: 'yes' })).statusCode).to.equal(303)
      expect(emu.core.storage.files.record(envId(), imageId)).to.equal(undefined)
    })
  })

  describe('mailbox', () => {
    it('lists the environment’s mail and shows one in a frame that may open links but never run scripts', async () => {
      await call(emu, 'POST', '/v1/auth/email/signin', { key: pk() }, { method: 'magiclink', email: 'magic@example.com', callbackUrl: 'http://app.test/cb' })
      const list = await get(`${ENV}/mailbox?type=magic_link&to=magic%40example.com`)
      const ids = [...list.body.matchAll(/data-mail="([0-9a-f]{24})"/g)].map((m) => m[1])
      expect(ids).to.have.length(1)
      const page = await get(`${ENV}/mailbox/${ids[0]}`)
      const mail = emu.core.mailbox.get(ids[0]!)
      const frame = /<iframe id="mail-frame"[^>]*>/.exec(page.body)?.[0] as string
      expect(frame).to.include('sandbox="allow-popups allow-popups-to-escape-sandbox"').and.not.include('allow-scripts').and.not.include('allow-same-origin')
      // The mail's HTML is an attribute value: escaped, so none of it is markup of the console page.
      expect(frame).to.include('srcdoc="&lt;!doctype html&gt;').and.include('&lt;base target=&quot;_blank&quot;&gt;')
      expect(page.body).to.include(`id="mail-link" href="${mail.link!.replaceAll('&', '&amp;')}"`)
      expect((await get(`${ENV}/mailbox?to=other%40example.com`)).body).to.include('id="no-mail"')
    })
  })

  describe('request log', () => {
    it('shows a denied request with the explanation bkend dev explain gives; ?after= answers only newer ones', async () => {
      const start = emu.core.requestLog.head
      const denied = await call(emu, 'GET', '/v1/users', { key: pk() })
      expect(denied.status).to.equal(401)
      const requestId = denied.headers.get('x-request-id') as string
      const page = await get(`${ENV}/logs?status=4xx`)
      expect(page.body).to.include(`data-request="${requestId}"`)
      const explained = new RegExp(`data-explains="${requestId}"[\\s\\S]*?</tr>`).exec(page.body)?.[0] as string
      expect(explained).to.include('<dt>Check</dt><dd>credential: ').and.include('<dt>To allow</dt>')
      const next = Number(/data-next="(\d+)"/.exec(page.body)?.[1])
      expect(next).to.be.greaterThan(start)
      expect((await get(`${ENV}/logs?after=${next}`)).body).to.not.include(`data-request="${requestId}"`)
      await call(emu, 'GET', '/v1/users', { key: pk() })
      const newer = await get(`${ENV}/logs?after=${next}`)
      expect([...newer.body.matchAll(/<tr data-request=/g)]).to.have.length(1)
    })

    it('a malformed filter is the envelope’s message above the filters', async () => {
      const page = await get(`${ENV}/logs?status=bad`)
      expect(page.statusCode).to.equal(400)
      expect(page.body).to.include('id="error"').and.include('is not a status filter').and.include('id="log-filters"')
    })
  })

  describe('keys', () => {
    it('creates a secret key and shows its value only in the answer to the creation', async () => {
      const noName = await post(`${ENV}/keys`, { name: '', type: 'secret' })
      expect(noName.statusCode).to.equal(400)
      expect(noName.body).to.include('id="error"')
      const created = await post(`${ENV}/keys`, { name: 'ci <server>', type: 'secret', scopes: 'posts:read *:list' })
      expect(created.statusCode).to.equal(201)
      const value = /id="key-value">(sk_[0-9a-f]{64})</.exec(created.body)?.[1] as string
      expect(value).to.match(/^sk_/)
      expect(created.body).to.include('shown only once')
      const list = await get(`${ENV}/keys`)
      expect(list.body).to.include('data-key="ci &lt;server&gt;"').and.include('posts:read *:list').and.not.include(value)
      expect((await call(emu, 'GET', '/v1/users', { key: value })).status).to.not.equal(401)
      // a design-time change: the activity log has it once, as the console's, and the refused one not at all
      const entries = emu.core.activity.list(emu.actor, emu.seed.organizationId).filter((a) => a.action.startsWith('api-key.'))
      expect(entries).to.have.length(1)
      expect(entries[0]).to.deep.include({ action: 'api-key.create', environment: 'dev' })
      expect(entries[0]!.resource.name).to.equal('ci <server>')
      expect(entries[0]!.client.kind).to.equal('console')
    })

    it('revokes a key after confirming; requests with it then fail with 401', async () => {
      const created = await post(`${ENV}/keys`, { name: 'short-lived', type: 'publishable' })
      const value = /id="key-value">(pk_[0-9a-f]{64})</.exec(created.body)?.[1] as string
      const id = emu.core.keys.find(value)!.id
      expect((await post(`${ENV}/keys/${id}/revoke`, {})).body).to.include('id="confirm-text"')
      expect((await call(emu, 'GET', '/v1/data/nothing', { key: value })).status).to.not.equal(401)
      expect((await post(`${ENV}/keys/${id}/revoke`, { confirmed: 'yes' })).statusCode).to.equal(303)
      expect((await get(`${ENV}/keys`)).body).to.match(/data-key="short-lived">(?:(?!<\/tr>).)*data-status="revoked"/)
      expect((await call(emu, 'GET', '/v1/data/nothing', { key: value })).status).to.equal(401)
    })
    it('deletes a key only when its name is typed; then it is gone and requests with it fail with 401', async () => {
      const created = await post(`${ENV}/keys`, { name: 'to-delete', type: 'publishable' })
      const value = /id="key-value">(pk_[0-9a-f]{64})</.exec(created.body)?.[1] as string
      const id = emu.core.keys.find(value)!.id
      const wrong = await post(`${ENV}/keys/${id}/delete`, { confirmName: 'to-delet' })
      expect(wrong.statusCode).to.equal(400)
      expect(wrong.body).to.include(`id="del-${id}-error">type to-delete<`)
      expect(emu.core.keys.find(value)).to.not.equal(undefined)
      expect((await post(`${ENV}/keys/${id}/delete`, { confirmName: 'to-delete' })).statusCode).to.equal(303)
      expect(emu.core.keys.find(value)).to.equal(undefined)
      expect((await get(`${ENV}/keys`)).body).to.not.include('data-key="to-delete"')
      expect((await call(emu, 'GET', '/v1/data/nothing', { key: value })).status).to.equal(401)
    })
  })

  describe('settings', () => {
    it('a bad CORS origin shows the message at the field and keeps the old list; a good one is saved', async () => {
      const bad = await post(`${ENV}/settings/cors`, { allowedOrigins: 'localhost:3000' })
      expect(bad.statusCode).to.equal(400)
      expect(bad.body).to.match(/id="cors-origins-error">[^<]*localhost:3000/)
      expect(bad.body).to.include('>localhost:3000</textarea>')
      const good = await post(`${ENV}/settings/cors`, { allowedOrigins: 'http://localhost:3000\nhttps://my-app.example' })
      expect(good.statusCode).to.equal(303)
      expect(emu.core.projects.doc(emu.seed.projectId)?.settings.allowedOrigins).to.deep.equal(['http://localhost:3000', 'https://my-app.example'])
      expect((await get(`${ENV}/settings`)).body).to.include('>http://localhost:3000\nhttps://my-app.example</textarea>')
    })

    it('disables a provider, keeps its stored secret when the field is left empty, and saves a template and sender', async () => {
      const form = { clientId: 'my-client', clientSecret: 'shh', redirectUri: `${emu.url}/v1/auth/github/callback`, scopes: 'user:email' }
      expect((await post(`${ENV}/settings/provider-github`, { ...form, enabled: 'on' })).statusCode).to.equal(303)
      expect((await post(`${ENV}/settings/provider-github`, { ...form, clientSecret: '' })).statusCode).to.equal(303)
      const github = emu.core.projectSettings.auth.provider(emu.seed.projectId, 'github')
      expect(github).to.include({ enabled: false, clientId: 'my-client', clientSecret: 'shh' })
      expect((await get(`${ENV}/settings`)).body).to.include('a secret is stored').and.not.include('shh')
      const noUri = await post(`${ENV}/settings/provider-google`, { ...form, redirectUri: 'nope' })
      expect(noUri.statusCode).to.equal(400)
      expect(noUri.body).to.include('id="error"')

      expect((await post(`${ENV}/settings/template/magic_link`, { subject: 'Come in', body: '<p>{{magicLink}}</p>' })).statusCode).to.equal(303)
      expect((await post(`${ENV}/settings/sender`, { senderName: 'My App', senderEmail: 'hello@my-app.example', overrideDefaults: 'on' })).statusCode).to.equal(303)
      await call(emu, 'POST', '/v1/auth/email/signin', { key: pk() }, { method: 'magiclink', email: 'styled@example.com', callbackUrl: 'http://app.test/cb' })
      const mail = emu.core.mailbox.list({ to: 'styled@example.com' }).items[0]!
      expect(mail).to.include({ subject: 'Come in', from: 'hello@my-app.example' })
      const unknown = await post(`${ENV}/settings/template/nonsense`, { subject: 'x', body: 'y' })
      expect(unknown.statusCode).to.equal(404)
    })
  })

  it('each environment sees only its own users, files and mail', async () => {
    await emu.core.envs.create(emu.actor, { environment: 'staging', environmentType: 'staging' }, emu.core.projects.doc(emu.seed.projectId)!)
    const staging = '/_/o/local/p/local/e/staging'
    await call(emu, 'POST', '/v1/auth/email/signin', { key: pk() }, { method: 'magiclink', email: 'dev-only@example.com', callbackUrl: 'http://app.test/cb' })
    const devMail = emu.core.mailbox.list({ environmentId: envId() }).items
    expect(devMail.length).to.be.greaterThan(0)
    expect((await get(`${staging}/mailbox`)).body).to.include('id="no-mail"')
    const foreign = await get(`${staging}/mailbox/${devMail[0]!.id}`)
    expect(foreign.statusCode).to.equal(404)
    expect(foreign.body).to.include('not found in this environment').and.not.include(devMail[0]!.token)
    expect((await get(`${staging}/users`)).body).to.include('id="no-users"')
    expect((await get(`${staging}/files`)).body).to.include('id="no-files"')
  })

  it('a Billing member is refused every runtime page with the role matrix’s message', async () => {
    const tenant = await emu.core.orgs.createTenant('billing@example.com', 'Billing person')
    await join(emu, emu.actor, tenant.id, 'billing@example.com', 'billing')
    const billing = await consoleFor(tenant.id)
    try {
      const pages = ['users', 'files', 'mailbox', 'logs', 'keys', 'settings']
      for (const page of pages) {
        const response = await billing.inject({ method: 'GET', url: `${ENV}/${page}` })
        expect(response.statusCode, page).to.equal(403)
        expect(response.body, page).to.include('id="error"').and.include('billing').and.not.include('<table')
      }
    } finally {
      await billing.close()
    }
  })
})
