import type { Page } from '../contract/common.js'
import type { AccessToken, CreatedAccessToken, Environment, EnvironmentType, KeyType, Organization, PrimaryCloud, Project } from '../contract/tenancy.js'
import type { Table, TableIndex, TablePermissions, TableVersion } from '../contract/tables.js'
import { ClientError, notFound } from './errors.js'
import type { McpConnection } from './mcp-connection.js'

const ID = /^[0-9a-f]{24}$/

/** What `backend_project_get` answers: the project with its environments. */
export type ProjectWithEnvironments = Project & { environments?: Environment[] }

export interface ProjectInput {
  name: string
  slug: string
  primaryCloud: PrimaryCloud
  primaryRegion: string
  description?: string
}

export interface KeyInput {
  name: string
  type: KeyType
  scopes?: string[]
  expiresAt?: string
}

/** Field changes for `backend_field_manage` (mcp.md §7): applied remove, add/update, required-remove, required-add. */
export interface FieldChanges {
  fieldsToAddOrUpdate?: Record<string, unknown>
  fieldsToRemove?: string[]
  requiredFieldsToAdd?: string[]
  requiredFieldsToRemove?: string[]
}

/**
 * Management operations over MCP tool calls (design time), with the name resolution people expect: projects by
 * id or slug, environments and tables by name within the context's project and environment.
 */
export class Management {
  /** Projects this session resolved, by the id, slug or name they were asked for: one command resolves one several times. */
  private readonly projects = new Map<string, ProjectWithEnvironments>()

  private briefingText: Promise<string | undefined> | undefined

  constructor(readonly mcp: McpConnection) {}

  /** get_context's Markdown briefing (asked once per session), or undefined when the target has no such tool. */
  briefing(): Promise<string | undefined> {
    this.briefingText ??= this.mcp.has('get_context').then(async (has) => {
      const text = has ? await this.mcp.call<unknown>('get_context') : undefined
      return typeof text === 'string' ? text : undefined
    })
    return this.briefingText
  }

  /**
   * The organization the session is bound to: get_context names it (the token's own organization); without that
   * tool, the one bkend.json or runtime.json recorded, or the only membership.
   */
  async currentOrganization(): Promise<Organization | undefined> {
    const context = await this.briefing()
    const fromSession = context ? /Organization ID:\s*`?([0-9a-f]{24})`?/.exec(context)?.[1] : undefined
    const id = fromSession ?? this.mcp.context.organizationId
    const orgs = await this.listOrgs()
    if (id) return orgs.find((o) => o.id === id) ?? (await this.getOrg(id))
    return orgs.length === 1 ? orgs[0] : undefined
  }

  async listOrgs(): Promise<Organization[]> {
    return (await this.mcp.call<Page<Organization>>('backend_org_list')).items
  }

  /** An organization by id or slug. */
  async getOrg(ref: string): Promise<Organization> {
    if (ID.test(ref)) return this.mcp.call<Organization>('backend_org_get', { organizationId: ref })
    const org = (await this.listOrgs()).find((o) => o.slug === ref || o.name === ref)
    if (!org) throw notFound('common/organization-not-found', `no organization "${ref}"`, { resource: 'organization', ref })
    return org
  }

  async listProjects(): Promise<Project[]> {
    return (await this.mcp.call<Page<Project>>('backend_project_list')).items
  }

  /** A project by id, slug or name; defaults to the context's project. */
  async getProject(ref = this.requireProject()): Promise<ProjectWithEnvironments> {
    const known = this.projects.get(ref)
    if (known) return known
    const id = ID.test(ref) ? ref : (await this.listProjects()).find((p) => p.slug === ref || p.name === ref)?.id
    if (!id) throw notFound('common/project-not-found', `no project "${ref}"`, { resource: 'project', ref })
    const project = await this.mcp.call<ProjectWithEnvironments>('backend_project_get', { projectId: id })
    this.projects.set(ref, project)
    return project
  }

