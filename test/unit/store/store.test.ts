import { expect } from 'chai'
import { access, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DataDirLockedError, Store } from '../../../src/emulator/store/store.js'
import { tempDir } from '../../helpers/tmp.js'

describe('store: Store', () => {
  let dir: string
  let cleanup: () => Promise<void>
  beforeEach(async () => ({ dir, cleanup } = await tempDir()))
  afterEach(() => cleanup())

  it('refuses a second store on the same data directory while the first is open', async () => {
    const first = await Store.open({ dataDir: dir, fsync: 'everysec' })
    let error: unknown
    try {
      await Store.open({ dataDir: dir, fsync: 'everysec' })
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(DataDirLockedError)
    expect((error as DataDirLockedError).pid).to.equal(process.pid)
    await first.close()
    const second = await Store.open({ dataDir: dir, fsync: 'everysec' })
    await second.close()
  })

  it('takes over a lock left by a process that no longer runs', async () => {
    await writeFile(join(dir, 'bkend.lock'), '999999999\n')
    const store = await Store.open({ dataDir: dir, fsync: 'everysec' })
    await store.close()
  })

  it('loads every database of the data directory, and drops one with its files', async () => {
    const store = await Store.open({ dataDir: dir, fsync: 'everysec' })
    const env = await store.ensureDatabase('env-abc')
    await env.put('rows', { id: 'r1' })
    await store.control.put('projects', { id: 'p1' })
    await store.close()

    const reopened = await Store.open({ dataDir: dir, fsync: 'everysec' })
    expect(reopened.databaseNames().sort()).to.deep.equal(['control', 'env-abc'])
    expect(reopened.database('env-abc')!.collection('rows').has('r1')).to.equal(true)
    await reopened.dropDatabase('env-abc')
    expect(reopened.database('env-abc')).to.equal(undefined)
    let missing = false
    await access(join(dir, 'db', 'env-abc.json')).catch(() => (missing = true))
    expect(missing).to.equal(true)
    await reopened.close()
  })
})
