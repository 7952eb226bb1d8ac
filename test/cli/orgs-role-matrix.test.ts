/* eslint-disable @typescript-eslint/no-explicit-any -- CLI --json output is checked by chai assertions, not typed */
import { expect } from 'chai'
import type { OrgRole } from '../../src/contract/tenancy.js'
import type { Actor } from '../../src/emulator/core/tenancy/model.js'
import { join, memberWith, sessionOf } from '../helpers/teams.js'
import { startManagementHarness, type ManagementHarness } from './management-harness.js'

const ROLES: readonly OrgRole[] = ['owner', 'admin', 'member', 'billing']
const ALL = ROLES
const OWNER_ADMIN: readonly OrgRole[] = ['owner', 'admin']
const WORKERS: readonly OrgRole[] = ['owner', 'admin', 'member']

interface Row {
  name: string
  /** The command as a person types it; the role picks its arguments where the rows need their own objects. */
  args: (role: OrgRole) => string[] | Promise<string[]>
  allowed: readonly OrgRole[]
  /** The capability a refusal names (by role, where the CLI's first read already refuses one of them). */
  capability?: string | ((role: OrgRole) => string)
  /** A refusal that is not the role matrix's (the owner cannot leave): its message. */
  refused?: Partial<Record<OrgRole, string>>
}

/**
 * The role matrix of console-model.md §2.1 over the CLI: each role's tenant runs the command with its own token
 * (`--target <the emulator's URL>` and BKEND_ACCESS_TOKEN: how a CLI run acts as another tenant) → exit code and
 * the message naming the role and the capability.
 */
