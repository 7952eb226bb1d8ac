import type { FastifyRequest } from 'fastify'
import { fileCaller, type FileCaller } from '../../core/storage/context.js'
import type { Surface } from '../surface.js'
import { objectBody } from '../middleware/body.js'
import { principalHandler, scopeOf } from '../middleware/context.js'

const CODE = 'common/invalid-parameters'

/** The caller of a `/v1/files` route: a user JWT or a secret key (rest-storage.md §1.1). */
function callerOf(request: FastifyRequest): FileCaller {
  const { scope, principal } = scopeOf(request)
  return fileCaller(scope, principal)
}

/**
 * `/v1/files*` (rest-storage.md §2), the code-generation aliases (§3) and the cookbook's `upload` and `download`
 * routes. Literal segments win over `:fileId`.
 */
export function registerFiles({ app, core, limiter }: Surface): void {
  const guarded = { preHandler: principalHandler(core, limiter) }
  const { files, multipart } = core.storage
  type WithId = { Params: { fileId: string } }
  type WithUpload = { Params: { uploadId: string } }

  app.post('/v1/files/presigned-url', guarded, async (request) => files.uploadUrl(callerOf(request), objectBody(request, CODE)))
  app.post('/v1/files/upload', guarded, async (request) => files.uploadUrl(callerOf(request), objectBody(request, CODE)))

  app.post('/v1/files/multipart/init', guarded, async (request) => multipart.init(callerOf(request), objectBody(request, CODE)))
  app.post('/v1/files/multipart/initiate', guarded, async (request) => multipart.init(callerOf(request), objectBody(request, CODE)))
  app.post('/v1/files/multipart/presigned-url', guarded, async (request) => {
    const body = objectBody(request, CODE)
    return multipart.partUrl(callerOf(request), body.uploadId, body)
  })
  app.post('/v1/files/multipart/complete', guarded, async (request) => {
    const body = objectBody(request, CODE)
    return multipart.complete(callerOf(request), body.uploadId, body)
  })
  app.post('/v1/files/multipart/abort', guarded, async (request) => {
    const body = objectBody(request, CODE)
    return multipart.abort(callerOf(request), body.uploadId, body)
  })
  app.post<WithUpload>('/v1/files/multipart/:uploadId/part-url', guarded, async (request) => multipart.partUrl(callerOf(request), request.params.uploadId, objectBody(request, CODE)))
  app.post<WithUpload>('/v1/files/multipart/:uploadId/complete', guarded, async (request) => multipart.complete(callerOf(request), request.params.uploadId, objectBody(request, CODE)))
  app.post<WithUpload>('/v1/files/multipart/:uploadId/abort', guarded, async (request) => multipart.abort(callerOf(request), request.params.uploadId, objectBody(request, CODE)))

  app.get('/v1/files/buckets', guarded, async (request) => files.buckets(callerOf(request), request.query as Record<string, unknown>))

  app.post('/v1/files', guarded, async (request, reply) => reply.status(201).send(await files.register(callerOf(request), objectBody(request, CODE))))
  app.get('/v1/files', guarded, async (request) => files.list(callerOf(request), request.query as Record<string, unknown>))
  app.get<WithId>('/v1/files/:fileId', guarded, async (request) => files.get(callerOf(request), request.params.fileId))
  app.patch<WithId>('/v1/files/:fileId', guarded, async (request) => files.update(callerOf(request), request.params.fileId, objectBody(request, CODE)))
  app.delete<WithId>('/v1/files/:fileId', guarded, async (request) => files.remove(callerOf(request), request.params.fileId))

  app.post<WithId>('/v1/files/:fileId/download-url', guarded, async (request) => files.downloadUrl(callerOf(request), request.params.fileId))
  app.get<WithId>('/v1/files/:fileId/download-url', guarded, async (request) => files.downloadUrl(callerOf(request), request.params.fileId))
  // The cookbook's download link: a redirect, so `fetch` (or `curl -L`) with the API headers lands on the bytes.
  app.get<WithId>('/v1/files/:fileId/download', guarded, async (request, reply) => reply.redirect(files.downloadUrl(callerOf(request), request.params.fileId).url, 302))
  app.post<WithId>('/v1/files/:fileId/complete', guarded, async (request) => files.complete(callerOf(request), request.params.fileId))
  app.patch<WithId>('/v1/files/:fileId/visibility', guarded, async (request) => {
    const { visibility } = objectBody(request, CODE)
    return files.update(callerOf(request), request.params.fileId, { visibility: visibility ?? null })
  })
}
