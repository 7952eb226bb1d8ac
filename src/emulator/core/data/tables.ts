import type { Page } from '../../../contract/common.js'
import type { Database, Op } from '../../store/store.js'
import type { Clock } from '../clock.js'
import { conflict, invalid, notFound } from '../errors.js'
import { newId } from '../ids.js'
import { onlyKeys, optionalString, requireObject, requireString } from '../input.js'
import { pageOf } from '../paging.js'
import type { Environments } from '../tenancy/environments.js'
import type { Actor } from '../tenancy/model.js'
import type { Organizations } from '../tenancy/organizations.js'
import type { Projects } from '../tenancy/projects.js'
import type { IndexCache } from './indexes/cache.js'
import { uniqueFieldIndex } from './indexes/index-defs.js'
import { TableIndexes } from './indexes/table-indexes.js'
import { BUILT_IN_TABLES, DC, ID_INDEX, NEW_TABLE_STATE, VALIDATION, type BuiltInTable, type IndexDef, type IndexVersionDoc, type ObjectSchema, type RecordDoc, type SchemaVersionDoc, type TableDoc, type TableFields } from './model.js'
import { parseColumnPermissions, parseExpressionPermissions, parsePermissions, parseRowFilters } from './permissions/config.js'
import { schemaTypes } from './query/filter.js'
import { normalizeSchema } from './schema/normalize.js'
import { assertDefaultsValid } from './schema/validator.js'
import { builtInTable } from './system-tables.js'
import { applyFieldChanges, applyIndexChanges } from './table-changes.js'

export const TABLE_NAME = /^(?:[A-Za-z]|_[A-Za-z0-9])[A-Za-z0-9_-]{0,62}$/
const RESERVED_TABLES = new Set(['data', 'auth', 'users', 'files', 'accounts', 'sessions'])

/** A table as management surfaces return it (mcp.md §5): `_id_` included, with its record count. */
export type TableView = Omit<TableFields, 'indexes'> & { indexes: Array<IndexDef & { system?: true }>; documentCount: number }

interface Located {
  db: Database
  table: TableDoc
}

/** Tables of every environment: schema, indexes, permissions and their versions (console-model.md §5). */
export class Tables {
  constructor(
    private readonly orgs: Organizations,
    private readonly projects: Projects,
    private readonly envs: Environments,
    private readonly indexes: IndexCache,
    private readonly clock: Clock,
    /** The emulator's extensions (parentheses in permission expressions, RD-D10); off in cloud-parity mode. */
    private readonly extensions = true,
  ) {}

  /** The environment's database, or the spec's 404 when the environment is gone. */
  database(environmentId: string): Database {
    const db = this.envs.database(environmentId)
    if (!db) throw notFound('data/environment-not-found', `Environment ${environmentId} not found`)
    return db
  }

  /** The table a REST request names in its key's environment, built-in system tables included. */
  resolve(environmentId: string, tableName: string): TableDoc {
    const env = this.envs.doc(environmentId)
    const db = this.database(environmentId)
    if (env && (BUILT_IN_TABLES as readonly string[]).includes(tableName)) return builtInTable(env, tableName as BuiltInTable)
    const table = byName(db, tableName)
    if (!table) throw notFound('data/table-not-found', `Table "${tableName}" not found in this environment`)
    return table
  }

  documentCount(table: TableDoc): number {
    return this.envs.database(table.environmentId)?.collection(DC.records(table.id)).size ?? 0
  }

  /** Records in all of an environment's tables (usage figures). */
  recordCount(environmentId: string): number {
    let count = 0
    for (const table of this.envs.database(environmentId)?.collection<TableDoc>(DC.tables).values() ?? []) count += this.documentCount(table)
    return count
  }

  view(table: TableDoc): TableView {
    const { organizationId: _org, ...rest } = table
    return { ...rest, indexes: [{ ...ID_INDEX, system: true }, ...table.indexes], documentCount: this.documentCount(table) }
  }

