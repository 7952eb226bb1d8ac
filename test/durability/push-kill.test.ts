import { expect } from 'chai'
import type { PlanStep, TableModel } from '../../src/config/model.js'
import { PUSH_PATH } from '../../src/contract/push.js'
import type { ReadyEvent } from '../../src/contract/emulator.js'
import { startEmulator } from '../helpers/emulator.js'
import { spawnEmulator } from '../helpers/emulator-process.js'
import { tempDir } from '../helpers/tmp.js'

const TABLES = 300

const model = (name: string): TableModel => ({
  name,
  displayName: `Table ${name}`,
  description: null,
  schema: { bsonType: 'object', required: ['title'], properties: { title: { bsonType: 'string', maxLength: 200 }, score: { bsonType: 'int' }, tags: { bsonType: 'array', items: { bsonType: 'string' } }, at: { bsonType: 'date' } } },
  indexes: [{ name: 'title_1', fields: { title: 1 }, unique: false, sparse: false }],
  permissions: { guest: { read: true, list: true } },
  expressionPermissions: null,
  columnPermissions: null,
  rowFilters: null,
})

/** The new schema: many new tables and a new field on the one that was there. */
const bigPush: PlanStep[] = [
  ...Array.from({ length: TABLES }, (_, i): PlanStep => ({ kind: 'table.create', table: `t${String(i).padStart(3, '0')}`, model: model(`t${i}`) })),
  { kind: 'field.add', table: 'base', field: 'added', definition: { bsonType: 'string' }, required: false },
]

function push(ready: ReadyEvent, steps: PlanStep[]): Promise<Response> {
  const body = { projectId: ready.projectId, environment: ready.environments[0]!.name, steps }
  return fetch(`${ready.url}${PUSH_PATH}`, { method: 'POST', headers: { authorization: `Bearer ${ready.tenantToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) })
}

/** What a data directory holds after a restart: its table names, and whether `base` has the pushed field. */
async function schemaIn(dataDir: string): Promise<{ tables: number; baseHasAdded: boolean }> {
  const emu = await startEmulator({ dataDir })
  try {
    const tables = emu.core.tables.list(emu.actor)
    const base = tables.find((t) => t.tableName === 'base')
    return { tables: tables.length, baseHasAdded: base !== undefined && 'added' in base.schema.properties }
  } finally {
    await emu.stop()
  }
}

/** A fresh emulator process holding the old schema (one table, `base`). */
async function withOldSchema(dir: string) {
  const child = await spawnEmulator(dir)
  const setup = await push(child.ready, [{ kind: 'table.create', table: 'base', model: model('base') }])
  expect(setup.status).to.equal(200)
  return child
}

describe('durability: a push to the emulator killed with SIGKILL half-way', function () {
  this.timeout(120_000)

  it(`leaves the old or the new schema, never part of it (${TABLES} tables in one push, killed at points across it)`, async () => {
    // A push that runs to the end: how long it takes sets where the kills land.
    const calibration = await tempDir()
    let duration: number
    try {
      const child = await withOldSchema(calibration.dir)
      const started = performance.now()
      const done = await push(child.ready, bigPush)
      duration = performance.now() - started
      expect(done.status, await done.text()).to.equal(200)
      await child.kill()
      expect(await schemaIn(calibration.dir)).to.deep.equal({ tables: TABLES + 1, baseHasAdded: true })
    } finally {
      await calibration.cleanup()
    }

    const outcomes: Array<{ at: number; answered: boolean; tables: number }> = []
    for (const fraction of [0.1, 0.3, 0.5, 0.7, 0.9, 1.0, 1.2]) {
      const { dir, cleanup } = await tempDir()
      try {
        const child = await withOldSchema(dir)
        let answered = false
        const request = push(child.ready, bigPush).then(
          (r) => (answered = r.status === 200),
          () => undefined,
        )
        await new Promise((resolve) => setTimeout(resolve, duration * fraction))
        await child.kill()
        await request
        const after = await schemaIn(dir)
        outcomes.push({ at: fraction, answered, tables: after.tables })
        const old = { tables: 1, baseHasAdded: false }
        const pushed = { tables: TABLES + 1, baseHasAdded: true }
        expect([old, pushed], `killed at ${fraction} of the push`).to.deep.include(after)
        // An acknowledged push is never lost.
        if (answered) expect(after).to.deep.equal(pushed)
      } finally {
        await cleanup()
      }
    }
    expect(outcomes).to.have.length(7)
    // The kills did land inside pushes, not only after them.
    expect(outcomes.filter((o) => !o.answered).length, JSON.stringify(outcomes)).to.be.greaterThan(0)
  })
})
