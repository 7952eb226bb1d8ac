import type { Duplex } from 'node:stream'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import type { ErrorEnvelope } from '../../../contract/common.js'
import { DomainError, fromStoreFailure, type ErrorKind } from '../../core/errors.js'
import type { Logger } from '../../logger.js'
import { noteRefusal } from './decision.js'

const STATUS: Record<ErrorKind, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  gone: 410,
  'too-large': 413,
  'rate-limited': 429,
  internal: 500,
  unavailable: 503,
  'storage-full': 507,
}

/** The REST API family a URL belongs to; some generic errors carry a family-specific code (spec README). */
export type Family = 'data' | 'auth' | 'users' | 'files' | 'other'

export function familyOf(url: string): Family {
  if (!url.startsWith('/v1/')) return 'other'
  const segment = url.slice(4).split(/[/?#]/, 1)[0]
  if (segment === 'auth') return 'auth'
  if (segment === 'users') return 'users'
  if (segment === 'files') return 'files'
  return 'data'
}

/** Unparseable or ill-typed input outside the domain's own checks. */
export function badInput(url: string, message: string): DomainError {
  return new DomainError(familyOf(url) === 'data' ? 'data/validation-error' : 'common/invalid-parameters', 'invalid', message)
}

export function envelope(status: number, code: string, message: string, details?: DomainError['details']): ErrorEnvelope {
  const body: ErrorEnvelope = { success: false, statusCode: status, error: { code, message }, message }
  if (details && details.length > 0) body.error.details = details
  return body
}

/** The longest path segment the router matches (its `maxParamLength`); no id or name of the emulator comes near it. */
export const MAX_PATH_SEGMENT = 100

/** Maps anything thrown while handling a request to a status and the error envelope. */
export function toDomainError(error: unknown, url: string): DomainError {
  if (error instanceof DomainError) return error
  const stored = fromStoreFailure(error)
  if (stored) return stored
  const e = error as FastifyError
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new DomainError('common/payload-too-large', 'too-large', 'The request body is larger than 1 MiB')
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return familyOf(url) === 'data'
        ? new DomainError('data/invalid-header', 'invalid', 'Unsupported Content-Type: send application/json')
        : new DomainError('common/invalid-parameters', 'invalid', 'Unsupported Content-Type: send application/json')
    case 'FST_ERR_BAD_URL':
      return badInput(url, 'The request path is not valid percent-encoded UTF-8: check its % escapes')
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return badInput(url, `A segment of the request path is longer than ${MAX_PATH_SEGMENT} characters`)
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return badInput(url, 'The request body is not valid JSON')
  }
  if (e.validation) return badInput(url, `Invalid request: ${e.message}`)
  if (e instanceof SyntaxError || (e.statusCode === 400 && /JSON|prototype/i.test(e.message))) return badInput(url, 'The request body is not valid JSON')
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return badInput(url, e.message)
  }
  return new DomainError('common/internal-error', 'internal', 'An unexpected error occurred')
}

export function statusOf(error: DomainError): number {
  return STATUS[error.kind]
}

/** How much of a refused body a client may still send after its 413, and for how long, before it is cut off. */
export const DRAIN_LIMIT = { bytes: 64 * 1024 * 1024, ms: 10_000 }

/**
 * A client still writing a body the server refused (a 413 before the body arrived) would see its connection reset
 * mid-write, and many clients then report EPIPE instead of the response. So the connection stays open while Node
 * reads and discards the rest of the body, up to `DRAIN_LIMIT`, after which it is cut: the 413 has long reached
 * any client that reads while it writes.
 */
function drainRefusedBody(request: FastifyRequest, reply: FastifyReply): void {
  const raw = request.raw
  if (raw.complete) return
  // Fastify marks a failed body parse `Connection: close`, which makes Node destroy the socket with the unread body
  // still arriving; without it, Node dumps the rest of the body and the connection can even be reused.
  reply.removeHeader('connection')
  const socket = raw.socket
  const start = socket.bytesRead
  const deadline = Date.now() + DRAIN_LIMIT.ms
  const watch = setInterval(() => {
    if (raw.complete || socket.destroyed) return clearInterval(watch)
    if (socket.bytesRead - start > DRAIN_LIMIT.bytes || Date.now() > deadline) {
      clearInterval(watch)
      socket.destroy()
    }
  }, 50)
  watch.unref()
}

/** The single place where errors become responses; stack traces never reach clients. */
export function errorHandler(logger: Logger) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const mapped = toDomainError(error, request.url)
    const status = statusOf(mapped)
    noteRefusal(request, mapped)
    if (status === 413) drainRefusedBody(request, reply)
    // A refused disk write is one line (its cause is the disk, not the code); anything else gets its stack.
    const detail = mapped.kind === 'storage-full' || mapped.kind === 'unavailable' ? (error as Error).message : ((error as Error).stack ?? String(error))
    if (status >= 500) logger.error(`${request.method} ${request.routeOptions.url ?? request.url.split('?')[0]} failed: ${detail}`)
    if (mapped.retryAfterSeconds !== undefined) reply.header('Retry-After', String(mapped.retryAfterSeconds))
    return refuse(request, reply, status, mapped.code, mapped.message, mapped.details)
  }
}

/** Answers with the error envelope, noting its code for the request log. */
export function refuse(request: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string, details?: DomainError['details']): FastifyReply {
  request.errorCode = code
  return reply.status(status).send(envelope(status, code, message, details))
}

/** What Node reports before a request exists (no route, no reply), answered with the envelope all the same. */
const CLIENT_ERRORS: Record<string, { status: number; reason: string; code: string; message: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, reason: 'Request Timeout', code: 'common/request-timeout', message: 'The request headers did not arrive in time; send the whole request without pausing' },
  HPE_HEADER_OVERFLOW: { status: 431, reason: 'Request Header Fields Too Large', code: 'common/headers-too-large', message: 'The request headers are too large; send smaller headers (cookies, tokens)' },
}
const MALFORMED = { status: 400, reason: 'Bad Request', code: 'common/bad-request', message: 'The request is not valid HTTP' }

/**
 * Node's `clientError`: a request cut before its headers were complete or unparseable. Fastify would answer with
 * its own body; this writes the error envelope, then closes the connection, which cannot carry another request.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const answer = CLIENT_ERRORS[error.code ?? ''] ?? MALFORMED
  const body = JSON.stringify(envelope(answer.status, answer.code, answer.message))
  if (socket.writable) socket.write(`HTTP/1.1 ${answer.status} ${answer.reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
  socket.destroy()
}
