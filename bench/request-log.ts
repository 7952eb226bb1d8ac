import { cp, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ReadyEvent } from '../src/contract/emulator.js'
import { seed } from './data.js'
import type { Row } from './foundation.js'
import { load, median, ROOT, spawnReady, stopChild, tempDataDir, type LoadOptions, type LoadResult } from './lib.js'

/** CPU time (user + system) a process has used, in ms (Linux clock ticks, 10 ms). */
async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

interface Measured {
  /** Requests per second. */
  requests: number
  /** Server CPU per request, µs: what the log costs, even when neighbours on a shared machine move throughput. */
  cpuUs: number
}

/** A load run with the server's CPU time over it. */
async function measured(pid: number, options: LoadOptions): Promise<Measured> {
  let before = 0
  const result: LoadResult = await load({ ...options, beforeRun: async () => void (before = await cpuMs(pid)) })
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`the request log benchmark got ${result.non2xx} non-2xx and ${result.errors} errors`)
  const cpu = (await cpuMs(pid)) - before
  return { requests: result.requests, cpuUs: (cpu * 1000) / (result.requests * (options.seconds ?? 5)) }
}

const ROUNDS = Number(process.env.BENCH_LOG_ROUNDS ?? 7)
/** Seconds of each round. */
const RUN_SECONDS = Number(process.env.BENCH_LOG_SECONDS ?? 3)

/**
 * The request log's cost: GET by id and POST with the log kept (the ring alone, what `bkend dev` on a terminal pays
 * before its dashboard draws), printed (ring + `--json` lines on stdout, which goes to a file as with
 * `bkend dev --json > log.ndjson`) and off (no hook, no output). The three emulators run on copies of the same
 * data and are loaded at the same time, each by its own wrk: they share the machine's cores, so each one's
 * throughput is what its own cost per request lets it do with a third of them, and a neighbour's burst on this
 * shared machine slows the three at the same moment instead of whichever ran then (measured one after the other, a
 * round's ratio moved between 42 and 173 % here). The figure is the median of the rounds' ratios. Two ratios are
 * reported: throughput, which the target names, and the server's CPU time per request.
 */
export async function requestLog(): Promise<Row[]> {
  const data = await seed(10_000)
  const copy = async () => {
    const dir = await tempDataDir()
    await cp(data.dir, dir, { recursive: true })
    return dir
  }
  const paths = Array.from({ length: 5000 }, (_, i) => `/v1/data/posts/${data.ids[(i * 7919) % data.ids.length]}`)
  const body = JSON.stringify({ title: 'Benchmark post', category: 'c1', score: 5, published: true })
  type Mode = 'on' | 'ring' | 'off'
  const start = async (mode: Mode) => spawnReady<ReadyEvent>(['--import', 'tsx', join(ROOT, 'bench', 'request-log-server.ts'), await copy(), mode])
  const servers = { on: await start('on'), ring: await start('ring'), off: await start('off') }
  const rounds = { get: [] as Array<Record<Mode, Measured>>, post: [] as Array<Record<Mode, Measured>> }
  const modes: readonly Mode[] = ['on', 'ring', 'off']
  const optionsFor = (mode: Mode, kind: 'get' | 'post', seconds: number): LoadOptions => {
    const server = servers[mode]
    const headers = { 'X-API-Key': server.ready.environments[0]!.secretKey }
    return kind === 'get'
      ? { url: server.ready.url, headers, seconds, paths, warmUp: false }
      : { url: `${server.ready.url}/v1/data/posts`, method: 'POST', body, headers: { ...headers, 'content-type': 'application/json' }, seconds, warmUp: false }
  }
  try {
    // Each server and route warmed once (optimised code, warm connections), then the rounds, the three at once.
    for (const kind of ['get', 'post'] as const) await Promise.all(modes.map((mode) => load(optionsFor(mode, kind, 2))))
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of ['get', 'post'] as const) {
        const runs = await Promise.all(modes.map((mode) => measured(servers[mode].child.pid!, optionsFor(mode, kind, RUN_SECONDS))))
        rounds[kind].push(Object.fromEntries(modes.map((mode, i) => [mode, runs[i]!])) as Record<Mode, Measured>)
      }
    }
  } finally {
    await Promise.all(Object.values(servers).map((server) => stopChild(server.child)))
  }
  const row = (what: string, runs: Array<Record<Mode, Measured>>, mode: 'on' | 'ring'): Row => {
    const throughput = runs.map((r) => r[mode].requests / r.off.requests)
    const cpu = runs.map((r) => r[mode].cpuUs / r.off.cpuUs)
    const pct = (values: number[]) => values.map((v) => (v * 100).toFixed(0)).join(', ')
    return {
      what,
      value: `${median(runs.map((r) => r[mode].requests)).toFixed(0)} req/s, ${median(runs.map((r) => r[mode].cpuUs)).toFixed(1)} µs CPU/request`,
      baseline: `${median(runs.map((r) => r.off.requests)).toFixed(0)} req/s, ${median(runs.map((r) => r.off.cpuUs)).toFixed(1)} µs (log off)`,
      ratio: `${(median(throughput) * 100).toFixed(0)} % throughput (${pct(throughput)}), ${(median(cpu) * 100).toFixed(0)} % CPU (${pct(cpu)})`,
      target: '≥ 95 % throughput',
    }
  }
  return [
    row('GET /v1/data/posts/:id, request log (the ring: what the dashboard, bkend dev logs and explain read)', rounds.get, 'ring'),
    row('GET /v1/data/posts/:id, request log printed (a --json line per request on stdout, to a file)', rounds.get, 'on'),
    row('POST /v1/data/posts, request log (the ring)', rounds.post, 'ring'),
    row('POST /v1/data/posts, request log printed (a --json line per request on stdout, to a file)', rounds.post, 'on'),
  ]
}
