import { expect } from 'chai'
import { fileURLToPath } from 'node:url'
import { Store } from '../../src/emulator/store/store.js'
import { runUntilKilled } from '../helpers/killed-writer.js'
import { tempDir } from '../helpers/tmp.js'

const writer = fileURLToPath(new URL('../fixtures/crash-writer.ts', import.meta.url))

/** Runs the writer, kills it with SIGKILL after `after` acknowledgements, returns the acknowledged ids. */
async function writeThenKill(dataDir: string, after: number, fsync: string): Promise<number[]> {
  const acked: number[] = []
  await runUntilKilled(writer, [dataDir, fsync], (line, child) => {
    if (line !== 'ready') acked.push(Number(line))
    if (acked.length >= after && !child.killed) child.kill('SIGKILL')
  })
  return acked
}

describe('durability: kill -9 mid-stream', function () {
  this.timeout(60_000)

  for (const [round, fsync] of [
    [1, 'everysec'],
    [2, 'everysec'],
    [3, 'everysec'],
    [4, 'always'],
    [5, 'always'],
  ] as const) {
    it(`keeps every acknowledged write after SIGKILL (round ${round}, fsync ${fsync})`, async () => {
      const { dir, cleanup } = await tempDir()
      try {
        const acked = await writeThenKill(dir, 400 + round * 700, fsync)
        expect(acked.length).to.be.greaterThan(400)
        const store = await Store.open({ dataDir: dir, fsync: 'everysec' })
        const db = store.database('env-crash')!
        const missing = acked.filter((i) => !db.collection('rows').has(`r${i}`) || !db.collection('audit').has(`a${i}`))
        expect(missing, `acknowledged but lost: ${missing.slice(0, 10).join(', ')}`).to.deep.equal([])
        // Whatever survived is whole: each row came with its audit entry (one journal line per commit).
        for (const row of db.collection('rows').values()) expect(db.collection('audit').has(`a${row.i}`)).to.equal(true)
        await store.close()
      } finally {
        await cleanup()
      }
    })
  }
})
