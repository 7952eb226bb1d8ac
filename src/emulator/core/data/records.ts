import type { Page } from '../../../contract/common.js'
import type { Database } from '../../store/store.js'
import type { Clock } from '../clock.js'
import { conflict, DomainError, notFound } from '../errors.js'
import { isId, newId } from '../ids.js'
import { pagination } from '../paging.js'
import type { DecisionTrace } from '../observe/decision.js'
import type { Principal } from '../principal.js'
import type { IndexCache } from './indexes/cache.js'
import type { TableIndexes } from './indexes/table-indexes.js'
import { BUILT_IN_TABLES, DC, type BuiltInTable, type Operation, type RecordDoc, type TableDoc } from './model.js'
import { assertColumnsWritable, assertOwner, authorizeList, authorizeRecord, hidesColumns, noteHiddenColumns, stripColumns, type TablePolicy } from './permissions/policy.js'
import { checkScope } from './permissions/scopes.js'
import { and, bracketFilters, filterKey, parseFilterParam, QueryBudget, schemaTypes, type Filter } from './query/filter.js'
import { parseListParams, project } from './query/list-params.js'
import { compileFilter } from './query/compile.js'
import { plan, planIsExact } from './query/planner.js'
import { searchMatcher } from './query/search.js'
import { walkPage } from './query/scan.js'
import { pageOfIds, pageWindow } from './query/window.js'
import { applyDefaults, canonicalDates, checkBody, withoutSystemFields } from './schema/body.js'
import { assertValidRecord } from './schema/validator.js'
import type { SystemTableSource } from './system-tables.js'
import type { Tables } from './tables.js'

const isBuiltIn = (name: string): name is BuiltInTable => (BUILT_IN_TABLES as readonly string[]).includes(name)

/** The RLS view of a table. */
export function policyOf(table: TableDoc): TablePolicy {
  const kind = isBuiltIn(table.tableName) && table.id.startsWith(`${table.tableName}:`) ? 'builtin' : table.tableName.startsWith('_') ? 'underscore' : 'regular'
  const { permissions, expressionPermissions, columnPermissions, rowFilters } = table
  return { tableName: table.tableName, kind, permissions, expressionPermissions, columnPermissions, rowFilters }
}

/**
 * Records of a table, for REST (with the requester's principal) and MCP data tools (tenant principal). Every
 * operation runs: scope → RLS (system gate, group/self/expression, columns) → validation → uniqueness → write.
 */
export class Records {
  private systemSource: SystemTableSource | null = null

  constructor(
    private readonly tables: Tables,
    private readonly indexes: IndexCache,
    private readonly clock: Clock,
    /** The emulator's extensions (the `offset` list parameter, RD-D8); off in cloud-parity mode. */
    private readonly extensions = true,
  ) {}

  /** Lets the services owning users, accounts, sessions and files expose their rows as system tables. */
  attachSystemTables(source: SystemTableSource): void {
    this.systemSource = source
  }

  /**
   * Parses what each database's snapshot load left as bytes, then builds the index maps and id order of every table,
   * all between requests (`Database.loaded`, `IndexCache.warm`).
   */
  async warm(databases: Iterable<Database>): Promise<void> {
    for (const db of databases) {
      await db.loaded()
      await this.indexes.warm(db)
    }
  }

  /**
   * While the table's database is still parsing its snapshot in the background, the promise of its end, else null:
   * a request that walks or indexes the table waits for it instead of parsing the rest of a large table in one go.
   */
  loading(table: TableDoc): Promise<void> | null {
    const db = this.db(table)
    return db.loading ? db.loaded() : null
  }

  /** Resolves the table a REST request names, after the key-scope check (scopes come before the table lookup). */
  open(environmentId: string, tableName: string, principal: Principal, op: Operation): TableDoc {
    checkScope(principal, tableName, op)
    return this.tables.resolve(environmentId, tableName)
  }

  private db(table: TableDoc): Database {
    return this.tables.database(table.environmentId)
  }

  private index(table: TableDoc, db = this.db(table)): TableIndexes<RecordDoc> {
    return this.indexes.of(db, table)
  }

  private rows(table: TableDoc): Iterable<RecordDoc> {
    if (policyOf(table).kind === 'builtin') return this.systemSource?.rows(table.environmentId, table.tableName as BuiltInTable) ?? []
    return this.db(table).collection<RecordDoc>(DC.records(table.id)).values()
  }

  private find(table: TableDoc, id: string): RecordDoc {
    const record = isId(id) ? (policyOf(table).kind === 'builtin' ? [...this.rows(table)].find((r) => r.id === id) : this.db(table).collection<RecordDoc>(DC.records(table.id)).get(id)) : undefined
    if (!record) throw notFound('data/not-found', `Record ${id} not found in table "${table.tableName}"`)
    return record
  }

  async create(table: TableDoc, principal: Principal, input: unknown): Promise<RecordDoc> {
    const loading = this.loading(table)
    if (loading) await loading
    const { record, written } = this.insert(table, principal, input)
    await written
    return record
  }

