import type { Page } from '../../../contract/common.js'
import type { Database, Op } from '../../store/store.js'
import type { RecordDoc } from '../data/model.js'
import { conflict, forbidden, invalid, notFound, refused } from '../errors.js'
import { isId, newId } from '../ids.js'
import { requireEnum } from '../input.js'
import { pageOf, pageParams } from '../paging.js'
import { ensureBlobSpace, envDb, expiry, signedUrl, type FileCaller, type StorageDeps } from './context.js'
import { BUCKETS, CATEGORIES, LIMITS, OWNER_TYPES, S, VISIBILITIES, bucketOf, fileView, type AvatarDoc, type Category, type FileDoc, type FileView, type UploadDoc, type Visibility } from './model.js'
import { buildKey, checkFileName, checkMimeType, parseKey } from './names.js'

const PARAM = 'common/invalid-parameters'
const SORTS = ['createdAt', 'updatedAt', 'originalName', 'size', 'mimeType'] as const

export interface UploadUrlResponse {
  url: string
  key: string
  filename: string
  contentType: string
  fileId: string
  method: 'PUT'
  expiresAt: string
}

export interface DownloadUrlResponse {
  url: string
  filename: string
  contentType: string
  size: number
  expiresAt: string
}

/** What an upload-URL request declares (rest-storage.md §2.1, §2.2 init). */
export interface UploadRequest {
  filename: string
  contentType: string
  fileSize: number | null
  visibility: Visibility
  category: Category | null
}

const missing = (id: string) => notFound('file/not-found', `File ${id} not found`)
/** A pending record (an upload URL was issued) that nobody registered: 404 as the spec says, but saying why. */
export const unregistered = (id: string) =>
  notFound('file/not-found', `File ${id} is not registered yet: register it with POST /v1/files (its s3Key) or POST /v1/files/${id}/complete once the bytes are uploaded`)
/** Not the file's owner (nor admin, nor given a view of it by its visibility): the check and who owns it. */
const denied = (doc: FileDoc, caller: FileCaller) =>
  refused('forbidden', 'file/access-denied', 'You may not access this file', {
    check: 'self',
    message: `You may not access this file: it is ${doc.visibility} and owned by ${doc.ownerType} ${doc.ownerId}, not by the caller`,
    details: { file: doc.id, visibility: doc.visibility, ownerId: doc.ownerId, callerOwnerId: caller.ownerId, admin: caller.admin, allow: "sign in as the file's owner, use a secret key, or make the file public or protected" },
  })

/**
 * How much of a file a caller sees (§1.4): all of it, the public view, or nothing. Without `extensions` (cloud-parity
 * mode) a sharing list saved earlier grants nothing, as the hosted service has no such list.
 */
export function viewOf(doc: FileDoc, caller: FileCaller, extensions: boolean): 'full' | 'public' | null {
  if (caller.admin || doc.ownerId === caller.ownerId) return 'full'
  if (doc.visibility === 'public' || doc.visibility === 'protected') return 'public'
  if (extensions && doc.visibility === 'shared' && caller.userId !== null && doc.sharedWith.includes(caller.userId)) return 'public'
  return null
}

/** File-metadata records (`/v1/files`): pending reservations, registration, reads, updates, deletion. */
export class FileService {
  /** When each environment's pending records were last swept (emulator-clock ms). */
  private readonly swept = new Map<string, number>()

  constructor(private readonly deps: StorageDeps) {}

  /** Validates an upload-URL request body; `fileSize` is required and ≥ 1 for multipart. */
  parseUploadRequest(body: Record<string, unknown>, multipart: boolean): UploadRequest {
    const filename = checkFileName(body.filename)
    const contentType = checkMimeType(body.contentType)
    let fileSize: number | null = null
    if (body.fileSize !== undefined && body.fileSize !== null) fileSize = this.checkSize(body.fileSize, 'fileSize')
    else if (multipart) throw invalid(PARAM, 'fileSize is required for multipart uploads')
    if (fileSize !== null && fileSize > this.deps.maxFileSize) throw invalid('file/file-too-large', `fileSize is above the maximum of ${this.deps.maxFileSize} bytes`)
    if (multipart && fileSize === 0) throw invalid('file/file-too-small', 'A multipart upload needs fileSize ≥ 1')
    const visibility = body.visibility === undefined || body.visibility === null ? 'private' : requireEnum('visibility', body.visibility, VISIBILITIES)
    const category = body.category === undefined || body.category === null ? null : requireEnum('category', body.category, CATEGORIES)
    return { filename, contentType, fileSize, visibility, category }
  }

