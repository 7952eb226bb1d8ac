// `npm run bench`: every figure is measured against a baseline started in the same run; see docs/performance.md.
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { cli } from './cli.js'
import { compaction } from './compaction.js'
import { config } from './config.js'
import { consoleBench } from './console.js'
import { dashboard } from './dashboard.js'
import { data } from './data.js'
import { devLoop } from './dev-loop.js'
import { devState } from './dev-state.js'
import { foundation, type Row } from './foundation.js'
import { peers } from './peers.js'
import { LOAD_CLIENT, ROOT } from './lib.js'
import { requestLog } from './request-log.js'
import { scale } from './scale.js'
import { seedBench, seedUsersBench } from './seed.js'
import { storage } from './storage.js'

const seconds = Number(process.env.BENCH_SECONDS ?? 5)
const all: Array<[string, (seconds: number) => Promise<Row[]>]> = [
  ['Foundation', foundation],
  ['Data API', data],
  ['CLI', cli],
  ['Storage', storage],
  ['Compaction', compaction],
  ['Reset and snapshots', devState],
  ['Seed', seedBench],
  ['Seed users', seedUsersBench],
  ['Config', config],
  ['Dev loop', devLoop],
  ['Request log', requestLog],
  ['Dashboard', dashboard],
  ['Scale', scale],
  ['Peers', peers],
  ['Console', consoleBench],
]
// BENCH_ONLY=data runs one suite.
const only = process.env.BENCH_ONLY?.toLowerCase()
const suites = only ? all.filter(([name]) => name.toLowerCase().startsWith(only)) : all

const lines: string[] = [`Node ${process.version}, ${new Date().toISOString()}, ${seconds} s per load run, load generator: ${LOAD_CLIENT}`, '']
for (const [name, suite] of suites) {
  process.stderr.write(`running ${name}…\n`)
  const rows = await suite(seconds)
  lines.push(`### ${name}`, '', '| Measure | bkend | Baseline | Ratio | Target |', '|---|---|---|---|---|')
  for (const r of rows) lines.push(`| ${r.what} | ${r.value} | ${r.baseline} | ${r.ratio} | ${r.target} |`)
  lines.push('')
}
const report = lines.join('\n')
process.stdout.write(report + '\n')
await mkdir(join(ROOT, 'bench', 'results'), { recursive: true })
await writeFile(join(ROOT, 'bench', 'results', 'latest.md'), report + '\n')