  /** Finds a table by id among the environments of the actor's organization; others' tables are not found. */
  /** Waits for the background parse of the table's database (`Database.loaded`): the caller walks all its records. */
  private async loaded(actor: Actor, tableId: string): Promise<void> {
    const { db } = this.locate(actor, tableId)
    if (db.loading) await db.loaded()
  }

  locate(actor: Actor, tableId: string): Located {
    for (const env of this.envs.list(actor)) {
      const db = this.envs.database(env.id)
      const table = db?.collection<TableDoc>(DC.tables).get(tableId)
      if (db && table) return { db, table }
    }
    throw notFound('data/table-not-found', `Table ${tableId} not found`)
  }

  list(actor: Actor, filters: { projectId?: string; environment?: string; environmentId?: string } = {}): TableView[] {
    const envs = this.envs.list(actor, filters.projectId).filter((e) => (!filters.environment || e.environment === filters.environment) && (!filters.environmentId || e.id === filters.environmentId))
    return envs
      .flatMap((env) => [...(this.envs.database(env.id)?.collection<TableDoc>(DC.tables).values() ?? [])])
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
      .map((t) => this.view(t))
  }

  get(actor: Actor, tableId: string): TableView {
    return this.view(this.locate(actor, tableId).table)
  }

  async create(actor: Actor, input: unknown): Promise<TableView> {
    this.orgs.authorize(actor, 'table:manage')
    const body = requireObject('body', input)
    onlyKeys('body', body, ['projectId', 'environment', 'tableName', 'schema', 'displayName', 'description'])
    const project = this.projects.owned(actor, requireString('projectId', body.projectId, { max: 64 }))
    const envName = requireString('environment', body.environment, { max: 32 })
    const env = this.envs.byName(project.id, envName)
    if (!env) throw notFound('data/environment-not-found', `Environment "${envName}" not found in project ${project.slug}`)
    const db = this.database(env.id)
    const tableName = checkTableName(body.tableName)
    if (byName(db, tableName)) throw conflict('data/table-exists', `Table "${tableName}" already exists in environment ${envName}`)
    if (body.schema === undefined) throw invalid(VALIDATION, 'schema is required ({} for an empty schema)', [{ field: 'schema', rule: 'required', message: 'is required' }])
    const { schema, uniqueFields } = normalizeSchema(body.schema)
    assertDefaultsValid(schema)
    const now = this.clock.iso()
    const table: TableDoc = {
      id: newId(this.clock.nowMs()),
      organizationId: env.organizationId,
      projectId: env.projectId,
      environmentId: env.id,
      environment: env.environment,
      tableName,
      displayName: optionalString('displayName', body.displayName, { max: 100 }),
      description: optionalString('description', body.description, { max: 1000 }),
      schema,
      indexes: uniqueFields.map(uniqueFieldIndex),
      ...NEW_TABLE_STATE,
      createdAt: now,
      updatedAt: now,
    }
    await db.commit([{ c: DC.tables, p: table }, { c: DC.schemaVersions, p: this.schemaVersion(actor, table, 'create') }, { c: DC.indexVersions, p: this.indexVersion(actor, table, 'create') }])
    return this.view(table)
  }

  async update(actor: Actor, tableId: string, input: unknown): Promise<TableView> {
    this.orgs.authorize(actor, 'table:manage')
    const { db, table } = this.locate(actor, tableId)
    const body = requireObject('body', input)
    for (const key of ['schema', 'fields', 'fieldsToAddOrUpdate', 'indexes']) {
      if (key in body) throw invalid(VALIDATION, `${key} cannot be changed here: use backend_field_manage for fields and backend_index_manage for indexes`, [{ field: key, rule: 'immutable', message: 'use backend_field_manage / backend_index_manage' }])
    }
    if ('tableName' in body && body.tableName !== table.tableName) throw invalid(VALIDATION, 'tableName cannot be changed', [{ field: 'tableName', rule: 'immutable', message: 'cannot be changed' }])
    onlyKeys('body', body, ['tableName', 'displayName', 'description', 'permissions', 'expressionPermissions', 'columnPermissions', 'rowFilters'])
    const next: TableDoc = { ...table, updatedAt: this.clock.iso() }
    if ('displayName' in body) next.displayName = optionalString('displayName', body.displayName, { max: 100 })
    if ('description' in body) next.description = optionalString('description', body.description, { max: 1000 })
    if ('permissions' in body) next.permissions = parsePermissions(body.permissions)
    const syntax = { parentheses: this.extensions }
    if ('expressionPermissions' in body) next.expressionPermissions = parseExpressionPermissions(body.expressionPermissions, syntax)
    if ('columnPermissions' in body) next.columnPermissions = parseColumnPermissions(body.columnPermissions, syntax)
    if ('rowFilters' in body) next.rowFilters = parseRowFilters(body.rowFilters, schemaTypes(table.schema), syntax)
    await db.put(DC.tables, next)
    return this.view(next)
  }

