import { expect } from 'chai'
import type { Page } from '../../src/contract/common.js'
import type { MailboxMessage } from '../../src/contract/mailbox.js'
import type { MailInput } from '../../src/emulator/core/mail/mailbox.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { tempDir } from '../helpers/tmp.js'

describe('http: /_emulator/mailbox', () => {
  let emu: TestEmulator
  beforeEach(async () => {
    emu = await startEmulator()
  })
  afterEach(() => emu.dispose())

  const call = (method: string, path: string, headers: Record<string, string> = { Authorization: `Bearer ${emu.seed.tenantToken}` }) => fetch(emu.url + path, { method, headers })
  const json = async <T>(response: Response) => (await response.json()) as T
  const capture = (input: Partial<MailInput> = {}) =>
    emu.core.mailbox.capture({ projectId: emu.seed.projectId, environmentId: emu.seed.environment.id, type: 'magic_link', to: 'ada@example.com', token: 'a'.repeat(64), link: 'http://app.test/cb?token=' + 'a'.repeat(64), values: { userName: 'Ada' }, ...input })

  it('renders a captured message from the project template, with token, link and sender', async () => {
    const message = await capture()
    expect(message).to.include({ projectId: emu.seed.projectId, environmentId: emu.seed.environment.id, type: 'magic_link', to: 'ada@example.com', from: 'noreply@bkend.local', subject: 'Your sign-in link' })
    expect(message.id).to.match(/^[0-9a-f]{24}$/)
    expect(message.html).to.include('Hello Ada').and.include(message.link as string)
    expect(message.text).to.include(message.link as string)
    const got = await json<MailboxMessage>(await call('GET', `/_emulator/mailbox/${message.id}`))
    expect(got).to.deep.equal(message)
  })

  it('shows the raw token in place of a missing link (invitation with template values)', async () => {
    const message = await capture({ type: 'invitation', link: null, token: 'f'.repeat(64), values: { userName: 'Bo', inviterName: 'Ann', resourceName: 'Acme' } })
    expect(message.subject).to.equal('Ann invited you to Acme')
    expect(message.link).to.equal(null)
    expect(message.html).to.include('f'.repeat(64))
  })

  it('lists newest first, filters by to/type/projectId/environmentId and paginates', async () => {
    const first = await capture({ to: 'a@example.com' })
    const second = await capture({ to: 'b@example.com', type: 'password_reset' })
    const third = await capture({ to: 'a@example.com', type: 'password_reset', environmentId: 'e'.repeat(24) })
    const all = await json<Page<MailboxMessage>>(await call('GET', '/_emulator/mailbox'))
    expect(all.items.map((m) => m.id)).to.deep.equal([third.id, second.id, first.id])
    expect(all.pagination).to.deep.equal({ total: 3, page: 1, limit: 20, totalPages: 1, hasNext: false, hasPrev: false, hasNextPage: false, hasPrevPage: false })
    const cases: Array<[string, string[]]> = [
      ['?to=A@Example.com', [third.id, first.id]],
      ['?type=password_reset', [third.id, second.id]],
      [`?environmentId=${emu.seed.environment.id}`, [second.id, first.id]],
      [`?projectId=${emu.seed.projectId}&type=magic_link`, [first.id]],
      ['?projectId=000000000000000000000000', []],
      ['?limit=1&page=2', [second.id]],
    ]
    for (const [query, ids] of cases) {
      const page = await json<Page<MailboxMessage>>(await call('GET', `/_emulator/mailbox${query}`))
      expect(page.items.map((m) => m.id), query).to.deep.equal(ids)
    }
    const paged = await json<Page<MailboxMessage>>(await call('GET', '/_emulator/mailbox?limit=1&page=2'))
    expect(paged.pagination).to.include({ total: 3, totalPages: 3, hasNext: true, hasPrev: true })
  })

  const failures: Array<[string, string, string, number, string]> = [
    ['an unknown type', 'GET', '/_emulator/mailbox?type=spam', 400, 'common/invalid-parameters'],
    ['a page that is not a number', 'GET', '/_emulator/mailbox?page=x', 400, 'common/invalid-parameters'],
    ['an unknown id', 'GET', `/_emulator/mailbox/${'0'.repeat(24)}`, 404, 'common/not-found'],
    ['an id that is not 24 hex', 'GET', '/_emulator/mailbox/nope', 404, 'common/not-found'],
    ['deleting an unknown id', 'DELETE', `/_emulator/mailbox/${'0'.repeat(24)}`, 404, 'common/not-found'],
  ]
  for (const [what, method, path, status, code] of failures) {
    it(`the tenant asking for ${what} → ${status} ${code}`, async () => {
      const response = await call(method, path)
      expect(response.status).to.equal(status)
      expect((await json<{ error: { code: string } }>(response)).error.code).to.equal(code)
    })
  }

  for (const [method, path] of [['GET', '/_emulator/mailbox'], ['GET', `/_emulator/mailbox/${'0'.repeat(24)}`], ['DELETE', '/_emulator/mailbox'], ['DELETE', `/_emulator/mailbox/${'0'.repeat(24)}`]] as const) {
    it(`${method} ${path.replace(/0{24}/, ':id')} without the tenant bearer → 401 auth/unauthorized, no CORS headers`, async () => {
      const response = await call(method, path, { Origin: 'https://evil.example' })
      expect(response.status).to.equal(401)
      expect((await json<{ error: { code: string } }>(response)).error.code).to.equal('auth/unauthorized')
      expect(response.headers.get('access-control-allow-origin')).to.equal(null)
    })
  }

  it('sends no CORS headers to an authorised cross-origin caller either', async () => {
    await capture()
    const response = await call('GET', '/_emulator/mailbox', { Authorization: `Bearer ${emu.seed.tenantToken}`, Origin: 'https://evil.example' })
    expect(response.status).to.equal(200)
    expect(response.headers.get('access-control-allow-origin')).to.equal(null)
  })

  it('deletes one message, then all: { success: true }', async () => {
    const one = await capture()
    await capture({ to: 'b@example.com' })
    expect(await json(await call('DELETE', `/_emulator/mailbox/${one.id}`))).to.deep.equal({ success: true })
    expect((await call('GET', `/_emulator/mailbox/${one.id}`)).status).to.equal(404)
    expect((await json<Page<MailboxMessage>>(await call('GET', '/_emulator/mailbox'))).pagination.total).to.equal(1)
    expect(await json(await call('DELETE', '/_emulator/mailbox'))).to.deep.equal({ success: true })
    expect((await json<Page<MailboxMessage>>(await call('GET', '/_emulator/mailbox'))).items).to.deep.equal([])
  })
})