  async createProject(input: ProjectInput): Promise<ProjectWithEnvironments> {
    const org = await this.currentOrganization()
    if (!org) throw new ClientError('target/no-organization', 'cannot tell which organization to create the project in')
    return this.mcp.call('backend_project_create', { body: { organizationId: org.id, ...input } })
  }

  async updateProject(ref: string | undefined, body: Record<string, unknown>): Promise<Project> {
    const project = await this.getProject(ref)
    this.projects.clear()
    return this.mcp.call('backend_project_update', { projectId: project.id, body })
  }

  async deleteProject(ref: string): Promise<Project> {
    await this.mcp.require('backend_project_delete', 'delete projects')
    const project = await this.getProject(ref)
    this.projects.clear()
    await this.mcp.call('backend_project_delete', { projectId: project.id })
    return project
  }

  async listEnvs(projectRef?: string): Promise<Environment[]> {
    return this.envsOf((await this.getProject(projectRef)).id)
  }

  /** An environment of the context's project by name (or id); defaults to the context's environment. */
  async getEnv(ref = this.mcp.context.env): Promise<Environment> {
    // backend_project_get lists the project's environments (mcp.md §7): no backend_env_list round trip when it does.
    const project = await this.getProject()
    const envs = project.environments ?? (await this.envsOf(project.id))
    const env = envs.find((e) => e.environment === ref || e.id === ref)
    if (!env) throw notFound('data/environment-not-found', `no environment "${ref}" in project ${this.requireProject()}`, { resource: 'environment', ref, known: envs.map((e) => e.environment) })
    return env
  }

  async createEnv(name: string, type: EnvironmentType): Promise<Environment> {
    const project = await this.getProject()
    this.projects.clear()
    return this.mcp.call('backend_env_create', { body: { projectId: project.id, environment: name, environmentType: type } })
  }

  async deleteEnv(ref: string): Promise<Environment> {
    await this.mcp.require('backend_env_delete', 'delete environments')
    const env = await this.getEnv(ref)
    this.projects.clear()
    await this.mcp.call('backend_env_delete', { environmentId: env.id })
    return env
  }

  /** Tables of the context's project and environment, every page of them. */
  async listTables(): Promise<Table[]> {
    // Resolving the environment first turns a mistyped --env into an error that lists the real ones.
    const env = await this.getEnv()
    // Every page: the tool answers 100 at most, and a reader that stopped there would lose tables silently (types, pull, diff).
    const tables: Table[] = []
    for (let page = 1; ; page++) {
      const answer = await this.mcp.call<Page<Table>>('backend_table_list', { projectId: env.projectId, environment: env.environment, page, limit: 100 })
      tables.push(...answer.items)
      if (!answer.pagination?.hasNext || answer.items.length === 0) return tables
    }
  }

  /** A table by name (or id) in the context's environment. */
  async getTable(ref: string): Promise<Table> {
    if (ID.test(ref)) return this.mcp.call('backend_table_get', { tableId: ref })
    const table = (await this.listTables()).find((t) => t.tableName === ref)
    if (!table) throw notFound('data/table-not-found', `no table "${ref}" in environment "${this.mcp.context.env}"`, { resource: 'table', ref, environment: this.mcp.context.env })
    return this.mcp.call('backend_table_get', { tableId: table.id })
  }

  async createTable(input: { tableName: string; schema: Record<string, unknown>; displayName?: string; description?: string }): Promise<Table> {
    // Resolving the environment first names a mistyped --env as such, with the real ones.
    const env = await this.getEnv()
    return this.mcp.call('backend_table_create', { body: { projectId: env.projectId, environment: env.environment, ...input } })
  }

  async updateTable(ref: string, body: Record<string, unknown>): Promise<Table> {
    const table = await this.getTable(ref)
    return this.mcp.call('backend_table_update', { tableId: table.id, body })
  }

  async deleteTable(ref: string): Promise<Table> {
    await this.mcp.require('backend_table_delete', 'delete tables')
    const table = await this.getTable(ref)
    await this.mcp.call('backend_table_delete', { tableId: table.id })
    return table
  }