  private checkSize(value: unknown, field: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(PARAM, `${field} must be a number of bytes`)
    if (value < 0) throw invalid('file/size-negative', `${field} must not be negative`)
    if (!Number.isInteger(value)) throw invalid(PARAM, `${field} must be a whole number of bytes`)
    return value
  }

  /** Reserves a pending record (RS-D3) and returns it; its bytes may come through a signed URL for 24 hours. */
  async reserve(caller: FileCaller, request: UploadRequest, uploadId: string | null = null): Promise<FileDoc> {
    const { deps } = this
    await ensureBlobSpace(deps, caller.environmentId)
    await this.sweep(caller.environmentId)
    const id = newId(deps.clock.nowMs())
    const now = deps.clock.iso()
    const bucket = bucketOf(request.category)
    const doc: FileDoc = {
      id,
      key: buildKey(bucket, caller.ownerId, id, request.filename),
      status: 'pending',
      originalName: request.filename,
      mimeType: request.contentType,
      size: request.fileSize ?? 0,
      width: null,
      height: null,
      visibility: request.visibility,
      bucket,
      category: request.category,
      ownerId: caller.ownerId,
      ownerType: caller.ownerType,
      metadata: {},
      sharedWith: [],
      bytes: null,
      uploadId,
      expiresAt: expiry(deps, LIMITS.pendingSeconds).iso,
      createdAt: now,
      updatedAt: now,
    }
    await envDb(deps, caller.environmentId).put(S.files, doc)
    return doc
  }

  /** §2.1: a pending record and a signed single-PUT URL valid 15 minutes. */
  async uploadUrl(caller: FileCaller, body: Record<string, unknown>): Promise<UploadUrlResponse> {
    const request = this.parseUploadRequest(body, false)
    const doc = await this.reserve(caller, request)
    const exp = expiry(this.deps, LIMITS.uploadUrlSeconds)
    const maxSize = Math.min(request.fileSize ?? this.deps.maxFileSize, this.deps.maxFileSize)
    const url = signedUrl(this.deps, { environmentId: caller.environmentId, key: doc.key, kind: 'object', method: 'PUT', uploadId: null, partNumber: null, maxSize, contentType: request.contentType, exp: exp.ms })
    return { url, key: doc.key, filename: request.filename, contentType: request.contentType, fileId: doc.id, method: 'PUT', expiresAt: exp.iso }
  }

  /** A record that exists for reads: active, or pending and not yet discarded (`pending` true). */
  record(environmentId: string, id: string, pending = false): FileDoc | undefined {
    if (!isId(id)) return undefined
    const doc = envDb(this.deps, environmentId).collection<FileDoc>(S.files).get(id)
    if (!doc) return undefined
    if (doc.status === 'active') return doc
    return pending && !this.expired(doc) ? doc : undefined
  }

  /** The record a storage key was issued for (pending or active), if it still exists. */
  byKey(environmentId: string, key: unknown): FileDoc | undefined {
    const parts = parseKey(key)
    if (!parts || parts.bucket === 'avatars') return undefined
    const doc = this.record(environmentId, parts.id, true)
    return doc && doc.key === key ? doc : undefined
  }

  private expired(doc: FileDoc): boolean {
    return doc.status === 'pending' && Date.parse(doc.expiresAt) <= this.deps.clock.nowMs()
  }

  /** The active record `id`; a pending one is 404 saying it is not registered, anything else 404 not found. */
  private active(environmentId: string, id: string): FileDoc {
    const doc = this.record(environmentId, id, true)
    if (!doc) throw missing(id)
    if (doc.status !== 'active') throw unregistered(id)
    return doc
  }

  private visible(caller: FileCaller, id: string): { doc: FileDoc; full: boolean } {
    const doc = this.active(caller.environmentId, id)
    const view = viewOf(doc, caller, this.deps.extensions)
    if (!view) throw denied(doc, caller)
    return { doc, full: view === 'full' }
  }

  private owned(caller: FileCaller, id: string): FileDoc {
    const doc = this.active(caller.environmentId, id)
    if (!caller.admin && doc.ownerId !== caller.ownerId) throw denied(doc, caller)
    return doc
  }

  private view(doc: FileDoc, full: boolean): FileView {
    return fileView(doc, this.deps.publicBase(), full, this.deps.extensions)
  }

