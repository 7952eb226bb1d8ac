import type { Page } from '../../src/contract/common.js'
import type { MailType, MailboxMessage } from '../../src/contract/mailbox.js'
import type { EnvScope } from '../../src/emulator/core/auth/auth-service.js'
import { startEmulator, type TestEmulator } from './emulator.js'

export interface Reply {
  status: number
  headers: Headers
  body: Record<string, unknown> & { error?: { code: string; message: string } }
}

export interface Tokens {
  accessToken: string
  refreshToken: string
  user: { id: string; email: string; emailVerified: string | null; name: string; hasPassword: boolean }
}

/** A REST client for auth tests against a started emulator: JSON in, status + headers + JSON out. */
export function authClient(emu: TestEmulator) {
  const pk = emu.seed.environment.publishableKey
  const call = async (method: string, path: string, options: { key?: string | null; token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply> => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...options.headers }
    const key = options.key === undefined ? pk : options.key
    if (key !== null) headers['X-API-Key'] = key
    if (options.token) headers.Authorization = `Bearer ${options.token}`
    const response = await fetch(emu.url + path, { method, headers, redirect: 'manual', body: options.body === undefined ? undefined : JSON.stringify(options.body) })
    const text = await response.text()
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Reply['body']) : {} }
  }
  const tenant = { Authorization: `Bearer ${emu.seed.tenantToken}` }
  /** The mailbox, newest first, through the control endpoint. */
  const mails = async (filter: { to?: string; type?: MailType } = {}): Promise<MailboxMessage[]> => {
    const query = new URLSearchParams(filter as Record<string, string>).toString()
    const response = await fetch(`${emu.url}/_emulator/mailbox?${query}`, { headers: tenant })
    return ((await response.json()) as Page<MailboxMessage>).items
  }
  const lastMail = async (to: string, type: MailType): Promise<MailboxMessage> => {
    const [latest] = await mails({ to, type })
    if (!latest) throw new Error(`no ${type} mail to ${to}`)
    return latest
  }
  const signUp = async (email: string, password = 'secret123', extra: Record<string, unknown> = {}) => {
    const reply = await call('POST', '/v1/auth/email/signup', { body: { email, password, ...extra } })
    if (reply.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(reply.body)}`)
    return reply.body as unknown as Tokens
  }
  const signIn = async (email: string, password = 'secret123') => call('POST', '/v1/auth/email/signin', { body: { email, password } })
  const advance = async (seconds: number) => {
    await fetch(`${emu.url}/_emulator/clock`, { method: 'POST', headers: { ...tenant, 'Content-Type': 'application/json' }, body: JSON.stringify({ advanceSeconds: seconds }) })
  }
  const scope = (): EnvScope => ({ environment: emu.core.envs.doc(emu.seed.environment.id)!, project: emu.core.projects.doc(emu.seed.projectId)! })
  const setAuth = (settings: Record<string, unknown>) => emu.core.projectSettings.auth.update(emu.actor, emu.seed.projectId, settings)
  return { pk, sk: emu.seed.environment.secretKey, call, mails, lastMail, signUp, signIn, advance, scope, setAuth }
}

export type AuthClient = ReturnType<typeof authClient>

/** Registers mocha hooks that give each test a fresh emulator and its auth client. */
export function withAuthEmulator(): { emu: TestEmulator; api: AuthClient } {
  const context = {} as { emu: TestEmulator; api: AuthClient }
  beforeEach(async () => {
    context.emu = await startEmulator()
    context.api = authClient(context.emu)
  })
  afterEach(() => context.emu.dispose())
  return context
}