describe('mailbox and projects', () => {
  it('deletes a project\'s messages with the project, keeps the others', async () => {
    const emu = await startEmulator()
    try {
      const project = await emu.core.projects.create(emu.actor, { organizationId: emu.actor.organizationId, slug: 'other', name: 'Other', primaryCloud: 'aws', primaryRegion: 'local' })
      const env = project.environments[0]!
      const base = { type: 'password_reset' as const, to: 'a@example.com', token: 'c'.repeat(64), link: null }
      const gone = await emu.core.mailbox.capture({ ...base, projectId: project.id, environmentId: env.id })
      const kept = await emu.core.mailbox.capture({ ...base, projectId: emu.seed.projectId, environmentId: emu.seed.environment.id })
      await emu.core.projects.delete(emu.actor, project.id)
      expect(emu.core.mailbox.list({}).items.map((m) => m.id)).to.deep.equal([kept.id])
      expect(() => emu.core.mailbox.get(gone.id)).to.throw('not found')
    } finally {
      await emu.dispose()
    }
  })
})

describe('mailbox durability', () => {
  it('keeps a captured message across a restart on the same data directory', async () => {
    const { dir, cleanup } = await tempDir()
    try {
      const first = await startEmulator({ dataDir: dir })
      const message = await first.core.mailbox.capture({ projectId: first.seed.projectId, environmentId: first.seed.environment.id, type: 'password_reset', to: 'keep@example.com', token: 'b'.repeat(64), link: null })
      await first.stop()
      const second = await startEmulator({ dataDir: dir })
      try {
        const response = await fetch(`${second.url}/_emulator/mailbox/${message.id}`, { headers: { Authorization: `Bearer ${second.seed.tenantToken}` } })
        expect(response.status).to.equal(200)
        expect(await response.json()).to.deep.equal(message)
      } finally {
        await second.stop()
      }
    } finally {
      await cleanup()
    }
  })
})