  /** Deletes the table with its records and versions. */
  async delete(actor: Actor, tableId: string): Promise<TableView> {
    this.orgs.authorize(actor, 'table:manage')
    const { db, table } = this.locate(actor, tableId)
    const view = this.view(table)
    const ops: Op[] = [{ c: DC.tables, d: table.id }, { c: DC.records(table.id), x: 1 }]
    for (const name of [DC.schemaVersions, DC.indexVersions]) for (const v of db.collection(name).values()) if (v.tableId === table.id) ops.push({ c: name, d: v.id })
    await db.commit(ops)
    this.indexes.drop(table.id)
    return view
  }

  /** Field changes (remove, addOrUpdate, requiredRemove, requiredAdd); a new schema version. */
  async fieldManage(actor: Actor, tableId: string, input: unknown): Promise<TableView> {
    this.orgs.authorize(actor, 'table:manage')
    await this.loaded(actor, tableId)
    const { db, table } = this.locate(actor, tableId)
    const change = applyFieldChanges(table.schema, table.indexes, input)
    const now = this.clock.iso()
    const next: TableDoc = { ...table, schema: change.schema, schemaVersion: table.schemaVersion + 1, updatedAt: now }
    const ops: Op[] = [...this.retire(db, DC.schemaVersions, table.id)]
    if (change.newIndexes.length > 0) {
      this.assertNoCollision(db, table, change.newIndexes)
      Object.assign(next, { indexes: [...table.indexes, ...change.newIndexes], indexVersion: table.indexVersion + 1 })
      ops.push(...this.retire(db, DC.indexVersions, table.id), { c: DC.indexVersions, p: this.indexVersion(actor, next, 'index_manage') })
    }
    if (change.removed.length > 0) {
      for (const record of db.collection<RecordDoc>(DC.records(table.id)).values()) {
        if (!change.removed.some((f) => Object.hasOwn(record, f))) continue
        const stripped: RecordDoc = { ...record }
        for (const field of change.removed) delete stripped[field]
        ops.push({ c: DC.records(table.id), p: stripped })
      }
    }
    ops.push({ c: DC.tables, p: next }, { c: DC.schemaVersions, p: this.schemaVersion(actor, next, 'field_manage') })
    await db.commit(ops)
    this.indexes.drop(table.id)
    return this.view(next)
  }

  /** Index changes; a unique index that existing records violate is a conflict and nothing changes. */
  async indexManage(actor: Actor, tableId: string, input: unknown): Promise<TableView> {
    this.orgs.authorize(actor, 'table:manage')
    await this.loaded(actor, tableId)
    const { db, table } = this.locate(actor, tableId)
    const change = applyIndexChanges(table.indexes, input)
    this.assertNoCollision(db, table, change.uniqueToCheck)
    const next: TableDoc = { ...table, indexes: change.indexes, indexVersion: table.indexVersion + 1, updatedAt: this.clock.iso() }
    await db.commit([...this.retire(db, DC.indexVersions, table.id), { c: DC.tables, p: next }, { c: DC.indexVersions, p: this.indexVersion(actor, next, 'index_manage') }])
    return this.view(next)
  }

  schemaVersions(actor: Actor, tableId: string, paging: { page?: number; limit?: number } = {}): Page<SchemaVersionDoc> {
    const { db, table } = this.locate(actor, tableId)
    return pageOf(versionsOf<SchemaVersionDoc>(db, DC.schemaVersions, table.id), paging.page ?? 1, Math.min(100, paging.limit ?? 20))
  }

