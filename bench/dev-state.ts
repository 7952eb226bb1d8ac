import { rm } from 'node:fs/promises'
import type { ReadyEvent } from '../src/contract/emulator.js'
import { seed } from './data.js'
import type { Row } from './foundation.js'
import { BIN, spawnReady, stopChild } from './lib.js'

const ROUNDS = 5

/** Milliseconds of one control call to a running `bkend dev`, as a test suite's `beforeEach` would make it. */
async function timed(ready: ReadyEvent, method: string, path: string, body?: unknown): Promise<number> {
  const started = performance.now()
  const response = await fetch(ready.url + path, { method, headers: { Authorization: `Bearer ${ready.tenantToken}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
  await response.arrayBuffer()
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}`)
  return performance.now() - started
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
const ms = (value: number) => `${value.toFixed(1)} ms`

/**
 * Reset and snapshot restore against a spawned `bkend dev` holding `count` records: the data directory is saved as a
 * snapshot once, then each round restores it (the records come back) and resets the environment (they go), so both
 * are measured on the full table every time. Baselines: a health request (the floor of any control call) for the
 * reset, and a cold start of `bkend dev` on the same data (loading it from disk) for the restore.
 */
async function measure(count: number): Promise<{ reset: number; restore: number; health: number; coldStart: number }> {
  const { dir } = await seed(count)
  try {
    const { child, ready, ms: coldStart } = await spawnReady<ReadyEvent>([BIN, 'dev', '--port', '0', '--data-dir', dir, '--json'])
    try {
      await timed(ready, 'POST', '/_emulator/snapshots', { name: 'bench' })
      const resets: number[] = []
      const restores: number[] = []
      const healths: number[] = []
      for (let round = 0; round < ROUNDS; round++) {
        resets.push(await timed(ready, 'POST', '/_emulator/reset', {}))
        restores.push(await timed(ready, 'POST', '/_emulator/snapshots/bench/restore'))
        healths.push(await timed(ready, 'GET', '/_emulator/health'))
      }
      return { reset: median(resets), restore: median(restores), health: median(healths), coldStart }
    } finally {
      await stopChild(child)
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

export async function devState(): Promise<Row[]> {
  const small = await measure(10_000)
  const large = await measure(100_000)
  return [
    { what: 'POST /_emulator/reset, 10,000 records', value: ms(small.reset), baseline: ms(small.health), ratio: '—', target: '≤ 50 ms' },
    { what: 'POST /_emulator/reset, 100,000 records', value: ms(large.reset), baseline: ms(large.health), ratio: '—', target: '≤ 500 ms' },
    { what: 'snapshot restore, 100,000 records', value: ms(large.restore), baseline: `${ms(large.coldStart)} (cold start)`, ratio: `${((large.restore / large.coldStart) * 100).toFixed(0)} %`, target: '≤ 1 s' },
  ]
}
