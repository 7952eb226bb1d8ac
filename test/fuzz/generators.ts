import { createHmac } from 'node:crypto'

/** A seeded PRNG (mulberry32): the same seed gives the same cases, so a failure names everything needed to replay it. */
export class Rng {
  private state: number
  constructor(seed: number) {
    this.state = seed >>> 0
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  int(below: number): number {
    return Math.floor(this.next() * below)
  }

  bool(): boolean {
    return this.next() < 0.5
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T
  }
}

/** A request the fuzzer sends; `kind` says which target produced it, `write` what it may create or change if accepted. */
export interface FuzzCase {
  kind: 'body' | 'query' | 'regex' | 'header' | 'jwt' | 'mcp' | 'path'
  method: string
  path: string
  headers: Record<string, string>
  body?: string
  write?: 'records' | 'files' | 'users'
}

/** What the generators need to know about the emulator under test. */
export interface Context {
  table: string
  recordId: string
  secretKey: string
  publishableKey: string
  tenantToken: string
  mcpSession: string
  projectId: string
  /** A table of its own for MCP tool calls, so that records they create do not upset the fuzzed table's count. */
  mcpTableId: string
}

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf']
const ODD_KEYS = ['', ' ', '$where', '$gt', 'a.b', 'a..b', '.', 'id', '_id', 'createdAt', 'createdBy', 'title', 'n', '\u0000', 'é', '💥', 'a'.repeat(300)]
const ALPHABET = 'abcXYZ019 _-.$/\\"\'<>{}[]%&?#=+*\u0000\u0007\n\t\u00e9\u200b\u{1F4A5}\ud800'

/** Random text; `huge` allows, rarely, strings around the 1 MiB body limit (never in URLs or headers, which Node caps). */
export function randomString(rng: Rng, max = 24, huge = false): string {
  const roll = rng.int(100)
  if (huge && roll === 0) return 'x'.repeat(200_000 + rng.int(1_000_000))
  if (roll < 5) return ''
  let out = ''
  const length = rng.int(max)
  for (let i = 0; i < length; i++) out += ALPHABET[rng.int(ALPHABET.length)] ?? ''
  return out
}

function randomKey(rng: Rng): string {
  const roll = rng.int(4)
  if (roll === 0) return rng.pick(PROTOTYPE_KEYS)
  if (roll === 1) return rng.pick(ODD_KEYS)
  return randomString(rng, 8)
}

function randomNumber(rng: Rng): number {
  return rng.pick([0, -0, 1, -1, 0.5, 1e308, -1e308, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, rng.int(1000), 1e-300])
}

/** A JSON value of a random shape: scalars, arrays and objects nested up to `depth`, with prototype and odd keys. */
export function randomJson(rng: Rng, depth = 4, huge = false): unknown {
  const roll = rng.int(depth > 0 ? 9 : 6)
  switch (roll) {
    case 0:
      return null
    case 1:
      return rng.bool()
    case 2:
      return randomNumber(rng)
    case 3:
    case 4:
      return randomString(rng, 24, huge)
    case 5:
      return rng.pick(['2025-01-15T10:30:00.000Z', 'not-a-date', '9999-99-99', '1970-01-01'])
    case 6:
      return Array.from({ length: rng.int(5) }, () => randomJson(rng, depth - 1, huge))
    default: {
      const object: Record<string, unknown> = {}
      for (let i = rng.int(6); i > 0; i--) object[randomKey(rng)] = randomJson(rng, depth - 1, huge)
      return object
    }
  }
}

/** JSON text: a serialised random value, or something that is only nearly JSON. */
function randomBodyText(rng: Rng): string {
  const roll = rng.int(12)
  if (roll === 0) return `${'['.repeat(5000)}${']'.repeat(5000)}`
  if (roll === 1) return `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`
  if (roll === 2) return '{"__proto__":{"admin":true},"title":"x"}'
  if (roll === 3) return '{"constructor":{"prototype":{"polluted":true}}}'
  if (roll === 4) return rng.pick(['{', '{"a":}', 'nul', '"\\ud800"', '[1,2', '\u0000', '{"a":1}{"b":2}', '1e99999'])
  if (roll === 5) return JSON.stringify(randomJson(rng, 1))
  return JSON.stringify(randomJson(rng, 6, true)) ?? 'null'
}

const CONTENT_TYPES = ['application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/json; charset=latin1', '', 'application/jsonx', 'APPLICATION/JSON']

function keyed(ctx: Context, contentType = 'application/json'): Record<string, string> {
  const headers: Record<string, string> = { 'x-api-key': ctx.secretKey }
  if (contentType !== '') headers['content-type'] = contentType
  return headers
}

function bodyCase(rng: Rng, ctx: Context): FuzzCase {
  const patch = rng.int(3) === 0
  const path = patch ? `/v1/data/${ctx.table}/${ctx.recordId}` : rng.bool() ? `/v1/data/${ctx.table}` : `/v1/${ctx.table}`
  const contentType = rng.int(4) === 0 ? rng.pick(CONTENT_TYPES) : 'application/json'
  return { kind: 'body', method: patch ? rng.pick(['PATCH', 'PUT']) : 'POST', path, headers: keyed(ctx, contentType), body: randomBodyText(rng), write: 'records' }
}

/** A sign-up or user creation whose fields are each plausible, odd or missing. */
function userCase(rng: Rng, ctx: Context): FuzzCase {
  const fields: Record<string, unknown> = {
    method: rng.pick<unknown>(['password', 'password', 'magic_link', 'magiclink', randomJson(rng, 1)]),
    email: rng.pick<unknown>([`u${rng.int(1_000_000)}@example.com`, `U${rng.int(1000)}@Example.COM`, 'not-an-email', 'a@b', ' a@example.com', `${'a'.repeat(300)}@example.com`, randomJson(rng, 1)]),
    password: rng.pick<unknown>(['Correct-Horse-9', 'short', 'password', '', 'x'.repeat(5000), randomJson(rng, 1)]),
    name: randomJson(rng, 1),
  }
  const body: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(fields)) if (rng.int(5) > 0) body[key] = value
  for (let i = rng.int(3); i > 0; i--) body[randomKey(rng)] = randomJson(rng, 2)
  const path = rng.pick(['/v1/users', '/v1/auth/email/signup'])
  return { kind: 'body', method: 'POST', path, headers: keyed(ctx, rng.int(6) === 0 ? rng.pick(CONTENT_TYPES) : 'application/json'), body: rng.int(6) === 0 ? randomBodyText(rng) : JSON.stringify(body), write: 'users' }
}

