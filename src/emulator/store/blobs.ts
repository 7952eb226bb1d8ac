import { once } from 'node:events'
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, readdir, rename, rm, stat, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { StoreWriteError } from './files.js'

/**
 * Where a blob lives: a stored object (a file record's or an avatar's id), a derived variant of one (a transformed
 * image, named by a hex digest of what produced it) or one part of a multipart upload.
 */
export type BlobKey =
  | { environmentId: string; object: string; variant?: string }
  | { environmentId: string; upload: string; part: number }

/** Inclusive byte offsets, as in an HTTP `Range`. */
export interface ByteRange {
  start: number
  end: number
}

/** Bytes streamed in and hashed, not yet visible under any key. */
export interface StagedBlob {
  size: number
  /** md5 hex of the bytes. */
  md5: string
  /** Makes the bytes the content of `key`, replacing what was there (and the variants of an object), in one step; once. */
  commit(key: BlobKey): Promise<void>
}

/** What `stage` throws when the source passes `maxSize`; the domain turns it into its own error. */
export class BlobTooLargeError extends Error {
  constructor(readonly maxSize: number) {
    super(`The blob is larger than the allowed ${maxSize} bytes`)
  }
}

/** What `ensure` throws when an environment's blob space cannot be used. */
export class BlobSpaceError extends Error {
  constructor(readonly code: string) {
    super(`The local storage directory is not usable: ${code}`)
  }
}

/** File bytes, by environment: the only way the domain stores, reads and removes them. */
export interface BlobStore {
  /** Makes sure an environment's space is usable before URLs pointing into it are handed out. */
  ensure(environmentId: string): Promise<void>
  /**
   * Streams `source` into a staged blob while hashing it, refusing (BlobTooLargeError) as soon as it passes
   * `maxSize` bytes; a refused or failed source leaves nothing behind.
   */
  stage(environmentId: string, source: AsyncIterable<Buffer>, maxSize: number): Promise<StagedBlob>
  /** The bytes of `key`, or of one range of them. */
  read(key: BlobKey, range?: ByteRange): Readable
  /** Size in bytes, or null when `key` holds nothing. */
  size(key: BlobKey): Promise<number | null>
  /** Removes `key`; an object goes with its variants. */
  remove(key: BlobKey): Promise<void>
  /** Removes every part of a multipart upload. */
  removeUpload(environmentId: string, uploadId: string): Promise<void>
  /** Removes everything an environment stored. */
  drop(environmentId: string): Promise<void>
  /**
   * Removes what a crash can leave: the space of environments `exists` does not know (dropped between the database
   * and the bytes) and staged bytes no upload will ever commit.
   */
  sweep(exists: (environmentId: string) => boolean): Promise<void>
}

/** Errors of the disk itself, as opposed to the upload's source (a client that went away). */
const DISK_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO'])

function diskFailure(error: unknown, what: string): unknown {
  const code = (error as NodeJS.ErrnoException).code
  return code && DISK_ERRORS.has(code) ? StoreWriteError.of(error, what) : error
}

const ID = /^[0-9a-f]{24}$/
const HEX = /^[0-9a-f]+$/

/**
 * Blobs as files, one folder per environment: `<root>/<environmentId>/objects/<id>` and
 * `<root>/<environmentId>/parts/<uploadId>/<partNumber>`, variants of an object under
 * `<root>/<environmentId>/variants/<id>/<digest>`. Paths never contain user input (ids are hex, checked
 * here). Bytes stream into `tmp/` and are renamed into place only when complete, so a crashed or refused upload
 * leaves nothing half-visible.
 */
export class FileBlobStore implements BlobStore {
  constructor(private readonly root: string) {}

  private envDir(environmentId: string): string {
    if (!ID.test(environmentId)) throw new Error(`invalid environment id ${environmentId}`)
    return join(this.root, environmentId)
  }

  private uploadDir(environmentId: string, uploadId: string): string {
    return join(this.envDir(environmentId), 'parts', hex(uploadId, 'upload id'))
  }