  /** §2.6: activates the key's pending record with the registered metadata. */
  async register(caller: FileCaller, body: Record<string, unknown>): Promise<FileView> {
    const key = body.s3Key
    if (typeof key !== 'string' || key === '') throw invalid('file/invalid-path', 's3Key must be a key issued by an upload-URL request')
    if (key.length > LIMITS.keyLength) throw invalid('file/s3-key-too-long', `s3Key must be at most ${LIMITS.keyLength} characters`)
    const pending = this.byKey(caller.environmentId, key)
    if (!pending) throw invalid('file/invalid-path', 's3Key was not issued in this environment (or its 24 hours ran out)')
    if (!caller.admin && pending.ownerId !== caller.ownerId) throw forbidden('file/access-denied', 's3Key was issued to someone else')
    const originalName = checkFileName(body.originalName, 'originalName', 'file/original-name-too-long')
    const mimeType = checkMimeType(body.mimeType, 'mimeType')
    if (body.size === undefined || body.size === null) throw invalid(PARAM, 'size is required')
    const size = this.checkSize(body.size, 'size')
    const width = dimension(body.width, 'width')
    const height = dimension(body.height, 'height')
    const visibility = body.visibility === undefined || body.visibility === null ? 'private' : requireEnum('visibility', body.visibility, VISIBILITIES)
    const bucket = body.bucket === undefined || body.bucket === null ? bucketOf(pending.category) : requireEnum('bucket', body.bucket, BUCKETS)
    const metadata = body.metadata === undefined || body.metadata === null ? {} : checkMetadata(body.metadata)
    if (pending.status === 'active') throw conflict('file/s3-key-already-exists', 'This key is already registered')
    const doc: FileDoc = { ...pending, status: 'active', originalName, mimeType, size, width, height, visibility, bucket, metadata, updatedAt: this.deps.clock.iso() }
    await envDb(this.deps, caller.environmentId).put(S.files, doc)
    return this.view(doc, true)
  }

  /** §3 `complete` alias: activates the pending record with what was requested and the bytes that arrived. */
  async complete(caller: FileCaller, id: string): Promise<FileView> {
    const doc = this.record(caller.environmentId, id, true)
    if (!doc) throw missing(id)
    if (!caller.admin && doc.ownerId !== caller.ownerId) throw denied(doc, caller)
    if (doc.status === 'active') return this.view(doc, true)
    if (!doc.bytes) throw invalid('file/invalid-path', 'No bytes have been uploaded for this file yet')
    const active: FileDoc = { ...doc, status: 'active', size: doc.bytes.size, updatedAt: this.deps.clock.iso() }
    await envDb(this.deps, caller.environmentId).put(S.files, active)
    return this.view(active, true)
  }

  get(caller: FileCaller, id: string): FileView {
    const { doc, full } = this.visible(caller, id)
    return this.view(doc, full)
  }

  /** §2.4: filters, search, sort and paging within the caller's visible set. */
  list(caller: FileCaller, query: Record<string, unknown>): Page<FileView> {
    const { page, limit } = pageParams(query, 20)
    const sortBy = query.sortBy === undefined || query.sortBy === '' ? 'createdAt' : requireEnum('sortBy', query.sortBy, SORTS)
    const direction = query.sortDirection === undefined || query.sortDirection === '' ? 'desc' : requireEnum('sortDirection', query.sortDirection, ['asc', 'desc'] as const)
    const exact: Array<[keyof FileDoc, string]> = []
    if (query.visibility !== undefined) exact.push(['visibility', requireEnum('visibility', query.visibility, VISIBILITIES)])
    if (query.ownerType !== undefined) exact.push(['ownerType', requireEnum('ownerType', query.ownerType, OWNER_TYPES)])
    if (query.bucket !== undefined) exact.push(['bucket', requireEnum('bucket', query.bucket, BUCKETS)])
    if (query.ownerId !== undefined) exact.push(['ownerId', text(query.ownerId, 'ownerId')])
    const mime = query.mimeType === undefined ? undefined : text(query.mimeType, 'mimeType')
    if (mime?.endsWith('/*') && !this.deps.extensions) throw invalid(PARAM, `mimeType ${mime}: a wildcard is an emulator extension the hosted service does not filter by; pass an exact MIME type such as image/png`)
    const search = query.search === undefined ? '' : text(query.search, 'search').toLowerCase()
    const matches = (doc: FileDoc) =>
      exact.every(([field, value]) => doc[field] === value) &&
      (mime === undefined || (mime.endsWith('/*') ? doc.mimeType.startsWith(mime.slice(0, -1)) : doc.mimeType === mime)) &&
      (search === '' || doc.originalName.toLowerCase().includes(search))
    const rows: Array<{ doc: FileDoc; full: boolean }> = []
    for (const doc of this.activeDocs(caller.environmentId)) {
      const view = viewOf(doc, caller, this.deps.extensions)
      if (view && matches(doc)) rows.push({ doc, full: view === 'full' })
    }
    const sign = direction === 'asc' ? 1 : -1
    rows.sort((a, b) => sign * (compare(a.doc[sortBy], b.doc[sortBy]) || a.doc.id.localeCompare(b.doc.id)))
    const slice = pageOf(rows, page, limit)
    return { items: slice.items.map(({ doc, full }) => this.view(doc, full)), pagination: slice.pagination }
  }