  async manageFields(ref: string, changes: FieldChanges): Promise<Table> {
    const table = await this.getTable(ref)
    return this.mcp.call('backend_field_manage', { tableId: table.id, body: changes })
  }

  async manageIndexes(ref: string, changes: { indexesToAddOrUpdate?: TableIndex[]; indexesToRemove?: string[] }): Promise<Table> {
    const table = await this.getTable(ref)
    return this.mcp.call('backend_index_manage', { tableId: table.id, body: changes })
  }

  /** Replaces every permission object given (the tool replaces, never merges: mcp.md §7). */
  async setPermissions(ref: string, permissions: TablePermissions): Promise<Table> {
    return this.updateTable(ref, { ...permissions })
  }

  async listVersions(ref: string, kind: 'schema' | 'index', limit = 20): Promise<{ table: Table; versions: TableVersion[] }> {
    const table = await this.getTable(ref)
    const tool = kind === 'schema' ? 'backend_schema_version_list' : 'backend_index_version_list'
    const page = await this.mcp.call<Page<TableVersion>>(tool, { tableId: table.id, limit })
    return { table, versions: page.items }
  }

  /** Makes an earlier schema version current again, as a new version; records are not changed. */
  async rollbackSchema(ref: string, version: number): Promise<Table> {
    await this.mcp.require('backend_schema_version_rollback', 'roll back schema versions')
    const table = await this.getTable(ref)
    return this.mcp.call('backend_schema_version_rollback', { tableId: table.id, version })
  }

  /** Keys of the context's project and environment. */
  async listKeys(): Promise<AccessToken[]> {
    const env = await this.getEnv()
    return (await this.mcp.call<Page<AccessToken>>('backend_access_token_list', { projectId: env.projectId, environment: env.environment })).items
  }

  async createKey(input: KeyInput): Promise<CreatedAccessToken> {
    await this.mcp.require('backend_access_token_create', 'create API keys')
    const project = await this.getProject()
    return this.mcp.call('backend_access_token_create', { projectId: project.id, environment: this.mcp.context.env, ...input })
  }

  /** Revokes a key by id or name (names are unique enough within one environment to be useful). */
  async revokeKey(ref: string): Promise<AccessToken> {
    await this.mcp.require('backend_access_token_revoke', 'revoke API keys')
    const key = await this.findKey(ref, (k) => k.status === 'active', 'active ')
    return this.mcp.call('backend_access_token_revoke', { accessTokenId: key.id })
  }

  /**
   * A key of the context's environment by id, or by name when one key has it (any status: revoked and expired keys
   * can be deleted too), for `deleteKey` after a confirmation that names it.
   */
  async keyToDelete(ref: string): Promise<AccessToken> {
    await this.mcp.require('backend_access_token_delete', 'delete API keys')
    return this.findKey(ref, () => true, '')
  }

  /** Deletes a key (console-model CM-D5): gone from the list, and requests with it fail with 401 at once. */
  async deleteKey(key: AccessToken): Promise<AccessToken> {
    return this.mcp.call('backend_access_token_delete', { accessTokenId: key.id })
  }

  private async findKey(ref: string, byName: (key: AccessToken) => boolean, kind: string): Promise<AccessToken> {
    const keys = await this.listKeys()
    const matches = keys.filter((k) => k.id === ref || (k.name === ref && byName(k)))
    if (matches.length === 0) throw notFound('common/key-not-found', `no ${kind}key "${ref}" in environment "${this.mcp.context.env}"`, { resource: 'key', ref, environment: this.mcp.context.env })
    if (matches.length > 1) throw new ClientError('cli/ambiguous', `${matches.length} ${kind}keys are named "${ref}"`, 0, { resource: 'key', ref })
    return matches[0]!
  }

  private async envsOf(projectId: string): Promise<Environment[]> {
    return (await this.mcp.call<Page<Environment>>('backend_env_list', { projectId })).items
  }

  private requireProject(): string {
    const project = this.mcp.context.project
    if (!project) throw new ClientError('cli/no-project', 'no project selected')
    return project
  }
}
