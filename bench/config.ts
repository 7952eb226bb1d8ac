import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ReadyEvent } from '../src/contract/emulator.js'
import type { Row } from './foundation.js'
import { BIN, medianRunMs, spawnReady, stopChild, tempDataDir } from './lib.js'

const TABLES = 20
const DIFF_RUNS = 5

/** A table file as people write one: a handful of typed fields, two indexes, permissions. */
const tableFile = (i: number) => ({
  name: `table${String(i).padStart(2, '0')}`,
  displayName: `Table ${i}`,
  fields: { title: { type: 'string', required: true, maxLength: 200 }, slug: { type: 'string' }, score: { type: 'int', minimum: 0 }, price: { type: 'number' }, published: { type: 'boolean' }, at: { type: 'date' }, tags: { type: 'array', items: { type: 'string' } } },
  indexes: [
    { name: 'slug_unique', fields: { slug: 1 }, unique: true, sparse: true },
    { name: 'score_1', fields: { score: -1 } },
  ],
  permissions: { guest: { read: true, list: true }, user: { create: true, read: true, list: true } },
})

/** `bkend push` of a config folder into an empty environment, and `bkend diff` of it unchanged, against bkend dev. */
export async function config(): Promise<Row[]> {
  const dir = await tempDataDir()
  const project = join(dir, 'project')
  await mkdir(join(project, 'bkend', 'tables'), { recursive: true })
  for (let i = 0; i < TABLES; i++) await writeFile(join(project, 'bkend', 'tables', `table${String(i).padStart(2, '0')}.json`), JSON.stringify(tableFile(i), null, 2))
  const dev = await spawnReady<ReadyEvent>([BIN, 'dev', '--json', '--port', '0', '--data-dir', join(dir, 'data')])
  try {
    const version = await medianRunMs([BIN, '--version'], DIFF_RUNS)
    const push = await medianRunMs([BIN, 'push', '--yes', '--json', '--data-dir', join(dir, 'data')], 1, project)
    // exits 0 only when there is nothing left to do, so a push that missed anything fails the bench here
    const diff = await medianRunMs([BIN, 'diff', '--json', '--data-dir', join(dir, 'data')], DIFF_RUNS, project)
    return [
      { what: `\`bkend push\` of ${TABLES} tables (7 fields, 2 indexes, permissions each) into an empty environment of bkend dev`, value: `${push.toFixed(0)} ms`, baseline: `${version.toFixed(0)} ms (\`bkend --version\`)`, ratio: '—', target: '≤ 3 s' },
      { what: `\`bkend diff\` of the same ${TABLES} tables, unchanged (median of ${DIFF_RUNS})`, value: `${diff.toFixed(0)} ms`, baseline: `${version.toFixed(0)} ms`, ratio: '—', target: '≤ 1 s' },
    ]
  } finally {
    await stopChild(dev.child)
    await rm(dir, { recursive: true, force: true })
  }
}
