import type { ReadyEvent } from '../src/contract/emulator.js'
import { BIN, ROOT, load, medianRunMs, median, ratio, spawnReady, stopChild, tempDataDir } from './lib.js'
import { join } from 'node:path'

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
  for (let i = 0; i < 5; i++) {
    const { child, ms } = await spawnReady<ReadyEvent>([BIN, 'dev', '--json', '--port', '0', '--data-dir', await tempDataDir()])
    readyTimes.push(ms)
    await stopChild(child)
  }
  rows.push({ what: '`bkend dev` ready on an empty data dir (median of 5, incl. process start)', value: `${median(readyTimes).toFixed(0)} ms`, baseline: '—', ratio: '—', target: '≤ 600 ms' })

  const bare = await spawnReady<{ url: string }>([join(ROOT, 'bench', 'baseline-server.mjs')])
  const dev = await spawnReady<ReadyEvent>([BIN, 'dev', '--json', '--port', '0', '--data-dir', await tempDataDir()])
  try {
    // Warm both servers up, then measure the baseline before and after the emulator runs and use the mean, so a
    // busy machine skews both sides alike.
    await load({ url: `${bare.ready.url}/`, seconds: 1 })
    await load({ url: `${dev.ready.url}/_emulator/health`, seconds: 1 })
    const before = await load({ url: `${bare.ready.url}/`, seconds })
    const health = await load({ url: `${dev.ready.url}/_emulator/health`, seconds })
    const sk = dev.ready.environments[0]!.secretKey
    const authed = await load({ url: `${dev.ready.url}/v1/users?limit=1`, headers: { 'X-API-Key': sk }, seconds })
    if (authed.non2xx > 0) throw new Error(`authenticated route answered ${authed.non2xx} non-2xx responses`)
    const after = await load({ url: `${bare.ready.url}/`, seconds })
    const base = { requests: (before.requests + after.requests) / 2 }
    rows.push({ what: 'GET /_emulator/health, 50 connections', value: `${health.requests.toFixed(0)} req/s (p99 ${health.p99} ms)`, baseline: `${base.requests.toFixed(0)} req/s`, ratio: ratio(health.requests, base.requests), target: '—' })
    rows.push({ what: 'GET /v1/users?limit=1 with a secret key (key lookup, envelope, rate-limit headers), 50 connections', value: `${authed.requests.toFixed(0)} req/s (p99 ${authed.p99} ms)`, baseline: `${base.requests.toFixed(0)} req/s`, ratio: ratio(authed.requests, base.requests), target: '≥ 60 %' })
  } finally {
    await stopChild(bare.child)
    await stopChild(dev.child)
  }
  return rows
}
