import { expect } from 'chai'
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { connectWithToken, toolErrorCode, toolJson, toolText } from '../helpers/mcp-client.js'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const PAGINATION_KEYS = ['total', 'page', 'limit', 'totalPages', 'hasNext', 'hasPrev', 'hasNextPage', 'hasPrevPage']

describe('e2e: MCP tools and resources through the SDK client', function () {
  this.timeout(30_000)
  let emu: TestEmulator
  let client: Client
  let orgId: string
  let projectId: string

  before(async () => {
    emu = await startEmulator()
    ;({ client } = await connectWithToken(emu.mcpUrl, emu.ready.tenantToken))
    orgId = emu.seed.organizationId
    projectId = emu.seed.projectId
  })
  after(async () => {
    await client.close()
    await emu.dispose()
  })

  const call = async (name: string, args: Json = {}): Promise<Json> => {
    const result = await client.callTool({ name, arguments: args })
    if (result.isError) throw new Error(`${name} failed: ${toolText(result)}`)
    expect(result.structuredContent, `${name} structuredContent`).to.deep.equal(toolJson(result))
    return toolJson(result)
  }
  const fails = async (name: string, args: Json) => {
    const result = await client.callTool({ name, arguments: args })
    return { code: toolErrorCode(result), error: toolJson<{ error: { code: string; message: string; details: unknown[] } }>(result).error }
  }

  it('lists every documented and extension tool with input schemas and hints', async () => {
    const { tools } = await client.listTools()
    const names = tools.map((t) => t.name)
    for (const name of [
      'get_context', 'search_docs', 'backend_org_list', 'backend_org_get', 'backend_access_token_list', 'backend_access_token_get',
      'backend_project_list', 'backend_project_get', 'backend_project_create', 'backend_project_update', 'backend_env_list', 'backend_env_get',
      'backend_env_create', 'backend_table_list', 'backend_table_get', 'backend_table_create', 'backend_table_update', 'backend_field_manage',
      'backend_index_manage', 'backend_schema_version_list', 'backend_index_version_list', 'backend_access_token_create',
      'backend_access_token_revoke', 'backend_org_create', 'backend_project_delete', 'backend_env_delete', 'backend_table_delete',
      'backend_schema_version_rollback', 'backend_data_list', 'backend_data_get', 'backend_data_create', 'backend_data_update',
      'backend_data_delete', 'backend_auth_config_get', 'backend_auth_config_update', 'backend_auth_provider_upsert',
      'backend_auth_provider_delete', 'backend_email_settings_get', 'backend_email_settings_update', 'backend_email_template_list',
      'backend_email_template_get', 'backend_email_template_update', 'backend_email_template_preview',
      'backend_access_token_delete', 'backend_email_template_reset',
    ]) expect(names, name).to.include(name)
    const byName = new Map(tools.map((t) => [t.name, t]))
    expect(byName.get('backend_project_list')?.annotations).to.include({ readOnlyHint: true, destructiveHint: false })
    expect(byName.get('backend_project_delete')?.annotations).to.include({ destructiveHint: true })
    expect(byName.get('backend_access_token_revoke')?.annotations).to.include({ destructiveHint: true })
    expect(byName.get('backend_access_token_delete')?.annotations).to.include({ destructiveHint: true })
    expect(byName.get('backend_project_get')?.inputSchema.required).to.deep.equal(['projectId'])
    expect(byName.get('backend_schema_version_list')?.inputSchema.properties).to.have.keys('tableId', 'page', 'limit')
  })

  it('get_context returns the session briefing in the documented order', async () => {
    const result = await client.callTool({ name: 'get_context', arguments: {} })
    expect(result).to.not.have.property('structuredContent')
    const text = toolText(result)
    const order = ['## Your Session', '## API Domains', '## Resource Hierarchy', '## Projects', '## How to find IDs', '## Rules for generated code']
    const positions = order.map((h) => text.indexOf(h))
    expect(positions.every((p) => p >= 0)).to.equal(true)
    expect([...positions].sort((a, b) => a - b)).to.deep.equal(positions)
    expect(text).to.include(orgId).and.include(`REST API Base URL: ${emu.url}`).and.include(projectId).and.include(emu.seed.environment.id)
    expect(text).to.include('X-API-Key').and.include('never `_id`')
  })

  it('search_docs ranks the corpus and reports no results', async () => {
    const text = toolText(await client.callTool({ name: 'search_docs', arguments: { query: 'refresh token rotation' } }))
    expect(text.startsWith('## Search Results for "refresh token rotation"')).to.equal(true)
    expect(text.split('\n').find((l) => l.startsWith('### '))).to.equal('### User authentication flows')
    expect(text.match(/^### /gm)?.length).to.be.at.most(5)
    expect(text).to.include('---')
    const none = toolText(await client.callTool({ name: 'search_docs', arguments: { query: 'xyzzyplugh' } }))
    expect(none).to.equal('## Search Results for "xyzzyplugh"\n\nNo results found.')
    expect((await fails('search_docs', {})).code).to.equal('VALIDATION_ERROR')
  })

  it('organizations: list, get, create (extension), foreign ids are NOT_FOUND', async () => {
    const list = await call('backend_org_list')
    expect(Object.keys(list.pagination)).to.deep.equal(PAGINATION_KEYS)
    expect(list.items[0]).to.include({ id: orgId, slug: 'local', role: 'owner', plan: 'free', status: 'active' })
    expect(await call('backend_org_get', { organizationId: orgId })).to.include({ id: orgId, name: 'Local' })
    const created = await call('backend_org_create', { body: { name: 'Second Org' } })
    expect(created).to.include({ name: 'Second Org', slug: 'second-org', role: 'owner' })
    expect((await call('backend_org_list')).items).to.have.length(2)
    expect((await fails('backend_org_get', { organizationId: 'f'.repeat(24) })).code).to.equal('NOT_FOUND')
    expect((await fails('backend_org_create', { body: { name: 'x', plan: 'gold' } })).error.message).to.include('allowed keys: name, slug, description')
  })

  it('projects: create (body and flattened), get, update, list paging, conflicts and validation', async () => {
    const created = await call('backend_project_create', { body: { organizationId: orgId, slug: 'shop', name: 'Shop', primaryCloud: 'aws', primaryRegion: 'ap-northeast-2' } })
    expect(created).to.include({ slug: 'shop', status: 'active', environmentCount: 1 })
    expect(created.environments.map((e: Json) => e.environment)).to.deep.equal(['dev'])
    const flat = await call('backend_project_create', { organizationId: orgId, slug: 'blog', name: 'Blog', primaryCloud: 'gcp', primaryRegion: 'us-east1' })
    expect(flat).to.include({ slug: 'blog', primaryCloud: 'gcp' })
    expect((await fails('backend_project_create', { organizationId: orgId, slug: 'shop', name: 'Dup', primaryCloud: 'aws', primaryRegion: 'x' })).code).to.equal('CONFLICT')
    expect((await fails('backend_project_create', { organizationId: 'f'.repeat(24), slug: 'z', name: 'Z', primaryCloud: 'aws', primaryRegion: 'x' })).code).to.equal('FORBIDDEN')
    const unknownKey = await fails('backend_project_create', { body: { organizationId: orgId, slug: 'q', name: 'Q', primaryCloud: 'aws', primaryRegion: 'x', color: 'red' } })
    expect(unknownKey.code).to.equal('VALIDATION_ERROR')
    expect(unknownKey.error.message).to.include('color').and.include('allowed keys: organizationId, slug, name, primaryCloud, primaryRegion, description')
    expect((await fails('backend_project_create', { body: { organizationId: orgId, slug: 'Bad Slug', name: 'B', primaryCloud: 'aws', primaryRegion: 'x' } })).code).to.equal('VALIDATION_ERROR')

    const got = await call('backend_project_get', { projectId: created.id })
    expect(got.environments).to.have.length(1)
    const updated = await call('backend_project_update', { projectId: created.id, body: { name: 'Shop 2', settings: { allowedOrigins: ['http://localhost:3000'], theme: 'dark' } } })
    expect(updated).to.include({ name: 'Shop 2' })
    expect(updated.settings).to.deep.equal({ allowedOrigins: ['http://localhost:3000'], theme: 'dark' })
    expect((await fails('backend_project_update', { projectId: created.id, body: { primaryCloud: 'gcp' } })).code).to.equal('VALIDATION_ERROR')
    expect((await fails('backend_project_update', { projectId: created.id, body: { settings: { allowedOrigins: ['*'] } } })).code).to.equal('VALIDATION_ERROR')
    expect((await fails('backend_project_get', { projectId: 'f'.repeat(24) })).code).to.equal('NOT_FOUND')
    expect((await fails('backend_project_get', {})).code).to.equal('VALIDATION_ERROR')

    const page = await call('backend_project_list', { page: 2, limit: 2 })
    expect(page.items.map((p: Json) => p.slug)).to.deep.equal(['blog'])
    expect(page.pagination).to.deep.equal({ total: 3, page: 2, limit: 2, totalPages: 2, hasNext: false, hasPrev: true, hasNextPage: false, hasPrevPage: true })
    expect((await fails('backend_project_list', { limit: 101 })).code).to.equal('VALIDATION_ERROR')
    expect((await fails('backend_project_list', { organizationId: 'f'.repeat(24) })).code).to.equal('FORBIDDEN')

    const deleted = await call('backend_project_delete', { projectId: flat.id })
    expect(deleted.slug).to.equal('blog')
    expect((await fails('backend_project_get', { projectId: flat.id })).code).to.equal('NOT_FOUND')
  })

  it('environments: list, get, create, delete', async () => {
    const list = await call('backend_env_list', { projectId })
    expect(list.items.map((e: Json) => e.environment)).to.deep.equal(['dev'])
    const staging = await call('backend_env_create', { body: { projectId, environment: 'staging', environmentType: 'staging' } })
    expect(staging).to.include({ projectId, organizationId: orgId, environment: 'staging', environmentType: 'staging', status: 'active', cluster: null })
    expect(await call('backend_env_get', { environmentId: staging.id })).to.include({ id: staging.id })
    expect((await fails('backend_env_create', { projectId, environment: 'staging', environmentType: 'staging' })).code).to.equal('CONFLICT')
    expect((await fails('backend_env_create', { projectId, environment: 'Bad', environmentType: 'staging' })).code).to.equal('VALIDATION_ERROR')
    expect((await fails('backend_env_list', { projectId: 'f'.repeat(24) })).code).to.equal('NOT_FOUND')
    expect((await call('backend_env_delete', { environmentId: staging.id })).environment).to.equal('staging')
    expect((await fails('backend_env_get', { environmentId: staging.id })).code).to.equal('NOT_FOUND')
  })

  it('access tokens: list and get show maskedKey only (MCP-D11), create shows the key once, revoke is idempotent', async () => {
    const list = await call('backend_access_token_list', { projectId, environment: 'dev' })
    expect(list.items).to.have.length(2)
    for (const listed of list.items) expect(listed, listed.type).to.not.have.property('key')
    const secret = list.items.find((k: Json) => k.type === 'secret')
    const publishable = list.items.find((k: Json) => k.type === 'publishable')
    expect(secret.maskedKey).to.match(/^sk_[0-9a-f]{8}…[0-9a-f]{4}$/)
    const seeded = emu.seed.environment.publishableKey
    expect(publishable.maskedKey).to.equal(`${seeded.slice(0, 11)}…${seeded.slice(-4)}`)
    expect(await call('backend_access_token_get', { accessTokenId: publishable.id })).to.not.have.property('key')
    const read = await client.readResource({ uri: 'bkend://access-tokens' })
    expect(read.contents).to.have.length(1)
    expect(JSON.stringify(read.contents[0])).to.not.include(seeded)
    const one = await client.readResource({ uri: `bkend://access-tokens/${publishable.id}` })
    expect(JSON.stringify(one.contents[0])).to.include(publishable.id).and.not.include(seeded)
    const created = await call('backend_access_token_create', { projectId, environment: 'dev', type: 'secret', name: 'ci', scopes: ['posts:read'] })
    expect(created.key).to.match(/^sk_[0-9a-f]{64}$/)
    expect(created.warning).to.be.a('string')
    const wrapped = await call('backend_access_token_create', { body: { projectId, environment: 'dev', type: 'publishable', name: 'web' } })
    expect(wrapped.key).to.match(/^pk_/)
    const fetched = await call('backend_access_token_get', { accessTokenId: created.id })
    expect(fetched).to.include({ name: 'ci', status: 'active' }).and.not.have.property('key')
    const revoked = await call('backend_access_token_revoke', { accessTokenId: created.id })
    expect(revoked.status).to.equal('revoked')
    expect(revoked.revokedAt).to.be.a('string')
    expect((await call('backend_access_token_revoke', { accessTokenId: created.id })).revokedAt).to.equal(revoked.revokedAt)
    const rest = await fetch(`${emu.url}/v1/data/posts`, { headers: { 'X-API-Key': created.key } })
    expect(rest.status).to.equal(401)
    expect((await fails('backend_access_token_create', { projectId, environment: 'dev', type: 'root', name: 'x' })).code).to.equal('VALIDATION_ERROR')
    expect((await fails('backend_access_token_get', { accessTokenId: 'f'.repeat(24) })).code).to.equal('NOT_FOUND')

    // delete, unlike revoke, removes the key: not listed, not found, 401 at once (CM-D5)
    const doomed = await call('backend_access_token_create', { projectId, environment: 'dev', type: 'secret', name: 'doomed' })
    expect((await fetch(`${emu.url}/v1/data/posts`, { headers: { 'X-API-Key': doomed.key } })).status).to.not.equal(401)
    const deleted = await call('backend_access_token_delete', { accessTokenId: doomed.id })
    expect(deleted).to.include({ id: doomed.id, name: 'doomed' }).and.not.have.property('key')
    const gone = await fetch(`${emu.url}/v1/data/posts`, { headers: { 'X-API-Key': doomed.key } })
    expect(gone.status).to.equal(401)
    expect(((await gone.json()) as Json).error.code).to.equal('auth/invalid-token')
    expect((await fails('backend_access_token_get', { accessTokenId: doomed.id })).code).to.equal('NOT_FOUND')
    expect((await fails('backend_access_token_delete', { accessTokenId: doomed.id })).code).to.equal('NOT_FOUND')
    const listed = await call('backend_access_token_list', { projectId, environment: 'dev' })
    expect(listed.items.length).to.be.greaterThan(0)
    expect(listed.items.map((k: Json) => k.id)).to.not.include(doomed.id)
  })

  it('body is optional where the spec documents it, and required where it stars it (MCP-D20)', async () => {
    const { tools } = await client.listTools()
    const byName = new Map(tools.map((t) => [t.name, t]))
    const optional = ['backend_project_update', 'backend_table_update', 'backend_field_manage', 'backend_index_manage', 'backend_auth_config_update', 'backend_email_settings_update']
    for (const name of optional) {
      expect(byName.get(name)?.inputSchema.properties, name).to.have.property('body')
      expect(byName.get(name)?.inputSchema.required ?? [], name).to.not.include('body')
    }
    for (const name of ['backend_project_create', 'backend_env_create', 'backend_table_create', 'backend_data_create', 'backend_data_update']) {
      expect(byName.get(name)?.inputSchema.required, name).to.include('body')
    }
    const table = await call('backend_table_create', { projectId, environment: 'dev', tableName: 'bodiless', schema: {} })
    expect(await call('backend_project_update', { projectId })).to.include({ id: projectId, slug: 'local' })
    expect(await call('backend_table_update', { tableId: table.id })).to.include({ id: table.id, displayName: null })
    expect(await call('backend_auth_config_update', { projectId })).to.include({ projectId })
    expect(await call('backend_email_settings_update', { projectId })).to.include({ projectId })
    // without a body there is nothing to do: the tool says which operations it needs, not that body is missing
    const fields = await fails('backend_field_manage', { tableId: table.id })
    expect(fields.code).to.equal('VALIDATION_ERROR')
    expect(fields.error.message).to.include('at least one of fieldsToAddOrUpdate')
    expect((await fails('backend_index_manage', { tableId: table.id })).error.message).to.include('at least one of indexesToAddOrUpdate')
    expect((await fails('backend_project_create', {})).error.message).to.equal('body is required')
    await call('backend_table_delete', { tableId: table.id })
  })

  it('tables, fields, indexes and versions', async () => {
    const table = await call('backend_table_create', { body: { projectId, environment: 'dev', tableName: 'articles', schema: { title: { type: 'string', required: true }, slug: { type: 'string', unique: true } } } })
    expect(table).to.include({ tableName: 'articles', environment: 'dev', schemaVersion: 1, indexVersion: 1, documentCount: 0, status: 'deployed' })
    expect(table.schema.required).to.deep.equal(['title'])
    expect(table.indexes.map((i: Json) => i.name)).to.deep.equal(['_id_', 'slug_unique'])
    expect((await fails('backend_table_create', { projectId, environment: 'dev', tableName: 'articles', schema: {} })).code).to.equal('CONFLICT')
    expect((await fails('backend_table_create', { projectId, environment: 'nope', tableName: 'x', schema: {} })).code).to.equal('NOT_FOUND')
    expect((await fails('backend_table_create', { projectId, environment: 'dev', tableName: 'users', schema: {} })).code).to.equal('VALIDATION_ERROR')

    const list = await call('backend_table_list', { projectId, environment: 'dev' })
    expect(list.items.map((t: Json) => t.tableName)).to.include('articles')
    expect(await call('backend_table_get', { tableId: table.id })).to.include({ id: table.id })

    const updated = await call('backend_table_update', { tableId: table.id, body: { displayName: 'Articles', permissions: { guest: { read: true, list: true } } } })
    expect(updated.displayName).to.equal('Articles')
    expect(updated.permissions.guest).to.include({ read: true })
    const schemaChange = await fails('backend_table_update', { tableId: table.id, body: { schema: {} } })
    expect(schemaChange.code).to.equal('VALIDATION_ERROR')
    expect(schemaChange.error.message).to.include('backend_field_manage')

    const fields = await call('backend_field_manage', { tableId: table.id, body: { fieldsToAddOrUpdate: { views: { type: 'number' } } } })
    expect(fields.schemaVersion).to.equal(2)
    expect(fields.schema.properties).to.have.property('views')
    expect((await fails('backend_field_manage', { tableId: table.id, body: { fieldsToRemove: ['ghost'] } })).code).to.equal('NOT_FOUND')
    const indexes = await call('backend_index_manage', { tableId: table.id, body: { indexesToAddOrUpdate: [{ name: 'by_views', fields: { views: -1 } }] } })
    expect(indexes.indexVersion).to.equal(2)
    expect((await fails('backend_index_manage', { tableId: table.id, body: { indexesToAddOrUpdate: [{ name: '_id_', fields: { id: 1 } }] } })).code).to.equal('VALIDATION_ERROR')

    const schemaVersions = await call('backend_schema_version_list', { tableId: table.id })
    expect(schemaVersions.items.map((v: Json) => v.version)).to.deep.equal([2, 1])
    expect(schemaVersions.pagination.limit).to.equal(20)
    expect(schemaVersions.items[0]).to.include({ isCurrent: true, source: 'field_manage', createdBy: emu.seed.tenantId })
    const indexVersions = await call('backend_index_version_list', { tableId: table.id, limit: 1 })
    expect(indexVersions.items.map((v: Json) => v.version)).to.deep.equal([2])
    expect(indexVersions.pagination).to.include({ total: 2, totalPages: 2, hasNext: true })

    const rolledBack = await call('backend_schema_version_rollback', { tableId: table.id, version: 1 })
    expect(rolledBack.schemaVersion).to.equal(3)
    expect(rolledBack.schema.properties).to.not.have.property('views')
  })

  it('data tools act with tenant rights, validate the schema and enforce unique indexes', async () => {
    const table = await call('backend_table_create', { projectId, environment: 'dev', tableName: 'notes', schema: { text: { type: 'string', required: true }, code: { type: 'string', unique: true } } })
    const created = await call('backend_data_create', { tableId: table.id, body: { text: 'hello', code: 'a' } })
    expect(created).to.include({ text: 'hello', createdBy: '' })
    expect(created.id).to.match(/^[0-9a-f]{24}$/)
    const flat = await call('backend_data_create', { tableId: table.id, text: 'world', code: 'b' })
    expect(flat.text).to.equal('world')
    expect((await fails('backend_data_create', { tableId: table.id, body: { code: 'c' } })).code).to.equal('VALIDATION_ERROR')
    expect((await fails('backend_data_create', { tableId: table.id, body: { text: 'dup', code: 'a' } })).code).to.equal('CONFLICT')
    expect(await call('backend_data_get', { tableId: table.id, id: created.id })).to.include({ text: 'hello' })
    const updated = await call('backend_data_update', { tableId: table.id, id: created.id, body: { text: 'hi' } })
    expect(updated.text).to.equal('hi')
    const filtered = await call('backend_data_list', { tableId: table.id, andFilters: { code: { $in: ['b'] } } })
    expect(filtered.items.map((r: Json) => r.text)).to.deep.equal(['world'])
    const asString = await call('backend_data_list', { tableId: table.id, andFilters: JSON.stringify({ code: 'a' }), sortBy: 'text', sortDirection: 'asc' })
    expect(asString.items.map((r: Json) => r.text)).to.deep.equal(['hi'])
    expect(Object.keys(asString.pagination)).to.deep.equal(PAGINATION_KEYS)
    expect(await call('backend_data_delete', { tableId: table.id, id: flat.id })).to.deep.equal({ success: true })
    expect((await fails('backend_data_get', { tableId: table.id, id: flat.id })).code).to.equal('NOT_FOUND')
    expect((await call('backend_table_get', { tableId: table.id })).documentCount).to.equal(1)
    expect((await call('backend_table_delete', { tableId: table.id })).tableName).to.equal('notes')
    expect((await fails('backend_data_list', { tableId: table.id })).code).to.equal('NOT_FOUND')
  })

  it('auth configuration and providers never reveal client secrets', async () => {
    const initial = await call('backend_auth_config_get', { projectId })
    expect(initial.email).to.deep.include({ enabled: true, magicLinkEnabled: true, magicLinkExpirationMinutes: 15, emailVerificationRequired: false })
    expect(initial.email.passwordPolicy).to.include({ minLength: 8, maxLength: 128 })
    expect(initial.oauth.google).to.include({ clientId: 'emulator-google-client-id', hasClientSecret: false, enabled: true })
    expect(initial.oauth.google.redirectUri).to.equal(`${emu.url}/v1/auth/google/callback`)
    const updated = await call('backend_auth_config_update', { projectId, body: { passwordPolicy: { minLength: 10, requireNumbers: true }, emailVerificationRequired: true } })
    expect(updated.email.passwordPolicy).to.include({ minLength: 10, maxLength: 128, requireNumbers: true })
    expect(emu.core.projectSettings.auth.passwordPolicy(projectId).minLength).to.equal(10)
    expect((await fails('backend_auth_config_update', { projectId, body: { passwordPolicy: { minLength: 0 } } })).code).to.equal('VALIDATION_ERROR')
    const provider = await call('backend_auth_provider_upsert', { projectId, provider: 'github', body: { clientId: 'gh-id', clientSecret: 's3cr3t', redirectUri: 'http://localhost:3000/cb', scopes: ['user:email'], enabled: true } })
    expect(provider).to.include({ provider: 'github', clientId: 'gh-id', hasClientSecret: true }).and.not.have.property('clientSecret')
    expect(JSON.stringify(await call('backend_auth_config_get', { projectId }))).to.not.include('s3cr3t')
    expect(emu.core.projectSettings.auth.provider(projectId, 'github')?.clientSecret).to.equal('s3cr3t')
    expect((await fails('backend_auth_provider_upsert', { projectId, provider: 'facebook', body: { clientId: 'x', redirectUri: 'http://x', scopes: [], enabled: true } })).code).to.equal('VALIDATION_ERROR')
    const removed = await call('backend_auth_provider_delete', { projectId, provider: 'github' })
    expect(removed.oauth.github).to.equal(null)
  })

  it('e-mail settings and templates', async () => {
    expect(await call('backend_email_settings_get', { projectId })).to.include({ senderEmail: 'noreply@bkend.local', senderName: 'bkend', overrideDefaults: false })
    expect(await call('backend_email_settings_update', { projectId, body: { senderName: 'My App', brandColor: '#112233', overrideDefaults: true } })).to.include({ senderName: 'My App', brandColor: '#112233' })
    expect((await fails('backend_email_settings_update', { projectId, body: { brandColor: 'red' } })).code).to.equal('VALIDATION_ERROR')
    const templates = await call('backend_email_template_list', { projectId })
    expect(templates.items.map((t: Json) => t.category)).to.deep.equal(['signup_confirmation', 'password_reset', 'magic_link', 'email_verification', 'invitation'])
    expect(templates.items.every((t: Json) => t.isCustom === false)).to.equal(true)
    const updated = await call('backend_email_template_update', { projectId, category: 'password_reset', subject: 'Reset for {{userName}}', body: '<p>{{resetLink}}</p>' })
    expect(updated).to.include({ category: 'password_reset', isCustom: true, subject: 'Reset for {{userName}}' })
    expect(await call('backend_email_template_get', { projectId, category: 'password_reset' })).to.include({ body: '<p>{{resetLink}}</p>' })
    const preview = await call('backend_email_template_preview', { projectId, category: 'password_reset' })
    expect(preview.subject).to.equal('Reset for Jane Doe')
    expect(preview.html).to.include('token=sample-token')
    expect((await fails('backend_email_template_get', { projectId, category: 'welcome' })).code).to.equal('NOT_FOUND')
    const reset = await call('backend_email_template_reset', { projectId, category: 'password_reset' })
    expect(reset).to.include({ category: 'password_reset', isCustom: false, subject: 'Reset your password', updatedAt: null })
    expect((await call('backend_email_template_get', { projectId, category: 'password_reset' })).isCustom).to.equal(false)
    expect((await fails('backend_email_template_reset', { projectId, category: 'welcome' })).code).to.equal('NOT_FOUND')
  })

  it('resources: list, templates, read, and -32002 for unknown URIs and ids', async () => {
    const { resources } = await client.listResources()
    expect(resources.map((r) => [r.uri, r.name, r.mimeType])).to.deep.equal([
      ['bkend://organizations', 'Organization', 'application/json'],
      ['bkend://projects', 'Project', 'application/json'],
      ['bkend://environments', 'Environment', 'application/json'],
      ['bkend://tables', 'Table', 'application/json'],
      ['bkend://access-tokens', 'Access Token', 'application/json'],
    ])
    const { resourceTemplates } = await client.listResourceTemplates()
    expect(resourceTemplates.map((t) => t.uriTemplate)).to.have.members([
      'bkend://organizations/{organizationId}', 'bkend://projects/{projectId}', 'bkend://environments/{environmentId}', 'bkend://tables/{tableId}',
      'bkend://tables/{tableId}/schema/versions', 'bkend://tables/{tableId}/indexes/versions', 'bkend://access-tokens/{accessTokenId}',
    ])
    const read = async (uri: string) => {
      const { contents } = await client.readResource({ uri })
      expect(contents[0]).to.include({ uri, mimeType: 'application/json' })
      return JSON.parse((contents[0] as { text: string }).text) as Json
    }
    const projects = await read('bkend://projects')
    expect(projects.pagination.limit).to.equal(projects.pagination.total)
    expect((await read(`bkend://projects/${projectId}`)).id).to.equal(projectId)
    expect((await read(`bkend://organizations/${orgId}`)).id).to.equal(orgId)
    expect((await read('bkend://environments')).items.length).to.be.greaterThan(0)
    expect((await read(`bkend://environments/${emu.seed.environment.id}`)).environment).to.equal('dev')
    const tokens = await read('bkend://access-tokens')
    expect((await read(`bkend://access-tokens/${tokens.items[0].id}`)).id).to.equal(tokens.items[0].id)
    const table = await call('backend_table_create', { projectId, environment: 'dev', tableName: 'res_table', schema: {} })
    expect((await read('bkend://tables')).items.map((t: Json) => t.tableName)).to.include('res_table')
    expect((await read(`bkend://tables/${table.id}`)).schema).to.deep.equal({ bsonType: 'object', required: [], properties: {} })
    expect((await read(`bkend://tables/${table.id}/schema/versions`)).items[0].version).to.equal(1)
    expect((await read(`bkend://tables/${table.id}/indexes/versions`)).items[0].indexes[0].name).to.equal('_id_')
    for (const uri of ['bkend://nothing', `bkend://projects/${'f'.repeat(24)}`, 'bkend://tables/zzz/schema/versions']) {
      let code: number | undefined
      await client.readResource({ uri }).catch((error: { code: number }) => (code = error.code))
      expect(code, uri).to.equal(-32002)
    }
  })
})
