import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ReadyEvent } from '../src/contract/emulator.js'
import { seed } from './data.js'
import type { Row } from './foundation.js'
import { load, ROOT, spawnReady, stopChild, type LoadResult } from './lib.js'

/** CPU time (user + system) a process has used, in ms (Linux clock ticks, 10 ms). */
async function cpuMs(pid: number): Promise<number> {
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]!.split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

interface Measured {
  requests: number
  /** Server CPU per request, µs: what the log costs, even when neighbours on a shared machine move throughput. */
  cpuUs: number
}

/** A load run with the server's CPU time over it. */
async function measured(pid: number, options: Parameters<typeof load>[0]): Promise<Measured> {
  let before = 0
  const result: LoadResult = await load({ ...options, beforeRun: async () => void (before = await cpuMs(pid)) })
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`the request log benchmark got ${result.non2xx} non-2xx and ${result.errors} errors`)
  const cpu = (await cpuMs(pid)) - before
  return { requests: result.requests, cpuUs: (cpu * 1000) / (result.requests * (options.seconds ?? 5)) }
}

/**
 * The request log's cost: GET by id and POST on the same data with the log on (the default: ring + `--json` lines
 * on stdout, read by this process) and off. Each side runs twice, interleaved, and keeps its better run; the ratio
 * that decides is the server's CPU time per request, which a noisy neighbour on a shared machine moves far less
 * than throughput.
 */
export async function requestLog(seconds: number): Promise<Row[]> {
  const data = await seed(10_000)
  const paths = Array.from({ length: 5000 }, (_, i) => `/v1/data/posts/${data.ids[(i * 7919) % data.ids.length]}`)
  const body = JSON.stringify({ title: 'Benchmark post', category: 'c1', score: 5, published: true })
  const best = { on: { get: [] as Measured[], post: [] as Measured[] }, off: { get: [] as Measured[], post: [] as Measured[] } }
  for (const round of [0, 1]) {
    for (const mode of round === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
      const server = await spawnReady<ReadyEvent>(['--import', 'tsx', join(ROOT, 'bench', 'request-log-server.ts'), data.dir, mode])
      try {
        const headers = { 'X-API-Key': server.ready.environments[0]!.secretKey }
        const pid = server.child.pid!
        const get = await measured(pid, { url: server.ready.url, headers, seconds, paths })
        const post = await measured(pid, { url: `${server.ready.url}/v1/data/posts`, method: 'POST', body, headers: { ...headers, 'content-type': 'application/json' }, seconds })
        best[mode].get.push(get)
        best[mode].post.push(post)
      } finally {
        await stopChild(server.child)
      }
    }
  }
  const top = (runs: Measured[]) => Math.max(...runs.map((r) => r.requests))
  const cpu = (runs: Measured[]) => Math.min(...runs.map((r) => r.cpuUs))
  const row = (what: string, on: Measured[], off: Measured[]): Row => ({
    what,
    value: `${cpu(on).toFixed(1)} µs CPU/request, ${top(on).toFixed(0)} req/s`,
    baseline: `${cpu(off).toFixed(1)} µs, ${top(off).toFixed(0)} req/s (log off)`,
    ratio: `${((cpu(on) / cpu(off)) * 100).toFixed(0)} % CPU`,
    target: '≤ 105 % CPU',
  })
  return [row('GET /v1/data/posts/:id, request log on (--json lines)', best.on.get, best.off.get), row('POST /v1/data/posts, request log on (--json lines)', best.on.post, best.off.post)]
}
