import { expect } from 'chai'
import { readdir } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import { Database } from '../../src/emulator/store/database.js'
import { runUntilKilled } from '../helpers/killed-writer.js'
import { tempDir } from '../helpers/tmp.js'

const writer = fileURLToPath(new URL('../fixtures/compaction-crash-writer.ts', import.meta.url))

/** Runs the writer until a compaction holds at the step, kills it there; returns the acknowledged ids and the step. */
async function writeUntilKilled(dir: string, step: string, nth: number, fsync: string): Promise<{ acked: number[]; killedAt: string }> {
  const acked: number[] = []
  let killedAt = ''
  await runUntilKilled(writer, [dir, step, String(nth), fsync], (line, child) => {
    if (line.startsWith('at ')) killedAt = line.slice(3)
    else if (line !== 'ready') acked.push(Number(line))
    if (killedAt && !child.killed) child.kill('SIGKILL')
  })
  return { acked, killedAt }
}

describe('durability: kill -9 at every step of a compaction', function () {
  this.timeout(60_000)

  for (const [step, nth, fsync] of [
    ['cut', 2, 'everysec'],
    ['sealed', 2, 'everysec'],
    ['chunk', 3, 'everysec'],
    ['chunk', 3, 'always'],
    ['written', 2, 'everysec'],
    ['renamed', 2, 'always'],
    ['dropped', 2, 'everysec'],
  ] as const) {
    it(`keeps every acknowledged write after a kill at "${step}" (fsync ${fsync})`, async () => {
      const { dir, cleanup } = await tempDir()
      try {
        const { acked, killedAt } = await writeUntilKilled(dir, step, nth, fsync)
        expect(killedAt).to.equal(step)
        expect(acked.length).to.be.greaterThan(0)
        const db = await Database.open(dir, 'env-crash', { fsync: 'everysec', compactMinBytes: 8 * 1024 * 1024 })
        expect(db.collection('base').size).to.equal(4000)
        const missing = acked.filter((i) => !db.collection('rows').has(`r${i}`) || !db.collection('audit').has(`a${i}`))
        expect(missing, `acknowledged but lost: ${missing.slice(0, 10).join(', ')}`).to.deep.equal([])
        for (const row of db.collection('rows').values()) expect(db.collection('audit').has(`a${row.i}`)).to.equal(true)
        // A later compaction folds whatever the crash left (sealed segments, a temporary file) into one snapshot.
        await db.close({ compact: true })
        expect((await readdir(dir)).sort()).to.deep.equal(['env-crash.journal', 'env-crash.json'])
        const again = await Database.open(dir, 'env-crash', { fsync: 'everysec', compactMinBytes: 8 * 1024 * 1024 })
        expect(again.collection('rows').size).to.equal(db.collection('rows').size)
        await again.close({ compact: false })
      } finally {
        await cleanup()
      }
    })
  }
})
