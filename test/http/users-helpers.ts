/* eslint-disable @typescript-eslint/no-explicit-any -- response bodies are JSON checked by chai assertions, not typed */
import { startEmulator, type TestEmulator } from '../helpers/emulator.js'

/** Who makes a request in the users tests. */
export interface Caller {
  key?: string
  token?: string
}

export interface Reply {
  status: number
  body: any
}

/** A real emulator over real HTTP with signed-up users for the `/v1/users` and `/v1/auth/invitations` tests. */
export interface UsersHarness {
  emu: TestEmulator
  pk: string
  sk: string
  call(method: string, path: string, caller: Caller, body?: unknown): Promise<Reply>
  /** Signs a user up with a password; `admin: true` promotes them to the admin role. */
  signUp(email: string, options?: { name?: string; admin?: boolean }): Promise<{ id: string; token: string; refreshToken: string; caller: Caller }>
}

export type SignedUp = Awaited<ReturnType<UsersHarness['signUp']>>

/** The cast of the users and invitation tests: Alice and Bob (users) and Carol (an admin). */
export async function signUpCast(h: UsersHarness): Promise<{ alice: SignedUp; bob: SignedUp; carol: SignedUp }> {
  const alice = await h.signUp('alice@example.com', { name: 'Alice' })
  const bob = await h.signUp('bob@example.com', { name: 'Bob' })
  const carol = await h.signUp('carol@example.com', { name: 'Carol', admin: true })
  return { alice, bob, carol }
}

export async function startUsersHarness(): Promise<UsersHarness> {
  const emu = await startEmulator()
  const pk = emu.seed.environment.publishableKey
  const sk = emu.seed.environment.secretKey
  const call: UsersHarness['call'] = async (method, path, caller, body) => {
    const headers: Record<string, string> = {}
    if (caller.key !== undefined) headers['X-API-Key'] = caller.key
    if (caller.token) headers.Authorization = `Bearer ${caller.token}`
    if (body !== undefined) headers['Content-Type'] = 'application/json'
    const response = await fetch(emu.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await response.text()
    return { status: response.status, body: text ? JSON.parse(text) : undefined }
  }
  const signUp: UsersHarness['signUp'] = async (email, options = {}) => {
    const reply = await call('POST', '/v1/auth/email/signup', { key: pk }, { email, password: 'secret123', name: options.name })
    if (reply.status !== 201) throw new Error(`sign-up failed: ${JSON.stringify(reply.body)}`)
    const id = reply.body.user.id as string
    if (options.admin) {
      const promoted = await call('PATCH', `/v1/users/${id}/role`, { key: sk }, { role: 'admin' })
      if (promoted.status !== 200) throw new Error(`promotion failed: ${JSON.stringify(promoted.body)}`)
    }
    return { id, token: reply.body.accessToken, refreshToken: reply.body.refreshToken, caller: { key: pk, token: reply.body.accessToken } }
  }
  return { emu, pk, sk, call, signUp }
}
