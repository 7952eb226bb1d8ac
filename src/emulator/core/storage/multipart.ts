import { invalid, notFound } from '../errors.js'
import { randomHex } from '../ids.js'
import { envDb, expiry, signedUrl, stageBlob, type FileCaller, type StorageDeps } from './context.js'
import { uploadRemoval, type FileService } from './files.js'
import { LIMITS, S, publicObjectUrl, type FileDoc, type PartDoc, type UploadDoc } from './model.js'
import type { Transfer } from './transfer.js'

const UPLOAD_ID = /^[0-9a-f]{32}$/
const PARTS = 'file/invalid-parts-array'

/** Multipart uploads (rest-storage.md §2.2): init, a signed URL per part, complete (assemble) and abort. */
export class Multipart {
  constructor(
    private readonly deps: StorageDeps,
    private readonly files: FileService,
    private readonly transfer: Transfer,
  ) {}

  async init(caller: FileCaller, body: Record<string, unknown>): Promise<{ uploadId: string; key: string; filename: string; fileId: string }> {
    const request = this.files.parseUploadRequest(body, true)
    const uploadId = randomHex(16)
    const file = await this.files.reserve(caller, request, uploadId)
    const upload: UploadDoc = {
      id: uploadId,
      fileId: file.id,
      key: file.key,
      ownerId: caller.ownerId,
      fileSize: request.fileSize as number,
      contentType: request.contentType,
      expiresAt: file.expiresAt,
      createdAt: file.createdAt,
    }
    await envDb(this.deps, caller.environmentId).put(S.uploads, upload)
    return { uploadId, key: file.key, filename: request.filename, fileId: file.id }
  }

  /** The caller's open upload; `key`, when given, must be its key. Anything else is 404. */
  private upload(caller: FileCaller, uploadId: unknown, key: unknown): UploadDoc {
    if (key !== undefined && typeof key !== 'string') throw invalid('common/invalid-parameters', 'key must be a string')
    const upload = typeof uploadId === 'string' && UPLOAD_ID.test(uploadId) ? this.transfer.openUpload(caller.environmentId, uploadId, key) : undefined
    if (!upload || (!caller.admin && upload.ownerId !== caller.ownerId)) throw notFound('file/not-found', 'No open multipart upload with this uploadId and key')
    return upload
  }

  /** A signed `PUT` URL for one part (15 minutes); uploading the same part again replaces it. */
  partUrl(caller: FileCaller, uploadId: unknown, body: Record<string, unknown>): { url: string; partNumber: number; expiresAt: string } {
    const upload = this.upload(caller, uploadId, body.key)
    const partNumber = body.partNumber
    if (typeof partNumber !== 'number' || !Number.isInteger(partNumber) || partNumber < 1 || partNumber > LIMITS.maxPartNumber) {
      throw invalid('file/invalid-part-number-range', `partNumber must be an integer from 1 to ${LIMITS.maxPartNumber}`)
    }
    const exp = expiry(this.deps, LIMITS.uploadUrlSeconds)
    const maxSize = Math.min(upload.fileSize, this.deps.maxFileSize)
    const url = signedUrl(this.deps, { environmentId: caller.environmentId, key: upload.key, kind: 'part', method: 'PUT', uploadId: upload.id, partNumber, maxSize, contentType: upload.contentType, exp: exp.ms })
    return { url, partNumber, expiresAt: exp.iso }
  }

  /** Verifies the parts list against what was uploaded and assembles the object in ascending part order. */
  async complete(caller: FileCaller, uploadId: unknown, body: Record<string, unknown>): Promise<{ key: string; location: string }> {
    const upload = this.upload(caller, uploadId, body.key)
    const envId = caller.environmentId
    const db = envDb(this.deps, envId)
    const stored = db.collection<PartDoc>(S.parts)
    const list = body.parts
    if (!Array.isArray(list) || list.length === 0) throw invalid(PARTS, 'parts must be a non-empty array of { partNumber, etag }')
    const chosen: PartDoc[] = []
    const seen = new Set<number>()
    for (const entry of list as unknown[]) {
      const { partNumber, etag } = (entry ?? {}) as { partNumber?: unknown; etag?: unknown }
      if (typeof partNumber !== 'number' || !Number.isInteger(partNumber) || partNumber < 1 || partNumber > LIMITS.maxPartNumber) throw invalid(PARTS, `partNumber must be an integer from 1 to ${LIMITS.maxPartNumber}`)
      if (seen.has(partNumber)) throw invalid(PARTS, `part ${partNumber} is listed twice`)
      seen.add(partNumber)
      if (typeof etag !== 'string') throw invalid(PARTS, `part ${partNumber} needs the etag its upload returned`)
      const part = stored.get(`${upload.id}-${partNumber}`)
      if (!part) throw invalid(PARTS, `part ${partNumber} has not been uploaded`)
      if (etag.replace(/^"(.*)"$/, '$1') !== part.etag) throw invalid(PARTS, `the etag of part ${partNumber} does not match the uploaded part`)
      chosen.push(part)
    }
    chosen.sort((a, b) => a.partNumber - b.partNumber)
    const total = chosen.reduce((sum, part) => sum + part.size, 0)
    if (total > this.deps.maxFileSize) throw invalid('file/file-too-large', `The assembled file would be ${total} bytes, above the maximum of ${this.deps.maxFileSize}`)
    const file = db.collection<FileDoc>(S.files).get(upload.fileId)
    if (!file) throw notFound('file/not-found', 'The file of this upload no longer exists')
    const blobs = this.deps.blobs
    async function* parts() {
      for (const part of chosen) yield* blobs.read({ environmentId: envId, upload: upload.id, part: part.partNumber })
    }
    const written = await stageBlob(this.deps, envId, parts(), this.deps.maxFileSize)
    await written.commit({ environmentId: envId, object: file.id })
    const latest = db.collection<FileDoc>(S.files).get(upload.fileId) ?? file
    await db.commit([{ c: S.files, p: { ...latest, uploadId: null, bytes: { size: written.size, etag: written.md5, contentType: upload.contentType } } }, ...uploadRemoval(db, upload.id)])
    await blobs.removeUpload(envId, upload.id)
    return { key: upload.key, location: publicObjectUrl(this.deps.publicBase(), upload.key) }
  }

  /** Discards the parts and, unless already registered, the pending record. */
  async abort(caller: FileCaller, uploadId: unknown, body: Record<string, unknown>): Promise<{ success: true; key: string }> {
    const upload = this.upload(caller, uploadId, body.key)
    const envId = caller.environmentId
    const db = envDb(this.deps, envId)
    const file = db.collection<FileDoc>(S.files).get(upload.fileId)
    if (file && file.status === 'pending') await this.files.discard(envId, file)
    else {
      if (file) await db.put(S.files, { ...file, uploadId: null })
      await db.commit(uploadRemoval(db, upload.id))
      await this.deps.blobs.removeUpload(envId, upload.id)
    }
    return { success: true, key: upload.key }
  }
}
