/**
 * The typed client `bkend gen types --client` appends to the types: CRUD and list per table over `fetch`, with no
 * dependency. Written in erasable syntax only (no enums, no parameter properties), so the file also runs under
 * Node's type stripping, and it compiles under `strict` with `exactOptionalPropertyTypes`.
 */

/** The client's source, appended after the types it refers to (`Tables`, `Page`, `BkendErrorBody`). */
export function clientSource(): string {
  return CLIENT
}

const CLIENT = `/** A filter document: \`{ field: value | { $op: operand } }\`, or an array of them (rest-data filters). */
export type FilterDocument = { [field: string]: unknown } | Array<{ [field: string]: unknown }>

/** The list query parameters of \`GET /v1/data/:table\`. */
export interface ListParams<R> {
  /** Page number, from 1. */
  page?: number | undefined
  /** Page size, 1–100 (default 20). */
  limit?: number | undefined
  /** Row offset; overrides \`page\`. */
  offset?: number | undefined
  /** A field or dot path (default \`id\`). */
  sortBy?: string | undefined
  sortDirection?: 'asc' | 'desc' | undefined
  /** Case-insensitive substring match on string fields. */
  search?: string | undefined
  /** Restricts \`search\` to this field. */
  searchType?: string | undefined
  /** Every condition must hold. */
  andFilters?: FilterDocument | undefined
  /** At least one condition must hold. */
  orFilters?: FilterDocument | undefined
  /** Fields to return (system fields always are); the others are absent from the records at run time. */
  select?: Array<keyof R & string> | undefined
}

export interface BkendClientOptions {
  /** Origin of the REST API: \`BKEND_URL\` under \`bkend dev exec\`, http://127.0.0.1:4100 for a default \`bkend dev\`. */
  baseUrl: string
  /** The environment's publishable key (pk_…), sent as X-API-Key. */
  publishableKey: string
  /** A signed-in user's access token: requests then act as that user; without one, as a guest. */
  accessToken?: string | undefined
  /** Defaults to the global fetch. */
  fetch?: typeof fetch | undefined
}

/** A failed request: the error envelope's code, message and HTTP status (status 0 when no response arrived). */
export class BkendError extends Error {
  readonly code: string
  readonly status: number
  readonly details: BkendErrorBody['error']['details']
  constructor(status: number, code: string, message: string, details?: BkendErrorBody['error']['details']) {
    super(message)
    this.name = 'BkendError'
    this.status = status
    this.code = code
    this.details = details
  }
}

/** The operations on one table. */
export interface TableClient<T extends keyof Tables> {
  list(params?: ListParams<Tables[T]['record']>): Promise<Page<Tables[T]['record']>>
  get(id: string, options?: { select?: Array<keyof Tables[T]['record'] & string> | undefined }): Promise<Tables[T]['record']>
  create(input: Tables[T]['create']): Promise<Tables[T]['record']>
  update(id: string, changes: Tables[T]['update']): Promise<Tables[T]['record']>
  delete(id: string): Promise<{ success: true }>
}

/** A client of one environment's REST data API, typed by the tables above. */
export class BkendClient {
  private readonly options: BkendClientOptions

  constructor(options: BkendClientOptions) {
    this.options = { ...options, baseUrl: options.baseUrl.replace(/\\/+$/, '') }
  }

  /** A client acting as the user holding this access token (as a guest with none). */
  withAccessToken(accessToken: string | undefined): BkendClient {
    return new BkendClient({ ...this.options, accessToken })
  }

  table<T extends keyof Tables & string>(name: T): TableClient<T> {
    const path = \`/v1/data/\${encodeURIComponent(name)}\`
    const one = (id: string) => \`\${path}/\${encodeURIComponent(id)}\`
    return {
      list: (params = {}) => this.request('GET', path, listQuery(params)),
      get: (id, options = {}) => this.request('GET', one(id), listQuery(options)),
      create: (input) => this.request('POST', path, undefined, input),
      update: (id, changes) => this.request('PATCH', one(id), undefined, changes),
      delete: (id) => this.request('DELETE', one(id)),
    }
  }

  private async request<R>(method: string, path: string, query?: URLSearchParams, body?: unknown): Promise<R> {
    const headers: { [name: string]: string } = { 'X-API-Key': this.options.publishableKey }
    if (this.options.accessToken) headers['Authorization'] = \`Bearer \${this.options.accessToken}\`
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    const search = query?.toString()
    const url = \`\${this.options.baseUrl}\${path}\${search ? \`?\${search}\` : ''}\`
    let response: Awaited<ReturnType<typeof fetch>>
    try {
      response = await (this.options.fetch ?? fetch)(url, { method, headers, body: body === undefined ? null : JSON.stringify(body) })
    } catch (error) {
      throw new BkendError(0, 'client/network-error', \`\${method} \${url} failed: \${error instanceof Error ? error.message : String(error)}\`)
    }
    const text = await response.text()
    let parsed: unknown
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      parsed = undefined
    }
    if (!response.ok) {
      const envelope = parsed as Partial<BkendErrorBody> | undefined
      const error = envelope?.error
      if (error && typeof error.code === 'string') throw new BkendError(response.status, error.code, error.message, error.details)
      throw new BkendError(response.status, 'client/unexpected-response', \`\${method} \${path} answered \${response.status} without an error envelope\`)
    }
    if (parsed === undefined) throw new BkendError(response.status, 'client/unexpected-response', \`\${method} \${path} answered \${response.status} without a JSON body\`)
    return parsed as R
  }
}

function listQuery(params: object): URLSearchParams {
  const query = new URLSearchParams()
  for (const [name, value] of Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (value === undefined) continue
    if (name === 'select') query.set(name, (value as string[]).join(','))
    else if (name === 'andFilters' || name === 'orFilters') query.set(name, JSON.stringify(value))
    else query.set(name, String(value))
  }
  return query
}

/** A client of the environment behind \`baseUrl\` and \`publishableKey\`. */
export function createClient(options: BkendClientOptions): BkendClient {
  return new BkendClient(options)
}
`
