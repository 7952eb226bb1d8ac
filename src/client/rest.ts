import type { Dispatcher, Pool } from 'undici'
import { ClientError, type FieldProblem } from './errors.js'
import { baselineWasmOnly } from './wasm-tier.js'

export type Query = Record<string, string | number | boolean | undefined>

/** A request body already serialised as JSON (a batch built from records serialised once each). */
export class JsonText {
  constructor(readonly text: string) {}
}

export interface RestClientOptions {
  /** Origin of the REST API (`http://127.0.0.1:4100`); paths start with `/v1`. */
  restUrl: string
  /** The environment's API key, sent as `X-API-Key` (runtime commands). */
  secretKey?: string
  /** A bearer token, sent as `Authorization` (the emulator controls take the tenant token). */
  bearer?: string
  /** Keep-alive connections to open at most; bulk imports keep this many requests in flight. */
  connections?: number
  /** Thousands of requests ahead (imports): worth V8's optimizing compile of the HTTP parser, see `open()`. */
  bulk?: boolean
}

/**
 * The REST client: one keep-alive undici pool per command, the secret key in `X-API-Key` (or a bearer token for the
 * emulator controls), JSON in and out, error envelopes turned into `ClientError`. Call `close()` when done so idle
 * sockets do not keep the process alive.
 */
export class RestClient {
  private pool: Promise<Pool> | undefined

  constructor(private readonly options: RestClientOptions) {}

  /** Sends one request and returns the parsed JSON body of a 2xx answer. */
  async request<T>(method: Dispatcher.HttpMethod, path: string, options: { query?: Query; body?: unknown; discardBody?: boolean } = {}): Promise<T> {
    const pool = await this.open()
    const url = path + queryString(options.query)
    const headers: Record<string, string> = { accept: 'application/json' }
    if (this.options.secretKey) headers['x-api-key'] = this.options.secretKey
    if (this.options.bearer) headers.authorization = `Bearer ${this.options.bearer}`
    let body: string | undefined
    if (options.body !== undefined) {
      body = options.body instanceof JsonText ? options.body.text : JSON.stringify(options.body)
      headers['content-type'] = 'application/json'
    }
    let response: Dispatcher.ResponseData
    try {
      response = await pool.request({ method, path: url, headers, body })
    } catch (error) {
      throw networkError(this.options.restUrl, error, `${method} ${path}`)
    }
    if (options.discardBody && response.statusCode >= 200 && response.statusCode < 300) {
      await response.body.dump()
      return undefined as T
    }
    const text = await response.body.text()
    const parsed = text ? safeJson(text) : undefined
    if (response.statusCode >= 200 && response.statusCode < 300) return parsed as T
    const retryAfter = Number(response.headers['retry-after'])
    throw envelopeError(response.statusCode, parsed, text, `${method} ${path}`, Number.isFinite(retryAfter) ? retryAfter : undefined)
  }

  /**
   * GET of an NDJSON stream: calls `onLine` with each non-empty line as it arrives, until the server ends the stream
   * or `signal` aborts it (then it resolves quietly). A refusal before the stream starts is a `ClientError`.
   */
  async lines(path: string, query: Query, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
    const pool = await this.open()
    const headers: Record<string, string> = { accept: 'application/x-ndjson' }
    if (this.options.bearer) headers.authorization = `Bearer ${this.options.bearer}`
    let response: Dispatcher.ResponseData
    try {
      response = await pool.request({ method: 'GET', path: path + queryString(query), headers, signal })
    } catch (error) {
      if (signal.aborted) return
      throw networkError(this.options.restUrl, error, `GET ${path}`)
    }
    if (response.statusCode < 200 || response.statusCode >= 300) {
      const text = await response.body.text()
      throw envelopeError(response.statusCode, text ? safeJson(text) : undefined, text, `GET ${path}`, undefined)
    }
    let buffer = ''
    try {
      for await (const chunk of response.body) {
        buffer += (chunk as Buffer).toString('utf8')
        const parts = buffer.split('\n')
        buffer = parts.pop() as string
        for (const line of parts) if (line.trim() !== '') onLine(line)
      }
    } catch (error) {
      if (!signal.aborted) throw networkError(this.options.restUrl, error, `GET ${path}`)
    }
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, { query })
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, { body })
  }

  /** POST whose success body is not needed (bulk writes): skips parsing it, errors still become `ClientError`. */
  async postOnly(path: string, body: unknown): Promise<void> {
    await this.request<void>('POST', path, { body, discardBody: true })
  }

  patch<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('PATCH', path, { body })
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path)
  }

  async close(): Promise<void> {
    if (!this.pool) return
    const pool = await this.pool
    this.pool = undefined
    await pool.close()
  }

  // note: undici is imported on first use; loading it costs ~100 ms, which `--help` and usage errors should not pay.
  // A command making a handful of requests does not want the optimizing compile of its parser (wasm-tier.ts).
  private open(): Promise<Pool> {
    if (!this.options.bulk) baselineWasmOnly()
    this.pool ??= import('undici').then(({ Pool }) => new Pool(this.options.restUrl, { connections: this.options.connections ?? 16, keepAliveTimeout: 10_000 }))
    return this.pool
  }
}

function queryString(query: Query | undefined): string {
  if (!query) return ''
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value))
  const text = params.toString()
  return text ? `?${text}` : ''
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** The `ClientError` for a request that got no answer from `origin`. */
export function networkError(origin: string, error: unknown, request: string): ClientError {
  const cause = (error as NodeJS.ErrnoException).code ?? (error as Error).message
  return new ClientError('target/unreachable', `cannot reach ${origin} (${cause})`, 0, {}, request)
}

/** The `ClientError` for a non-2xx answer whose body text is `text` (an error envelope, or anything else). */
export function responseError(status: number, text: string, request: string, retryAfter?: number): ClientError {
  return envelopeError(status, text ? safeJson(text) : undefined, text, request, retryAfter)
}

function envelopeError(status: number, body: unknown, text: string, request: string, retryAfter: number | undefined): ClientError {
  const envelope = body as { error?: { code?: unknown; message?: unknown; details?: unknown }; message?: unknown } | undefined
  const code = typeof envelope?.error?.code === 'string' ? envelope.error.code : `http/${status}`
  const message = typeof envelope?.error?.message === 'string' ? envelope.error.message : typeof envelope?.message === 'string' ? envelope.message : text.slice(0, 200) || `HTTP ${status}`
  const fields = Array.isArray(envelope?.error?.details) ? (envelope.error.details as FieldProblem[]) : undefined
  return new ClientError(code, message, status, fields?.length ? { fields } : {}, request, retryAfter)
}
