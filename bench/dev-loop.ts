import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Row } from './foundation.js'
import { BIN, medianRunMs, tempDataDir } from './lib.js'

const RUNS = 7
const TABLES = 10
const RECORDS = 1_000

/** A project folder with TABLES table files and a RECORDS-record seed for one of them. */
async function projectWithConfig(): Promise<string> {
  const dir = await tempDataDir()
  await mkdir(join(dir, 'bkend', 'tables'), { recursive: true })
  await mkdir(join(dir, 'bkend', 'seed', 'data'), { recursive: true })
  for (let t = 0; t < TABLES; t++) {
    const table = { name: `table${t}`, fields: { title: { type: 'string', required: true }, count: { type: 'int' }, done: { type: 'boolean' }, at: { type: 'date' } }, indexes: [{ name: 'title_1', fields: { title: 1 } }] }
    await writeFile(join(dir, 'bkend', 'tables', `table${t}.json`), JSON.stringify(table))
  }
  const rows = Array.from({ length: RECORDS }, (_, i) => JSON.stringify({ title: `row ${i}`, count: i, done: i % 2 === 0 })).join('\n')
  await writeFile(join(dir, 'bkend', 'seed', 'data', 'table0.ndjson'), rows + '\n')
  return dir
}

/** The developer loop: `bkend dev exec -- true` end to end (start on a fresh data dir, apply config and seed, run, stop, clean up). */
export async function devLoop(): Promise<Row[]> {
  const version = await medianRunMs([BIN, '--version'], RUNS)
  const bare = await tempDataDir()
  const project = await projectWithConfig()
  try {
    const empty = await medianRunMs([BIN, 'dev', 'exec', '--', 'true'], RUNS, bare)
    const full = await medianRunMs([BIN, 'dev', 'exec', '--', 'true'], RUNS, project)
    return [
      { what: `\`bkend dev exec -- true\`, no config folder (median of ${RUNS})`, value: `${empty.toFixed(0)} ms`, baseline: `${version.toFixed(0)} ms (\`bkend --version\`)`, ratio: `${(empty / version).toFixed(2)}×`, target: '—' },
      { what: `\`bkend dev exec -- true\` with ${TABLES} tables and a ${RECORDS.toLocaleString('en-US')}-record seed (median of ${RUNS})`, value: `${full.toFixed(0)} ms`, baseline: `${empty.toFixed(0)} ms (no config)`, ratio: `${(full / empty).toFixed(2)}×`, target: '≤ 1.5 s' },
    ]
  } finally {
    await rm(bare, { recursive: true, force: true })
    await rm(project, { recursive: true, force: true })
  }
}
