/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are JSON checked by chai assertions, not typed */
import { expect } from 'chai'
import { createHash } from 'node:crypto'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { startEmulator } from '../helpers/emulator.js'
import { spawnEmulator, type EmulatorProcess } from '../helpers/emulator-process.js'
import { tempDir } from '../helpers/tmp.js'

/** Kill cycles; `CRASH_CYCLES=200 npm run crash` runs a longer loop. */
const CYCLES = Number(process.env.CRASH_CYCLES ?? 5)
/** Compactions start many times a cycle and each holds ~300 ms per snapshot chunk, so most kills land inside one. */
const SLOW_COMPACTIONS = { compactMinBytes: 4 * 1024, snapshotDelayMs: 300 }
const WORKERS = 8
const TABLE = 'crashes'

type Reply = { status: number; body: any } | 'no answer'

/**
 * What the emulator acknowledged, refused, or never answered. A write with a 2xx must survive with its last
 * acknowledged value, a refused one must have changed nothing; one without an answer may have happened or not, and
 * the next check adopts whichever the emulator shows (if it is one of those two).
 */
interface Ledger {
  /** Acknowledged records: id -> the values it may hold (one when certain); `null` among them: may be deleted. */
  records: Map<string, Set<number | null>>
  /** Acknowledged deletes. */
  deleted: Set<string>
  /** Inserts without an answer (tag -> value) and refused inserts (tags). */
  pendingInserts: Map<string, number>
  refusedInserts: Set<string>
  users: { acked: Map<string, string>; pending: Set<string>; refused: Set<string> }
  files: Map<string, { key: string; sha: string; size: number }>
}

const sha = (bytes: Buffer | Uint8Array) => createHash('sha256').update(bytes).digest('hex')
const pick = <T>(items: T[]): T | undefined => items[Math.floor(Math.random() * items.length)]

