import type { ReadyEvent } from '../src/contract/emulator.js'
import { BIN, ROOT, load, medianRunMs, median, ratio, spawnReady, stopChild, tempDataDir, type LoadResult } from './lib.js'
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
  rows.push({ what: '`bkend --version` start-up (median of 15)', value: `${version.toFixed(0)} ms`, baseline: `${minimal.toFixed(0)} ms (minimal oclif CLI)`, ratio: `${(version / minimal).toFixed(2)}×`, target: '≤ 1.15×' })

  const readyTimes: number[] = []
  for (let i = 0; i < 9; i++) {
    const { child, ms } = await spawnReady<ReadyEvent>([BIN, 'dev', '--json', '--port', '0', '--data-dir', await tempDataDir()])
    readyTimes.push(ms)
    await stopChild(child)
  }
  rows.push({ what: '`bkend dev` ready on an empty data dir (median of 9, incl. process start)', value: `${median(readyTimes).toFixed(0)} ms`, baseline: '—', ratio: '—', target: '≤ 600 ms' })

  const bare = await spawnReady<{ url: string }>([join(ROOT, 'bench', 'baseline-server.mjs')])
  const dev = await spawnReady<ReadyEvent>([BIN, 'dev', '--json', '--port', '0', '--data-dir', await tempDataDir()])
  try {
    const sk = dev.ready.environments[0]!.secretKey
    // The bare server answers the very bytes the emulator returned, so the ratio is the cost of the emulator's work
    // (not of payload size). Each round measures bare, emulator, bare and divides by the mean of the two bare runs;
    // the figure is the round with the median ratio, so one busy moment on a shared machine does not decide it.
    const against = async (path: string, headers: Record<string, string> = {}) => {
      const text = await (await fetch(`${dev.ready.url}${path}`, { headers })).text()
      await fetch(`${bare.ready.url}/_body`, { method: 'PUT', body: text })
      const rounds: Array<{ measured: LoadResult; base: number; ratio: number }> = []
      for (let round = 0; round < ROUNDS; round++) {
        const before = await load({ url: `${bare.ready.url}/`, seconds })
        const measured = await load({ url: `${dev.ready.url}${path}`, headers, seconds })
        const after = await load({ url: `${bare.ready.url}/`, seconds })
        if (measured.non2xx > 0) throw new Error(`${path} answered ${measured.non2xx} non-2xx responses`)
        const base = (before.requests + after.requests) / 2
        rounds.push({ measured, base, ratio: measured.requests / base })
      }
      return rounds.sort((a, b) => a.ratio - b.ratio)[Math.floor(rounds.length / 2)]!
    }
    const health = await against('/_emulator/health')
    rows.push({ what: `GET /_emulator/health, 50 connections (median of ${ROUNDS} rounds)`, value: `${health.measured.requests.toFixed(0)} req/s (p99 ${health.measured.p99} ms)`, baseline: `${health.base.toFixed(0)} req/s`, ratio: ratio(health.measured.requests, health.base), target: '—' })
    const authed = await against('/v1/users?limit=1', { 'X-API-Key': sk })
    rows.push({ what: `GET /v1/users?limit=1 with a secret key (key check, envelope, rate-limit headers), 50 connections (median of ${ROUNDS} rounds)`, value: `${authed.measured.requests.toFixed(0)} req/s (p99 ${authed.measured.p99} ms)`, baseline: `${authed.base.toFixed(0)} req/s`, ratio: ratio(authed.measured.requests, authed.base), target: '≥ 60 %' })
  } finally {
    await stopChild(bare.child)
    await stopChild(dev.child)
  }
  return rows
}
