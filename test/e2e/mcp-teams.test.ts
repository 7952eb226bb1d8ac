import { expect } from 'chai'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { envDatabaseName, type Actor } from '../../src/emulator/core/tenancy/model.js'
import { TOOLS } from '../../src/emulator/mcp/registry.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { connectWithToken, toolJson, toolText } from '../helpers/mcp-client.js'
import { authorizeUrl, pkce, postForm, REDIRECT, registerClient } from '../helpers/oauth.js'
import { invitationToken, join, sessionOf } from '../helpers/teams.js'
import { signUp, uploadFile } from '../http/storage-helpers.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any
type Failure = { code: string; message: string }

/** What a session's tool call answered: the JSON of a success, or the error of a refusal. */
async function run(client: Client, name: string, args: Json = {}): Promise<{ ok: boolean; json: Json; error: Failure }> {
  const result = await client.callTool({ name, arguments: args })
  const json = toolJson(result)
  return { ok: result.isError !== true, json, error: (json as { error: Failure }).error }
}

describe('e2e: organizations, members and invitations over MCP', function () {
  this.timeout(60_000)
  let emu: TestEmulator
  let owner: Client
  let ownerActor: Actor
  let orgId: string
  const sessions: Client[] = []

  const ok = async (client: Client, name: string, args: Json = {}): Promise<Json> => {
    const result = await run(client, name, args)
    if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`)
    return result.json
  }
  const refused = async (client: Client, name: string, args: Json = {}): Promise<Failure> => {
    const result = await run(client, name, args)
    expect(result.ok, `${name} should be refused: ${JSON.stringify(result.json)}`).to.equal(false)
    return result.error
  }
  /** A tenant with a session bound to an organization (its own when it has none there). */
  const tenant = async (email: string, organizationId?: string) => {
    const doc = await emu.core.orgs.createTenant(email, email.split('@')[0]!)
    const home = organizationId ?? (await emu.core.orgs.create(doc.id, { name: `${doc.name} home` })).id
    const { client, token } = await sessionOf(emu, doc.id, home)
    sessions.push(client)
    return { id: doc.id, email, client, token, home }
  }

  beforeEach(async () => {
    emu = await startEmulator()
    ;({ client: owner } = await connectWithToken(emu.mcpUrl, emu.ready.tenantToken))
    sessions.push(owner)
    ownerActor = emu.actor
    orgId = ownerActor.organizationId
  })
  afterEach(async () => {
    for (const client of sessions.splice(0)) await client.close().catch(() => undefined)
    await emu.dispose()
  })

  describe('invitations', () => {
    it('invite → a mail in the mailbox with the link → accept by token: the new member sees the organization', async () => {
      const ada = await tenant('ada@example.com')
      const invitation = await ok(owner, 'backend_member_invite', { body: { email: 'Ada@Example.com', role: 'admin', name: 'Ada' } })
      expect(invitation).to.include({ organizationId: orgId, email: 'ada@example.com', role: 'admin', status: 'pending', sentCount: 1, name: 'Ada' })
      expect(invitation).to.not.have.property('tokenHash')
      expect(Date.parse(invitation.expiresAt) - Date.parse(invitation.createdAt)).to.equal(7 * 24 * 3600 * 1000)
      const mails = emu.core.mailbox.list({ to: 'ada@example.com', type: 'invitation' }).items
      expect(mails).to.have.length(1)
      expect(mails[0]!.link).to.equal(`${emu.url}/_/invitations/${mails[0]!.token}`)
      expect(mails[0]!.subject).to.equal('Local Developer invited you to Local')
      expect(mails[0]!.projectId).to.equal(null)
      // Only the token's hash is stored.
      const stored = JSON.stringify([...emu.core.store.control.collection('orgInvitations').values()])
      expect(stored).to.not.include(mails[0]!.token)
      expect((await ok(owner, 'backend_member_invitation_list')).items.map((i: Json) => i.id)).to.deep.equal([invitation.id])

      expect((await refused(ada.client, 'backend_org_get', { organizationId: orgId })).code).to.equal('NOT_FOUND')
      const accepted = await ok(ada.client, 'backend_member_invitation_accept', { token: mails[0]!.token })
      expect(accepted.organization).to.include({ id: orgId, role: 'admin' })
      expect(accepted.member).to.include({ tenantId: ada.id, email: 'ada@example.com', role: 'admin' })
      expect(await ok(ada.client, 'backend_org_get', { organizationId: orgId })).to.include({ id: orgId, role: 'admin' })
      expect((await ok(ada.client, 'backend_org_list')).items.map((o: Json) => o.id)).to.include(orgId)
      expect((await ok(owner, 'backend_member_invitation_list')).items).to.have.length(0)
      expect((await ok(owner, 'backend_member_invitation_list', { status: 'accepted' })).items[0]).to.include({ id: invitation.id, status: 'accepted' })
      expect((await refused(ada.client, 'backend_member_invitation_accept', { token: mails[0]!.token })).code).to.equal('CONFLICT')
    })

    it('refuses an existing member, a second pending invitation and a role that does not exist, with nothing stored', async () => {
      const member = await refused(owner, 'backend_member_invite', { body: { email: 'developer@localhost', role: 'member' } })
      expect(member).to.include({ code: 'CONFLICT' })
      expect(member.message).to.include('already a member')
      await ok(owner, 'backend_member_invite', { body: { email: 'bo@example.com', role: 'member' } })
      const twice = await refused(owner, 'backend_member_invite', { body: { email: 'BO@example.com', role: 'billing' } })
      expect(twice.code).to.equal('CONFLICT')
      expect(twice.message).to.include('pending invitation')
      const badRole = await refused(owner, 'backend_member_invite', { body: { email: 'cy@example.com', role: 'superuser' } })
      expect(badRole.code).to.equal('VALIDATION_ERROR')
      expect(badRole.message).to.equal('role must be one of admin, member, billing')
      expect((await refused(owner, 'backend_member_invite', { body: { email: 'cy@example.com', role: 'owner' } })).message).to.include('ownership moves only by transfer')
      expect((await ok(owner, 'backend_member_invitation_list')).items.map((i: Json) => i.email)).to.deep.equal(['bo@example.com'])
      expect(emu.core.mailbox.list({ type: 'invitation' }).items).to.have.length(1)
    })

    it('resend sends a new link and the old one stops working; cancel ends it', async () => {
      const bo = await tenant('bo@example.com')
      const first = await ok(owner, 'backend_member_invite', { body: { email: 'bo@example.com', role: 'member' } })
      const oldToken = invitationToken(emu, 'bo@example.com')
      const resent = await ok(owner, 'backend_member_invitation_resend', { invitationId: first.id })
      expect(resent).to.include({ id: first.id, sentCount: 2, status: 'pending' })
      const newToken = invitationToken(emu, 'bo@example.com')
      expect(newToken).to.not.equal(oldToken)
      expect(emu.core.mailbox.list({ to: 'bo@example.com' }).items).to.have.length(2)
      expect((await refused(bo.client, 'backend_member_invitation_accept', { token: oldToken })).code).to.equal('NOT_FOUND')
      expect(emu.core.orgs.roleOf(bo.id, orgId)).to.equal(undefined)
      const cancelled = await ok(owner, 'backend_member_invitation_cancel', { invitationId: first.id })
      expect(cancelled.status).to.equal('cancelled')
      const late = await refused(bo.client, 'backend_member_invitation_accept', { token: newToken })
      expect(late).to.include({ code: 'CONFLICT' })
      expect(late.message).to.include('cancelled')
      expect((await refused(owner, 'backend_member_invitation_resend', { invitationId: first.id })).code).to.equal('CONFLICT')
      expect(emu.core.orgs.roleOf(bo.id, orgId)).to.equal(undefined)
    })

    it('refuses a foreign and an expired invitation (7 days by the emulator clock), applying nothing', async () => {
      const cy = await tenant('cy@example.com')
      const eve = await tenant('eve@example.com')
      await ok(owner, 'backend_member_invite', { body: { email: 'cy@example.com', role: 'admin' } })
      const token = invitationToken(emu, 'cy@example.com')
      const foreign = await refused(eve.client, 'backend_member_invitation_accept', { token })
      expect(foreign.code).to.equal('FORBIDDEN')
      expect(foreign.message).to.include('cy@example.com')
      expect(emu.core.orgs.roleOf(eve.id, orgId)).to.equal(undefined)
      expect((await ok(owner, 'backend_member_invitation_list')).items[0].status).to.equal('pending')
      emu.core.clock.advance(7 * 24 * 3600 + 1)
      // A week later the MCP sessions and the hour-long test tokens have expired too: fresh sessions.
      const { client: cyLater } = await sessionOf(emu, cy.id, cy.home)
      ;({ client: owner } = await connectWithToken(emu.mcpUrl, emu.ready.tenantToken))
      sessions.push(cyLater, owner)
      const expired = await refused(cyLater, 'backend_member_invitation_accept', { token })
      expect(expired.code).to.equal('CONFLICT')
      expect(expired.message).to.include('expired')
      expect(emu.core.orgs.roleOf(cy.id, orgId)).to.equal(undefined)
      expect((await ok(owner, 'backend_member_invitation_list', { status: 'expired' })).items).to.have.length(1)
      // A resend revives it with a fresh week.
      await ok(owner, 'backend_member_invitation_resend', { invitationId: (await ok(owner, 'backend_member_invitation_list', { status: 'expired' })).items[0].id })
      expect((await ok(cyLater, 'backend_member_invitation_accept', { token: invitationToken(emu, 'cy@example.com') })).member.role).to.equal('admin')
    })
  })

  describe('members', () => {
    it('lists members with e-mail and name; changes roles but never to or from owner', async () => {
      const ada = await tenant('ada@example.com')
      await join(emu, ownerActor, ada.id, ada.email, 'member')
      const members = (await ok(owner, 'backend_member_list')).items as Json[]
      expect(members).to.have.length(2)
      expect(members[0]).to.include({ email: 'developer@localhost', name: 'Local Developer', role: 'owner', organizationId: orgId })
      expect(members[1]).to.include({ tenantId: ada.id, email: 'ada@example.com', name: 'ada', role: 'member' })
      expect(await ok(owner, 'backend_member_role_update', { email: 'ada@example.com', role: 'billing' })).to.include({ tenantId: ada.id, role: 'billing' })
      expect((await refused(owner, 'backend_member_role_update', { tenantId: ada.id, role: 'owner' })).code).to.equal('VALIDATION_ERROR')
      const demote = await refused(owner, 'backend_member_role_update', { tenantId: emu.seed.tenantId, role: 'admin' })
      expect(demote.code).to.equal('CONFLICT')
      expect(demote.message).to.include('transfer')
      expect((await refused(owner, 'backend_member_role_update', { email: 'nobody@example.com', role: 'admin' })).code).to.equal('NOT_FOUND')
      expect(emu.core.orgs.roleOf(emu.seed.tenantId, orgId)).to.equal('owner')
    })

    it("removing a member ends their session at once; the owner cannot be removed", async () => {
      const ada = await tenant('ada@example.com', undefined)
      await join(emu, ownerActor, ada.id, ada.email, 'admin')
      const { client: adaHere } = await sessionOf(emu, ada.id, orgId)
      sessions.push(adaHere)
      expect(await ok(adaHere, 'backend_org_get', { organizationId: orgId })).to.include({ role: 'admin' })
      const last = await refused(adaHere, 'backend_member_remove', { tenantId: emu.seed.tenantId })
      expect(last.code).to.equal('CONFLICT')
      expect(last.message).to.include('exactly one owner')
      expect(await ok(owner, 'backend_member_remove', { email: 'ada@example.com' })).to.include({ tenantId: ada.id })
      let failure: unknown
      try {
        await adaHere.callTool({ name: 'backend_org_get', arguments: { organizationId: orgId } })
      } catch (error) {
        failure = error
      }
      expect(String(failure)).to.match(/401|no longer a member/)
      // Their session in their own organization still works.
      expect(await ok(ada.client, 'backend_org_get', { organizationId: ada.home })).to.include({ role: 'owner' })
    })
  })

  describe('organizations', () => {
    it('updates name, display name, description and a unique slug', async () => {
      const other = await ok(owner, 'backend_org_create', { name: 'Other' })
      const updated = await ok(owner, 'backend_org_update', { body: { name: 'Renamed', displayName: 'Renamed Inc.', description: 'the team', slug: 'renamed' } })
      expect(updated).to.include({ id: orgId, name: 'Renamed', displayName: 'Renamed Inc.', description: 'the team', slug: 'renamed', role: 'owner' })
      const taken = await refused(owner, 'backend_org_update', { organizationId: orgId, body: { slug: other.slug } })
      expect(taken.code).to.equal('CONFLICT')
      expect((await refused(owner, 'backend_org_update', { body: { slug: 'Not A Slug' } })).code).to.equal('VALIDATION_ERROR')
      expect(await ok(owner, 'backend_org_get', { organizationId: orgId })).to.include({ slug: 'renamed' })
    })

    it('transfers ownership: the former owner becomes admin, exactly one owner remains', async () => {
      const ada = await tenant('ada@example.com')
      await join(emu, ownerActor, ada.id, ada.email, 'member')
      expect((await refused(owner, 'backend_org_transfer', { tenantId: ada.home })).code).to.equal('NOT_FOUND')
      expect(await ok(owner, 'backend_org_transfer', { tenantId: ada.id })).to.include({ id: orgId, role: 'admin' })
      const roles = ((await ok(owner, 'backend_member_list')).items as Json[]).map((m) => [m.email, m.role])
      expect(roles).to.deep.equal([['developer@localhost', 'admin'], ['ada@example.com', 'owner']])
      const again = await refused(owner, 'backend_org_transfer', { tenantId: ada.id })
      expect(again.code).to.equal('FORBIDDEN')
      expect(again.message).to.include('"admin"')
      expect((await refused(owner, 'backend_org_delete', { organizationId: orgId })).code).to.equal('FORBIDDEN')
    })

    it('lets non-owners leave; the owner must transfer first', async () => {
      const ada = await tenant('ada@example.com')
      await join(emu, ownerActor, ada.id, ada.email, 'billing')
      const stay = await refused(owner, 'backend_org_leave', { organizationId: orgId })
      expect(stay.code).to.equal('CONFLICT')
      expect(stay.message).to.include('transfer ownership')
      expect(await ok(ada.client, 'backend_org_leave', { organizationId: orgId })).to.deep.equal({ organizationId: orgId, tenantId: ada.id, left: true })
      expect(((await ok(owner, 'backend_member_list')).items as Json[]).map((m) => m.email)).to.deep.equal(['developer@localhost'])
    })

    it('reports the plan and per-environment usage, requests today counted from the REST traffic', async () => {
      const table = await ok(owner, 'backend_table_create', { projectId: emu.seed.projectId, environment: 'dev', tableName: 'notes', schema: { title: { type: 'string' } } })
      for (const title of ['a', 'b', 'c']) await ok(owner, 'backend_data_create', { tableId: table.id, body: { title } })
      const user = await signUp(emu, 'user@example.com')
      await uploadFile(emu, user.as, 'twelve bytes')
      const before = (await ok(owner, 'backend_org_usage')).environments[0].requestsToday as number
      for (let i = 0; i < 3; i++) await fetch(`${emu.url}/v1/data/notes`, { headers: { 'X-API-Key': emu.seed.environment.publishableKey } })
      const usage = await ok(owner, 'backend_org_usage', { organizationId: orgId })
      expect(usage).to.include({ organizationId: orgId, plan: 'free' })
      expect(usage.environments).to.have.length(1)
      expect(usage.environments[0]).to.include({ projectId: emu.seed.projectId, projectSlug: 'local', environment: 'dev', records: 3, users: 1, files: 1, storageBytes: 12 })
      expect(usage.environments[0].requestsToday).to.equal(before + 3)
      // The sign-up, the upload URL and the file's registration carried the key; the signed PUT did not.
      expect(before).to.equal(3)
    })

    it('deletes an organization with everything below it, in one go; its members\' tokens stop working', async () => {
      const doomed = await ok(owner, 'backend_org_create', { name: 'Doomed' })
      const doomedOwner: Actor = { tenantId: emu.seed.tenantId, organizationId: doomed.id }
      const project = await emu.core.projects.create(doomedOwner, { organizationId: doomed.id, slug: 'app', name: 'App', primaryCloud: 'aws', primaryRegion: 'local' })
      const env = project.environments[0]!
      await emu.core.keys.issue(emu.seed.tenantId, emu.core.envs.doc(env.id)!, { projectId: project.id, environment: 'dev', type: 'secret', name: 'k' })
      const ada = await tenant('ada@example.com')
      await join(emu, doomedOwner, ada.id, ada.email, 'admin')
      await emu.core.orgInvitations.invite(doomedOwner, { email: 'later@example.com', role: 'member' })
      const { client: adaThere } = await sessionOf(emu, ada.id, doomed.id)
      sessions.push(adaThere)
      // An MCP client's OAuth grant bound to the organization.
      const oauthClient = await registerClient(emu.url)
      const { verifier, challenge } = pkce()
      const code = await emu.core.oauth.grants.issueCode({ clientId: oauthClient.client_id, redirectUri: REDIRECT, codeChallenge: challenge, scopes: ['organization:read'], tenantId: emu.seed.tenantId, organizationId: doomed.id })
      const granted = await postForm(`${emu.url}/mcp/oauth/token`, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier, client_id: oauthClient.client_id })
      expect(granted.status).to.equal(200)
      expect(emu.core.store.database(envDatabaseName(env.id))).to.not.equal(undefined)
      for (const name of ['projects', 'environments', 'apiKeys', 'orgInvitations', 'oauthGrants', 'memberships']) {
        expect([...emu.core.store.control.collection(name).values()].filter((d) => d.organizationId === doomed.id), name).to.not.have.length(0)
      }

      expect((await refused(adaThere, 'backend_org_delete', { organizationId: doomed.id })).code).to.equal('FORBIDDEN')
      expect(await ok(owner, 'backend_org_delete', { organizationId: doomed.id })).to.include({ id: doomed.id, slug: doomed.slug })
      const control = emu.core.store.control
      const left = (name: string) => [...control.collection(name).values()].filter((d) => d.organizationId === doomed.id)
      for (const name of ['organizations', 'memberships', 'projects', 'environments', 'apiKeys', 'orgInvitations', 'oauthGrants']) expect(left(name), name).to.have.length(0)
      expect(control.collection('organizations').has(doomed.id)).to.equal(false)
      expect(emu.core.store.database(envDatabaseName(env.id))).to.equal(undefined)
      expect((await refused(owner, 'backend_org_get', { organizationId: doomed.id })).code).to.equal('NOT_FOUND')
      const refresh = await postForm(`${emu.url}/mcp/oauth/token`, { grant_type: 'refresh_token', refresh_token: granted.body.refresh_token as string, client_id: oauthClient.client_id })
      expect(refresh.body.error).to.equal('invalid_grant')
      let failure: unknown
      await adaThere.callTool({ name: 'backend_org_list', arguments: {} }).catch((error: unknown) => (failure = error))
      expect(String(failure)).to.match(/401|no longer a member/)
      // The session organization and its project are untouched.
      expect(await ok(owner, 'backend_project_get', { projectId: emu.seed.projectId })).to.include({ id: emu.seed.projectId })
    })
  })

  it('lists the team scopes in the OAuth metadata and on the consent page, and grants them to the CLI token', async () => {
    const teamScopes = ['organization:update', 'organization:delete', 'member:read', 'member:create', 'member:update', 'member:delete']
    const metadata = (await (await fetch(`${emu.url}/.well-known/oauth-protected-resource`)).json()) as { scopes_supported: string[] }
    expect(metadata.scopes_supported).to.include.members(teamScopes)
    const oauthClient = await registerClient(emu.url)
    const consent = await fetch(authorizeUrl(emu.url, { response_type: 'code', client_id: oauthClient.client_id, redirect_uri: REDIRECT, code_challenge: pkce().challenge, code_challenge_method: 'S256', scope: teamScopes.join(' ') }))
    expect(consent.status).to.equal(200)
    const page = await consent.text()
    for (const scope of teamScopes) expect(page).to.include(`<li><code>${scope}</code></li>`)
    expect((await emu.core.tenantTokens.verify(emu.ready.tenantToken)).scopes).to.include.members(teamScopes)
  })

  it('a tenant of organization B cannot read or change organization A by id on any organization or member tool', async () => {
    const outsider = await tenant('outsider@example.com')
    const byId = TOOLS.filter((t) => (t.name.startsWith('backend_org_') || t.name.startsWith('backend_member_')) && t.params && 'organizationId' in t.params)
    expect(byId.map((t) => t.name)).to.have.members([
      'backend_org_get', 'backend_org_update', 'backend_org_delete', 'backend_org_transfer', 'backend_org_leave', 'backend_org_usage',
      'backend_member_list', 'backend_member_role_update', 'backend_member_remove', 'backend_member_invite', 'backend_member_invitation_list',
      'backend_member_invitation_resend', 'backend_member_invitation_cancel', 'backend_org_activity_list',
    ])
    const invitation = await ok(owner, 'backend_member_invite', { body: { email: 'pending@example.com', role: 'member' } })
    const args: Record<string, Json> = {
      backend_org_update: { body: { name: 'Taken over' } },
      backend_org_transfer: { tenantId: outsider.id },
      backend_member_role_update: { tenantId: emu.seed.tenantId, role: 'admin' },
      backend_member_remove: { tenantId: emu.seed.tenantId },
      backend_member_invite: { body: { email: 'spy@example.com', role: 'admin' } },
      backend_member_invitation_resend: { invitationId: invitation.id },
      backend_member_invitation_cancel: { invitationId: invitation.id },
    }
    for (const tool of byId) {
      const error = await refused(outsider.client, tool.name, { organizationId: orgId, ...args[tool.name] })
      expect(error.code, tool.name).to.equal('NOT_FOUND')
      expect(error.message, tool.name).to.equal(`Organization ${orgId} not found`)
    }
    expect(await ok(owner, 'backend_org_get', { organizationId: orgId })).to.include({ name: 'Local', role: 'owner' })
    expect((await ok(owner, 'backend_member_invitation_list')).items.map((i: Json) => i.email)).to.deep.equal(['pending@example.com'])
    expect(toolText(await owner.callTool({ name: 'backend_member_list', arguments: {} }))).to.not.include('outsider')
  })
})
