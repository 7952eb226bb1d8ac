import { createHash } from 'node:crypto'
import type { TestEmulator } from '../helpers/emulator.js'

/** A JSON body as tests read it: chai asserts the shapes, so fields are read loosely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test-only: replies are asserted field by field
export type Json = Record<string, any>

export interface Reply {
  status: number
  headers: Headers
  body: Json & { error?: { code: string; message: string } }
}

/** Who calls: an API key and maybe a user access token. */
export interface As {
  key: string
  token?: string
}

/** A JSON call to the emulator's REST API. */
export async function call(emu: TestEmulator, method: string, path: string, as: As, body?: unknown): Promise<Reply> {
  const headers: Record<string, string> = { 'X-API-Key': as.key }
  if (as.token) headers.Authorization = `Bearer ${as.token}`
  if (body !== undefined) headers['Content-Type'] = 'application/json'
  const response = await fetch(emu.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: text === '' ? {} : (JSON.parse(text) as Reply['body']) }
}

/** Signs a user up with the publishable key and returns who they are. */
export async function signUp(emu: TestEmulator, email: string): Promise<{ id: string; as: As }> {
  const pk = emu.seed.environment.publishableKey
  const reply = await call(emu, 'POST', '/v1/auth/email/signup', { key: pk }, { email, password: 'secret123' })
  if (reply.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(reply.body)}`)
  return { id: reply.body.user.id as string, as: { key: pk, token: reply.body.accessToken as string } }
}

/** A signed `PUT` of raw bytes. */
export async function put(url: string, bytes: Uint8Array | string, contentType?: string): Promise<{ status: number; etag: string | null; body: string }> {
  const response = await fetch(url, { method: 'PUT', body: bytes, headers: contentType ? { 'Content-Type': contentType } : {} })
  return { status: response.status, etag: response.headers.get('etag'), body: await response.text() }
}

/** Issues an upload URL, uploads `bytes` and registers the file; returns the file object. */
export async function uploadFile(emu: TestEmulator, as: As, bytes: string | Uint8Array, extra: Record<string, unknown> = {}): Promise<Json> {
  const filename = (extra.originalName as string | undefined) ?? 'notes.txt'
  const issued = await call(emu, 'POST', '/v1/files/presigned-url', as, { filename, contentType: 'text/plain' })
  if (issued.status !== 200) throw new Error(`presigned-url failed: ${JSON.stringify(issued.body)}`)
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length
  const uploaded = await put(issued.body.url as string, bytes, 'text/plain')
  if (uploaded.status !== 200) throw new Error(`upload failed: ${uploaded.body}`)
  const registered = await call(emu, 'POST', '/v1/files', as, { s3Key: issued.body.key, originalName: filename, mimeType: 'text/plain', size, ...extra })
  if (registered.status !== 201) throw new Error(`register failed: ${JSON.stringify(registered.body)}`)
  return registered.body
}

export const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex')
export const md5 = (bytes: Uint8Array | string) => createHash('md5').update(bytes).digest('hex')
