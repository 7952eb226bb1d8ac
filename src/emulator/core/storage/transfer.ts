import type { Readable } from 'node:stream'
import type { BlobKey, ByteRange, StagedBlob } from '../../store/store.js'
import { invalid, notFound } from '../errors.js'
import { envDb, stageBlob, type StorageDeps } from './context.js'
import { unregistered, type FileService } from './files.js'
import { S, type AvatarDoc, type PartDoc, type StoredBytes, type UploadDoc } from './model.js'
import { parseKey } from './names.js'
import type { StorageClaims } from './tokens.js'

/** Bytes ready to be served: how to describe them, and their content (all of it, or one range). */
export interface StoredObject {
  size: number
  mimeType: string
  filename: string
  etag: string
  /** Where the bytes are stored (what derived variants are kept with). */
  blob: BlobKey
  stream(range?: ByteRange): Readable
}

const gone = () => notFound('file/not-found', 'This file no longer exists')

/** The signed-URL side of storage (rest-storage.md §4): receiving uploads and locating bytes to serve. */
export class Transfer {
  constructor(
    private readonly deps: StorageDeps,
    private readonly files: FileService,
  ) {}

  /**
   * Stores the body of a signed `PUT` (an object, a multipart part or an avatar), streaming it to the blob store
   * while hashing; returns the md5 ETag. The stored content type is the request's, else the declared one.
   */
  async receive(token: string, body: Readable, contentType: string | undefined, contentLength: number | null): Promise<{ etag: string }> {
    const claims = this.deps.tokens.verify(token, 'PUT', ['object', 'part', 'avatar'])
    const declared = claims.contentType ?? 'application/octet-stream'
    const type = contentType && contentType.trim() !== '' ? contentType : declared
    const maxSize = Math.min(claims.maxSize ?? this.deps.maxFileSize, this.deps.maxFileSize)
    // A body announced too large is refused before a byte is read; one that grows too large while streaming, as soon
    // as it does.
    if (contentLength !== null && contentLength > maxSize) throw invalid('file/file-too-large', `The upload is larger than the allowed ${maxSize} bytes`)
    if (claims.kind === 'part') return this.receivePart(claims, body, maxSize)
    if (claims.kind === 'avatar') return this.receiveAvatar(claims, body, maxSize, type)
    const envId = claims.environmentId
    const before = this.files.byKey(envId, claims.key)
    if (!before) throw gone()
    const key: BlobKey = { environmentId: envId, object: before.id }
    const written = await this.store(key, body, maxSize)
    // The record may have been registered, updated or deleted while the bytes streamed in: write onto the latest.
    const latest = this.files.byKey(envId, claims.key)
    if (!latest) {
      await this.deps.blobs.remove(key)
      throw gone()
    }
    const bytes: StoredBytes = { size: written.size, etag: written.md5, contentType: type }
    await envDb(this.deps, envId).put(S.files, { ...latest, bytes })
    return { etag: written.md5 }
  }

  private async receivePart(claims: StorageClaims, body: Readable, maxSize: number): Promise<{ etag: string }> {
    const envId = claims.environmentId
    const uploadId = claims.uploadId as string
    const partNumber = claims.partNumber as number
    if (!this.openUpload(envId, uploadId, claims.key)) throw gone()
    const key: BlobKey = { environmentId: envId, upload: uploadId, part: partNumber }
    const written = await this.store(key, body, maxSize)
    if (!this.openUpload(envId, uploadId, claims.key)) {
      await this.deps.blobs.remove(key)
      throw gone()
    }
    const part: PartDoc = { id: `${uploadId}-${partNumber}`, uploadId, partNumber, size: written.size, etag: written.md5 }
    await envDb(this.deps, envId).put(S.parts, part)
    return { etag: written.md5 }
  }

  private async receiveAvatar(claims: StorageClaims, body: Readable, maxSize: number, contentType: string): Promise<{ etag: string }> {
    const envId = claims.environmentId
    const find = () => this.avatar(envId, claims.key)
    const before = find()
    if (!before) throw gone()
    const key: BlobKey = { environmentId: envId, object: before.id }
    const written = await this.store(key, body, maxSize)
    const latest = find()
    if (!latest) {
      await this.deps.blobs.remove(key)
      throw gone()
    }
    await envDb(this.deps, envId).put(S.avatars, { ...latest, bytes: { size: written.size, etag: written.md5, contentType } })
    return { etag: written.md5 }
  }

  /**
   * Streams the body in and makes it the content of `key`. The caller checks afterwards that the record still
   * wants it: the check and the record's update then happen in one tick, with nothing awaited in between.
   */
  private async store(key: BlobKey, body: Readable, maxSize: number): Promise<StagedBlob> {
    const staged = await stageBlob(this.deps, key.environmentId, body, maxSize)
    await staged.commit(key)
    return staged
  }

  /** An open (unexpired) multipart upload for `key`. */
  openUpload(environmentId: string, uploadId: string, key?: string): UploadDoc | undefined {
    const upload = envDb(this.deps, environmentId).collection<UploadDoc>(S.uploads).get(uploadId)
    if (!upload || Date.parse(upload.expiresAt) <= this.deps.clock.nowMs()) return undefined
    return key === undefined || upload.key === key ? upload : undefined
  }

  /** An avatar object issued for `key` that has not been discarded. */
  avatar(environmentId: string, key: unknown): AvatarDoc | undefined {
    const parts = parseKey(key)
    if (!parts || parts.bucket !== 'avatars') return undefined
    const doc = envDb(this.deps, environmentId).collection<AvatarDoc>(S.avatars).get(parts.id)
    if (!doc || doc.key !== key || (doc.status === 'pending' && Date.parse(doc.expiresAt) <= this.deps.clock.nowMs())) return undefined
    return doc
  }

  /** The bytes behind a signed download URL; a deleted file or missing bytes is 404. */
  async download(token: string): Promise<StoredObject> {
    const claims = this.deps.tokens.verify(token, 'GET', ['download'])
    const doc = this.files.byKey(claims.environmentId, claims.key)
    if (!doc) throw gone()
    if (doc.status !== 'active') throw unregistered(doc.id)
    return this.stored(claims.environmentId, doc.id, doc.bytes, doc.mimeType, doc.originalName)
  }

  /** A `public` file or an active avatar, found by key in whichever environment issued it; otherwise 404. */
  async publicObject(key: string): Promise<StoredObject> {
    const parts = parseKey(key)
    if (!parts) throw gone()
    let pending: string | null = null
    for (const env of this.deps.envs.ids()) {
      if (parts.bucket === 'avatars') {
        const avatar = this.avatar(env, key)
        if (avatar?.status === 'active') return this.stored(env, avatar.id, avatar.bytes, avatar.mimeType, parts.name)
        continue
      }
      const doc = this.files.byKey(env, key)
      if (doc?.status === 'active' && doc.visibility === 'public') return this.stored(env, doc.id, doc.bytes, doc.mimeType, doc.originalName)
      if (doc?.status === 'pending') pending = doc.id
    }
    throw pending === null ? gone() : unregistered(pending)
  }

  private async stored(environmentId: string, id: string, bytes: StoredBytes | null, mimeType: string, filename: string): Promise<StoredObject> {
    const key: BlobKey = { environmentId, object: id }
    const size = bytes ? await this.deps.blobs.size(key) : null
    if (!bytes || size === null) throw notFound('file/not-found', 'No bytes have been uploaded for this file')
    return { size, mimeType, filename, etag: bytes.etag, blob: key, stream: (range) => this.deps.blobs.read(key, range) }
  }
}
