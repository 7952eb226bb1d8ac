import type { ReadyEvent } from '../src/contract/emulator.js'
import { BIN, ROOT, againstBare, medianRunMs, median, medianRound, ratio, roundSpread, spawnReady, stopChild, tempDataDir, type Round } from './lib.js'
import { join } from 'node:path'

/** Throughput rounds per route (`BENCH_ROUNDS`); the median round is reported. */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3))

export interface Row {
  what: string
  value: string
  baseline: string
  ratio: string
  target: string
}

/** Start-up, ready time, and throughput of the cheap routes against a bare node:http server in the same run. */
export async function foundation(seconds: number): Promise<Row[]> {
  const rows: Row[] = []

  const minimal = await medianRunMs([join(ROOT, 'bench', 'minimal-cli', 'run.js'), 'hello'], 15)
  const version = await medianRunMs([BIN, '--version'], 15)
  rows.push({ what: '`bkend --version` start-up (median of 15)', value: `${version.toFixed(0)} ms`, baseline: `${minimal.toFixed(0)} ms (minimal oclif CLI)`, ratio: `${(version / minimal).toFixed(2)}×`, target: '≤ 1.1×' })

  const readyTimes: number[] = []
  for (let i = 0; i < 9; i++) {
    const { child, ms } = await spawnReady<ReadyEvent>([BIN, 'dev', '--json', '--port', '0', '--data-dir', await tempDataDir()])
    readyTimes.push(ms)
    await stopChild(child)
  }
  rows.push({ what: '`bkend dev` ready on an empty data dir (median of 9, incl. process start)', value: `${median(readyTimes).toFixed(0)} ms`, baseline: '—', ratio: '—', target: '≤ 600 ms' })

  // The bare server answers the very bytes the emulator returned, so a ratio is the cost of the emulator's work (not
  // of payload size). Each round starts a fresh `bkend dev` (two processes of the same code differ by up to ~10 % in
  // CPU per request, as the JIT happens to settle) and measures each route as bare, emulator, bare, dividing by the
  // mean of the two bare runs. A route's figure is its round with the median ratio, so neither one busy moment on a
  // shared machine nor one unlucky process decides it.
  const routes: Array<{ path: string; keyed: boolean; rounds: Round[] }> = [
    { path: '/_emulator/health', keyed: false, rounds: [] },
    { path: '/v1/users?limit=1', keyed: true, rounds: [] },
  ]
  const bare = await spawnReady<{ url: string }>([join(ROOT, 'bench', 'baseline-server.mjs')])
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const dev = await spawnReady<ReadyEvent>([BIN, 'dev', '--json', '--port', '0', '--data-dir', await tempDataDir()])
      try {
        for (const route of routes) {
          const headers: Record<string, string> = route.keyed ? { 'X-API-Key': dev.ready.environments[0]!.secretKey } : {}
          const text = await (await fetch(`${dev.ready.url}${route.path}`, { headers })).text()
          await fetch(`${bare.ready.url}/_body`, { method: 'PUT', body: text })
          route.rounds.push(await againstBare({ url: `${bare.ready.url}/`, seconds }, { url: `${dev.ready.url}${route.path}`, headers, seconds }))
        }
      } finally {
        await stopChild(dev.child)
      }
    }
  } finally {
    await stopChild(bare.child)
  }
  const health = medianRound(routes[0]!.rounds)
  rows.push({ what: `GET /_emulator/health, 50 connections (median of ${ROUNDS} rounds)`, value: `${health.measured.requests.toFixed(0)} req/s (p99 ${health.measured.p99} ms)`, baseline: `${health.base.toFixed(0)} req/s`, ratio: ratio(health.measured.requests, health.base) + roundSpread(routes[0]!.rounds), target: '—' })
  const authed = medianRound(routes[1]!.rounds)
  rows.push({ what: `GET /v1/users?limit=1 with a secret key (key check, envelope, rate-limit headers), 50 connections (median of ${ROUNDS} rounds)`, value: `${authed.measured.requests.toFixed(0)} req/s (p99 ${authed.measured.p99} ms)`, baseline: `${authed.base.toFixed(0)} req/s`, ratio: ratio(authed.measured.requests, authed.base) + roundSpread(routes[1]!.rounds), target: '≥ 60 %' })
  return rows
}
