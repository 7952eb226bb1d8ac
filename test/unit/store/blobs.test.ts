import { expect } from 'chai'
import { createHash } from 'node:crypto'
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { BlobTooLargeError, FileBlobStore, type BlobKey } from '../../../src/emulator/store/blobs.js'
import { tempDir } from '../../helpers/tmp.js'

const ENV = 'aaaaaaaaaaaaaaaaaaaaaaaa'
const OTHER = 'bbbbbbbbbbbbbbbbbbbbbbbb'
const object: BlobKey = { environmentId: ENV, object: 'cccccccccccccccccccccccc' }

async function text(stream: Readable): Promise<string> {
  let out = ''
  for await (const chunk of stream) out += (chunk as Buffer).toString()
  return out
}

const chunks = (...parts: string[]) => Readable.from(parts.map((part) => Buffer.from(part)))

describe('store: FileBlobStore', () => {
  let dir: string
  let cleanup: () => Promise<void>
  let blobs: FileBlobStore
  beforeEach(async () => {
    ;({ dir, cleanup } = await tempDir())
    blobs = new FileBlobStore(dir)
  })
  afterEach(() => cleanup())

  it('stages bytes invisibly, hashing them, and commits them under a key', async () => {
    const staged = await blobs.stage(ENV, chunks('hello ', 'world'), 100)
    expect(staged.size).to.equal(11)
    expect(staged.md5).to.equal(createHash('md5').update('hello world').digest('hex'))
    expect(await blobs.size(object)).to.equal(null)
    await staged.commit(object)
    expect(await blobs.size(object)).to.equal(11)
    expect(await text(blobs.read(object))).to.equal('hello world')
    expect(await readdir(join(dir, ENV, 'tmp'))).to.deep.equal([])
  })

  it('reads one inclusive byte range', async () => {
    await (await blobs.stage(ENV, chunks('0123456789'), 100)).commit(object)
    expect(await text(blobs.read(object, { start: 2, end: 5 }))).to.equal('2345')
    expect(await text(blobs.read(object, { start: 9, end: 9 }))).to.equal('9')
  })

  it('a commit replaces what the key held', async () => {
    await (await blobs.stage(ENV, chunks('first version'), 100)).commit(object)
    await (await blobs.stage(ENV, chunks('second'), 100)).commit(object)
    expect(await text(blobs.read(object))).to.equal('second')
  })

  it('refuses a source past maxSize and leaves nothing staged', async () => {
    let error: unknown
    try {
      await blobs.stage(ENV, chunks('12345', '67890', 'x'), 10)
    } catch (e) {
      error = e
    }
    expect(error).to.be.instanceOf(BlobTooLargeError)
    expect((error as BlobTooLargeError).maxSize).to.equal(10)
    expect(await readdir(join(dir, ENV, 'tmp'))).to.deep.equal([])
  })

  it('a staged blob is committed once: a second commit cannot move other bytes', async () => {
    const staged = await blobs.stage(ENV, chunks('once'), 100)
    await staged.commit(object)
    let error: unknown
    try {
      await staged.commit({ environmentId: ENV, object: 'dddddddddddddddddddddddd' })
    } catch (e) {
      error = e
    }
    expect((error as Error).message).to.match(/committed once/)
    expect(await blobs.size({ environmentId: ENV, object: 'dddddddddddddddddddddddd' })).to.equal(null)
  })

  it('keeps the parts of a multipart upload apart and removes them together', async () => {
    const upload = 'dddddddddddddddddddddddddddddddd'
    await (await blobs.stage(ENV, chunks('part one'), 100)).commit({ environmentId: ENV, upload, part: 1 })
    await (await blobs.stage(ENV, chunks('part two'), 100)).commit({ environmentId: ENV, upload, part: 2 })
    expect(await blobs.size({ environmentId: ENV, upload, part: 2 })).to.equal(8)
    await blobs.removeUpload(ENV, upload)
    expect(await blobs.size({ environmentId: ENV, upload, part: 1 })).to.equal(null)
    expect(await blobs.size({ environmentId: ENV, upload, part: 2 })).to.equal(null)
  })

  it('refuses keys that are not hex ids, so no path is built from user input', async () => {
    const bad: BlobKey[] = [
      { environmentId: '../etc', object: 'cccccccccccccccccccccccc' },
      { environmentId: ENV, object: '../../x' },
      { environmentId: ENV, upload: 'dd/..', part: 1 },
      { environmentId: ENV, upload: 'dddd', part: 0 },
    ]
    expect(bad).to.have.length(4)
    for (const key of bad) expect(() => blobs.read(key), JSON.stringify(key)).to.throw(/invalid/)
  })

  it('sweeps environments that no longer exist and uploads a crash cut off, keeping committed bytes', async () => {
    await (await blobs.stage(ENV, chunks('kept'), 100)).commit(object)
    await (await blobs.stage(OTHER, chunks('orphan'), 100)).commit({ environmentId: OTHER, object: 'cccccccccccccccccccccccc' })
    await writeFile(join(dir, ENV, 'tmp', 'eeeeeeeeeeeeeeeeeeeeeeee'), 'half an upload')
    await mkdir(join(dir, 'not-an-environment'))
    await blobs.sweep((id) => id === ENV)
    expect((await readdir(dir)).sort()).to.deep.equal([ENV, 'not-an-environment'])
    expect(await readdir(join(dir, ENV, 'tmp'))).to.deep.equal([])
    expect(await text(blobs.read(object))).to.equal('kept')
  })

  it('drops everything an environment stored', async () => {
    await (await blobs.stage(ENV, chunks('bytes'), 100)).commit(object)
    await blobs.drop(ENV)
    expect(await readdir(dir)).to.deep.equal([])
  })
})
