import { randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { Client } from 'undici'
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'
import { generateCase, type Context, type FuzzCase } from './generators.js'

export interface FuzzOptions {
  seed: number
  cases: number
  /** The index of the first case: a failure at index i replays alone with `first: i, cases: 1`. */
  first?: number
  /** The longest `/_emulator/health` may take while a case is in flight. */
  healthBoundMs: number
}

export interface FuzzFailure {
  index: number
  kind: FuzzCase['kind']
  method: string
  path: string
  status?: number
  problem: string
}

export interface FuzzReport {
  sent: number
  /** Cases the HTTP client itself refused to send (e.g. a control character in a header): nothing reached the emulator. */
  unsendable: number
  statuses: Record<string, number>
  maxHealthMs: number
  durationMs: number
  failures: FuzzFailure[]
}

interface Reply {
  status: number
  contentType: string
  text: string
}

const excerpt = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}…` : text)

/** Errors undici raises before anything is sent: the case is impossible on the wire, not a defect of the emulator. */
const UNSENDABLE = new Set(['UND_ERR_INVALID_ARG', 'ERR_INVALID_CHAR', 'ERR_INVALID_HTTP_TOKEN', 'ERR_INVALID_URL'])

/** A case unanswered for this long counts as a hang. */
const REPLY_TIMEOUT_MS = 5000

/** Header values HTTP can carry (RFC 9110 field-value); the client is not asked to send others. */
const SENDABLE_HEADER = /^[\t\x20-\x7e\x80-\xff]*$/

/**
 * One exchange on a single-connection client. Not a Pool: undici's Pool counts a connection busy for ever once it has
 * refused a request it cannot send (an invalid path or header), and a request queued behind busy connections ignores
 * its abort signal, so a run with four such cases hung. The signal bounds the body too; an event stream (which a
 * server may legitimately hold open) is judged by its head alone.
 */
async function send(client: Client, c: Pick<FuzzCase, 'method' | 'path' | 'headers' | 'body'>): Promise<Reply> {
  const response = await client.request({ method: c.method as 'GET', path: c.path, headers: c.headers, body: c.body, signal: AbortSignal.timeout(REPLY_TIMEOUT_MS) })
  const contentType = String(response.headers['content-type'] ?? '')
  if (contentType.startsWith('text/event-stream')) {
    response.body.destroy()
    return { status: response.statusCode, contentType, text: '' }
  }
  return { status: response.statusCode, contentType, text: await response.body.text() }
}

/** Why a refused (4xx) reply is not a proper error, or null: REST answers the error envelope, `/mcp` a JSON-RPC error. */
function envelopeProblem(c: FuzzCase, reply: Reply): string | null {
  if (reply.status === 204 || (c.method === 'DELETE' && c.path === '/mcp' && reply.text === '')) return null
  let body: { success?: unknown; statusCode?: unknown; jsonrpc?: unknown; error?: { code?: unknown; message?: unknown } }
  try {
    body = JSON.parse(reply.text) as typeof body
  } catch {
    return `a ${reply.status} whose body is not JSON: ${excerpt(reply.text)}`
  }
  if (c.path === '/mcp') {
    const ok = body.jsonrpc === '2.0' && typeof body.error?.code === 'number' && typeof body.error.message === 'string'
    return ok ? null : `a ${reply.status} without a JSON-RPC error: ${excerpt(reply.text)}`
  }
  const ok = body.success === false && body.statusCode === reply.status && typeof body.error?.code === 'string' && typeof body.error.message === 'string'
  return ok ? null : `a ${reply.status} without the error envelope: ${excerpt(reply.text)}`
}

/** The newest MCP protocol version with JSON-RPC batches, so that batch cases reach the batch handling. */
const BATCHING_VERSION = '2025-03-26'

/** A new MCP session of the tenant: the suite's DELETE /mcp cases end the one in use. */
async function openMcpSession(client: Client, tenantToken: string): Promise<string> {
  const init = await client.request({
    method: 'POST',
    path: '/mcp',
    headers: { authorization: `Bearer ${tenantToken}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: BATCHING_VERSION, capabilities: {}, clientInfo: { name: 'fuzz', version: '1' } } }),
  })
  await init.body.text()
  const session = init.headers['mcp-session-id']
  if (typeof session !== 'string') throw new Error(`MCP initialize gave no session (status ${init.statusCode})`)
  return session
}

/** Why an MCP reply hides an internal failure behind a 2xx (a JSON-RPC -32603, a tool's INTERNAL_ERROR), or null. */
function mcpInternalError(reply: Reply): string | null {
  let body: unknown
  try {
    body = JSON.parse(reply.text)
  } catch {
    return null
  }
  type Response = { error?: { code?: unknown }; result?: { isError?: unknown; content?: Array<{ text?: unknown }> } }
  for (const response of (Array.isArray(body) ? body : [body]) as Response[]) {
    if (response?.error?.code === -32603) return `a JSON-RPC internal error: ${excerpt(reply.text)}`
    const texts = response?.result?.isError === true ? (response.result.content ?? []).map((part) => String(part.text)) : []
    if (texts.some((text) => text.includes('INTERNAL_ERROR'))) return `a tool's internal error: ${excerpt(texts.join(' '))}`
  }
  return null
}

