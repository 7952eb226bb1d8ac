// The scaling table (issue 18 §1): the same operations at 1,000 to 1,000,000 records, each throughput row against
// bare node:http serving the same bytes in the same run, rounds alternated, medians reported.
import { spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { access, cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ReadyEvent } from '../src/contract/emulator.js'
import { seed } from './data.js'
import type { Row } from './foundation.js'
import { BIN, ROOT, againstBare, median, medianRound, ratio, roundSpread, rssMb, runMeasured, spawnReady, stopChild, tempDataDir, type LoadOptions, type Round } from './lib.js'

/**
 * Bump when the generated records or the store's snapshot format change: cached data directories are keyed by it
 * (2: snapshots in lines, so every round starts the way a data dir does after its first compaction).
 */
const GENERATOR_VERSION = 2
const CACHE = join(ROOT, 'bench', '.cache')
/** `BENCH_SCALE_SIZES=1000,10000` for a quick run. */
const SIZES = (process.env.BENCH_SCALE_SIZES ?? '1000,10000,100000,1000000').split(',').map((s) => Number(s.trim()))
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3))
const SAMPLE_IDS = 5000

const n = (count: number) => count.toLocaleString('en-US')

/**
 * A data directory with `count` records of the data suite's shape (~200 bytes each as stored, `category` indexed),
 * built once through the store in process and kept under bench/.cache; rounds run on copies of it, so the POSTs of
 * one round never change what the next one starts from.
 */
export async function cachedDataDir(count: number): Promise<{ dir: string; ids: string[] }> {
  const base = join(CACHE, `scale-v${GENERATOR_VERSION}-${count}`)
  const dir = join(base, 'data')
  const idsFile = join(base, 'ids.json')
  const ready = await access(idsFile).then(() => true, () => false)
  if (!ready) {
    process.stderr.write(`  building a data directory of ${n(count)} records (kept in bench/.cache for later runs)…\n`)
    await rm(base, { recursive: true, force: true })
    await mkdir(base, { recursive: true })
    const building = join(base, 'building')
    const { ids } = await seed(count, building)
    await rename(building, dir)
    // the ids file is written last: its presence says the directory is complete
    await writeFile(idsFile, JSON.stringify(Array.from({ length: Math.min(SAMPLE_IDS, ids.length) }, (_, i) => ids[(i * 7919) % ids.length])))
  }
  return { dir, ids: JSON.parse(await readFile(idsFile, 'utf8')) as string[] }
}