  /**
   * Creates each of `inputs` exactly as `create` would (scope, permissions, defaults, validation, unique checks
   * against the table and the records before it), in order, and journals the created ones as one line: after a crash
   * all of them are there or none, and the promise resolves once they are written. A record refused with a domain
   * error (4xx) is answered with that error in its place and the others go on; anything else, or a refused journal
   * write, takes every record of the call out of memory again and rejects.
   */
  async createMany(table: TableDoc, principal: Principal, inputs: readonly unknown[]): Promise<Array<RecordDoc | DomainError>> {
    const loading = this.loading(table)
    if (loading) await loading
    // note: from begin to end nothing awaits, so no other request's write can land inside the transaction.
    const transaction = this.db(table).begin()
    const results: Array<RecordDoc | DomainError> = []
    try {
      for (const input of inputs) {
        try {
          results.push(this.insert(table, principal, input).record)
        } catch (error) {
          if (!(error instanceof DomainError) || error.kind === 'internal' || error.kind === 'unavailable' || error.kind === 'storage-full') throw error
          results.push(error)
        }
      }
    } catch (error) {
      await transaction.end(false)
      throw error
    }
    await transaction.end(true)
    return results
  }

  /** The synchronous part of a create: every check and the in-memory write; `written` settles with the journal. */
  private insert(table: TableDoc, principal: Principal, input: unknown): { record: RecordDoc; written: Promise<void> } {
    checkScope(principal, table.tableName, 'create')
    const policy = policyOf(table)
    authorizeRecord(policy, principal, 'create')
    const body = withoutSystemFields(checkBody(input))
    assertColumnsWritable(policy, principal, body, null)
    const fields = applyDefaults(table.schema, body)
    assertValidRecord(table.schema, fields)
    const ms = this.clock.nowMs()
    const now = this.clock.isoOf(ms)
    const record = { id: newId(ms), ...canonicalDates(table.schema, fields), createdBy: principal.userId ?? '', createdAt: now, updatedAt: now } as RecordDoc
    const db = this.db(table)
    const indexes = this.index(table, db)
    this.assertUnique(table, indexes, record)
    // The unique check and the in-memory write happen in one synchronous step, so concurrent writes cannot race.
    const written = db.put(DC.records(table.id), record)
    if (this.stored(table, record.id, db) === record) indexes.created(record)
    return { record: stripColumns(policy, principal, record), written }
  }

  /** A record the requester may read; with a `trace`, columns its read rules hid are noted there. */
  get(table: TableDoc, principal: Principal, id: string, query: Record<string, unknown> = {}, trace?: DecisionTrace): RecordDoc {
    checkScope(principal, table.tableName, 'read')
    const policy = policyOf(table)
    const access = authorizeRecord(policy, principal, 'read')
    const record = this.find(table, id)
    assertOwner(access, principal, record)
    const hidden = trace && hidesColumns(policy, principal) ? new Set<string>() : undefined
    const visible = stripColumns(policy, principal, project(record, parseListParams({ select: query.select ?? query.fields }).select) as RecordDoc, hidden)
    if (trace && hidden) noteHiddenColumns(trace, policy, principal, hidden)
    return visible
  }

  /**
   * A page of records the requester may list. With a `trace`, a list that `self` or row filters narrowed is noted
   * there with how many of the records matching the caller's own query they removed (one more pass over those
   * records, paid only by narrowed lists of a traced request), and so are columns read rules hid.
   */
  list(table: TableDoc, principal: Principal, query: Record<string, unknown>, trace?: DecisionTrace): Page<RecordDoc> {
    checkScope(principal, table.tableName, 'list')
    const policy = policyOf(table)
    const types = schemaTypes(table.schema)
    const budget = new QueryBudget()
    const permission = authorizeList(policy, principal, types, budget.steps, trace)
    const params = parseListParams(query, { offset: this.extensions })
    const asked = [
      parseFilterParam(query.andFilters, 'and', types, { budget }),
      parseFilterParam(bracketFilters(query, 'andFilters'), 'and', types, { bracket: true, budget }),
      parseFilterParam(query.orFilters, 'or', types, { budget }),
      parseFilterParam(bracketFilters(query, 'orFilters'), 'or', types, { bracket: true, budget }),
    ]
    const filter = and(permission, ...asked)
    const search = searchMatcher(params.search, params.searchType)
    const hidden = trace && hidesColumns(policy, principal) ? new Set<string>() : undefined
    const page = this.page(table, policy, principal, params, filter, search, types, hidden)
    const narrowed = trace?.denial
    if (narrowed) {
      const matching = select(this.rows(table), and(...asked), search).length
      narrowed.details = { ...narrowed.details, matching, returned: page.pagination.total, filteredOut: matching - page.pagination.total }
    }
    if (trace && hidden) noteHiddenColumns(trace, policy, principal, hidden)
    return page
  }