const OPERATORS = ['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$regex', '$options', '$exists', '$where', '$and', '$or', '$not', '$elemMatch', '$size', 'x']
const FIELDS = ['title', 'n', 'tags', 'meta.a', 'meta..a', 'createdAt', 'id', '__proto__', 'constructor.prototype', '', 'missing', 'a'.repeat(500)]

function randomCondition(rng: Rng, depth: number): unknown {
  if (depth <= 0 || rng.int(3) === 0) return randomJson(rng, 1)
  const condition: Record<string, unknown> = {}
  for (let i = 1 + rng.int(3); i > 0; i--) {
    const op = rng.pick(OPERATORS)
    condition[op] = op === '$regex' ? randomRegex(rng) : op === '$options' ? randomString(rng, 4) : rng.int(3) === 0 ? randomCondition(rng, depth - 1) : randomJson(rng, 2)
  }
  return condition
}

function randomFilters(rng: Rng): string {
  if (rng.int(8) === 0) return randomString(rng, 30)
  const object = (): Record<string, unknown> => {
    const filter: Record<string, unknown> = {}
    for (let i = rng.int(4); i > 0; i--) filter[rng.pick(FIELDS)] = randomCondition(rng, 3)
    return filter
  }
  return JSON.stringify(rng.int(4) === 0 ? Array.from({ length: rng.int(4) }, object) : object())
}

