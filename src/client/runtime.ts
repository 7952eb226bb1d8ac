import type { Page } from '../contract/common.js'
import { bulkInsertPath, type BulkInsertResponse } from '../contract/data-bulk.js'
import type { DataRecord } from '../contract/tables.js'
import type { User } from '../contract/users.js'
import { ClientError } from './errors.js'
import { JsonText, RestClient, type Query, type RestClientOptions } from './rest.js'
import { StorageClient } from './storage.js'

/** The declared schema a table's `/spec` returns, as far as importing needs it. */
export interface TableSpec {
  schema?: { properties?: Record<string, { bsonType?: string | string[] }> }
}

/** `POST /v1/users`. */
export interface NewUser {
  email: string
  name: string
  role?: string
  password?: string
  /** Emulator extension: the e-mail counts as verified from the start. */
  emailVerified?: boolean
}

export interface RuntimeClientOptions extends RestClientOptions {
  /** The environment the key belongs to, carried in errors about what it does not have. */
  environment: string
}

/**
 * The runtime API of one environment (run time: data, users, files) over one REST client with its secret key, the
 * way `Management` is the design-time API: callers name tables, records and users, never paths. Call `close()`
 * when done.
 */
export class RuntimeClient {
  readonly data: DataApi
  readonly users: UsersApi
  private readonly rest: RestClient
  private storage: StorageClient | undefined

  constructor(options: RuntimeClientOptions) {
    this.rest = new RestClient(options)
    this.data = new DataApi(this.rest, options.environment)
    this.users = new UsersApi(this.rest)
  }

  /** The storage API; `connections` bounds the byte transfers to and from signed URLs. */
  files(connections?: number): StorageClient {
    this.storage ??= new StorageClient(this.rest, connections)
    return this.storage
  }

  async close(): Promise<void> {
    await this.storage?.close()
    await this.rest.close()
  }
}

/** Records of the environment's tables (rest-data.md). */
export class DataApi {
  constructor(
    private readonly rest: RestClient,
    private readonly environment: string,
  ) {}

  list(table: string, query: Query = {}): Promise<Page<DataRecord>> {
    return this.about(table, this.rest.get(dataPath(table), query))
  }

  get(table: string, id: string, query: Query = {}): Promise<DataRecord> {
    return this.about(table, this.rest.get(dataPath(table, id), query), id)
  }

  insert(table: string, record: unknown): Promise<DataRecord> {
    return this.about(table, this.rest.post(dataPath(table), record))
  }

  /** Inserts without reading the answer back: the bulk path of imports, where parsing each created record costs throughput. */
  insertOnly(table: string, record: unknown): Promise<void> {
    return this.about(table, this.rest.postOnly(dataPath(table), record))
  }

  /**
   * The local emulator's bulk insert (an extension): each record's id or error, in order. `json` is the records'
   * JSON when the caller has it already.
   */
  bulkInsert(table: string, records: unknown[], json?: string): Promise<BulkInsertResponse> {
    return this.about(table, this.rest.post(bulkInsertPath(table), json === undefined ? records : new JsonText(json)))
  }

  update(table: string, id: string, changes: unknown): Promise<DataRecord> {
    return this.about(table, this.rest.patch(dataPath(table, id), changes), id)
  }

  async delete(table: string, id: string): Promise<void> {
    await this.about(table, this.rest.delete(dataPath(table, id)), id)
  }

  /** The table's declared schema. */
  spec(table: string): Promise<TableSpec> {
    return this.about(table, this.rest.get(dataPath(table, 'spec')))
  }

  /** The table's OpenAPI 3 document (`/v1/data/:table/openapi`), as the server writes it. */
  openapi(table: string): Promise<Record<string, unknown>> {
    return this.about(table, this.rest.get(dataPath(table, 'openapi')))
  }

  /** Adds what the caller asked about to a not-found answer, so its explanation can name the table or record. */
  private about<T>(table: string, request: Promise<T>, id?: string): Promise<T> {
    return request.catch((error: unknown) => {
      if (!(error instanceof ClientError) || error.status !== 404) throw error
      const details = error.code === 'data/not-found' ? { resource: 'record', ref: id } : error.code === 'data/table-not-found' ? { resource: 'table', ref: table } : {}
      throw new ClientError(error.code, error.message, error.status, { ...error.details, ...details, environment: this.environment }, error.request, error.retryAfter)
    })
  }
}

/** End users of the environment (rest-auth.md, `/v1/users`). */
export class UsersApi {
  constructor(private readonly rest: RestClient) {}

  list(query: Query = {}): Promise<Page<User>> {
    return this.rest.get(usersPath(), query)
  }

  get(id: string): Promise<User> {
    return this.rest.get(usersPath(id))
  }

  create(user: NewUser): Promise<User> {
    return this.rest.post(usersPath(), user)
  }

  /**
   * `POST /v1/auth/email/signup` with a password: the documented way to create a user with a password on the hosted
   * service, where `POST /v1/users` takes none. It signs the new user in (the tokens are not kept) and sends the
   * sign-up confirmation e-mail.
   */
  async signUp(email: string, password: string, name: string): Promise<User> {
    const answer = await this.rest.post<{ user: User }>('/v1/auth/email/signup', { method: 'password', email, password, name })
    return answer.user
  }

  update(id: string, changes: Record<string, unknown>): Promise<User> {
    return this.rest.patch(usersPath(id), changes)
  }

  setRole(id: string, role: string): Promise<User> {
    return this.rest.patch(usersPath(id, 'role'), { role })
  }

  async delete(id: string): Promise<void> {
    await this.rest.delete(usersPath(id))
  }
}

/** `/v1/data/<table>[/<segment>…]`, segments escaped. */
function dataPath(table: string, ...suffix: string[]): string {
  return ['/v1/data', ...[table, ...suffix].map(encodeURIComponent)].join('/')
}

/** `/v1/users[/<id>[/<suffix>]]`. */
function usersPath(...parts: string[]): string {
  return ['/v1/users', ...parts.map(encodeURIComponent)].join('/')
}