async function setUp(emu: TestEmulator, client: Client): Promise<Context> {
  const secretKey = emu.seed.environment.secretKey
  const table = 'fuzzed'
  await emu.core.tables.create(emu.actor, {
    projectId: emu.seed.projectId,
    environment: 'dev',
    tableName: table,
    schema: { title: { type: 'string', maxLength: 100 }, n: { bsonType: 'int', minimum: 0 }, tags: { type: 'array' }, meta: { type: 'object' } },
  })
  const mcpTable = await emu.core.tables.create(emu.actor, { projectId: emu.seed.projectId, environment: 'dev', tableName: 'mcp', schema: { title: { type: 'string' } } })
  const json = { 'x-api-key': secretKey, 'content-type': 'application/json' }
  const created = await send(client, { method: 'POST', path: `/v1/data/${table}`, headers: json, body: JSON.stringify({ title: 'seed', n: 1, tags: ['a'], meta: { a: 'b' } }) })
  if (created.status !== 201) throw new Error(`seeding the fuzzed table failed: ${created.text}`)
  const mcpSession = await openMcpSession(client, emu.seed.tenantToken)
  return { table, recordId: (JSON.parse(created.text) as { id: string }).id, secretKey, publishableKey: emu.seed.environment.publishableKey, tenantToken: emu.seed.tenantToken, mcpSession, projectId: emu.seed.projectId, mcpTableId: mcpTable.id }
}

/**
 * Sends `cases` seeded cases to an in-process emulator over real HTTP and checks, for each: no 5xx, a proper error on a
 * 4xx, the emulator still answering, a refused write leaving the table as it was, no reply leaking a file of the
 * data directory, and `/_emulator/health` answering within the bound while the case is in flight.
 */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const emu = await startEmulator()
  // The probe has its own connection, so its time measures the emulator, not a wait behind the case in flight.
  const wire = new Client(emu.url, { pipelining: 1 })
  const prober = new Client(emu.url, { pipelining: 1 })
  const sentinel = `sentinel-${randomBytes(12).toString('hex')}`
  await writeFile(join(emu.dataDir, 'secret.txt'), sentinel)
  const report: FuzzReport = { sent: 0, unsendable: 0, statuses: {}, maxHealthMs: 0, durationMs: 0, failures: [] }
  const started = performance.now()
  try {
    const ctx = await setUp(emu, wire)
    const keyed = { 'x-api-key': ctx.secretKey }
    const totalOf = async (path: string) => (JSON.parse((await send(wire, { method: 'GET', path: `${path}?limit=1`, headers: keyed })).text) as { pagination: { total: number } }).pagination.total
    const totals = { records: `/v1/data/${ctx.table}`, files: '/v1/files', users: '/v1/users' } as const
    const record = async () => (await send(wire, { method: 'GET', path: `/v1/data/${ctx.table}/${ctx.recordId}`, headers: keyed })).text
    const expected = { records: await totalOf(totals.records), files: await totalOf(totals.files), users: await totalOf(totals.users) }
    let expectedRecord = await record()
    const probe = async () => {
      const t0 = performance.now()
      await send(prober, { method: 'GET', path: '/_emulator/health', headers: {} })
      return performance.now() - t0
    }
    const first = options.first ?? 0
    for (let index = first; index < first + options.cases; index++) {
      const c = generateCase(options.seed, index, ctx)
      const fail = (problem: string, status?: number) => report.failures.push({ index, kind: c.kind, method: c.method, path: excerpt(c.path), status, problem })
      if (!Object.values(c.headers).every((value) => SENDABLE_HEADER.test(value))) {
        report.unsendable++
        continue
      }
      const probing = probe()
      let reply: Reply
      try {
        reply = await send(wire, c)
      } catch (error) {
        await probing
        const code = (error as { code?: string }).code ?? ''
        if (UNSENDABLE.has(code)) {
          report.unsendable++
          continue
        }
        fail(`no reply: ${code} ${(error as Error).message}`)
        continue
      }
      const healthMs = await probing
      report.sent++
      report.maxHealthMs = Math.max(report.maxHealthMs, healthMs)
      report.statuses[String(reply.status)] = (report.statuses[String(reply.status)] ?? 0) + 1
      if (healthMs > options.healthBoundMs) fail(`/_emulator/health took ${healthMs.toFixed(0)} ms`, reply.status)
      if (reply.status >= 500) fail(`a ${reply.status}: ${excerpt(reply.text)}`, reply.status)
      else if (reply.status >= 400) {
        const problem = envelopeProblem(c, reply)
        if (problem) fail(problem, reply.status)
      }
      const hidden = c.path === '/mcp' && reply.status < 400 ? mcpInternalError(reply) : null
      if (hidden) fail(hidden, reply.status)
      if (reply.text.includes(sentinel)) fail('the reply holds a file of the data directory', reply.status)
      // Without a live session every later MCP case would stop at the session check.
      if (c.path === '/mcp' && c.method === 'DELETE' && reply.status === 204) ctx.mcpSession = await openMcpSession(wire, ctx.tenantToken)
      if (!c.write) continue
      const now = await totalOf(totals[c.write])
      const grown = now - expected[c.write]
      // A refusal leaves everything as it was; a 201 creates one (a sign-up by magic link creates no user until used).
      const allowed = reply.status >= 400 ? [0] : reply.status !== 201 ? [0] : c.write === 'users' ? [0, 1] : [1]
      if (!allowed.includes(grown)) fail(`${c.write} went from ${expected[c.write]} to ${now} on a ${reply.status}`, reply.status)
      expected[c.write] = now
      if (c.write === 'records' && (c.method === 'PATCH' || c.method === 'PUT')) {
        const after = await record()
        if (reply.status >= 400 && after !== expectedRecord) fail('a refused update changed the record', reply.status)
        expectedRecord = after
      }
    }
    const health = await send(prober, { method: 'GET', path: '/_emulator/health', headers: {} })
    if (health.status !== 200) report.failures.push({ index: first + options.cases, kind: 'body', method: 'GET', path: '/_emulator/health', status: health.status, problem: 'the emulator stopped answering' })
  } finally {
    report.durationMs = performance.now() - started
    await Promise.all([wire.destroy(), prober.destroy()])
    await emu.dispose()
  }
  return report
}
