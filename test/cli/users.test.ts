import { expect } from 'chai'
import type { UsersListResult } from '../../src/commands/users/list.js'
import { startCliHarness, type CliHarness } from './data-harness.js'

describe('cli: users', function () {
  this.timeout(60_000)
  let h: CliHarness

  before(async () => {
    h = await startCliHarness()
  })
  after(() => h.dispose())

  it('creates, gets, lists, updates, re-roles and deletes a user, each with one JSON document on stdout', async () => {
    const created = await h.run(['users', 'create', '--email', 'Alice@Example.com', '--name', 'Alice', '--password', 'secret123', '--json'])
    expect(created.code).to.equal(0)
    expect(created.stderr).to.equal('')
    expect(created.json).to.include({ email: 'alice@example.com', name: 'Alice', role: 'user', hasPassword: true })
    const id = created.json.id as string

    const got = await h.run(['users', 'get', id, '--json'])
    expect(got.json).to.include({ id, email: 'alice@example.com' })

    await h.run(['users', 'create', '--email', 'bob@example.com', '--name', 'Bob', '--json'])
    const listed = await h.run(['users', 'list', '--search', 'alice', '--json'])
    const list = listed.json as UsersListResult
    expect(list.items.map((u) => u.email)).to.deep.equal(['alice@example.com'])
    expect(list.pagination).to.include({ total: 1, page: 1 })
    const sorted = await h.run(['users', 'list', '--sort', 'name:asc', '--limit', '1', '--page', '2', '--json'])
    expect(sorted.json.items.map((u: { name: string }) => u.name)).to.deep.equal(['Bob'])

    const updated = await h.run(['users', 'update', id, '--name', 'Alice L', '--data', '{"bio":"hi","nickname":"al"}', '--json'])
    expect(updated.json).to.include({ name: 'Alice L', bio: 'hi', nickname: 'al' })
    const told = await h.run(['users', 'update', id, '--bio', 'hello'])
    expect(told.stdout.trimEnd().split('\n').at(-1)).to.equal(`Updated user ${id} (environment dev).`)

    const role = await h.run(['users', 'role', id, 'moderator', '--json'])
    expect(role.json).to.include({ id, role: 'moderator' })

    const deleted = await h.run(['users', 'delete', id, '--yes', '--json'])
    expect(deleted.code).to.equal(0)
    expect(deleted.json).to.deep.equal({ id, deleted: true })
    const gone = await h.run(['users', 'get', id])
    expect(gone.code).to.equal(1)
    expect(gone.stderr).to.include('Hint: list users with \'bkend users list\'')
  })

  it('bans and unbans a user: a banned user cannot sign in, an unbanned one can', async () => {
    const created = await h.run(['users', 'create', '--email', 'eve@example.com', '--name', 'Eve', '--password', 'secret123', '--json'])
    const id = created.json.id as string
    const signIn = async () => {
      const response = await fetch(`${h.emu.url}/v1/auth/email/signin`, {
        method: 'POST',
        headers: { 'X-API-Key': h.emu.seed.environment.publishableKey, 'Content-Type': 'application/json' },
        body: JSON.stringify({ email: 'eve@example.com', password: 'secret123' }),
      })
      return { status: response.status, body: (await response.json()) as { error?: { code: string } } }
    }
    const banned = await h.run(['users', 'ban', id])
    expect(banned.code).to.equal(0)
    expect(banned.stdout.trimEnd()).to.equal('eve@example.com is banned; their sessions ended (environment dev).')
    const refused = await signIn()
    expect(refused.status).to.equal(403)
    expect(refused.body.error?.code).to.equal('auth/account-banned')
    const unbanned = await h.run(['users', 'unban', id, '--json'])
    expect(unbanned.json).to.deep.equal({ id, email: 'eve@example.com', banned: false })
    expect((await signIn()).status).to.equal(200)
    const unknown = await h.run(['users', 'ban', '0123456789abcdef01234567'])
    expect(unknown.code).to.equal(1)
    expect(unknown.stderr).to.include("Hint: list users with 'bkend users list'")
  })

  it('prints a plain aligned table when piped, with a page line', async () => {
    const out = await h.run(['users', 'list', '--sort', 'email'])
    expect(out.code).to.equal(0)
    const lines = out.stdout.trimEnd().split('\n')
    expect(lines[0]).to.match(/^Id\s+Email\s+Name\s+Role\s+Created$/)
    expect(lines[1]).to.match(/^[0-9a-f]{24}\s+bob@example\.com\s+Bob\s+user\s+\d{4}-/)
    expect(lines.at(-1)).to.match(/^page 1 of 1, \d+ users? \(environment dev\)$/)
  })

  it('refuses to delete without --yes when no terminal is attached, and deletes nothing', async () => {
    const bob = (await h.run(['users', 'list', '--search', 'bob', '--json'])).json.items[0].id as string
    const out = await h.run(['users', 'delete', bob])
    expect(out.code).to.equal(2)
    expect(out.stderr).to.include(`Error: Delete user ${bob} from dev: needs confirmation`)
    expect(out.stderr).to.include('Hint: pass --yes')
    expect((await h.run(['users', 'get', bob, '--json'])).code).to.equal(0)
  })

  it('maps server errors to a message, a hint and the server code; --json puts the error on stderr only', async () => {
    const dup = await h.run(['users', 'create', '--email', 'bob@example.com', '--name', 'Bob again', '--json'])
    expect(dup.code).to.equal(1)
    expect(dup.stdout).to.equal('')
    const error = JSON.parse(dup.stderr).error
    expect(error.code).to.equal('auth/email-already-exists')
    expect(error.hint).to.include('bkend users list --search')

    const role = await h.run(['users', 'role', '0123456789abcdef01234567', 'Not A Role'])
    expect(role.code).to.equal(1)
    expect(role.stderr).to.match(/^Error: .+/)

    const badKey = await h.run(['users', 'list', '--secret-key', `sk_${'0'.repeat(64)}`])
    expect(badKey.code).to.equal(1)
    expect(badKey.stderr).to.include('Hint: check the key (--secret-key or BKEND_SECRET_KEY)')
    expect(badKey.stderr).to.not.include('0'.repeat(64))
  })

  it('says how to start an emulator when none runs or the server does not answer, and rejects an empty update as usage', async () => {
    const none = await h.run(['users', 'list'], { dataDir: `${h.dir}/nothing-here` })
    expect(none.code).to.equal(1)
    expect(none.stderr).to.include('no running bkend dev found')
    const unreachable = await h.run(['users', 'list', '--target', 'http://127.0.0.1:9', '--secret-key', `sk_${'1'.repeat(64)}`, '--json'])
    expect(unreachable.code).to.equal(1)
    const error = JSON.parse(unreachable.stderr).error
    expect(error.code).to.equal('target/unreachable')
    expect(error.message).to.include('cannot reach http://127.0.0.1:9')
    expect(error.hint).to.include("start the emulator with 'bkend dev'")
    const empty = await h.run(['users', 'update', '0123456789abcdef01234567'])
    expect(empty.code).to.equal(2)
    expect(empty.stderr).to.include('Error: nothing to update')
  })
})