  private page(table: TableDoc, policy: TablePolicy, principal: Principal, params: ReturnType<typeof parseListParams>, filter: Filter, search: ReturnType<typeof searchMatcher>, types: ReturnType<typeof schemaTypes>, hidden?: Set<string>): Page<RecordDoc> {
    const start = params.offset ?? (params.page - 1) * params.limit
    const out = (records: readonly RecordDoc[], total: number): Page<RecordDoc> => ({
      items: records.map((r) => stripColumns(policy, principal, project(r, params.select) as RecordDoc, hidden)),
      pagination: pagination(total, params.page, params.limit),
    })
    let candidates: Iterable<RecordDoc> = this.rows(table)
    let idOrdered = false
    if (policy.kind !== 'builtin' && filter.kind !== 'none') {
      const indexes = this.index(table)
      idOrdered = indexes.idOrdered
      const ids = filter.kind === 'all' ? null : plan(filter, indexes)
      const collection = this.db(table).collection<RecordDoc>(DC.records(table.id))
      if (ids) {
        if (planIsExact(filter) && !search && params.sortBy === 'id') {
          // The index answered the whole filter: count the ids, load only the page's records.
          return out(pageOfIds(ids, params.direction, start, params.limit).map((id) => collection.get(id) as RecordDoc), ids.length)
        }
        const found: RecordDoc[] = []
        for (const id of ids) {
          const record = collection.get(id)
          if (record) found.push(record)
        }
        candidates = found
        // Plans are in id order, which is the default sort.
        idOrdered = true
      } else if (params.sortBy === 'id') {
        // No index narrows it: walk the table from the page's end (a compiled filter per record, no copies).
        const test = filter.kind === 'all' && !search ? null : both(compileFilter(filter), search)
        const key = search ? `${filterKey(filter)}\u0000${params.searchType ?? ''}\u0000${params.search}` : filterKey(filter)
        const walked = walkPage(indexes, test, key, collection.size, params.direction, start, params.limit)
        if (walked) return out(walked.items, walked.total)
      }
    }
    const selected = select(candidates, filter, search)
    return out(pageWindow(selected, { sortBy: params.sortBy, direction: params.direction, date: types(params.sortBy) === 'date' }, start, params.limit, idOrdered), selected.length)
  }

  async update(table: TableDoc, principal: Principal, id: string, input: unknown): Promise<RecordDoc> {
    const loading = this.loading(table)
    if (loading) await loading
    checkScope(principal, table.tableName, 'update')
    const policy = policyOf(table)
    const access = authorizeRecord(policy, principal, 'update')
    const existing = this.find(table, id)
    assertOwner(access, principal, existing)
    const body = withoutSystemFields(checkBody(input))
    if (Object.keys(body).length === 0) return stripColumns(policy, principal, existing)
    assertColumnsWritable(policy, principal, body, existing)
    const merged = { ...existing, ...body }
    assertValidRecord(table.schema, merged)
    const record = { ...canonicalDates(table.schema, merged), updatedAt: this.clock.iso() } as RecordDoc
    const indexes = this.index(table)
    this.assertUnique(table, indexes, record)
    const written = this.db(table).put(DC.records(table.id), record)
    if (this.stored(table, record.id) === record) indexes.updated(existing, record)
    await written
    return stripColumns(policy, principal, record)
  }

  async delete(table: TableDoc, principal: Principal, id: string): Promise<{ success: true }> {
    const loading = this.loading(table)
    if (loading) await loading
    checkScope(principal, table.tableName, 'delete')
    const access = authorizeRecord(policyOf(table), principal, 'delete')
    const existing = this.find(table, id)
    assertOwner(access, principal, existing)
    const indexes = this.index(table)
    const written = this.db(table).delete(DC.records(table.id), id)
    if (this.stored(table, id) === undefined) indexes.deleted(existing)
    await written
    return { success: true }
  }

  /**
   * The record memory holds right after a write call: the store applies a write synchronously or, when it refuses
   * writes (e.g. after a disk error), not at all, so the index maps follow memory rather than the request.
   */
  private stored(table: TableDoc, id: string, db = this.db(table)): RecordDoc | undefined {
    return db.collection<RecordDoc>(DC.records(table.id)).get(id)
  }

  private assertUnique(table: TableDoc, indexes: TableIndexes<RecordDoc>, record: RecordDoc): void {
    const violation = indexes.violation(record)
    if (violation) {
      throw conflict('data/duplicate-value', `Duplicate value for ${violation.field} in table "${table.tableName}": unique index "${violation.index.name}" already has a record with this value`)
    }
  }
}

/** A record test that passes both the compiled filter and the search, if any. */
function both(test: (r: RecordDoc) => boolean, search: ((r: RecordDoc) => boolean) | null): (r: RecordDoc) => boolean {
  return search ? (r) => test(r) && search(r) : test
}

/** The records passing the filter and search, in storage order, in one pass without intermediate arrays. */
function select(candidates: Iterable<RecordDoc>, filter: Filter, search: ((r: RecordDoc) => boolean) | null): RecordDoc[] {
  if (filter.kind === 'none') return []
  if (filter.kind === 'all' && !search) return Array.from(candidates)
  const test = compileFilter(filter)
  const out: RecordDoc[] = []
  for (const record of candidates) if (test(record) && (!search || search(record))) out.push(record)
  return out
}