function client(emu: EmulatorProcess) {
  const { url } = emu.ready
  const env = emu.ready.environments[0]!
  return async (method: string, path: string, body?: unknown, key = env.secretKey): Promise<Reply> => {
    try {
      const res = await fetch(url + path, { method, headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
      const text = await res.text()
      return { status: res.status, body: text ? JSON.parse(text) : undefined }
    } catch {
      return 'no answer'
    }
  }
}

const ok = (reply: Reply): reply is { status: number; body: any } => reply !== 'no answer' && reply.status >= 200 && reply.status < 300
const refused = (reply: Reply) => reply !== 'no answer' && reply.status >= 400

/** Mixed writes from `WORKERS` concurrent clients until `stopped()`; every outcome goes into the ledger. */
async function load(emu: EmulatorProcess, ledger: Ledger, cycle: number, stopped: () => boolean): Promise<number> {
  const call = client(emu)
  const pk = emu.ready.environments[0]!.publishableKey
  let seq = 0
  let writes = 0
  // One write at a time per record, so the ledger knows which of two racing writes came last.
  const busy = new Set<string>()
  const certain = () => [...ledger.records].filter(([id, values]) => values.size === 1 && !values.has(null) && !busy.has(id)).map(([id]) => id)
  const claim = (): string | undefined => {
    const id = pick(certain())
    if (id) busy.add(id)
    return id
  }
  async function step(): Promise<void> {
    const n = seq++
    const tag = `c${cycle}-${n}`
    const roll = Math.random()
    if (roll < 0.3) {
      const v = n + cycle * 100_000
      ledger.pendingInserts.set(tag, v)
      const reply = await call('POST', `/v1/data/${TABLE}`, { tag, v, pad: 'p'.repeat(n % 300) })
      if (ok(reply)) {
        ledger.pendingInserts.delete(tag)
        ledger.records.set(reply.body.id, new Set([v]))
      } else if (refused(reply)) throw new Error(`insert refused: ${JSON.stringify(reply)}`)
    } else if (roll < 0.4) {
      // Invalid (v below the schema's minimum): refused, and must leave nothing behind.
      const reply = await call('POST', `/v1/data/${TABLE}`, { tag, v: -1 })
      if (refused(reply)) ledger.refusedInserts.add(tag)
      else if (reply !== 'no answer') throw new Error(`invalid insert accepted: ${JSON.stringify(reply)}`)
    } else if (roll < 0.6) {
      const id = claim()
      if (!id) return
      const v = n + cycle * 100_000
      const values = ledger.records.get(id)!
      values.add(v)
      const reply = await call('PATCH', `/v1/data/${TABLE}/${id}`, { v })
      busy.delete(id)
      if (ok(reply)) ledger.records.set(id, new Set([v]))
      else if (refused(reply)) throw new Error(`update refused: ${JSON.stringify(reply)}`)
    } else if (roll < 0.65) {
      const id = claim()
      if (!id) return
      const reply = await call('PATCH', `/v1/data/${TABLE}/${id}`, { v: -5 })
      busy.delete(id)
      if (!refused(reply) && reply !== 'no answer') throw new Error(`invalid update accepted: ${JSON.stringify(reply)}`)
    } else if (roll < 0.75) {
      const id = claim()
      if (!id) return
      ledger.records.get(id)!.add(null)
      const reply = await call('DELETE', `/v1/data/${TABLE}/${id}`)
      busy.delete(id)
      if (ok(reply)) {
        ledger.records.delete(id)
        ledger.deleted.add(id)
      } else if (refused(reply)) throw new Error(`delete refused: ${JSON.stringify(reply)}`)
    } else if (roll < 0.87) {
      const email = `${tag}@crash.test`
      const weak = roll > 0.84
      ledger.users.pending.add(email)
      const reply = await call('POST', '/v1/auth/email/signup', { method: 'password', email, password: weak ? 'x' : 'Str0ng-Passw0rd!' }, pk)
      if (reply !== 'no answer') ledger.users.pending.delete(email)
      if (ok(reply) && !weak) ledger.users.acked.set(email, reply.body.user.id)
      else if (refused(reply) && weak) ledger.users.refused.add(email)
      else if (reply !== 'no answer') throw new Error(`sign-up (${weak ? 'weak' : 'strong'} password): ${JSON.stringify(reply)}`)
    } else {
      const bytes = Buffer.from(`${tag} `.repeat(1 + (n % 200)))
      const issued = await call('POST', '/v1/files/presigned-url', { filename: `${tag}.txt`, contentType: 'text/plain', visibility: 'public' })
      if (!ok(issued)) return
      const put = await fetch(issued.body.url, { method: 'PUT', body: bytes }).catch(() => undefined)
      if (put?.status !== 200) return
      const reply = await call('POST', '/v1/files', { s3Key: issued.body.key, originalName: `${tag}.txt`, mimeType: 'text/plain', size: bytes.length, visibility: 'public' })
      if (ok(reply)) ledger.files.set(reply.body.id, { key: issued.body.key, sha: sha(bytes), size: bytes.length })
    }
    writes++
  }
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      while (!stopped()) await step()
    }),
  )
  return writes
}

async function listAll(call: ReturnType<typeof client>, path: string): Promise<any[]> {
  const items: any[] = []
  for (let page = 1; ; page++) {
    const reply = await call('GET', `${path}${path.includes('?') ? '&' : '?'}limit=100&page=${page}`)
    if (!ok(reply)) throw new Error(`${path}: ${JSON.stringify(reply)}`)
    items.push(...reply.body.items)
    if (reply.body.items.length < 100) return items
  }
}