const PARAMS = ['andFilters', 'orFilters', 'sortBy', 'sortDirection', 'limit', 'page', 'offset', 'select', 'fields', 'search', 'searchType', 'andFilters[title]', 'orFilters[n]', 'filter', 'andFilters[]']

function queryValue(rng: Rng, param: string): string {
  if (param === 'andFilters' || param === 'orFilters') return randomFilters(rng)
  if (param === 'limit' || param === 'page' || param === 'offset') return rng.pick(['0', '-1', '1', '100', '101', '1e9', '9007199254740993', 'NaN', 'abc', '', '1.5', ' 2', '0x10', 'Infinity'])
  if (param === 'sortDirection') return rng.pick(['asc', 'desc', 'ASC', '', 'sideways'])
  if (param === 'select' || param === 'fields' || param === 'sortBy' || param === 'searchType') return Array.from({ length: rng.int(4) }, () => rng.pick(FIELDS)).join(rng.pick([',', ',,', ' , ']))
  return randomString(rng, 40)
}

function queryCase(rng: Rng, ctx: Context): FuzzCase {
  const params: string[] = []
  for (let i = 1 + rng.int(5); i > 0; i--) {
    const param = rng.pick(PARAMS)
    params.push(`${enc(param)}=${enc(queryValue(rng, param))}`)
  }
  if (rng.int(10) === 0) params.push(rng.pick(['%', '%zz', 'a=%E0%A4%A', '&&&', '=', 'limit', 'select[]=title&select[]=n']))
  const path = rng.bool() ? `/v1/data/${ctx.table}` : `/v1/data/${ctx.table}/${ctx.recordId}`
  return { kind: 'query', method: 'GET', path: `${path}?${params.join('&')}`, headers: keyed(ctx, '') }
}

const REGEXES = ['(a+)+$', '(a|a)*b', '(.*a){20}', '([a-z]+)*!', '(x+x+)+y', '^(a?){30}a{30}$', '(?<n>a)\\k<n>', '[', '(', '\\', '*', 'a{99999}', '(?=a)', '(?<!a)b', '\\p{L}', '.*'.repeat(50), 'a'.repeat(5000)]

export function randomRegex(rng: Rng): unknown {
  const roll = rng.int(10)
  if (roll === 0) return randomJson(rng, 1)
  if (roll < 3) return randomString(rng, 30)
  return rng.pick(REGEXES)
}

function regexCase(rng: Rng, ctx: Context): FuzzCase {
  const condition: Record<string, unknown> = { $regex: randomRegex(rng) }
  if (rng.bool()) condition.$options = rng.pick(['i', 'm', 's', 'ims', 'g', 'y', 'u', 'v', 'x', 'd', '', 'ii'])
  const filter = JSON.stringify({ [rng.pick(['title', 'tags', 'meta.a', 'n', 'id'])]: condition })
  return { kind: 'regex', method: 'GET', path: `/v1/data/${ctx.table}?${rng.bool() ? 'andFilters' : 'orFilters'}=${enc(filter)}`, headers: keyed(ctx, '') }
}

/** Percent-encodes text; a lone surrogate (which `encodeURIComponent` refuses) goes out as its invalid UTF-8 bytes. */
const enc = (value: string) => value.split(/([\ud800-\udfff])/u).map((part) => (/^[\ud800-\udfff]$/u.test(part) ? '%ED%A0%80' : encodeURIComponent(part))).join('')

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url')

