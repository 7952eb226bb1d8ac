// An emulator on a seeded data directory that compacts its environment databases back to back (a pause between
// compactions, or `never`) and measures its own event-loop delay. Prints the ready event, then answers `start` (reset the
// measurement) and `report` (one JSON line) on stdin.
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import { createEmulator } from '../src/emulator/server.js'

const [dataDir, pauseMs = '300'] = process.argv.slice(2)
const emulator = await createEmulator({ dataDir: dataDir!, port: 0 })
const store = emulator.core.store
const delay = monitorEventLoopDelay({ resolution: 1 })
delay.enable()
let compactions = 0
let stopped = false

async function compactForever(): Promise<void> {
  while (!stopped) {
    for (const name of store.databaseNames()) if (name !== 'control') await store.database(name)!.compact()
    compactions += 1
    await new Promise((resolve) => setTimeout(resolve, Number(pauseMs)))
  }
}
const compacting = pauseMs === 'never' ? Promise.resolve() : compactForever()

process.stdout.write(JSON.stringify(emulator.ready) + '\n')
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'start') {
    delay.reset()
    compactions = 0
  } else if (line === 'report') {
    const ms = (ns: number) => Math.round(ns / 1e4) / 100
    process.stdout.write(JSON.stringify({ compactions, loopMaxMs: ms(delay.max), loopP99Ms: ms(delay.percentile(99)) }) + '\n')
  }
}
stopped = true
await compacting
await emulator.stop()
