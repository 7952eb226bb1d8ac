import { expect } from 'chai'
import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Readable } from 'node:stream'
import { SnapshotError, Store } from '../../../src/emulator/store/store.js'
import { runUntilKilled } from '../../helpers/killed-writer.js'
import { tempDir } from '../../helpers/tmp.js'

const saver = fileURLToPath(new URL('../../fixtures/snapshot-crash-saver.ts', import.meta.url))
const restorer = fileURLToPath(new URL('../../fixtures/snapshot-crash-restorer.ts', import.meta.url))
const ENV = 'a'.repeat(24)

async function text(stream: Readable): Promise<string> {
  let out = ''
  for await (const chunk of stream) out += chunk
  return out
}

async function putBlob(store: Store, object: string, bytes: string): Promise<void> {
  const staged = await store.blobs.stage(ENV, Readable.from([Buffer.from(bytes)]), 1024)
  await staged.commit({ environmentId: ENV, object })
}

describe('store: snapshots of the whole state', () => {
  let dir: string
  let cleanup: () => Promise<void>
  let store: Store
  beforeEach(async () => {
    ;({ dir, cleanup } = await tempDir())
    store = await Store.open({ dataDir: dir, fsync: 'everysec' })
  })
  afterEach(async () => {
    await store.close()
    await cleanup()
  })

  it('restore brings back every database and the file bytes as saved, without reopening the store', async () => {
    const env = await store.ensureDatabase(`env-${ENV}`)
    await env.commit([{ c: 'rows', p: { id: '1', v: 'saved' } }, { c: 'users', p: { id: 'u', email: 'a@example.com' } }])
    await store.control.put('environments', { id: ENV, name: 'dev' })
    await putBlob(store, 'b'.repeat(24), 'saved bytes')

    const saved = await store.snapshots.save('before')
    expect(saved).to.include({ name: 'before' })
    expect(saved.collections[`env-${ENV}`]).to.deep.equal({ rows: 1, users: 1 })
    expect(saved.size).to.be.greaterThan(0)

    await env.commit([{ c: 'rows', p: { id: '1', v: 'changed' } }, { c: 'rows', p: { id: '2', v: 'added' } }, { c: 'users', d: 'u' }, { c: 'later', p: { id: 'x' } }])
    await putBlob(store, 'b'.repeat(24), 'changed bytes')
    await putBlob(store, 'c'.repeat(24), 'added bytes')
    const extra = await store.ensureDatabase('env-' + 'd'.repeat(24))
    await extra.put('rows', { id: 'z' })

    await store.snapshots.restore('before')
    expect([...env.collection('rows').values()]).to.deep.equal([{ id: '1', v: 'saved' }])
    expect(env.collection('users').get('u')).to.deep.equal({ id: 'u', email: 'a@example.com' })
    expect(env.collectionNames().sort()).to.deep.equal(['rows', 'users'])
    expect(store.databaseNames().sort()).to.deep.equal(['control', `env-${ENV}`])
    expect(await text(store.blobs.read({ environmentId: ENV, object: 'b'.repeat(24) }))).to.equal('saved bytes')
    expect(await store.blobs.size({ environmentId: ENV, object: 'c'.repeat(24) })).to.equal(null)

    // The restore is durable: a reopened store (journal replay) holds the restored state.
    await store.close()
    store = await Store.open({ dataDir: dir, fsync: 'everysec' })
    expect([...store.database(`env-${ENV}`)!.collection('rows').values()]).to.deep.equal([{ id: '1', v: 'saved' }])
    expect(store.database('env-' + 'd'.repeat(24))).to.equal(undefined)
  })

  it('a snapshot is a copy: writes after the save, even to the same blob path, do not reach it', async () => {
    await putBlob(store, 'e'.repeat(24), 'v1')
    await store.snapshots.save('s')
    await putBlob(store, 'e'.repeat(24), 'v2')
    await store.snapshots.restore('s')
    expect(await text(store.blobs.read({ environmentId: ENV, object: 'e'.repeat(24) }))).to.equal('v1')
    await store.snapshots.restore('s')
    expect(await text(store.blobs.read({ environmentId: ENV, object: 'e'.repeat(24) }))).to.equal('v1')
  })

  it('lists by name with creation time, size and counts; delete removes one', async () => {
    const db = await store.ensureDatabase('env-' + ENV)
    await db.put('rows', { id: '1' })
    await store.snapshots.save('b-second')
    await store.snapshots.save('a-first')
    const listed = await store.snapshots.list()
    expect(listed.map((s) => s.name)).to.deep.equal(['a-first', 'b-second'])
    for (const s of listed) {
      expect(Date.parse(s.createdAt)).to.be.greaterThan(0)
      expect(s.collections[`env-${ENV}`]).to.deep.equal({ rows: 1 })
    }
    await store.snapshots.delete('a-first')
    expect((await store.snapshots.list()).map((s) => s.name)).to.deep.equal(['b-second'])
    expect((await readdir(join(dir, 'snapshots'))).sort()).to.deep.equal(['b-second'])
  })

  for (const name of ['../escape', 'a/b', '..', '.hidden', 'a..b', '', 'x'.repeat(65), 'spaced name']) {
    it(`refuses the name ${JSON.stringify(name)} for save, restore and delete`, async () => {
      for (const call of [() => store.snapshots.save(name), () => store.snapshots.restore(name), () => store.snapshots.delete(name)]) {
        const error = await call().catch((e: unknown) => e)
        expect(error).to.be.instanceOf(SnapshotError).with.property('kind', 'invalid-name')
      }
      expect(await readdir(dir)).to.not.include('escape')
    })
  }

  it('restore and delete of a name never saved → not-found', async () => {
    for (const call of [() => store.snapshots.restore('nothing'), () => store.snapshots.delete('nothing')]) {
      expect(await call().catch((e: unknown) => e)).to.be.instanceOf(SnapshotError).with.property('kind', 'not-found')
    }
  })

  it('a folder without a manifest (a save cut short by hand) is not listed', async () => {
    await store.snapshots.save('whole')
    await writeFile(join(dir, 'snapshots', 'stray'), 'x')
    expect((await store.snapshots.list()).map((s) => s.name)).to.deep.equal(['whole'])
  })
})