async function ndjsonRows(count: number): Promise<string> {
  const path = join(CACHE, `import-v${GENERATOR_VERSION}-${count}.ndjson`)
  if (await access(path).then(() => true, () => false)) return path
  const partial = `${path}.partial`
  const out = createWriteStream(partial)
  for (let i = 0; i < count; i++) {
    const line = JSON.stringify({ title: `Post number ${i}`, category: `c${i % 50}`, score: i, published: i % 2 === 0 }) + '\n'
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()))
  }
  await new Promise<void>((resolve) => out.end(() => resolve()))
  await rename(partial, path)
  return path
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) =>
    spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: 'ignore' }).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bkend ${args.join(' ')} exited ${code}`)))),
  )
}

/** `bkend data import` of `count` NDJSON rows into an empty table of a fresh `bkend dev`: rows/s and the CLI's peak RSS. */
async function importRun(count: number): Promise<{ rowsPerSecond: number; wallMs: number; peakMb: number }> {
  const file = await ndjsonRows(count)
  const dir = await tempDataDir()
  const dev = await spawnReady<ReadyEvent>([BIN, 'dev', '--json', '--port', '0', '--data-dir', dir])
  try {
    const env = { BKEND_DATA_DIR: dir, XDG_CONFIG_HOME: join(dir, 'config') }
    await run(['tables', 'create', 'posts', '--field', 'title:string!', '--field', 'category:string', '--field', 'score:number', '--field', 'published:boolean', '--json'], env)
    const measured = await runMeasured([BIN, 'data', 'import', 'posts', file, '--json'], env)
    const result = JSON.parse(measured.stdout) as { rows: { written: number }; rowsPerSecond: number }
    if (result.rows.written !== count) throw new Error(`imported ${result.rows.written} of ${count}`)
    return { rowsPerSecond: result.rowsPerSecond, wallMs: measured.ms, peakMb: measured.peakMb }
  } finally {
    await stopChild(dev.child)
    await rm(dir, { recursive: true, force: true })
  }
}

interface Operation {
  name: string
  /** The request measured: a path (or paths) on the emulator, or a POST. */
  path: (count: number) => string
  paths?: string[]
  post?: boolean
  connections: (count: number) => number
  target: (count: number) => string
  rounds: Round[]
  /** Also measure the framework floor (the rows whose target is a ratio to bare). */
  floor?: boolean
}

export async function scale(seconds: number): Promise<Row[]> {
  const rows: Row[] = []
  const bare = await spawnReady<{ url: string }>([join(ROOT, 'bench', 'baseline-server.mjs')])
  const floor = await spawnReady<{ url: string }>([join(ROOT, 'bench', 'baseline-fastify.mjs')])
  const postBody = JSON.stringify({ title: 'Benchmark post', category: 'c1', score: 5, published: true })
  const perSize = new Map<number, { byId: Round; post: Round }>()
  try {
    for (const count of SIZES) {
      process.stderr.write(`  ${n(count)} records\n`)
      const { dir: cached, ids } = await cachedDataDir(count)
      const filter = (f: unknown) => `/v1/data/posts?limit=20&andFilters=${encodeURIComponent(JSON.stringify(f))}`
      const ops: Operation[] = [
        { name: 'GET /v1/data/posts/:id (rotating ids)', path: () => `/v1/data/posts/${ids[0]}`, paths: ids.map((id) => `/v1/data/posts/${id}`), connections: () => 50, target: () => '≥ 75 %, p99 ≤ 5 ms', rounds: [], floor: true },
        { name: 'filtered page on an indexed field (`category`, 1 in 50 match)', path: () => filter({ category: 'c7' }), connections: () => 50, target: () => '≥ 35 %', rounds: [], floor: true },
        {
          name: 'filtered page by scan (unindexed `score` ≥ half and `published`)',
          path: (c) => filter({ score: { $gte: Math.floor(c / 2) }, published: true }),
          connections: (c) => (c >= 1_000_000 ? 1 : 10),
          target: (c) => (c === 100_000 ? '≥ 1,500 req/s' : c >= 1_000_000 ? 'p99 ≤ 100 ms' : '—'),
          rounds: [],
        },
        { name: 'default list page (newest 20)', path: () => '/v1/data/posts', connections: () => 10, target: () => '—', rounds: [] },
        { name: 'count: `pagination.total` of a filtered list (unindexed `published`, half match, limit 1)', path: () => `/v1/data/posts?limit=1&andFilters=${encodeURIComponent('{"published":true}')}`, connections: () => 10, target: () => '—', rounds: [] },
        { name: 'POST /v1/data/posts (validated, journaled)', path: () => '/v1/data/posts', post: true, connections: () => 50, target: () => '≥ 50 %', rounds: [], floor: true },
      ]
      const [byIdOp, countOp, postOp] = [ops[0]!, ops[4]!, ops[5]!]
      const readyMs: number[] = []
      const rss: number[] = []
      for (let round = 0; round < ROUNDS; round++) {
        const dir = await tempDataDir()
        await cp(cached, dir, { recursive: true })
        const dev = await spawnReady<ReadyEvent>([BIN, 'dev', '--json', '--port', '0', '--data-dir', dir])
        try {
          readyMs.push(dev.ms)
          const headers = { 'X-API-Key': dev.ready.environments[0]!.secretKey }
          // a wrong count would make every figure meaningless; the indexed request builds the index maps before RSS
          const counted = (await (await fetch(`${dev.ready.url}${countOp.path(count)}`, { headers })).json()) as { pagination: { total: number } }
          if (counted.pagination.total !== Math.ceil(count / 2)) throw new Error(`expected ${Math.ceil(count / 2)} published records, the list counted ${counted.pagination.total}`)
          await fetch(`${dev.ready.url}${ops[1]!.path(count)}`, { headers })
          rss.push(await rssMb(dev.child.pid!))
          for (const op of ops) {
            const connections = op.connections(count)
            let bareOptions: LoadOptions
            let floorOptions: LoadOptions
            let measured: LoadOptions
            if (op.post) {
              const json = { 'content-type': 'application/json' }
              bareOptions = { url: `${bare.ready.url}/`, method: 'POST', body: postBody, headers: json, seconds, connections }
              floorOptions = { ...bareOptions, url: `${floor.ready.url}/v1/data/posts` }
              measured = { url: `${dev.ready.url}${op.path(count)}`, method: 'POST', body: postBody, headers: { ...headers, ...json }, seconds, connections }
            } else {
              // the baselines answer the very bytes the emulator returned for this request
              const text = await (await fetch(`${dev.ready.url}${op.path(count)}`, { headers })).text()
              for (const baseline of [bare, floor]) await fetch(`${baseline.ready.url}/_body`, { method: 'PUT', body: text })
              bareOptions = { url: `${bare.ready.url}/`, seconds, connections }
              floorOptions = { url: `${floor.ready.url}${op.path(count)}`, seconds, connections }
              measured = { url: `${dev.ready.url}${op.path(count)}`, paths: op.paths, headers, seconds, connections }
            }
            op.rounds.push(await againstBare(bareOptions, measured, op.floor ? floorOptions : undefined))
          }
        } finally {
          await stopChild(dev.child)
          await rm(dir, { recursive: true, force: true })
        }
      }
      rows.push({ what: `\`bkend dev\` ready with ${n(count)} records (incl. process start, median of ${ROUNDS})`, value: `${median(readyMs).toFixed(0)} ms`, baseline: '—', ratio: '—', target: count >= 1_000_000 ? '≤ 1500 ms' : '—' })
      rows.push({ what: `RSS with ${n(count)} records (median of ${ROUNDS})`, value: `${median(rss).toFixed(0)} MB`, baseline: '—', ratio: '—', target: count === 100_000 ? '≤ 200 MB' : count >= 1_000_000 ? '≤ 600 MB' : '—' })
      for (const op of ops) {
        const m = medianRound(op.rounds)
        const connections = op.connections(count)
        rows.push({
          what: `${op.name} at ${n(count)} records, ${connections} connection${connections > 1 ? 's' : ''} (median of ${ROUNDS})`,
          value: `${m.measured.requests.toFixed(0)} req/s (p99 ${m.measured.p99} ms${m.measured.timeouts ? `, ${m.measured.timeouts} timed out` : ''})`,
          baseline: `${m.base.toFixed(0)} req/s${m.floor !== undefined ? `; framework floor ${m.floor.toFixed(0)} req/s (${ratio(m.floor, m.base)} of bare)` : ''}`,
          ratio: ratio(m.measured.requests, m.base) + roundSpread(op.rounds) + (m.floor !== undefined ? `; ${ratio(m.measured.requests, m.floor)} of the floor` : ''),
          target: op.target(count),
        })
      }
      perSize.set(count, { byId: medianRound(byIdOp.rounds), post: medianRound(postOp.rounds) })
      const imported = await importRun(count)
      rows.push({ what: `\`bkend data import\` of ${n(count)} NDJSON rows into an empty table (the emulator's bulk insert, 500 rows a request, 1,000 in flight)`, value: `${imported.rowsPerSecond} rows/s (${(imported.wallMs / 1000).toFixed(1)} s wall)`, baseline: '—', ratio: '—', target: '≥ 50,000 rows/s' })
      rows.push({ what: `peak RSS of the importing CLI, ${n(count)} rows`, value: `${imported.peakMb.toFixed(0)} MiB`, baseline: '—', ratio: '—', target: 'flat' })
    }
  } finally {
    await stopChild(bare.child)
    await stopChild(floor.child)
  }
  const [small, big] = [perSize.get(100_000), perSize.get(1_000_000)]
  if (small && big) {
    rows.push({ what: 'GET by id at 1,000,000 vs at 100,000 records (ratios to bare)', value: `${ratio(big.byId.measured.requests, big.byId.base)} vs ${ratio(small.byId.measured.requests, small.byId.base)}`, baseline: '—', ratio: `${(big.byId.ratio / small.byId.ratio).toFixed(2)}×`, target: '≥ 0.9×' })
    rows.push({ what: 'POST at 1,000,000 vs at 100,000 records (ratios to bare)', value: `${ratio(big.post.measured.requests, big.post.base)} vs ${ratio(small.post.measured.requests, small.post.base)}`, baseline: '—', ratio: `${(big.post.ratio / small.post.ratio).toFixed(2)}×`, target: '≥ 0.9×' })
  }
  return rows
}