  /** §3 `GET /v1/files/buckets`: the six buckets with the number of files the caller can see in each. */
  buckets(caller: FileCaller, query: Record<string, unknown>): Page<{ name: string; fileCount: number }> {
    const { page, limit } = pageParams(query, 20)
    const counts = new Map<string, number>(BUCKETS.map((b) => [b, 0]))
    for (const doc of this.activeDocs(caller.environmentId)) if (viewOf(doc, caller, this.deps.extensions)) counts.set(doc.bucket, (counts.get(doc.bucket) ?? 0) + 1)
    return pageOf(
      BUCKETS.map((name) => ({ name, fileCount: counts.get(name) ?? 0 })),
      page,
      limit,
    )
  }

  /** The built-in `files` table as admins read it through the data API: active records, full view. */
  systemRows(environmentId: string): RecordDoc[] {
    return [...this.activeDocs(environmentId)].map((doc) => ({ ...this.view(doc, true), filename: doc.originalName, createdBy: doc.ownerType === 'user' ? doc.ownerId : '' }))
  }

  /** Stored files and their bytes in an environment (usage figures). */
  usage(environmentId: string): { files: number; bytes: number } {
    let files = 0
    let bytes = 0
    for (const doc of this.activeDocs(environmentId)) {
      files++
      bytes += doc.size
    }
    return { files, bytes }
  }

  private *activeDocs(environmentId: string): Iterable<FileDoc> {
    for (const doc of envDb(this.deps, environmentId).collection<FileDoc>(S.files).values()) if (doc.status === 'active') yield doc
  }

  /** §2.5: name, visibility, metadata (merged key by key, null removes) and `sharedWith`; other keys ignored. */
  async update(caller: FileCaller, id: string, body: Record<string, unknown>): Promise<FileView> {
    const doc = this.owned(caller, id)
    const next: FileDoc = { ...doc, updatedAt: this.deps.clock.iso() }
    if (body.originalName !== undefined) next.originalName = checkFileName(body.originalName, 'originalName', 'file/original-name-too-long')
    if (body.visibility !== undefined) next.visibility = requireEnum('visibility', body.visibility, VISIBILITIES)
    if (body.metadata !== undefined && body.metadata !== null) {
      const merged: Record<string, unknown> = { ...doc.metadata }
      for (const [field, value] of Object.entries(checkMetadata(body.metadata, true))) {
        if (value === null) delete merged[field]
        else merged[field] = value
      }
      next.metadata = merged
    }
    if (body.sharedWith !== undefined && !this.deps.extensions) {
      throw invalid(PARAM, 'Unknown field sharedWith: the sharing list is an emulator extension, and the hosted service documents no way to name who sees a shared file; change originalName, visibility or metadata only', [{ field: 'sharedWith', rule: 'unknown', message: 'an emulator extension' }])
    }
    if (body.sharedWith !== undefined) {
      if (!Array.isArray(body.sharedWith) || !body.sharedWith.every((v) => typeof v === 'string')) throw invalid(PARAM, 'sharedWith must be an array of user ids')
      next.sharedWith = [...new Set(body.sharedWith as string[])]
    }
    await envDb(this.deps, caller.environmentId).put(S.files, next)
    return this.view(next, true)
  }

  /** §2.7: the record and its bytes go for good. */
  async remove(caller: FileCaller, id: string): Promise<Record<string, never>> {
    const doc = this.owned(caller, id)
    await this.discard(caller.environmentId, doc)
    return {}
  }