/** A JWT that must be refused: malformed, `alg: none`, signed with a wrong key, expired, or with odd claims. */
export function randomJwt(rng: Rng): string {
  const header = rng.pick([{ alg: 'HS256', typ: 'JWT' }, { alg: 'none' }, { alg: 'RS256' }, { alg: 'HS512' }, { alg: 'none', typ: 'JWT' }, {}, { alg: 'HS256', kid: '../../etc/passwd' }])
  const now = Math.floor(Date.now() / 1000)
  const claims = rng.pick<unknown>([
    { sub: 'user', exp: now + 3600 },
    { sub: 'user', exp: now - 3600 },
    { sub: '__proto__', exp: 'never', iat: 'x' },
    { role: 'admin', tenantId: 'x', type: 'tenant' },
    randomJson(rng, 2),
    [],
    'string',
  ])
  const head = b64url(JSON.stringify(header))
  const body = b64url(JSON.stringify(claims) ?? 'null')
  const roll = rng.int(8)
  if (roll === 0) return `${head}.${body}.`
  if (roll === 1) return `${head}.${body}`
  if (roll === 2) return randomString(rng, 60)
  if (roll === 3) return `${head}.${body}.${randomString(rng, 20)}`
  if (roll === 4) return `${'a'.repeat(rng.int(3000))}.${'b'.repeat(rng.int(3000))}.c`
  if (roll === 5) return `${head}.!!!.${b64url('sig')}`
  return `${head}.${body}.${createHmac('sha256', 'not-the-emulator-key').update(`${head}.${body}`).digest('base64url')}`
}

function jwtCase(rng: Rng, ctx: Context): FuzzCase {
  const target = rng.pick([
    { method: 'GET', path: '/v1/auth/me' },
    { method: 'GET', path: `/v1/data/${ctx.table}` },
    { method: 'POST', path: `/v1/data/${ctx.table}` },
    { method: 'POST', path: '/mcp' },
    { method: 'GET', path: '/v1/files' },
    { method: 'POST', path: '/v1/auth/refresh' },
  ])
  const headers: Record<string, string> = { authorization: `${rng.pick(['Bearer ', 'bearer ', 'Bearer  ', 'Basic ', ''])}${randomJwt(rng)}`, 'content-type': 'application/json' }
  if (target.path !== '/mcp') headers['x-api-key'] = rng.bool() ? ctx.publishableKey : ctx.secretKey
  const body = target.path === '/mcp' ? JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) : target.method === 'POST' ? JSON.stringify({ title: 'jwt', refreshToken: randomJwt(rng) }) : undefined
  return { kind: 'jwt', ...target, headers, body, write: target.path.includes(ctx.table) ? 'records' : undefined }
}

const HOSTS = ['localhost', '127.0.0.1', 'evil.example', '', ' ', 'localhost:99999', '[::1]', 'a'.repeat(2000), 'localhost\t', 'xn--bcher-kva.example', '127.0.0.1:0', 'host with spaces', '%00']
const KEYS = (ctx: Context) => [ctx.publishableKey, ctx.secretKey, '', 'pk_', 'sk_', `${ctx.secretKey}x`, `${ctx.secretKey},${ctx.publishableKey}`, ctx.secretKey.toUpperCase(), 'x'.repeat(5000), ctx.tenantToken]

function headerCase(rng: Rng, ctx: Context): FuzzCase {
  const headers: Record<string, string> = {}
  if (rng.bool()) headers.host = rng.pick(HOSTS)
  if (rng.int(3) > 0) headers['x-api-key'] = rng.pick(KEYS(ctx))
  if (rng.bool()) headers.authorization = rng.pick(['Bearer', 'Bearer ', `Bearer ${ctx.tenantToken}`, `Basic ${b64url('a:b')}`, 'Negotiate x', `Bearer ${ctx.secretKey}`, randomString(rng, 40)])
  if (rng.bool()) headers['content-type'] = rng.pick(CONTENT_TYPES)
  if (rng.int(4) === 0) headers.origin = rng.pick(['null', 'http://evil.example', 'http://localhost', 'file://'])
  if (rng.int(4) === 0) headers['x-forwarded-host'] = rng.pick(HOSTS)
  const target = rng.pick([
    { method: 'GET', path: `/v1/data/${ctx.table}` },
    { method: 'POST', path: `/v1/data/${ctx.table}`, body: JSON.stringify({ title: 'header' }) },
    { method: 'GET', path: '/v1/auth/me' },
    { method: 'GET', path: '/v1/files' },
    { method: 'OPTIONS', path: `/v1/data/${ctx.table}` },
    { method: 'POST', path: '/v1/auth/email/signin', body: JSON.stringify({ method: 'password', email: 'a@b.c', password: 'x' }) },
  ])
  return { kind: 'header', ...target, headers, write: target.path.includes(ctx.table) ? 'records' : undefined }
}