describe('store: a snapshot save killed with SIGKILL half-way', function () {
  this.timeout(60_000)

  for (const step of ['database', 'blobs', 'manifest', 'swap'] as const) {
    it(`at "${step}" leaves the previous snapshot of that name whole and restorable`, async () => {
      const { dir, cleanup } = await tempDir()
      try {
        let killedAt = ''
        await runUntilKilled(saver, [dir, step], (line, child) => {
          if (line.startsWith('at ')) killedAt = line.slice(3)
          if (killedAt && !child.killed) child.kill('SIGKILL')
        })
        expect(killedAt).to.equal(step)
        const store = await Store.open({ dataDir: dir, fsync: 'everysec' })
        try {
          expect((await readdir(join(dir, 'snapshots'))).sort()).to.deep.equal(['base'])
          const [base] = await store.snapshots.list()
          expect(base?.collections['env-crash']).to.deep.equal({ rows: 2000 })
          await store.snapshots.restore('base')
          const rows = [...store.database('env-crash')!.collection('rows').values()]
          expect(rows).to.have.length(2000)
          expect(rows.every((row) => row.v === 'old')).to.equal(true)
        } finally {
          await store.close()
        }
      } finally {
        await cleanup()
      }
    })
  }
})

describe('store: a snapshot restore killed with SIGKILL half-way', function () {
  this.timeout(60_000)

  for (const from of ['its own data dir', 'another data dir'] as const) {
    it(`is finished when the store opens again: the whole snapshot, never a mix (a snapshot of ${from})`, async () => {
      const { dir, cleanup } = await tempDir()
      const other = await tempDir()
      try {
        let killedAt = ''
        await runUntilKilled(restorer, from === 'another data dir' ? [dir, other.dir] : [dir], (line, child) => {
          if (line.startsWith('at ')) killedAt = line.slice(3)
          if (killedAt && !child.killed) child.kill('SIGKILL')
        })
        expect(killedAt).to.equal('restored')
        expect(await readdir(dir)).to.include('restoring.json')
        const store = await Store.open({ dataDir: dir, fsync: 'everysec' })
        try {
          const rows = [...store.database(`env-${ENV}`)!.collection('rows').values()]
          expect(rows).to.have.length(2000)
          expect(rows.every((row) => row.v === 'old')).to.equal(true)
          expect(store.databaseNames().sort()).to.deep.equal(['control', `env-${ENV}`])
          expect(await text(store.blobs.read({ environmentId: ENV, object: 'b'.repeat(24) }))).to.equal('old bytes')
          expect(await readdir(dir)).to.not.include('restoring.json')
        } finally {
          await store.close()
        }
      } finally {
        await other.cleanup()
        await cleanup()
      }
    })
  }
})
