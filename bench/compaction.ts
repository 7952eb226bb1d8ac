import { rm } from 'node:fs/promises'
import { seed } from './data.js'
import type { Row } from './foundation.js'
import { load, startBenchServer, type LoadResult } from './lib.js'

const RECORDS = 250_000
const CONNECTIONS = 10

interface LoopReport {
  compactions: number
  loopMaxMs: number
  loopP99Ms: number
}

/** The compaction server on `dir`, compacting with `pauseMs` between compactions, or never. */
const startServer = (dir: string, pauseMs: number | 'never') => startBenchServer<LoopReport>('compaction-server.ts', [dir, String(pauseMs)])

/** Sustained POSTs on one server; the event-loop figures cover the measured run only (not its warm-up). */
async function measure(dir: string, pauseMs: number | 'never', seconds: number): Promise<{ post: LoadResult; loop: LoopReport }> {
  const server = await startServer(dir, pauseMs)
  try {
    const body = JSON.stringify({ title: 'Benchmark post', category: 'c1', score: 5, published: true })
    const headers = { 'X-API-Key': server.ready.environments[0]!.secretKey, 'content-type': 'application/json' }
    const url = `${server.ready.url}/v1/data/posts`
    const post = load({ url, method: 'POST', body, headers, connections: CONNECTIONS, seconds })
    // `load` warms up for one second first; the event-loop figures start with the measured run.
    setTimeout(() => server.command('start'), 1000)
    const result = await post
    if (result.errors > 0 || result.non2xx > 0) throw new Error(`compaction benchmark got ${result.non2xx} non-2xx and ${result.errors} errors`)
    return { post: result, loop: await server.report() }
  } finally {
    await server.stop()
  }
}

/** Sustained POSTs on a table of 250,000 records with compactions running back to back, against the same without. */
export async function compaction(seconds: number): Promise<Row[]> {
  const measured = Math.max(seconds * 2, 10)
  const { dir } = await seed(RECORDS)
  try {
    const quiet = await measure(dir, 'never', measured)
    const busy = await measure(dir, 300, measured)
    const ms = (value: number) => `${value.toFixed(1)} ms`
    return [
      { what: `compactions of the ${RECORDS.toLocaleString('en')}-record database during the run`, value: String(busy.loop.compactions), baseline: '—', ratio: '—', target: '≥ 3' },
      { what: `longest POST /v1/data/posts, ${CONNECTIONS} connections, while compacting`, value: ms(busy.post.max), baseline: ms(quiet.post.max), ratio: '—', target: '≤ 50 ms' },
      { what: 'p99 POST while compacting', value: ms(busy.post.p99), baseline: ms(quiet.post.p99), ratio: '—', target: '≤ 10 ms' },
      { what: 'event-loop delay while compacting, max / p99', value: `${ms(busy.loop.loopMaxMs)} / ${ms(busy.loop.loopP99Ms)}`, baseline: `${ms(quiet.loop.loopMaxMs)} / ${ms(quiet.loop.loopP99Ms)}`, ratio: '—', target: '—' },
      { what: 'POST throughput while compacting', value: `${busy.post.requests.toFixed(0)} req/s`, baseline: `${quiet.post.requests.toFixed(0)} req/s`, ratio: `${((busy.post.requests / quiet.post.requests) * 100).toFixed(0)} %`, target: '—' },
    ]
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