const MCP_METHODS = ['initialize', 'tools/list', 'tools/call', 'resources/list', 'resources/read', 'prompts/list', 'ping', 'notifications/initialized', 'logging/setLevel', 'completion/complete', '', 'x', '__proto__', 'rpc.discover']
/** Real tool names, so that calls reach the tools' argument checks; none that deletes the project, an environment or a table, or revokes a token, which would end the run's coverage. */
const TOOLS = [
  'get_context',
  'search_docs',
  'backend_org_list',
  'backend_project_list',
  'backend_project_get',
  'backend_project_update',
  'backend_env_list',
  'backend_env_create',
  'backend_table_list',
  'backend_table_get',
  'backend_table_create',
  'backend_table_update',
  'backend_field_manage',
  'backend_index_manage',
  'backend_schema_version_list',
  'backend_data_list',
  'backend_data_get',
  'backend_data_create',
  'backend_data_update',
  'backend_data_delete',
  'backend_access_token_list',
  'backend_auth_config_get',
  'backend_auth_config_update',
  'backend_email_template_preview',
  '__proto__',
  'x',
]
const ARGUMENT_KEYS = ['tableId', 'id', 'projectId', 'environment', 'body', 'tableName', 'schema', 'fieldsToAddOrUpdate', 'andFilters', 'query', 'page', 'limit', 'name', 'passwordPolicy']

/** Tool arguments: mostly the names tools take, with the ids of the run's project and MCP table or random values. */
function toolArguments(rng: Rng, ctx: Context): unknown {
  if (rng.int(6) === 0) return randomJson(rng, 3)
  const args: Record<string, unknown> = {}
  // The ids most tools require, usually right, so that most calls get past "is required".
  if (rng.int(3) > 0) args.tableId = ctx.mcpTableId
  if (rng.int(3) > 0) args.projectId = ctx.projectId
  if (rng.bool()) args.environment = 'dev'
  for (let i = rng.int(4); i > 0; i--) {
    const key = rng.int(8) === 0 ? randomKey(rng) : rng.pick(ARGUMENT_KEYS)
    if (key === 'tableId') args[key] = rng.int(3) === 0 ? randomJson(rng, 1) : rng.bool() ? ctx.mcpTableId : '0'.repeat(24)
    else if (key === 'projectId') args[key] = rng.int(3) === 0 ? randomJson(rng, 1) : ctx.projectId
    else if (key === 'environment') args[key] = rng.bool() ? 'dev' : randomJson(rng, 1)
    else args[key] = randomJson(rng, key === 'body' || key === 'schema' ? 5 : 2)
  }
  return args
}

function rpcMessage(rng: Rng, ctx: Context): unknown {
  const roll = rng.int(10)
  if (roll === 0) return randomJson(rng, 2)
  // A response from the client (to a server request that never was): Streamable HTTP answers it 202 with no body.
  if (roll === 1) return rng.bool() ? { jsonrpc: '2.0', id: rng.int(10), result: randomJson(rng, 2) } : { jsonrpc: '2.0', id: rng.int(10), error: { code: rng.int(100) - 50, message: randomString(rng) } }
  const message: Record<string, unknown> = { jsonrpc: rng.int(10) === 0 ? rng.pick(['1.0', 2, null]) : '2.0', method: rng.int(3) === 0 ? 'tools/call' : rng.pick(MCP_METHODS) }
  if (rng.int(5) > 0) message.id = rng.pick<unknown>([1, 'a', null, 0, -1, 1.5, {}, [], 'x'.repeat(300)])
  if (message.method === 'tools/call' && rng.int(4) > 0) message.params = { name: rng.pick(TOOLS), arguments: toolArguments(rng, ctx) }
  else if (rng.bool()) message.params = randomJson(rng, 3)
  return message
}