  indexVersions(actor: Actor, tableId: string, paging: { page?: number; limit?: number } = {}): Page<IndexVersionDoc> {
    const { db, table } = this.locate(actor, tableId)
    return pageOf(versionsOf<IndexVersionDoc>(db, DC.indexVersions, table.id), paging.page ?? 1, Math.min(100, paging.limit ?? 20))
  }

  /** Copies an earlier schema into a new current version; records are not touched. */
  async rollbackSchema(actor: Actor, tableId: string, version: number): Promise<TableView> {
    this.orgs.authorize(actor, 'table:manage')
    const { db, table } = this.locate(actor, tableId)
    const target = versionsOf<SchemaVersionDoc>(db, DC.schemaVersions, table.id).find((v) => v.version === version)
    if (!target) throw notFound('data/version-not-found', `Schema version ${version} of table ${table.tableName} not found`)
    const next: TableDoc = { ...table, schema: structuredClone(target.schema) as ObjectSchema, schemaVersion: table.schemaVersion + 1, updatedAt: this.clock.iso() }
    await db.commit([...this.retire(db, DC.schemaVersions, table.id), { c: DC.tables, p: next }, { c: DC.schemaVersions, p: this.schemaVersion(actor, next, 'rollback') }])
    return this.view(next)
  }

  private assertNoCollision(db: Database, table: TableDoc, defs: IndexDef[]): void {
    if (defs.length === 0) return
    const collision = new TableIndexes(defs, db.collection<RecordDoc>(DC.records(table.id)).values()).firstCollision()
    if (collision) throw conflict('data/duplicate-value', `Existing records of ${table.tableName} already share a value of ${collision.field}, so unique index "${collision.index.name}" cannot be created`)
  }

  /** Marks the current version of a table as no longer current. */
  private retire(db: Database, collection: string, tableId: string): Op[] {
    return [...db.collection(collection).values()].filter((v) => v.tableId === tableId && v.isCurrent).map((v) => ({ c: collection, p: { ...v, isCurrent: false } }))
  }

  private schemaVersion(actor: Actor, table: TableDoc, source: SchemaVersionDoc['source']): SchemaVersionDoc {
    return { id: newId(this.clock.nowMs()), tableId: table.id, version: table.schemaVersion, schema: table.schema, isCurrent: true, source, createdBy: actor.tenantId, createdAt: this.clock.iso() }
  }

  private indexVersion(actor: Actor, table: TableDoc, source: IndexVersionDoc['source']): IndexVersionDoc {
    const indexes = [{ ...ID_INDEX }, ...table.indexes]
    return { id: newId(this.clock.nowMs()), tableId: table.id, version: table.indexVersion, indexes, isCurrent: true, source, createdBy: actor.tenantId, createdAt: this.clock.iso() }
  }
}

function byName(db: Database, tableName: string): TableDoc | undefined {
  for (const table of db.collection<TableDoc>(DC.tables).values()) if (table.tableName === tableName) return table
  return undefined
}

function versionsOf<T extends { tableId: string; version: number }>(db: Database, collection: string, tableId: string): T[] {
  return ([...db.collection(collection).values()] as unknown as T[]).filter((v) => v.tableId === tableId).sort((a, b) => b.version - a.version)
}

function checkTableName(value: unknown): string {
  const name = requireString('tableName', value, { max: 64 })
  if (!TABLE_NAME.test(name)) throw invalid(VALIDATION, `tableName "${name}" must start with a letter (or _ and a letter/digit) followed by letters, digits, _ or - (at most 64)`, [{ field: 'tableName', rule: 'pattern', message: `must match ${TABLE_NAME.source}` }])
  if (RESERVED_TABLES.has(name.toLowerCase())) throw invalid(VALIDATION, `tableName "${name}" is reserved`, [{ field: 'tableName', rule: 'reserved', message: 'reserved names: data, auth, users, files, accounts, sessions' }])
  return name
}
