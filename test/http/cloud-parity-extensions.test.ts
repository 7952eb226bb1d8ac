import { expect } from 'chai'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { startEmulator, withParityPair, type TestEmulator } from '../helpers/emulator.js'
import { tempDir } from '../helpers/tmp.js'
import { connectWithToken, toolErrorCode, toolJson, toolText } from '../helpers/mcp-client.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * The extension fields and syntax of the documented API (README-D12): with cloud-parity mode on, each is answered as
 * the hosted service would; without it, the emulator's extension still works. Each case runs against both.
 */
describe('http: cloud-parity mode answers the API’s extensions as the cloud would (README-D12)', function () {
  this.timeout(30_000)
  const emus = withParityPair()

  /** A call with the environment's secret key (and JSON body), as a server-side app makes it. */
  async function rest(emu: TestEmulator, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
    const response = await fetch(emu.url + path, {
      method,
      headers: { 'X-API-Key': emu.seed.environment.secretKey, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json()) as Json }
  }

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
    // expression when the emus.parity emulator is asked to save it.
    it('are saved without the mode', async () => {
      const saved = await update(emus.plain, 'grouped', { read: '(user | guest) & public' })
      expect(saved.isError ?? false, toolText(saved)).to.equal(false)
      expect(toolJson<Json>(saved).expressionPermissions).to.deep.equal({ read: '(user | guest) & public' })
    })

    it('are a syntax error with the mode, saying they are an emulator extension, and nothing is saved', async () => {
      const refused = await update(emus.parity, 'grouped', { read: 'admin', list: '(user | guest) & public' })
      expect(toolErrorCode(refused)).to.equal('VALIDATION_ERROR')
      expect(toolText(refused)).to.include('Invalid permission expression \\"(user | guest) & public\\" in expressionPermissions.list: unexpected \\"(\\": parentheses are an emulator extension')
      const table = await withMcp(emus.parity, async (client) => {
        const tables = toolJson<{ items: Array<{ id: string; tableName: string }> }>(await client.callTool({ name: 'backend_table_list', arguments: { projectId: emus.parity.seed.projectId, environment: 'dev' } }))
        const id = tables.items.find((t) => t.tableName === 'grouped')?.id
        return toolJson<Json>(await client.callTool({ name: 'backend_table_get', arguments: { tableId: id } }))
      })
      expect(table.expressionPermissions ?? null).to.equal(null)
    })

    it('the same expression written without them is saved with the mode', async () => {
      const saved = await update(emus.parity, 'flat', { read: 'user & public | guest & public' })
      expect(saved.isError ?? false, toolText(saved)).to.equal(false)
      expect(toolJson<Json>(saved).expressionPermissions).to.deep.equal({ read: 'user & public | guest & public' })
    })
  })

  describe('the offset alias of data lists (RD-D8)', () => {
    before(async () => {
      for (const emu of [emus.parity, emus.plain]) {
        await emu.core.tables.create(emu.actor, { projectId: emu.seed.projectId, environment: 'dev', tableName: 'rows', schema: { n: { type: 'int' } } })
        for (let n = 1; n <= 5; n++) expect((await rest(emu, 'POST', '/v1/data/rows', { n })).status).to.equal(201)
      }
    })
    const numbers = (body: Json) => (body.items as Array<{ n: number }>).map((row) => row.n)

    it('overrides page without the mode', async () => {
      const listed = await rest(emus.plain, 'GET', '/v1/data/rows?sortBy=n&sortDirection=asc&limit=2&offset=2')
      expect(listed.status).to.equal(200)
      expect(numbers(listed.body)).to.deep.equal([3, 4])
      expect(listed.body.pagination.page).to.equal(2)
      expect((await rest(emus.plain, 'GET', '/v1/data/rows?offset=many')).status).to.equal(400)
    })

    it('is ignored with the mode, like any unknown query parameter: the list pages by page', async () => {
      const listed = await rest(emus.parity, 'GET', '/v1/data/rows?sortBy=n&sortDirection=asc&limit=2&offset=2')
      expect(listed.status).to.equal(200)
      expect(numbers(listed.body)).to.deep.equal([1, 2])
      expect(listed.body.pagination.page).to.equal(1)
      const paged = await rest(emus.parity, 'GET', '/v1/data/rows?sortBy=n&sortDirection=asc&limit=2&page=2&offset=0')
      expect(numbers(paged.body)).to.deep.equal([3, 4])
      const unknown = await rest(emus.parity, 'GET', '/v1/data/rows?sortBy=n&sortDirection=asc&limit=2&cursor=many')
      const ignored = await rest(emus.parity, 'GET', '/v1/data/rows?sortBy=n&sortDirection=asc&limit=2&offset=many')
      expect(unknown.status).to.equal(200)
      expect(ignored).to.deep.equal(unknown)
    })
  })

  describe('the file API’s extensions (RS-D5, §2.4)', () => {
    const ids = new Map<TestEmulator, { image: string; text: string }>()
    /** Registers a file (its bytes are not needed for registration, RS-D10). */
    async function file(emu: TestEmulator, originalName: string, mimeType: string, visibility: string): Promise<string> {
      const issued = await rest(emu, 'POST', '/v1/files/presigned-url', { filename: originalName, contentType: mimeType, visibility })
      expect(issued.status, JSON.stringify(issued.body)).to.equal(200)
      const registered = await rest(emu, 'POST', '/v1/files', { s3Key: issued.body.key, originalName, mimeType, size: 10, visibility })
      expect(registered.status, JSON.stringify(registered.body)).to.equal(201)
      return registered.body.id as string
    }
    before(async () => {
      for (const emu of [emus.parity, emus.plain]) ids.set(emu, { image: await file(emu, 'logo.png', 'image/png', 'public'), text: await file(emu, 'notes.txt', 'text/plain', 'shared') })
    })

    it('file objects carry publicUrl and sharedWith without the mode, and neither with it, wherever a file is read', async () => {
      const { image } = ids.get(emus.plain)!
      const got = await rest(emus.plain, 'GET', `/v1/files/${image}`)
      expect(got.body.publicUrl).to.match(/\/_emulator\/storage\/public\//)
      expect(got.body.sharedWith).to.deep.equal([])

      const parityImage = ids.get(emus.parity)!.image
      const reads = [
        (await rest(emus.parity, 'GET', `/v1/files/${parityImage}`)).body,
        ...((await rest(emus.parity, 'GET', '/v1/files')).body.items as Json[]),
        ...((await rest(emus.parity, 'GET', '/v1/data/files')).body.items as Json[]),
        (await rest(emus.parity, 'PATCH', `/v1/files/${parityImage}`, { originalName: 'brand.png' })).body,
      ]
      expect(reads).to.have.length(6)
      for (const read of reads) {
        expect(read.id, JSON.stringify(read)).to.be.a('string')
        expect(read).to.not.have.any.keys('publicUrl', 'sharedWith')
      }
      expect(reads[5]!.originalName).to.equal('brand.png')
    })

    it('sharedWith in an update works without the mode, and is refused with it, changing nothing', async () => {
      const shared = await rest(emus.plain, 'PATCH', `/v1/files/${ids.get(emus.plain)!.text}`, { sharedWith: ['u1', 'u1', 'u2'] })
      expect(shared.status).to.equal(200)
      expect(shared.body.sharedWith).to.deep.equal(['u1', 'u2'])

      const id = ids.get(emus.parity)!.text
      const refused = await rest(emus.parity, 'PATCH', `/v1/files/${id}`, { originalName: 'renamed.txt', sharedWith: ['u1'] })
      expect(refused.status).to.equal(400)
      expect(refused.body.error.code).to.equal('common/invalid-parameters')
      expect(refused.body.error.message).to.match(/^Unknown field sharedWith: the sharing list is an emulator extension/)
      expect((await rest(emus.parity, 'GET', `/v1/files/${id}`)).body.originalName).to.equal('notes.txt')
    })

    it('a sharing list saved without the mode grants nothing once the mode is on, as the cloud has no such list', async () => {
      const { dir, cleanup } = await tempDir()
      try {
        const plain = await startEmulator({ dataDir: dir })
        const signup = await rest(plain, 'POST', '/v1/auth/email/signup', { email: 'bo@example.com', password: 'secret123!', name: 'Bo' }, { 'X-API-Key': plain.seed.environment.publishableKey })
        expect(signup.status, JSON.stringify(signup.body)).to.equal(201)
        const bo = { Authorization: `Bearer ${signup.body.accessToken as string}`, 'X-API-Key': plain.seed.environment.publishableKey }
        const id = await file(plain, 'plan.txt', 'text/plain', 'shared')
        expect((await rest(plain, 'PATCH', `/v1/files/${id}`, { sharedWith: [(signup.body.user as Json).id] })).status).to.equal(200)
        expect((await rest(plain, 'GET', `/v1/files/${id}`, undefined, bo)).status).to.equal(200)
        await plain.stop()

        const parity = await startEmulator({ dataDir: dir, cloudParity: true })
        try {
          const read = await rest(parity, 'GET', `/v1/files/${id}`, undefined, bo)
          expect(read.status, JSON.stringify(read.body)).to.equal(403)
          expect(read.body.error.code).to.equal('file/access-denied')
          expect((await rest(parity, 'GET', '/v1/files', undefined, bo)).body.items).to.deep.equal([])
        } finally {
          await parity.stop()
        }
      } finally {
        await cleanup()
      }
    })

    it('a type/* mimeType filter matches a family without the mode, and is a 400 naming the fix with it', async () => {
      const family = await rest(emus.plain, 'GET', '/v1/files?mimeType=image/*')
      expect(family.status).to.equal(200)
      expect((family.body.items as Json[]).map((item) => item.originalName)).to.deep.equal(['logo.png'])

      const refused = await rest(emus.parity, 'GET', '/v1/files?mimeType=image/*')
      expect(refused.status).to.equal(400)
      expect(refused.body.error).to.deep.equal({
        code: 'common/invalid-parameters',
        message: 'mimeType image/*: a wildcard is an emulator extension the hosted service does not filter by; pass an exact MIME type such as image/png',
      })
      const exact = await rest(emus.parity, 'GET', '/v1/files?mimeType=image/png')
      expect((exact.body.items as Json[]).map((item) => item.id)).to.deep.equal([ids.get(emus.parity)!.image])
    })
  })

  describe('callbackUrl on the password-reset request (RA-D16)', () => {
    const app = (emu: TestEmulator) => ({ 'X-API-Key': emu.seed.environment.publishableKey })
    /** Signs a user up, asks for a reset, and returns the answer and the captured e-mail's link and token. */
    async function reset(emu: TestEmulator, email: string, callbackUrl: string): Promise<{ status: number; link: string | null; token: string }> {
      expect((await rest(emu, 'POST', '/v1/auth/email/signup', { email, password: 'secret123!', name: 'Sam' }, app(emu))).status).to.equal(201)
      const answered = await rest(emu, 'POST', '/v1/auth/password/reset/request', { email, callbackUrl }, app(emu))
      const mailbox = await fetch(`${emu.url}/_emulator/mailbox?type=password_reset`, { headers: { Authorization: `Bearer ${emu.seed.tenantToken}` } })
      const mails = ((await mailbox.json()) as { items: Array<{ to: string; link: string | null; token: string }> }).items.filter((mail) => mail.to === email)
      expect(mails, JSON.stringify(answered.body)).to.have.length(answered.status === 200 ? 1 : 0)
      return { status: answered.status, link: mails[0]?.link ?? null, token: mails[0]?.token ?? '' }
    }

    it('links the reset e-mail to the app without the mode, and refuses a callbackUrl that is not a URL', async () => {
      const sent = await reset(emus.plain, 'sam@example.com', 'https://app.example/reset')
      expect(sent.status).to.equal(200)
      expect(sent.link).to.equal(`https://app.example/reset?token=${sent.token}&email=sam%40example.com`)
      expect((await reset(emus.plain, 'kim@example.com', 'not a url')).status).to.equal(400)
    })

    it('is ignored with the mode, as the cloud ignores a field it does not know: the e-mail carries only its token', async () => {
      const sent = await reset(emus.parity, 'sam@example.com', 'https://app.example/reset')
      expect(sent.status).to.equal(200)
      expect(sent.link).to.equal(null)
      expect(sent.token).to.match(/^[0-9a-f]{64}$/)
      const anything = await reset(emus.parity, 'kim@example.com', 'not a url')
      expect(anything.status).to.equal(200)
      expect(anything.link).to.equal(null)
    })
  })
})
