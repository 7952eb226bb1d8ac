import { createReadStream } from 'node:fs'
import type { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Agent } from 'undici'
import type { Page } from '../contract/common.js'
import { MAX_PARTS, type FileView } from '../contract/storage.js'
import { ClientError } from './errors.js'
import { networkError, responseError, type Query, type RestClient } from './rest.js'

/** `POST /v1/files/:fileId/download-url`. */
export interface DownloadUrl {
  url: string
  filename: string
  contentType: string
  size: number
  expiresAt: string
}

interface UploadUrl {
  url: string
  key: string
}

interface MultipartUpload {
  uploadId: string
  key: string
}

/** `/v1/files[/<segment>…]`, segments escaped. */
export function filesPath(...parts: string[]): string {
  return ['/v1/files', ...parts.map(encodeURIComponent)].join('/')
}

export interface UploadRequest {
  /** The file to read; it is streamed, never held in memory. */
  path: string
  size: number
  /** `originalName` of the file. */
  name: string
  contentType: string
  visibility?: string
  category?: string
  bucket?: string
  metadata?: Record<string, unknown>
  /** Files larger than this go multipart. */
  multipartThreshold: number
  /** Bytes per part; raised when the file would need more than 10,000 parts. */
  partSize: number
  /** Parts in flight at once. */
  concurrency: number
  signal?: AbortSignal
  /** Bytes as they leave the file; a part that is sent again first takes its bytes back with a negative count. */
  onBytes?: (bytes: number) => void
}

/** What `files update` changes; what is left out stays as it is. */
export interface FileChanges {
  visibility?: string
  metadata?: Record<string, unknown>
}

export interface UploadOutcome {
  file: FileView
  mode: 'single' | 'multipart'
  parts: number
}

export interface TransferOptions {
  signal?: AbortSignal
  onBytes?: (bytes: number) => void
}

/** Tries per part: a part whose PUT fails without an answer or with a 5xx is sent again with a fresh URL. */
const PART_ATTEMPTS = 3
// note: 1 MiB reads halve the per-chunk overhead of the default 64 KiB on large transfers; with a few parts in
// flight that is a few MiB of buffers, independent of the file's size.
const READ_CHUNK = 1024 * 1024

/** The part size an upload of `size` bytes uses: the one asked for, or larger so it fits in 10,000 parts. */
export function partSizeFor(size: number, requested: number): number {
  return Math.max(requested, Math.ceil(size / MAX_PARTS))
}

/**
 * The storage API (rest-storage.md) over the REST client, plus the byte transfers to and from the signed URLs it
 * issues. Signed URLs carry their own authorisation, so they are fetched without the API key, through a separate
 * connection pool (they may live on another origin). Call `close()` when done.
 */
export class StorageClient {
  private agent: Promise<Agent> | undefined

  constructor(
    private readonly rest: RestClient,
    /** Connections per storage origin. */
    private readonly connections = 8,
  ) {}

  list(query: Query): Promise<Page<FileView>> {
    return this.rest.get<Page<FileView>>(filesPath(), query)
  }

  get(fileId: string): Promise<FileView> {
    return this.rest.get<FileView>(filesPath(fileId))
  }

  /**
   * Changes a file's visibility and metadata in one `PATCH /v1/files/:fileId`, so either both apply or neither;
   * metadata is merged key by key and a key set to null is removed (rest-storage.md §2.5).
   */
  update(fileId: string, changes: FileChanges): Promise<FileView> {
    return this.rest.patch<FileView>(filesPath(fileId), changes)
  }

  async delete(fileId: string): Promise<void> {
    await this.rest.delete(filesPath(fileId))
  }

  downloadUrl(fileId: string): Promise<DownloadUrl> {
    return this.rest.post<DownloadUrl>(filesPath(fileId, 'download-url'), {})
  }

  /**
   * Uploads a file from disk and registers it (`POST /v1/files`): one signed PUT up to the multipart threshold,
   * above it a multipart upload with parts in parallel. A failed or aborted multipart upload is aborted on the server.
   */
  async upload(request: UploadRequest): Promise<UploadOutcome> {
    const multipart = request.size > request.multipartThreshold
    const sent = multipart ? await this.uploadMultipart(request) : await this.uploadSingle(request)
    const file = await this.rest.post<FileView>(filesPath(), {
      s3Key: sent.key,
      originalName: request.name,
      mimeType: request.contentType,
      size: request.size,
      visibility: request.visibility,
      bucket: request.bucket,
      metadata: request.metadata,
    })
    return { file, mode: multipart ? 'multipart' : 'single', parts: sent.parts }
  }

  /** Streams a signed download URL's bytes into `output` (left open when `end` is false); resolves with the byte count. */
  async downloadTo(url: string, output: Writable, options: TransferOptions & { end?: boolean } = {}): Promise<number> {
    const { request } = await import('undici')
    const origin = new URL(url).origin
    let response
    try {
      response = await request(url, { dispatcher: await this.open(), method: 'GET', signal: options.signal })
    } catch (error) {
      throw options.signal?.aborted ? error : networkError(origin, error, 'GET signed download URL')
    }
    if (response.statusCode !== 200) throw responseError(response.statusCode, await response.body.text(), 'GET signed download URL')
    const expected = Number(response.headers['content-length'])
    let bytes = 0
    const count = (source: AsyncIterable<Buffer>) =>
      counted(source, (n) => {
        bytes += n
        options.onBytes?.(n)
      })
    await pipeline(response.body, count, output, { end: options.end ?? true, signal: options.signal })
    if (Number.isFinite(expected) && bytes !== expected) throw new ClientError('file/incomplete-download', `the download stopped after ${bytes} of ${expected} bytes`, 0, {}, 'GET signed download URL')
    return bytes
  }