  private variantDir(environmentId: string, object: string): string {
    return join(this.envDir(environmentId), 'variants', hex(object, 'object id'))
  }

  /** Variants are derived from an object's bytes: they go when those bytes are replaced or removed. */
  private async removeVariants(key: BlobKey): Promise<void> {
    if ('object' in key && key.variant === undefined) await rm(this.variantDir(key.environmentId, key.object), { recursive: true, force: true })
  }

  private path(key: BlobKey): string {
    if ('object' in key) {
      if (key.variant === undefined) return join(this.envDir(key.environmentId), 'objects', hex(key.object, 'object id'))
      return join(this.variantDir(key.environmentId, key.object), hex(key.variant, 'variant'))
    }
    if (!Number.isInteger(key.part) || key.part < 1) throw new Error(`invalid part number ${key.part}`)
    return join(this.uploadDir(key.environmentId, key.upload), String(key.part))
  }

  async ensure(environmentId: string): Promise<void> {
    try {
      await mkdir(join(this.envDir(environmentId), 'tmp'), { recursive: true, mode: 0o700 })
    } catch (error) {
      throw new BlobSpaceError((error as NodeJS.ErrnoException).code ?? 'error')
    }
  }

  async stage(environmentId: string, source: AsyncIterable<Buffer>, maxSize: number): Promise<StagedBlob> {
    await this.ensure(environmentId)
    const temp = join(this.envDir(environmentId), 'tmp', randomBytes(12).toString('hex'))
    const hash = createHash('md5')
    let size = 0
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length
        if (size > maxSize) return done(new BlobTooLargeError(maxSize))
        hash.update(chunk)
        done(null, chunk)
      },
    })
    const out = createWriteStream(temp, { mode: 0o600 })
    try {
      await pipeline(source, meter, out)
    } catch (error) {
      // note: a source refused at once can fail the pipeline before the file is even open; the stream still opens
      // it, then closes it. Removing it before that close would leave the file behind (seen on a loaded machine).
      if (!out.closed) await once(out, 'close').catch(() => undefined)
      await unlink(temp).catch(() => undefined)
      throw diskFailure(error, 'storing the uploaded bytes')
    }
    let committed = false
    return {
      size,
      md5: hash.digest('hex'),
      commit: async (key) => {
        if (committed) throw new Error('a staged blob is committed once')
        committed = true
        const target = this.path(key)
        try {
          await mkdir(dirname(target), { recursive: true, mode: 0o700 })
          await rename(temp, target)
          await this.removeVariants(key)
        } catch (error) {
          await unlink(temp).catch(() => undefined)
          throw diskFailure(error, 'storing the uploaded bytes')
        }
      },
    }
  }

  read(key: BlobKey, range?: ByteRange): Readable {
    return createReadStream(this.path(key), range)
  }

  async size(key: BlobKey): Promise<number | null> {
    try {
      return (await stat(this.path(key))).size
    } catch {
      return null
    }
  }

  async remove(key: BlobKey): Promise<void> {
    await rm(this.path(key), { force: true })
    await this.removeVariants(key)
  }

  async removeUpload(environmentId: string, uploadId: string): Promise<void> {
    await rm(this.uploadDir(environmentId, uploadId), { recursive: true, force: true })
  }

  async drop(environmentId: string): Promise<void> {
    await rm(this.envDir(environmentId), { recursive: true, force: true })
  }

  async sweep(exists: (environmentId: string) => boolean): Promise<void> {
    for (const name of await listNames(this.root)) {
      if (!ID.test(name)) continue
      if (!exists(name)) {
        await this.drop(name)
        continue
      }
      // note: the data-dir lock makes this emulator the only writer, so anything staged before it opened was an
      // upload cut off by a crash.
      const tmp = join(this.root, name, 'tmp')
      for (const staged of await listNames(tmp)) await rm(join(tmp, staged), { force: true })
    }
  }
}

function hex(value: string, what: string): string {
  if (!HEX.test(value)) throw new Error(`invalid ${what} ${value}`)
  return value
}

async function listNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir)
  } catch {
    return []
  }
}
