import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, readdir, rename, rm, stat, unlink } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { DomainError, invalid } from '../errors.js'
import { isId, randomHex } from '../ids.js'

/** What a finished write stored. */
export interface Written {
  size: number
  /** md5 hex of the bytes. */
  md5: string
}

/**
 * File bytes on disk, one folder per environment: `<root>/<environmentId>/objects/<record id>` and
 * `<root>/<environmentId>/parts/<uploadId>/<partNumber>`. Paths never contain user input (record ids and upload
 * ids are hex). Bytes are streamed into a temp file while hashing and renamed into place only when complete, so a
 * crashed or refused upload leaves nothing half-visible.
 */
export class BlobStore {
  constructor(private readonly root: string) {}

  private envDir(environmentId: string): string {
    if (!isId(environmentId)) throw new Error(`invalid environment id ${environmentId}`)
    return join(this.root, environmentId)
  }

  objectPath(environmentId: string, id: string): string {
    return join(this.envDir(environmentId), 'objects', id)
  }

  partDir(environmentId: string, uploadId: string): string {
    return join(this.envDir(environmentId), 'parts', uploadId)
  }

  partPath(environmentId: string, uploadId: string, partNumber: number): string {
    return join(this.partDir(environmentId, uploadId), String(partNumber))
  }

  /** Makes sure the environment's folder is usable before URLs pointing into it are handed out. */
  async ensure(environmentId: string): Promise<void> {
    try {
      await mkdir(join(this.envDir(environmentId), 'tmp'), { recursive: true, mode: 0o700 })
    } catch (error) {
      throw new DomainError('file/bucket-not-configured', 'internal', `The local storage directory is not usable: ${(error as NodeJS.ErrnoException).code ?? 'error'}`)
    }
  }

  /**
   * Streams `source` into `target`, refusing (400 `file/file-too-large`) as soon as it passes `maxSize` bytes. A
   * refused source is left open (not destroyed), so an HTTP request can still be answered and drained.
   */
  async write(environmentId: string, target: string, source: Readable, maxSize: number): Promise<Written> {
    return this.writeFrom(environmentId, target, source.iterator({ destroyOnReturn: false }), maxSize)
  }

  /** Concatenates files (multipart parts, in the given order) into `target`. */
  async concat(environmentId: string, target: string, sources: readonly string[], maxSize: number): Promise<Written> {
    async function* chunks() {
      for (const path of sources) yield* createReadStream(path)
    }
    return this.writeFrom(environmentId, target, chunks(), maxSize)
  }

  private async writeFrom(environmentId: string, target: string, source: AsyncIterable<Buffer>, maxSize: number): Promise<Written> {
    await this.ensure(environmentId)
    const temp = join(this.envDir(environmentId), 'tmp', randomHex(12))
    const hash = createHash('md5')
    let size = 0
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length
        if (size > maxSize) return done(invalid('file/file-too-large', `The upload is larger than the allowed ${maxSize} bytes`))
        hash.update(chunk)
        done(null, chunk)
      },
    })
    try {
      await pipeline(source, meter, createWriteStream(temp, { mode: 0o600 }))
      await mkdir(dirname(target), { recursive: true, mode: 0o700 })
      await rename(temp, target)
    } catch (error) {
      await unlink(temp).catch(() => undefined)
      throw error
    }
    return { size, md5: hash.digest('hex') }
  }

  /** Size of a stored file, or null when it is not there. */
  async size(path: string): Promise<number | null> {
    try {
      return (await stat(path)).size
    } catch {
      return null
    }
  }

  async remove(path: string): Promise<void> {
    await rm(path, { recursive: true, force: true })
  }

  /** Removes everything an environment stored. */
  async drop(environmentId: string): Promise<void> {
    await rm(this.envDir(environmentId), { recursive: true, force: true })
  }

  /** Environment folders present on disk. */
  async environments(): Promise<string[]> {
    try {
      return (await readdir(this.root)).filter((name) => isId(name))
    } catch {
      return []
    }
  }
}