  async close(): Promise<void> {
    if (!this.agent) return
    const agent = await this.agent
    this.agent = undefined
    await agent.close()
  }

  private async uploadSingle(request: UploadRequest): Promise<{ key: string; parts: number }> {
    const issued = await this.rest.post<UploadUrl>(filesPath('presigned-url'), uploadTarget(request))
    await this.put(issued.url, request, 0, request.size, request.contentType, request.onBytes)
    return { key: issued.key, parts: 1 }
  }

  private async uploadMultipart(request: UploadRequest): Promise<{ key: string; parts: number }> {
    const upload = await this.rest.post<MultipartUpload>(filesPath('multipart', 'init'), uploadTarget(request))
    const partSize = partSizeFor(request.size, request.partSize)
    const count = Math.ceil(request.size / partSize)
    // The first failing part stops the others; the caller's signal (Ctrl+C) stops them all the same way.
    const stop = new AbortController()
    const signal = request.signal ? AbortSignal.any([request.signal, stop.signal]) : stop.signal
    const etags: string[] = []
    let next = 0
    let failure: unknown
    const worker = async () => {
      while (next < count && failure === undefined) {
        const partNumber = ++next
        const start = (partNumber - 1) * partSize
        try {
          etags[partNumber - 1] = await this.uploadPart(upload, partNumber, { ...request, signal }, start, Math.min(start + partSize, request.size))
        } catch (error) {
          failure ??= error
          stop.abort()
        }
      }
    }
    try {
      await Promise.all(Array.from({ length: Math.min(request.concurrency, count) }, worker))
      if (failure !== undefined) throw request.signal?.aborted ? request.signal.reason : failure
      await this.rest.post(filesPath('multipart', 'complete'), { key: upload.key, uploadId: upload.uploadId, parts: etags.map((etag, i) => ({ partNumber: i + 1, etag })) })
    } catch (error) {
      // nothing half-uploaded is left behind; if the abort fails too, the server discards the upload after 24 hours
      await this.rest.post(filesPath('multipart', 'abort'), { key: upload.key, uploadId: upload.uploadId }).catch(() => undefined)
      throw error
    }
    return { key: upload.key, parts: count }
  }

  private async uploadPart(upload: MultipartUpload, partNumber: number, request: UploadRequest, start: number, end: number): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      const { url } = await this.rest.post<{ url: string }>(filesPath('multipart', 'presigned-url'), { key: upload.key, uploadId: upload.uploadId, partNumber })
      let sent = 0
      // a failed attempt may still read one chunk after its request failed; that chunk is not counted
      let counting = true
      try {
        return await this.put(url, request, start, end, undefined, (n) => {
          if (!counting) return
          sent += n
          request.onBytes?.(n)
        })
      } catch (error) {
        counting = false
        request.onBytes?.(-sent)
        const retry = error instanceof ClientError && (error.status === 0 || error.status >= 500)
        if (request.signal?.aborted || !retry || attempt >= PART_ATTEMPTS) throw error
      }
    }
  }

  /** PUTs bytes `start`…`end` of the file to a signed URL; resolves with the ETag the storage answered. */
  private async put(url: string, request: UploadRequest, start: number, end: number, contentType: string | undefined, onBytes?: (bytes: number) => void): Promise<string> {
    const { request: send } = await import('undici')
    const what = `PUT signed ${contentType ? 'upload' : 'part'} URL`
    const length = end - start
    // note: undici sends async iterables (documented for request bodies; its type declaration leaves them out)
    const body = length === 0 ? '' : (counted(createReadStream(request.path, { start, end: end - 1, highWaterMark: READ_CHUNK }), onBytes) as unknown as Readable)
    const headers: Record<string, string> = { 'content-length': String(length) }
    if (contentType) headers['content-type'] = contentType
    let response
    try {
      response = await send(url, { dispatcher: await this.open(), method: 'PUT', headers, body, signal: request.signal })
    } catch (error) {
      throw request.signal?.aborted ? error : networkError(new URL(url).origin, error, what)
    }
    const text = await response.body.text()
    if (response.statusCode < 200 || response.statusCode >= 300) throw responseError(response.statusCode, text, what)
    const etag = response.headers.etag
    if (typeof etag !== 'string') throw new ClientError('file/missing-etag', 'the storage accepted the bytes but answered without an ETag', response.statusCode, {}, what)
    return etag
  }

  private open(): Promise<Agent> {
    this.agent ??= import('undici').then(({ Agent }) => new Agent({ connections: this.connections, keepAliveTimeout: 10_000 }))
    return this.agent
  }
}

/** What both a single upload URL and a multipart upload are issued for. */
function uploadTarget(request: UploadRequest): Record<string, unknown> {
  return { filename: request.name, contentType: request.contentType, fileSize: request.size, visibility: request.visibility, category: request.category }
}

async function* counted(source: AsyncIterable<Buffer>, onBytes: ((bytes: number) => void) | undefined): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    onBytes?.(chunk.length)
    yield chunk
  }
}