  /** §2.8: a signed GET URL valid one hour, for anyone who may view the file. */
  downloadUrl(caller: FileCaller, id: string): DownloadUrlResponse {
    const { doc } = this.visible(caller, id)
    const exp = expiry(this.deps, LIMITS.downloadUrlSeconds)
    const url = signedUrl(this.deps, { environmentId: caller.environmentId, key: doc.key, kind: 'download', method: 'GET', uploadId: null, partNumber: null, maxSize: null, contentType: null, exp: exp.ms })
    return { url, filename: doc.originalName, contentType: doc.mimeType, size: doc.size, expiresAt: exp.iso }
  }

  /** Removes a record, its bytes and any open multipart upload of it. */
  async discard(environmentId: string, doc: FileDoc): Promise<void> {
    const db = envDb(this.deps, environmentId)
    await db.commit([{ c: S.files, d: doc.id }, ...(doc.uploadId ? uploadRemoval(db, doc.uploadId) : [])])
    await this.deps.blobs.remove({ environmentId, object: doc.id })
    if (doc.uploadId) await this.deps.blobs.removeUpload(environmentId, doc.uploadId)
  }

  /**
   * Discards pending records, multipart uploads and avatar uploads older than 24 hours with their bytes (§1.5).
   * Runs lazily, at most once a minute of emulator time per environment, when new uploads are reserved; reads treat
   * expired records as gone meanwhile.
   */
  async sweep(environmentId: string): Promise<void> {
    const now = this.deps.clock.nowMs()
    if (now - (this.swept.get(environmentId) ?? -Infinity) < 60_000) return
    this.swept.set(environmentId, now)
    const db = envDb(this.deps, environmentId)
    const stale = [...db.collection<FileDoc>(S.files).values()].filter((doc) => this.expired(doc))
    for (const doc of stale) await this.discard(environmentId, doc)
    // Multipart uploads of files registered before completing: the record stays, the upload and its parts go.
    const uploads = [...db.collection<UploadDoc>(S.uploads).values()].filter((upload) => Date.parse(upload.expiresAt) <= now)
    for (const upload of uploads) {
      await db.commit(uploadRemoval(db, upload.id))
      await this.deps.blobs.removeUpload(environmentId, upload.id)
    }
    const avatars = [...db.collection<AvatarDoc>(S.avatars).values()].filter((doc) => doc.status === 'pending' && Date.parse(doc.expiresAt) <= now)
    for (const doc of avatars) {
      await db.delete(S.avatars, doc.id)
      await this.deps.blobs.remove({ environmentId, object: doc.id })
    }
  }
}

/** Operations that remove a multipart upload and its part records. */
export function uploadRemoval(db: Database, uploadId: string): Op[] {
  const ops: Op[] = [{ c: S.uploads, d: uploadId }]
  for (const part of db.collection(S.parts).values()) if (part.uploadId === uploadId) ops.push({ c: S.parts, d: part.id })
  return ops
}

function dimension(value: unknown, field: string): number | null {
  if (value === undefined || value === null) return null
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw invalid(PARAM, `${field} must be a positive integer`)
  return value
}

function text(value: unknown, field: string): string {
  if (typeof value !== 'string') throw invalid(PARAM, `${field} must be a single string`)
  return value
}

/** §1.2 metadata: an object; `tags` strings, `custom` an object; other keys kept. With `nullable`, null removes. */
function checkMetadata(value: unknown, nullable = false): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(PARAM, 'metadata must be an object')
  const metadata = value as Record<string, unknown>
  const allowNull = (v: unknown) => nullable && v === null
  if (metadata.tags !== undefined && !allowNull(metadata.tags) && (!Array.isArray(metadata.tags) || !metadata.tags.every((t) => typeof t === 'string'))) {
    throw invalid(PARAM, 'metadata.tags must be an array of strings')
  }
  if (metadata.custom !== undefined && !allowNull(metadata.custom) && (typeof metadata.custom !== 'object' || metadata.custom === null || Array.isArray(metadata.custom))) {
    throw invalid(PARAM, 'metadata.custom must be an object')
  }
  for (const field of ['category', 'description', 'alt', 'relatedEntityId']) {
    const v = metadata[field]
    if (v !== undefined && !allowNull(v) && typeof v !== 'string') throw invalid(PARAM, `metadata.${field} must be a string`)
  }
  return metadata
}

function compare(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  return String(a).localeCompare(String(b))
}