function mcpCase(rng: Rng, ctx: Context): FuzzCase {
  const headers: Record<string, string> = { authorization: `Bearer ${ctx.tenantToken}`, 'content-type': 'application/json', accept: rng.pick(['application/json, text/event-stream', 'application/json', 'text/event-stream', '*/*']) }
  if (rng.int(5) > 0) headers['mcp-session-id'] = rng.int(8) === 0 ? randomString(rng, 30) : ctx.mcpSession
  if (rng.int(6) === 0) headers['mcp-protocol-version'] = rng.pick(['2025-06-18', '2025-03-26', '2024-11-05', '1999-01-01', ''])
  const body = rng.int(5) === 0 ? JSON.stringify(Array.from({ length: rng.int(5) }, () => rpcMessage(rng, ctx))) : rng.int(12) === 0 ? randomBodyText(rng) : JSON.stringify(rpcMessage(rng, ctx))
  const method = rng.pick(['DELETE', 'GET', ...Array<string>(13).fill('POST')])
  return { kind: 'mcp', method, path: '/mcp', headers, body: method === 'GET' ? undefined : body }
}

/** A well-formed tool call in the live session, so that the arguments reach the tool's own checks and its code. */
function toolCase(rng: Rng, ctx: Context): FuzzCase {
  const headers = { authorization: `Bearer ${ctx.tenantToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': ctx.mcpSession }
  const body = JSON.stringify({ jsonrpc: '2.0', id: rng.int(1000), method: 'tools/call', params: { name: rng.pick(TOOLS), arguments: toolArguments(rng, ctx) } })
  return { kind: 'mcp', method: 'POST', path: '/mcp', headers, body }
}

const TRAVERSALS = ['..', 'a'.repeat(150), '../..', '%2e%2e', '%2e%2e%2f', '..%2f..%2f', '..%5c..%5c', '%252e%252e%252f', '....//', '..;/', '%c0%ae%c0%ae/', '\u0000', '%00', '/etc/passwd', 'C:\\Windows', '.', '//', 'a/../../b', '~', '%2F']

function traversal(rng: Rng): string {
  return Array.from({ length: 1 + rng.int(4) }, () => rng.pick(TRAVERSALS)).join(rng.pick(['/', '', '%2f'])) + rng.pick(['', '/secret.txt', 'secret.txt', '/runtime.json', '/..'])
}

function pathCase(rng: Rng, ctx: Context): FuzzCase {
  const t = traversal(rng)
  const target = rng.pick([
    { method: 'GET', path: `/_emulator/storage/download/${t}` },
    { method: 'GET', path: `/_emulator/storage/public/${t}` },
    { method: 'GET', path: `/_emulator/img/${t}?w=10` },
    { method: 'PUT', path: `/_emulator/storage/upload/${t}`, body: 'bytes' },
    { method: 'GET', path: `/v1/files/${t}` },
    { method: 'GET', path: `/v1/files/${t}/download-url` },
    { method: 'POST', path: '/v1/files/presigned-url', body: JSON.stringify({ filename: t, contentType: 'text/plain', bucket: rng.bool() ? t : undefined }) },
    { method: 'POST', path: '/v1/files', body: JSON.stringify({ s3Key: t, originalName: t, mimeType: 'text/plain', size: 5 }) },
    { method: 'GET', path: `/v1/data/${t}` },
  ])
  const write = target.path === '/v1/files' || target.method === 'PUT' ? 'files' : undefined
  return { kind: 'path', ...target, headers: keyed(ctx, target.body ? 'application/json' : ''), write }
}

const GENERATORS = [bodyCase, queryCase, regexCase, headerCase, jwtCase, mcpCase, pathCase, toolCase, userCase]

/** The `index`-th case of a run: each case has its own PRNG stream, so one case replays alone from (seed, index). */
export function generateCase(seed: number, index: number, ctx: Context): FuzzCase {
  const rng = new Rng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0)
  return (GENERATORS[index % GENERATORS.length] as (typeof GENERATORS)[number])(rng, ctx)
}
