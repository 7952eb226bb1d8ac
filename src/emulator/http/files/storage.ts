import type { FastifyReply, FastifyRequest } from 'fastify'
import type { IncomingMessage } from 'node:http'
import { Readable } from 'node:stream'
import type { StoredObject } from '../../core/storage/transfer.js'
import type { Surface } from '../surface.js'
import { envelope } from '../middleware/errors.js'

const IMMUTABLE = 'public, max-age=31536000'

/**
 * The emulator's storage endpoints (rest-storage.md §4): signed upload and download URLs, non-expiring public URLs
 * and the image-CDN stand-in. No API key: signed URLs carry their own proof; public objects are public.
 */
export async function registerStorage({ app, core }: Surface): Promise<void> {
  const { transfer, images } = core.storage

  // A scope of their own: bodies are handed over as raw streams (no JSON parsing, no 1 MiB limit) and written to
  // disk while they arrive, so an upload of any size costs constant memory. Wrong methods get a 405 here without
  // their bodies ever being parsed.
  await app.register(async (storage) => {
    storage.removeAllContentTypeParsers()
    storage.addContentTypeParser('*', (_request, payload, done) => done(null, payload))
    // note: wildcards rather than `:token`, because tokens carry the key (up to 1024 characters) and fastify caps
    // parameters at 100.
    const route = (method: 'GET' | 'PUT', url: string, handler: (request: FastifyRequest<{ Params: { '*': string } }>, reply: FastifyReply) => Promise<FastifyReply>) => {
      storage.route({ method, url, handler })
      const others = (['GET', 'PUT', 'POST', 'PATCH', 'DELETE'] as const).filter((m) => m !== method)
      storage.route({
        method: others as unknown as string[],
        url,
        handler: async (request, reply) =>
          reply
            .header('Allow', method)
            .status(405)
            .send(envelope(405, 'common/method-not-allowed', `${request.method} is not allowed on this storage URL; use ${method}`)),
      })
    }

    route('PUT', '/_emulator/storage/upload/*', async (request, reply) => {
      const length = request.headers['content-length'] === undefined ? null : Number(request.headers['content-length'])
      const body = (request.body as IncomingMessage | undefined) ?? Readable.from([])
      const { etag } = await transfer.receive(request.params['*'], body, request.headers['content-type'], length)
      return reply.header('ETag', `"${etag}"`).status(200).send()
    })

    route('GET', '/_emulator/storage/download/*', async (request, reply) => {
      const object = await transfer.download(request.params['*'])
      reply.header('Content-Disposition', `inline; filename*=UTF-8''${rfc5987(object.filename)}`)
      return sendObject(request, reply, object)
    })

    route('GET', '/_emulator/storage/public/*', async (request, reply) => {
      const object = await transfer.publicObject(request.params['*'])
      reply.header('Cache-Control', IMMUTABLE)
      return sendObject(request, reply, object)
    })

    route('GET', '/_emulator/img/*', async (request, reply) => {
      const { object, outcome } = await images.serve(request.params['*'])
      reply.header('Cache-Control', IMMUTABLE).header('X-Emulator-Image-Transform', outcome)
      return sendObject(request, reply, object)
    })
  })
}

/** Streams stored bytes: the whole object, or one `Range` (206; 416 when unsatisfiable). */
function sendObject(request: FastifyRequest, reply: FastifyReply, object: StoredObject): FastifyReply {
  reply.header('Content-Type', object.mimeType).header('ETag', `"${object.etag}"`).header('Accept-Ranges', 'bytes')
  const range = parseRange(request.headers.range, object.size)
  if (range === 'unsatisfiable') {
    reply.header('Content-Range', `bytes */${object.size}`)
    return reply.status(416).type('application/json').send(envelope(416, 'common/invalid-parameters', `The requested range is outside the ${object.size} bytes of this file`))
  }
  if (object.size === 0) return reply.header('Content-Length', '0').status(200).send('')
  if (range) {
    reply.header('Content-Range', `bytes ${range.start}-${range.end}/${object.size}`).header('Content-Length', String(range.end - range.start + 1))
    return reply.status(206).send(object.stream(range))
  }
  return reply.header('Content-Length', String(object.size)).status(200).send(object.stream())
}

/** One `bytes=` range; several ranges or a malformed header are ignored (the whole object is sent). */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!match || (match[1] === '' && match[2] === '')) return null
  let start: number
  let end: number
  if (match[1] === '') {
    const suffix = Number(match[2])
    if (suffix === 0) return 'unsatisfiable'
    start = Math.max(0, size - suffix)
    end = size - 1
  } else {
    start = Number(match[1])
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1)
    if (match[2] !== '' && Number(match[2]) < start) return null
  }
  if (start >= size) return 'unsatisfiable'
  return { start, end }
}

/** RFC 5987 `ext-value` encoding of a file name. */
function rfc5987(name: string): string {
  return encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}