describe('cli: the role matrix over the CLI (owner, admin, member, billing × command)', function () {
  this.timeout(120_000)
  let h: ManagementHarness
  let owner: Actor
  const tokens = {} as Record<OrgRole, string>
  const emails = {} as Record<OrgRole, string>
  let extra: { tenantId: string; email: string }
  let counter = 0
  const unique = (prefix: string) => `${prefix}${++counter}`

  const as = (role: OrgRole, args: string[]) => h.run([...args, '--target', h.emu.url, '--project', 'local'], { dataDir: false, env: { BKEND_ACCESS_TOKEN: tokens[role] } })

  /** An organization the owner creates for a row that would otherwise change the shared one, with `extra` in it. */
  const ownOrg = async () => {
    const org = await h.emu.core.orgs.create(owner.tenantId, { name: unique('Scratch ') })
    await join(h.emu, { tenantId: owner.tenantId, organizationId: org.id }, extra.tenantId, extra.email, 'member')
    return org.slug
  }

  before(async () => {
    h = await startManagementHarness()
    owner = h.emu.actor
    tokens.owner = h.emu.ready.tenantToken
    emails.owner = 'developer@localhost'
    for (const role of ['admin', 'member', 'billing'] as const) {
      emails[role] = `${role}@example.com`
      const tenant = await memberWith(h.emu, owner, role, emails[role])
      tokens[role] = tenant.token
      await tenant.client.close()
    }
    const extraTenant = await h.emu.core.orgs.createTenant('extra@example.com', 'Extra')
    extra = { tenantId: extraTenant.id, email: 'extra@example.com' }
    await join(h.emu, owner, extra.tenantId, extra.email, 'member')
  })
  after(async () => {
    await h.dispose()
  })

  const rows: Row[] = [
    { name: 'orgs get', args: () => ['orgs', 'get', 'local'], allowed: ALL },
    { name: 'orgs usage', args: () => ['orgs', 'usage'], allowed: ALL },
    { name: 'orgs activity', args: () => ['orgs', 'activity'], allowed: ALL },
    { name: 'orgs members list', args: () => ['orgs', 'members', 'list'], allowed: ALL },
    { name: 'orgs invitations list', args: () => ['orgs', 'invitations', 'list'], allowed: ALL },
    { name: 'orgs create', args: () => ['orgs', 'create', unique('Team ')], allowed: ALL },
    { name: 'orgs update', args: (role) => ['orgs', 'update', '--description', `set by ${role}`], allowed: OWNER_ADMIN, capability: 'organization:update' },
    { name: 'orgs members invite', args: () => ['orgs', 'members', 'invite', `${unique('new')}@example.com`], allowed: OWNER_ADMIN, capability: 'member:manage' },
    { name: 'orgs members role', args: () => ['orgs', 'members', 'role', 'extra@example.com', 'member'], allowed: OWNER_ADMIN, capability: 'member:manage' },
    { name: 'projects list', args: () => ['projects', 'list'], allowed: WORKERS, capability: 'project:read' },
    { name: 'projects create', args: () => ['projects', 'create', unique('App ')], allowed: OWNER_ADMIN, capability: 'project:create' },
    // Billing is refused before the write: the CLI first reads the project, which Billing may not (organization only).
    { name: 'tables create', args: () => ['tables', 'create', unique('notes_'), '--field', 'text:string'], allowed: WORKERS, capability: 'project:read' },
    { name: 'keys create', args: () => ['keys', 'create', unique('key-')], allowed: WORKERS, capability: 'project:read' },
    // Allowed roles delete a project of their own making; the others are refused on the seeded one, which stays.
    {
      name: 'projects delete',
      args: async (role) => (OWNER_ADMIN.includes(role) ? ['projects', 'delete', (await h.emu.core.projects.create(owner, { organizationId: owner.organizationId, name: unique('Doomed '), slug: unique('doomed-'), primaryCloud: 'aws', primaryRegion: 'local' })).slug, '--yes'] : ['projects', 'delete', 'local', '--yes']),
      allowed: OWNER_ADMIN,
      capability: (role) => (role === 'billing' ? 'project:read' : 'project:delete'),
    },
    { name: 'orgs delete', args: async (role) => ['orgs', 'delete', role === 'owner' ? await ownOrg() : 'local', '--yes'], allowed: ['owner'], capability: 'organization:delete' },
    { name: 'orgs transfer', args: async (role) => ['orgs', 'transfer', 'extra@example.com', '--org', role === 'owner' ? await ownOrg() : 'local', '--yes'], allowed: ['owner'], capability: 'organization:transfer' },
  ]

  for (const row of rows) {
    it(`${row.name}: ${ROLES.map((r) => `${r} ${row.allowed.includes(r) ? '✓' : '✗'}`).join(', ')}`, async () => {
      for (const role of ROLES) {
        const args = await row.args(role)
        const human = await as(role, args)
        if (row.allowed.includes(role)) {
          expect(human.code, `${role}: bkend ${args.join(' ')}\n${human.stderr}`).to.equal(0)
          continue
        }
        expect(human.code, `${role}: bkend ${args.join(' ')} must be refused`).to.equal(1)
        const capability = typeof row.capability === 'function' ? row.capability(role) : row.capability
        expect(human.stderr, role).to.include(`Your organization role "${role}" does not allow ${capability}`)
        expect(human.stderr, role).to.include('Hint: your organization role does not allow this; ask an owner or admin of the organization')
        const json = await as(role, [...(await row.args(role)), '--json'])
        expect(json.code).to.equal(1)
        expect(json.errorJson.error.code, role).to.equal('FORBIDDEN')
      }
    })
  }

  it('orgs leave: every role but the owner may leave; the owner is told to transfer first', async () => {
    const club = await h.emu.core.orgs.create(owner.tenantId, { name: 'Club' })
    for (const role of ['admin', 'member', 'billing'] as const) {
      const tenantId = (await h.emu.core.members.list(owner)).find((m) => m.email === emails[role])!.tenantId
      await join(h.emu, { tenantId: owner.tenantId, organizationId: club.id }, tenantId, emails[role], role)
    }
    const refused = await as('owner', ['orgs', 'leave', club.slug, '--yes'])
    expect(refused.code).to.equal(1)
    expect(refused.stderr).to.include('The owner cannot leave the organization: transfer ownership to another member first')
    expect(refused.stderr).to.include("Hint: 'bkend orgs members list' and 'bkend orgs invitations list' show who is in the organization and who is invited")
    for (const role of ['admin', 'member', 'billing'] as const) {
      const left = await as(role, ['orgs', 'leave', club.slug, '--yes', '--json'])
      expect(left.code, left.stderr).to.equal(0)
      expect(left.json.left.slug).to.equal(club.slug)
    }
    expect(h.emu.core.members.list({ tenantId: owner.tenantId, organizationId: club.id }).map((m) => m.role)).to.deep.equal(['owner'])
  })

  it('whoami shows each tenant its own e-mail and role', async () => {
    for (const role of ROLES) {
      const who = await as(role, ['whoami', '--json'])
      expect(who.code, who.stderr).to.equal(0)
      expect(who.json.email).to.equal(emails[role])
      expect(who.json.organization).to.include({ slug: 'local', role })
      const human = await as(role, ['whoami'])
      expect(human.stdout).to.match(new RegExp(`Account\\s+${emails[role].replace('.', '\\.')} \\(`)).and.match(new RegExp(`Role\\s+${role}\\n`))
    }
  })

  it('left the shared organization as it was: the refused calls changed nothing', async () => {
    const owned = await as('owner', ['orgs', 'members', 'list', '--json'])
    const roles = Object.fromEntries(owned.json.members.map((m: any) => [m.email, m.role]))
    expect(roles).to.include({ 'developer@localhost': 'owner', 'admin@example.com': 'admin', 'member@example.com': 'member', 'billing@example.com': 'billing' })
    const org = await as('owner', ['orgs', 'get', 'local', '--json'])
    expect(org.json.description).to.equal('set by admin')
  })

  it('bad input: an unknown member, an existing member invited, a role that does not exist, a taken slug', async () => {
    const unknown = await as('owner', ['orgs', 'members', 'role', 'nobody@example.com', 'admin'])
    expect(unknown.code).to.equal(1)
    expect(unknown.stderr).to.equal(`Error: no member "nobody@example.com" in organization local\nHint: 'bkend orgs members list' shows the members (by e-mail and tenant id)\n`)
    const again = await as('owner', ['orgs', 'members', 'invite', 'admin@example.com', '--json'])
    expect(again.code).to.equal(1)
    expect(again.errorJson.error.code).to.equal('CONFLICT')
    expect(again.errorJson.error.message).to.include('admin@example.com is already a member of this organization')
    const role = await as('owner', ['orgs', 'members', 'role', 'admin@example.com', 'boss'])
    expect(role.code).to.equal(2)
    expect(role.stderr).to.include('Expected boss to be one of: admin, member, billing')
    await as('owner', ['orgs', 'create', 'Taken', '--slug', 'taken'])
    const taken = await as('owner', ['orgs', 'create', 'Taken again', '--slug', 'taken'])
    expect(taken.code).to.equal(1)
    expect(taken.stderr).to.include('An organization with slug "taken" already exists').and.include('Hint: the name is taken')
    const none = await as('owner', ['orgs', 'update'])
    expect(none.code).to.equal(2)
    expect(none.stderr).to.include('nothing to change')
  })

  it('a tenant of one organization cannot reach another one', async () => {
    const other = await h.emu.core.orgs.createTenant('outsider@example.com', 'Outsider')
    const theirs = await h.emu.core.orgs.create(other.id, { name: 'Elsewhere' })
    const { token, client } = await sessionOf(h.emu, other.id, theirs.id)
    await client.close()
    const run = await h.run(['orgs', 'members', 'list', '--org', h.emu.seed.organizationId, '--target', h.emu.url, '--json'], { dataDir: false, env: { BKEND_ACCESS_TOKEN: token } })
    expect(run.code).to.equal(1)
    expect(run.errorJson.error.code).to.equal('common/organization-not-found')
  })
})