/** Checks the restarted emulator against the ledger, then settles what had no answer to what it shows. */
async function check(emu: EmulatorProcess, ledger: Ledger): Promise<void> {
  const call = client(emu)
  const rows = new Map((await listAll(call, `/v1/data/${TABLE}?sortBy=id&sortDirection=asc`)).map((r) => [r.id as string, r]))
  for (const [id, values] of ledger.records) {
    const row = rows.get(id)
    if (!row) expect(values.has(null), `acknowledged record ${id} (v ${[...values].join('|')}) is gone`).to.equal(true)
    else expect([...values], `record ${id} holds v ${row.v}`).to.include(row.v)
    if (row) ledger.records.set(id, new Set([row.v]))
    else ledger.records.delete(id)
  }
  for (const id of ledger.deleted) expect(rows.has(id), `deleted record ${id} is back`).to.equal(false)
  for (const row of rows.values()) {
    if (ledger.records.has(row.id)) continue
    expect(ledger.refusedInserts.has(row.tag), `refused insert ${row.tag} was stored`).to.equal(false)
    expect(ledger.pendingInserts.get(row.tag), `record ${row.id} (${row.tag}) was never written`).to.equal(row.v)
    ledger.records.set(row.id, new Set([row.v]))
  }
  ledger.pendingInserts.clear()

  const users = new Map((await listAll(call, '/v1/users?search=crash.test')).map((u) => [u.email as string, u.id as string]))
  for (const [email, id] of ledger.users.acked) expect(users.get(email), `acknowledged sign-up ${email}`).to.equal(id)
  for (const email of users.keys()) {
    expect(ledger.users.refused.has(email), `refused sign-up ${email} was stored`).to.equal(false)
    if (ledger.users.pending.has(email)) ledger.users.acked.set(email, users.get(email)!)
    expect(ledger.users.acked.has(email), `user ${email} was never signed up`).to.equal(true)
  }
  ledger.users.pending.clear()

  for (const [id, file] of ledger.files) {
    const meta = await call('GET', `/v1/files/${id}`)
    expect(ok(meta) && meta.body.size, `acknowledged file ${id}`).to.equal(file.size)
    const bytes = await fetch(`${emu.ready.url}/_emulator/storage/public/${file.key}`)
    expect(bytes.status, `bytes of file ${id}`).to.equal(200)
    expect(sha(Buffer.from(await bytes.arrayBuffer())), `bytes of file ${id}`).to.equal(file.sha)
  }
}

/** Whether a compaction was under way at the kill: it left a sealed journal segment or a snapshot's temp file. */
async function compactionLeftovers(dir: string): Promise<boolean> {
  return (await readdir(join(dir, 'db'))).some((name) => /\.journal\.\d+$|\.tmp$/.test(name))
}

describe('durability: crash loop (kill -9 under mixed load, compactions included)', function () {
  this.timeout(30_000 + CYCLES * 10_000)

  it(`keeps every acknowledged write and none of the refused ones across ${CYCLES} SIGKILL cycles`, async () => {
    const { dir, cleanup } = await tempDir()
    const ledger: Ledger = { records: new Map(), deleted: new Set(), pendingInserts: new Map(), refusedInserts: new Set(), users: { acked: new Map(), pending: new Set(), refused: new Set() }, files: new Map() }
    try {
      const setup = await startEmulator({ dataDir: dir })
      await setup.core.tables.create(setup.actor, { projectId: setup.seed.projectId, environment: 'dev', tableName: TABLE, schema: { tag: { type: 'string', required: true }, v: { bsonType: 'int', minimum: 0 }, pad: { type: 'string' } } })
      await setup.stop()
      let writes = 0
      let killedInCompaction = 0
      for (let cycle = 1; cycle <= CYCLES; cycle++) {
        const emu = await spawnEmulator(dir, SLOW_COMPACTIONS)
        await check(emu, ledger)
        let stopped = false
        const running = load(emu, ledger, cycle, () => stopped)
        running.catch(() => undefined) // awaited below, after the kill
        await new Promise((r) => setTimeout(r, 200 + Math.random() * 600))
        stopped = true
        await emu.kill()
        writes += await running
        if (await compactionLeftovers(dir)) killedInCompaction++
      }
      const last = await spawnEmulator(dir, SLOW_COMPACTIONS)
      try {
        await check(last, ledger)
      } finally {
        await last.kill()
      }
      expect(writes).to.be.greaterThan(CYCLES * 20)
      expect(ledger.records.size).to.be.greaterThan(0)
      expect(ledger.users.acked.size).to.be.greaterThan(0)
      expect(ledger.files.size).to.be.greaterThan(0)
      if (process.env.CRASH_CYCLES) console.log(`    ${CYCLES} cycles, ${writes} writes, ${killedInCompaction} kills inside a compaction`)
    } finally {
      await cleanup()
    }
  })
})
