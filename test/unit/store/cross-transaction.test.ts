import { expect } from 'chai'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Store } from '../../../src/emulator/store/store.js'
import { runUntilKilled } from '../../helpers/killed-writer.js'
import { tempDir } from '../../helpers/tmp.js'

const writer = fileURLToPath(new URL('../../fixtures/transaction-crash-writer.ts', import.meta.url))

describe('store: a transaction of several databases', function () {
  this.timeout(30_000)

  it('is kept whole across a reopen, and leaves no redo intent behind', async () => {
    const { dir, cleanup } = await tempDir()
    try {
      const store = await Store.open({ dataDir: dir, fsync: 'always' })
      const env = await store.ensureDatabase('env-a')
      await store.transaction(async () => {
        await store.control.put('settings', { id: 's', v: 1 })
        await env.put('tables', { id: 't', v: 1 })
      })
      expect((await readdir(join(dir, 'db'))).filter((f) => f.startsWith('_tx-'))).to.deep.equal([])
      await store.close()
      const again = await Store.open({ dataDir: dir, fsync: 'always' })
      expect(again.control.collection('settings').get('s')).to.deep.equal({ id: 's', v: 1 })
      expect(again.database('env-a')!.collection('tables').get('t')).to.deep.equal({ id: 't', v: 1 })
      await again.close()
    } finally {
      await cleanup()
    }
  })

  it('a kill -9 after one database journalled its part and before the other: the next open finishes the other', async () => {
    const { dir, cleanup } = await tempDir()
    try {
      let cut = false
      await runUntilKilled(writer, [dir], (line, child) => {
        if (line === 'cut') {
          cut = true
          child.kill('SIGKILL')
        }
      })
      expect(cut).to.equal(true)
      expect((await readdir(join(dir, 'db'))).filter((f) => /^_tx-\d+\.json$/.test(f))).to.have.length(1)
      const store = await Store.open({ dataDir: dir, fsync: 'always' })
      try {
        expect(store.control.collection('settings').get('s')).to.deep.equal({ id: 's', v: 2 })
        const tables = store.database('env-b')!.collection('tables')
        expect(tables.get('t')).to.deep.equal({ id: 't', v: 2 })
        expect(tables.get('u')).to.deep.equal({ id: 'u', v: 1 })
        expect((await readdir(join(dir, 'db'))).filter((f) => f.startsWith('_tx-'))).to.deep.equal([])
        // Writes go on after the recovery, and a later transaction is numbered past the recovered one.
        await store.transaction(async () => {
          await store.control.put('settings', { id: 's', v: 3 })
          await store.database('env-b')!.put('tables', { id: 't', v: 3 })
        })
      } finally {
        await store.close()
      }
      const again = await Store.open({ dataDir: dir, fsync: 'always' })
      expect(again.control.collection('settings').get('s')).to.deep.equal({ id: 's', v: 3 })
      expect(again.database('env-b')!.collection('tables').get('t')).to.deep.equal({ id: 't', v: 3 })
      await again.close()
    } finally {
      await cleanup()
    }
  })
})
