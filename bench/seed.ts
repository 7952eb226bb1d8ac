import { spawn } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { SeedCommandResult } from '../src/commands/seed/index.js'
import type { ReadyEvent } from '../src/contract/emulator.js'
import type { Row } from './foundation.js'
import { BIN, runMeasured, spawnReady, stopChild, tempDataDir } from './lib.js'

const RECORDS = 100_000
const SMALL = 10_000

/** A seed folder whose `products` table gets `count` NDJSON records, keyed by sku. */
async function seedFolder(dir: string, count: number): Promise<void> {
  await mkdir(join(dir, 'data'), { recursive: true })
  await writeFile(join(dir, 'seed.json'), JSON.stringify({ keys: { products: 'sku' } }))
  const out = createWriteStream(join(dir, 'data', 'products.ndjson'))
  for (let i = 0; i < count; i++) {
    const line = JSON.stringify({ sku: `SKU-${i}`, name: `Product ${i}`, price: (i % 1000) / 10, inStock: i % 2 === 0 }) + '\n'
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()))
  }
  await new Promise<void>((resolve) => out.end(() => resolve()))
}

/** Runs a command of the built CLI to completion, for set-up steps. */
function run(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) =>
    spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: 'ignore' }).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`bkend ${args.join(' ')} exited ${code}`)))),
  )
}

/** `bkend seed` against `bkend dev`: a first seed of 100,000 records, the CLI's memory, and the second (idempotent) run. */
export async function seedBench(): Promise<Row[]> {
  const rows: Row[] = []
  const dir = await tempDataDir()
  const dev = await spawnReady<ReadyEvent>([BIN, 'dev', '--json', '--port', '0', '--data-dir', dir])
  try {
    const env = { BKEND_DATA_DIR: dir, XDG_CONFIG_HOME: join(dir, 'config') }
    await run(['tables', 'create', 'products', '--field', 'sku:string!', '--field', 'name:string', '--field', 'price:number', '--field', 'inStock:boolean', '--json'], env)
    // as docs/seed.md advises: a unique index on the key field refuses repeats and answers seed's lookups
    await run(['tables', 'indexes', 'add', 'products', 'sku_unique', '--field', 'sku', '--unique', '--json'], env)
    const small = join(dir, 'small-seed')
    const big = join(dir, 'big-seed')
    await seedFolder(small, SMALL)
    await seedFolder(big, RECORDS)
    const seed = async (folder: string, extra: string[] = []) => {
      const measured = await runMeasured([BIN, 'seed', '--dir', folder, '--json', ...extra], env)
      return { ...measured, result: JSON.parse(measured.stdout) as SeedCommandResult }
    }
    const first = await seed(big, ['--concurrency', '32'])
    if (first.result.created !== RECORDS) throw new Error(`seeded ${first.result.created} of ${RECORDS}`)
    const perSecond = Math.round((RECORDS * 1000) / first.result.durationMs)
    rows.push({ what: `\`bkend seed\` of ${RECORDS.toLocaleString('en-US')} NDJSON records into an empty table of bkend dev (32 in flight)`, value: `${perSecond.toLocaleString('en-US')} records/s (${(first.ms / 1000).toFixed(1)} s wall)`, baseline: '—', ratio: '—', target: '≥ 25,000 records/s' })
    const again = await seed(big, ['--concurrency', '32'])
    if (again.result.unchanged !== RECORDS || again.result.created !== 0) throw new Error(`second seed: ${again.result.created} created, ${again.result.unchanged} unchanged`)
    rows.push({ what: `the same seed again: ${RECORDS.toLocaleString('en-US')} unchanged, found by key (one \`$in\` lookup per 100 rows)`, value: `${Math.round((RECORDS * 1000) / again.result.durationMs).toLocaleString('en-US')} records/s (${(again.ms / 1000).toFixed(1)} s wall)`, baseline: '—', ratio: '—', target: '—' })
    const smallRun = await seed(small, ['--reset', '--concurrency', '32'])
    const bigRun = await seed(big, ['--reset', '--concurrency', '32'])
    rows.push({ what: `peak RSS of the seeding CLI: ${RECORDS.toLocaleString('en-US')} vs ${SMALL.toLocaleString('en-US')} records (each after --reset)`, value: `${bigRun.peakMb.toFixed(0)} MiB`, baseline: `${smallRun.peakMb.toFixed(0)} MiB`, ratio: `${(bigRun.peakMb / smallRun.peakMb).toFixed(2)}×`, target: 'flat (≈ 1×)' })
  } finally {
    await stopChild(dev.child)
  }
  return rows
}
