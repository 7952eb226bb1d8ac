import type { Row } from './foundation.js'
import { load, median, ratio, startBenchServer, tempDataDir, type LoadResult } from './lib.js'

/** Rounds of off/on/off (`BENCH_ROUNDS`); the round with the median ratio is reported. */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3))
const ROUTE = '/v1/users?limit=1'

interface DrawReport {
  eventsPerSecond: number
  writesPerSecond: number
  /** Server CPU time per request, µs: steadier than throughput on a busy machine. */
  cpuUsPerRequest: number
}

/** The dashboard server with the dashboard `on` (drawing on a null terminal) or `off`. */
async function startServer(mode: 'on' | 'off') {
  // ink draws only its last frame when it believes it runs in CI; the benchmark wants every frame drawn
  return startBenchServer<DrawReport>('dashboard-server.ts', [await tempDataDir(), mode], { ...process.env, CI: 'false', CONTINUOUS_INTEGRATION: 'false' })
}

async function measure(mode: 'on' | 'off', seconds: number): Promise<{ result: LoadResult; drawn: DrawReport }> {
  const server = await startServer(mode)
  try {
    const headers = { 'X-API-Key': server.ready.environments[0]!.secretKey }
    const running = load({ url: `${server.ready.url}${ROUTE}`, headers, seconds })
    // `load` warms up for one second first; the drawing figures cover the measured run
    setTimeout(() => server.command('start'), 1000)
    const result = await running
    if (result.errors > 0 || result.non2xx > 0) throw new Error(`dashboard benchmark got ${result.non2xx} non-2xx and ${result.errors} errors`)
    return { result, drawn: await server.report() }
  } finally {
    await server.stop()
  }
}

/**
 * Server throughput with the live dashboard drawing every request against the same server without it. The dashboard
 * runs in the server's process, as in `bkend dev`, drawing on a null terminal: what is measured is the cost to the
 * server (listener, throttled redraws, React), not a terminal emulator's. Each round runs off, on, off on fresh
 * processes and divides by the mean of the two off runs.
 */
export async function dashboard(seconds: number): Promise<Row[]> {
  type Round = { on: LoadResult; base: number; ratio: number; drawn: DrawReport; baseCpu: number }
  const rounds: Round[] = []
  for (let round = 0; round < ROUNDS; round++) {
    const before = await measure('off', seconds)
    const on = await measure('on', seconds)
    const after = await measure('off', seconds)
    const base = (before.result.requests + after.result.requests) / 2
    rounds.push({ on: on.result, base, ratio: on.result.requests / base, drawn: on.drawn, baseCpu: (before.drawn.cpuUsPerRequest + after.drawn.cpuUsPerRequest) / 2 })
  }
  const mid = median(rounds.map((r) => r.ratio))
  const chosen = rounds.find((r) => r.ratio === mid) ?? rounds[0]!
  const all = rounds.map((r) => ratio(r.on.requests, r.base)).join(', ')
  return [
    {
      what: `GET ${ROUTE} with the dashboard drawing every request (median of ${ROUNDS} rounds; ${chosen.drawn.eventsPerSecond.toLocaleString('en-US')} requests/s shown, ${chosen.drawn.writesPerSecond} terminal writes/s)`,
      value: `${Math.round(chosen.on.requests).toLocaleString('en-US')} req/s, p99 ${chosen.on.p99} ms`,
      baseline: `${Math.round(chosen.base).toLocaleString('en-US')} req/s (no dashboard)`,
      ratio: `${ratio(chosen.on.requests, chosen.base)} (${all})`,
      target: '≥ 90 % at ≥ 10,000 req/s',
    },
    {
      what: 'server CPU per request in that round, with the dashboard / without',
      value: `${chosen.drawn.cpuUsPerRequest} µs`,
      baseline: `${chosen.baseCpu.toFixed(1)} µs`,
      ratio: `${((chosen.drawn.cpuUsPerRequest / chosen.baseCpu) * 100).toFixed(0)} %`,
      target: '≤ 111 %',
    },
  ]
}
