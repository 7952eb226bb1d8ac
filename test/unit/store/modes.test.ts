import { expect } from 'chai'
import { chmod, lstat, mkdir, readdir, symlink, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { Store } from '../../../src/emulator/store/store.js'
import { tempDir } from '../../helpers/tmp.js'

const ENV = 'a1b2c3d4e5f6a1b2c3d4e5f6'

/** Every entry under `dir` (itself included) with its permission bits, symbolic links apart. */
async function modes(dir: string): Promise<Array<{ path: string; kind: 'dir' | 'file' | 'link'; mode: number }>> {
  const out: Array<{ path: string; kind: 'dir' | 'file' | 'link'; mode: number }> = []
  const walk = async (path: string): Promise<void> => {
    const info = await lstat(path)
    const kind = info.isSymbolicLink() ? 'link' : info.isDirectory() ? 'dir' : 'file'
    out.push({ path: relative(dir, path) || '.', kind, mode: info.mode & 0o777 })
    if (kind === 'dir') for (const name of await readdir(path)) await walk(join(path, name))
  }
  await walk(dir)
  return out
}

function expectOwnerOnly(entries: Awaited<ReturnType<typeof modes>>): void {
  const wrong = entries.filter((e) => e.kind !== 'link' && e.mode !== (e.kind === 'dir' ? 0o700 : 0o600))
  expect(wrong.map((e) => `${e.path} ${e.mode.toString(8)}`)).to.deep.equal([])
}

async function* bytes(text: string): AsyncIterable<Buffer> {
  yield Buffer.from(text)
}

describe('store: file modes', () => {
  let dir: string
  let cleanup: () => Promise<void>
  let umask: number
  beforeEach(async () => {
    ;({ dir, cleanup } = await tempDir())
    umask = process.umask(0)
  })
  afterEach(async () => {
    process.umask(umask)
    await cleanup()
  })

  it('creates directories 0700 and journals, snapshots, the lock and blobs 0600 under umask 0', async () => {
    const dataDir = join(dir, 'data')
    const store = await Store.open({ dataDir, fsync: 'always' })
    await store.control.put('things', { id: 'a' })
    await (await store.ensureDatabase('env-x')).put('rows', { id: 'r' })
    const staged = await store.blobs.stage(ENV, bytes('hello'), 100)
    await staged.commit({ environmentId: ENV, object: 'abc123' })
    const whileOpen = await modes(dataDir)
    await store.close()
    const afterClose = await modes(dataDir)

    const names = (entries: typeof whileOpen) => entries.map((e) => e.path).sort()
    expect(names(whileOpen)).to.include.members(['.', 'bkend.lock', 'db', 'db/control.journal', 'db/env-x.journal', `storage/${ENV}/objects/abc123`])
    expect(names(afterClose)).to.include.members(['db/control.json', 'db/env-x.json'])
    expectOwnerOnly(whileOpen)
    expectOwnerOnly(afterClose)
  })

  it('tightens an existing data directory with loose modes when it opens, leaving symbolic links alone', async () => {
    const dataDir = join(dir, 'data')
    const objects = join(dataDir, 'storage', ENV, 'objects')
    await mkdir(join(dataDir, 'db'), { recursive: true })
    await mkdir(objects, { recursive: true })
    await writeFile(join(dataDir, 'runtime.json'), '{}')
    await writeFile(join(dataDir, 'db', 'control.journal'), '')
    await writeFile(join(objects, 'abc123'), 'bytes')
    const outside = join(dir, 'outside.txt')
    await writeFile(outside, 'not ours')
    await chmod(outside, 0o644)
    await symlink(outside, join(dataDir, 'link'))
    for (const path of [dataDir, join(dataDir, 'db'), join(dataDir, 'storage'), join(dataDir, 'storage', ENV), objects]) await chmod(path, 0o777)
    for (const path of [join(dataDir, 'runtime.json'), join(dataDir, 'db', 'control.journal'), join(objects, 'abc123')]) await chmod(path, 0o666)
    expect((await modes(dataDir)).filter((e) => e.kind !== 'link' && (e.mode === 0o777 || e.mode === 0o666))).to.have.length(8)

    const store = await Store.open({ dataDir, fsync: 'everysec' })
    await store.close()
    const after = await modes(dataDir)
    expect(after.map((e) => e.path)).to.include.members(['runtime.json', 'db/control.journal', `storage/${ENV}/objects/abc123`, 'link'])
    expectOwnerOnly(after)
    expect((await lstat(outside)).mode & 0o777).to.equal(0o644)
  })

  it('tightens a data directory reached through a symbolic link', async () => {
    const real = join(dir, 'real')
    await mkdir(real, { mode: 0o777 })
    await chmod(real, 0o777)
    const dataDir = join(dir, 'linked')
    await symlink(real, dataDir)
    const store = await Store.open({ dataDir, fsync: 'everysec' })
    await store.close()
    expect((await lstat(real)).mode & 0o777).to.equal(0o700)
    expectOwnerOnly(await modes(real))
  })
})
