import { expect } from 'chai'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { rest } from '../helpers/social.js'
import { startManagementHarness, type ManagementHarness } from './management-harness.js'

// The console's remaining features at the terminal (issue 16 §6), each through the built CLI against a real
// emulator (npm run build first), checked by what the emulator then does over REST, MCP and the mailbox.
describe('cli: console features at the terminal', function () {
  this.timeout(60_000)
  let h: ManagementHarness
  before(async () => {
    h = await startManagementHarness()
  })
  after(async () => {
    await h.dispose()
  })

  const ok = async (...args: string[]) => {
    const out = await h.run([...args, '--json'])
    expect(out.code, `${args.join(' ')}: ${out.stderr}`).to.equal(0)
    return out.json
  }
  /** A failing run with --json: its exit code and the error document on stderr. */
  const fails = async (code: number, ...args: string[]) => {
    const out = await h.run([...args, '--json'])
    expect(out.code, `${args.join(' ')}: ${out.stdout}${out.stderr}`).to.equal(code)
    return out.errorJson.error as { code: string; message: string; hint: string }
  }
  const pk = () => h.emu.seed.environment.publishableKey

  describe('auth templates and sender', () => {
    it('lists the five categories with the built-in text, and gets one with its variables', async () => {
      const list = await ok('auth', 'templates', 'list')
      expect(list.templates).to.have.length(5)
      expect(list.templates.map((t: { category: string }) => t.category)).to.deep.equal(['signup_confirmation', 'password_reset', 'magic_link', 'email_verification', 'invitation'])
      for (const template of list.templates) expect(template.isCustom, template.category).to.equal(false)
      const magic = await ok('auth', 'templates', 'get', 'magic_link')
      expect(magic).to.include({ category: 'magic_link', isCustom: false, subject: 'Your sign-in link' })
      expect(magic.variables).to.deep.equal(['userName', 'userEmail', 'magicLink'])

      const plain = await h.run(['auth', 'templates', 'get', 'magic_link'])
      expect(plain.stdout).to.match(/^Category\s+magic_link\n/)
      expect(plain.stdout).to.include('{{magicLink}}')
    })

    it('refuses an unknown category and a set with nothing to set, before calling the target', async () => {
      const unknown = await h.run(['auth', 'templates', 'get', 'welcome'])
      expect(unknown.code).to.equal(2)
      expect(unknown.stderr).to.include('Expected welcome to be one of: signup_confirmation, password_reset, magic_link, email_verification, invitation')
      expect((await fails(2, 'auth', 'templates', 'set', 'magic_link')).message).to.equal('nothing to change')
      const missing = await fails(2, 'auth', 'templates', 'set', 'magic_link', '--body-file', join(h.dir, 'no-such.html'))
      expect(missing.message).to.include('cannot read')
      expect((await ok('auth', 'templates', 'get', 'magic_link')).isCustom).to.equal(false)
    })

    it('sets a custom template that the mail then uses once the sender overrides the defaults, and resets it', async () => {
      await writeFile(join(h.dir, 'magic.html'), '<p>Hi {{userEmail}}, <a href="{{magicLink}}">come in</a></p>')
      const set = await ok('auth', 'templates', 'set', 'magic_link', '--subject', 'Welcome back {{userEmail}}', '--body-file', join(h.dir, 'magic.html'))
      expect(set).to.include({ isCustom: true, subject: 'Welcome back {{userEmail}}' })
      // only the subject given: the stored body stays
      const subjectOnly = await ok('auth', 'templates', 'set', 'magic_link', '--subject', 'Come in, {{userEmail}}')
      expect(subjectOnly.body).to.equal('<p>Hi {{userEmail}}, <a href="{{magicLink}}">come in</a></p>')

      const sender = await ok('auth', 'sender', 'set', '--name', 'My Store', '--email', 'hello@my-store.test', '--brand-color', '#1A73E8', '--override-defaults')
      expect(sender).to.include({ senderName: 'My Store', senderEmail: 'hello@my-store.test', brandColor: '#1A73E8', overrideDefaults: true })

      const sent = await rest(h.emu, 'POST', '/v1/auth/email/signin', { key: pk(), body: { method: 'magiclink', email: 'reader@example.com', callbackUrl: 'http://app.test/cb' } })
      expect(sent.status, JSON.stringify(sent.body)).to.equal(200)
      const mail = await ok('mail', 'list', '--to', 'reader@example.com')
      expect(mail.items).to.have.length(1)
      expect(mail.items[0]).to.include({ subject: 'Come in, reader@example.com', from: 'hello@my-store.test' })
      expect(mail.items[0].html).to.include('come in</a>')

      const refused = await fails(2, 'auth', 'templates', 'reset', 'magic_link')
      expect(refused.code).to.equal('cli/confirmation-required')
      expect((await ok('auth', 'templates', 'get', 'magic_link')).isCustom).to.equal(true)
      const reset = await ok('auth', 'templates', 'reset', 'magic_link', '--yes')
      expect(reset).to.include({ isCustom: false, subject: 'Your sign-in link', updatedAt: null })
      // resetting what is not customised changes nothing and succeeds
      expect(await ok('auth', 'templates', 'reset', 'magic_link', '--yes')).to.deep.equal(reset)

      await rest(h.emu, 'POST', '/v1/auth/email/signin', { key: pk(), body: { method: 'magiclink', email: 'again@example.com', callbackUrl: 'http://app.test/cb' } })
      const after = await ok('mail', 'list', '--to', 'again@example.com')
      expect(after.items).to.have.length(1)
      expect(after.items[0].subject).to.equal('Your sign-in link')
    })

    it('previews a template with sample values, saying when a custom one would not be sent', async () => {
      await ok('auth', 'sender', 'set', '--no-override-defaults')
      await ok('auth', 'templates', 'set', 'password_reset', '--subject', 'Reset for {{userEmail}}')
      const preview = await ok('auth', 'templates', 'preview', 'password_reset')
      expect(preview).to.include({ category: 'password_reset', isCustom: true, sentAsIs: false, subject: 'Reset for jane@example.com' })
      const plain = await h.run(['auth', 'templates', 'preview', 'password_reset'])
      expect(plain.stdout).to.match(/^From\s+My Store <hello@my-store.test>\nSubject\s+Reset for jane@example.com\n/)
      expect(plain.stderr).to.include('not sent until')
      await ok('auth', 'templates', 'reset', 'password_reset', '--yes')
    })

    it('sender set: a bad colour is refused before anything is sent; "none" clears; a bad address is the server\'s error', async () => {
      const colour = await fails(2, 'auth', 'sender', 'set', '--name', 'Changed', '--brand-color', 'blue')
      expect(colour.message).to.equal('--brand-color must be a hex colour #RRGGBB, not "blue"')
      expect(colour.hint).to.include('#1A73E8')
      const unchanged = await ok('auth', 'sender', 'get')
      expect(unchanged).to.include({ senderName: 'My Store', brandColor: '#1A73E8' })

      const address = await fails(1, 'auth', 'sender', 'set', '--email', 'not-an-address')
      expect(address.code).to.equal('VALIDATION_ERROR')
      expect(address.message).to.include('senderEmail')
      expect((await fails(2, 'auth', 'sender', 'set')).message).to.equal('nothing to change')

      const cleared = await ok('auth', 'sender', 'set', '--brand-color', 'none', '--logo-url', 'https://my-store.test/logo.png')
      expect(cleared).to.include({ brandColor: null, logoUrl: 'https://my-store.test/logo.png' })
      const plain = await h.run(['auth', 'sender', 'get'])
      expect(plain.stdout).to.match(/Brand colour\s+none\n/)
    })
  })

  describe('auth providers delete', () => {
    const authorize = () => rest(h.emu, 'GET', `/v1/auth/github/authorize?redirect=${encodeURIComponent('http://app.test/cb')}`, { key: pk() })

    it('asks first, then removes the configuration, and social login fails with 400 auth/oauth-not-configured', async () => {
      expect((await authorize()).status).to.equal(200)
      const refused = await fails(2, 'auth', 'providers', 'delete', 'github')
      expect(refused.code).to.equal('cli/confirmation-required')
      expect((await authorize()).status).to.equal(200)

      const config = await ok('auth', 'providers', 'delete', 'github', '--yes')
      expect(config.oauth.github).to.equal(null)
      expect(config.oauth.google).to.include({ enabled: true })
      const after = await authorize()
      expect(after.status).to.equal(400)
      expect(after.body.error?.code).to.equal('auth/oauth-not-configured')

      const list = await ok('auth', 'providers', 'list')
      expect(list.providers).to.deep.include({ provider: 'github', settings: null })
      const again = await fails(1, 'auth', 'providers', 'delete', 'github', '--yes')
      expect(again.code).to.equal('auth/provider-not-configured')
      expect(again.hint).to.include('bkend auth providers set github')
      const unknown = await h.run(['auth', 'providers', 'delete', 'twitter', '--yes'])
      expect(unknown.code).to.equal(2)
      expect(unknown.stderr).to.include('Expected twitter to be one of: google, github')
    })
  })

  describe('tables openapi', () => {
    before(async () => {
      await h.emu.core.tables.create(h.emu.actor, { projectId: h.emu.seed.projectId, environment: 'dev', tableName: 'posts', schema: { title: { bsonType: 'string' } } })
    })

    it('prints the OpenAPI document of the table to stdout', async () => {
      const out = await h.run(['tables', 'openapi', 'posts'])
      expect(out.code, out.stderr).to.equal(0)
      const document = JSON.parse(out.stdout)
      expect(document.openapi).to.equal('3.0.0')
      expect(Object.keys(document.paths)).to.include('/v1/data/posts')
      expect(document.servers[0].url).to.equal(h.emu.url)
    })

    it('writes it to --output, leaves an unchanged file alone, and names an unknown table', async () => {
      const path = join(h.dir, 'openapi', 'posts.json')
      const first = await ok('tables', 'openapi', 'posts', '--output', path)
      expect(first).to.deep.equal({ table: 'posts', output: path, written: true })
      expect(JSON.parse(await readFile(path, 'utf8')).info.title).to.equal('posts API')
      expect((await ok('tables', 'openapi', 'posts', '--output', path)).written).to.equal(false)

      const unknown = await fails(1, 'tables', 'openapi', 'nope')
      expect(unknown.code).to.equal('data/table-not-found')
      expect(unknown.hint).to.include('bkend tables list')
    })
  })

  describe('keys delete', () => {
    it('removes a key: REST calls with it fail 401 at once and it is gone from keys list', async () => {
      const created = await ok('keys', 'create', 'to-delete', '--type', 'secret')
      expect((await rest(h.emu, 'GET', '/v1/data/posts', { key: created.key })).status).to.equal(200)

      const refused = await fails(2, 'keys', 'delete', 'to-delete')
      expect(refused.code).to.equal('cli/confirmation-required')
      expect((await rest(h.emu, 'GET', '/v1/data/posts', { key: created.key })).status).to.equal(200)

      const deleted = await ok('keys', 'delete', 'to-delete', '--yes')
      expect(deleted).to.include({ id: created.id, name: 'to-delete', type: 'secret' })
      expect(deleted).to.not.have.property('key')
      const after = await rest(h.emu, 'GET', '/v1/data/posts', { key: created.key })
      expect(after.status).to.equal(401)
      expect(after.body.error?.code).to.equal('auth/invalid-token')

      const list = await ok('keys', 'list')
      expect(list.keys.length).to.be.greaterThan(0)
      expect(list.keys.map((k: { id: string }) => k.id)).to.not.include(created.id)
    })

    it('deletes a revoked key too (revoke keeps it listed, delete does not); an unknown key is not found', async () => {
      const created = await ok('keys', 'create', 'old-key')
      await ok('keys', 'revoke', 'old-key', '--yes')
      expect((await ok('keys', 'list')).keys.find((k: { id: string }) => k.id === created.id)).to.include({ status: 'revoked' })
      await ok('keys', 'delete', created.id, '--yes')
      expect((await ok('keys', 'list')).keys.map((k: { id: string }) => k.id)).to.not.include(created.id)

      const unknown = await fails(1, 'keys', 'delete', 'no-such-key', '--yes')
      expect(unknown.code).to.equal('common/key-not-found')
      expect(unknown.message).to.equal('no key "no-such-key" in environment "dev"')
      expect(unknown.hint).to.equal("list what exists with 'bkend keys list --env dev'")
    })
  })

  describe('files update', () => {
    let fileId: string
    before(async () => {
      await writeFile(join(h.dir, 'avatar.txt'), 'not really a picture')
      fileId = (await ok('files', 'upload', join(h.dir, 'avatar.txt'))).id
    })

    it('changes visibility and merges metadata in one request; key=null removes a key', async () => {
      const updated = await ok('files', 'update', fileId, '--visibility', 'public', '--metadata', 'alt=Profile photo', '--metadata', 'tags=["avatar","me"]', '--metadata', 'rank=3')
      expect(updated.visibility).to.equal('public')
      expect(updated.metadata).to.deep.equal({ alt: 'Profile photo', tags: ['avatar', 'me'], rank: 3 })
      expect(updated.publicUrl).to.be.a('string')
      const anonymous = await fetch(updated.publicUrl as string)
      expect(anonymous.status).to.equal(200)

      await writeFile(join(h.dir, 'meta.json'), JSON.stringify({ description: 'me, smiling', rank: null }))
      const merged = await ok('files', 'update', fileId, '--metadata-file', join(h.dir, 'meta.json'))
      expect(merged.metadata).to.deep.equal({ alt: 'Profile photo', tags: ['avatar', 'me'], description: 'me, smiling' })
      expect(merged.visibility).to.equal('public')

      const got = await ok('files', 'get', fileId)
      expect(got.metadata).to.deep.equal(merged.metadata)
    })

    it('refuses bad input with nothing applied: unknown visibility, not key=value, nothing to change, unknown file', async () => {
      const visibility = await h.run(['files', 'update', fileId, '--visibility', 'everyone', '--metadata', 'alt=x'])
      expect(visibility.code).to.equal(2)
      expect(visibility.stderr).to.include('Expected --visibility=everyone to be one of: public, private, protected, shared')
      expect((await fails(2, 'files', 'update', fileId, '--metadata', 'alt')).message).to.equal('--metadata "alt" is not key=value')
      expect((await fails(2, 'files', 'update', fileId, '--metadata-file', '["a"]')).message).to.include('cannot read')
      expect((await fails(2, 'files', 'update', fileId)).message).to.equal('nothing to change')
      expect((await ok('files', 'get', fileId)).metadata.alt).to.equal('Profile photo')

      const unknown = await fails(1, 'files', 'update', '0'.repeat(24), '--visibility', 'private')
      expect(unknown.code).to.equal('file/not-found')
    })
  })

  describe('projects stats', () => {
    it("shows each environment's records, users, files, storage bytes and requests today, and the plan", async () => {
      await ok('envs', 'create', 'stats')
      const key = (await ok('keys', 'create', 'stats-key', '--type', 'secret', '--env', 'stats')).key as string
      await h.emu.core.tables.create(h.emu.actor, { projectId: h.emu.seed.projectId, environment: 'stats', tableName: 'notes', schema: { text: { bsonType: 'string' } } })
      for (const text of ['one', 'two']) expect((await rest(h.emu, 'POST', '/v1/data/notes', { key, body: { text } })).status).to.equal(201)
      expect((await rest(h.emu, 'POST', '/v1/users', { key, body: { email: 'counted@example.com', name: 'Counted' } })).status).to.equal(201)

      const stats = await ok('projects', 'stats')
      expect(stats).to.include({ projectId: h.emu.seed.projectId, projectSlug: 'local', organizationId: h.emu.seed.organizationId, plan: 'free' })
      expect(stats.environments.map((e: { environment: string }) => e.environment)).to.have.members(['dev', 'stats'])
      expect(stats.environments.find((e: { environment: string }) => e.environment === 'stats')).to.deep.equal({
        projectId: h.emu.seed.projectId,
        projectSlug: 'local',
        environment: 'stats',
        records: 2,
        users: 1,
        files: 0,
        storageBytes: 0,
        requestsToday: 3,
      })
      // dev holds the one file the files update tests uploaded
      const dev = stats.environments.find((e: { environment: string }) => e.environment === 'dev')
      expect(dev.files).to.equal(1)
      expect(dev.storageBytes).to.equal('not really a picture'.length)

      const plain = await h.run(['projects', 'stats'])
      expect(plain.stdout).to.match(/^Project local, plan free\nEnvironment\s+Records\s+Users\s+Files\s+Storage\s+Requests today\n/)
      expect(plain.stdout).to.match(/\nstats\s+2\s+1\s+0\s+0 B\s+3\n/)
      const unknown = await fails(1, 'projects', 'stats', 'nope')
      expect(unknown.code).to.equal('common/project-not-found')
    })
  })

  describe('projects cors', () => {
    it('sets, adds and removes origins; a fourth origin or a wildcard is refused with the rules and nothing changes', async () => {
      expect(await ok('projects', 'cors', 'get')).to.deep.equal({ projectId: h.emu.seed.projectId, allowedOrigins: [] })
      expect((await ok('projects', 'cors', 'set', 'https://my-app.test', 'http://localhost:3000')).allowedOrigins).to.deep.equal(['https://my-app.test', 'http://localhost:3000'])
      expect((await ok('projects', 'cors', 'set', '--add', 'https://admin.my-app.test')).allowedOrigins).to.have.length(3)

      const fourth = await fails(1, 'projects', 'cors', 'set', '--add', 'https://fourth.test')
      expect(fourth.message).to.equal('settings.allowedOrigins allows at most 3 entries')
      expect(fourth.hint).to.include('at most 3 origins')
      const wildcard = await fails(1, 'projects', 'cors', 'set', 'https://*.my-app.test')
      expect(wildcard.message).to.include('without wildcards')
      const noProtocol = await fails(1, 'projects', 'cors', 'set', 'my-app.test')
      expect(noProtocol.message).to.include('absolute URL with protocol')
      const missing = await fails(2, 'projects', 'cors', 'set', '--remove', 'https://other.test')
      expect(missing.message).to.equal('https://other.test is not an allowed origin')
      expect((await ok('projects', 'cors', 'get')).allowedOrigins).to.deep.equal(['https://my-app.test', 'http://localhost:3000', 'https://admin.my-app.test'])

      // the list is enforced at once: a browser from a listed origin gets CORS headers, another does not
      const listed = await fetch(`${h.emu.url}/v1/data/posts`, { headers: { 'x-api-key': pk(), origin: 'http://localhost:3000' } })
      expect(listed.headers.get('access-control-allow-origin')).to.equal('http://localhost:3000')
      const other = await fetch(`${h.emu.url}/v1/data/posts`, { headers: { 'x-api-key': pk(), origin: 'https://evil.test' } })
      expect(other.headers.get('access-control-allow-origin')).to.equal(null)

      expect((await ok('projects', 'cors', 'set', '--remove', 'http://localhost:3000')).allowedOrigins).to.deep.equal(['https://my-app.test', 'https://admin.my-app.test'])
      const plain = await h.run(['projects', 'cors', 'get'])
      expect(plain.stdout).to.equal('https://my-app.test\nhttps://admin.my-app.test\n')
      expect((await ok('projects', 'cors', 'set', '--clear')).allowedOrigins).to.deep.equal([])
      expect((await fails(2, 'projects', 'cors', 'set')).message).to.equal('nothing to change')
      // refused before any target is looked for: no emulator needed to be told
      const offline = await h.run(['projects', 'cors', 'set', 'https://a.test', '--add', 'https://b.test', '--json', '--data-dir', join(h.dir, 'no-emulator-here')], { dataDir: false })
      expect(offline.code).to.equal(2)
      expect(offline.errorJson.error.message).to.equal('give either the whole list (or --clear), or --add/--remove')
    })
  })
})
