/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are JSON checked by chai assertions, not typed */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Actor } from '../../src/emulator/core/tenancy/model.js'
import { createEmulator, type Emulator } from '../../src/emulator/server.js'

/** Shared plumbing of the data HTTP tests: an in-process emulator, requests, tables, signed-up users. */
export interface Harness {
  em: Emulator
  dir: string
  actor: Actor
  sk: string
  pk: string
  req(method: string, url: string, options?: { key?: string | null; token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any }>
  table(tableName: string, schema?: unknown, update?: Record<string, unknown>): Promise<{ id: string }>
  signUp(email: string): Promise<{ token: string; userId: string }>
}

export async function startHarness(dir?: string): Promise<Harness> {
  const dataDir = dir ?? (await mkdtemp(join(tmpdir(), 'bkend-data-')))
  const em = await createEmulator({ dataDir, port: 0 })
  return harnessFor(em, dataDir)
}

export function harnessFor(em: Emulator, dir: string): Harness {
  const actor = { tenantId: em.seed.tenantId, organizationId: em.seed.organizationId }
  const sk = em.seed.environment.secretKey
  const pk = em.seed.environment.publishableKey
  const req: Harness['req'] = async (method, url, options = {}) => {
    const headers: Record<string, string> = { ...(options.headers ?? {}) }
    const key = options.key === undefined ? pk : options.key
    if (key !== null) headers['x-api-key'] = key
    if (options.token) headers.authorization = `Bearer ${options.token}`
    const payload = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
    if (payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json'
    const res = await em.app.inject({ method: method as 'GET', url, headers, payload })
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined }
  }
  return {
    em,
    dir,
    actor,
    sk,
    pk,
    req,
    async table(tableName: string, schema: unknown = {}, update?: Record<string, unknown>) {
      const created = await em.core.tables.create(actor, { projectId: em.seed.projectId, environment: 'dev', tableName, schema })
      if (update) await em.core.tables.update(actor, created.id, update)
      return created
    },
    async signUp(email) {
      const res = await req('POST', '/v1/auth/email/signup', { body: { method: 'password', email, password: 'Str0ng-Passw0rd!' } })
      if (res.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(res.body)}`)
      return { token: res.body.accessToken, userId: res.body.user.id }
    },
  }
}

export async function stopHarness(h: Harness | undefined, { keepDir = false } = {}): Promise<void> {
  if (!h) return
  await h.em.stop()
  if (!keepDir) await rm(h.dir, { recursive: true, force: true })
}

export const q = (value: unknown) => encodeURIComponent(JSON.stringify(value))
