import { Secret, TOTP } from 'otpauth'
import type { TestEmulator } from './emulator.js'

export interface Reply {
  status: number
  headers: Headers
  body: Record<string, unknown> & { error?: { code: string; message: string } }
}

export const APP_REDIRECT = 'http://app.test/auth/callback'

/** A JSON call to the emulator (redirects not followed), with an API key and a user token when given. */
export async function rest(emu: TestEmulator, method: string, path: string, options: { key?: string; token?: string; body?: unknown } = {}): Promise<Reply> {
  const headers: Record<string, string> = {}
  if (options.body !== undefined) headers['Content-Type'] = 'application/json'
  if (options.key !== undefined) headers['X-API-Key'] = options.key
  if (options.token) headers.Authorization = `Bearer ${options.token}`
  const response = await fetch(emu.url + path, { method, headers, redirect: 'manual', body: options.body === undefined ? undefined : JSON.stringify(options.body) })
  const text = await response.text()
  let body: Reply['body'] = {}
  try {
    body = JSON.parse(text) as Reply['body']
  } catch {
    body = { text }
  }
  return { status: response.status, headers: response.headers, body }
}

/** Approves an identity at the fake provider with a JSON post and returns the code from the redirect. */
export async function idpCode(emu: TestEmulator, provider: string, identity: Record<string, unknown>, redirectUri = APP_REDIRECT): Promise<string> {
  const reply = await rest(emu, 'POST', `/_emulator/oauth/${provider}/authorize`, {
    body: { client_id: 'any-client', redirect_uri: redirectUri, response_type: 'code', state: 'st', action: 'approve', ...identity },
  })
  const location = reply.headers.get('location')
  const code = location ? new URL(location).searchParams.get('code') : null
  if (reply.status !== 302 || !code) throw new Error(`no code: ${reply.status} ${location} ${JSON.stringify(reply.body)}`)
  return code
}

/** The current TOTP code of a base32 secret at the emulator's clock, shifted by some 30-second steps. */
export function totp(emu: TestEmulator, secret: string, steps = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({ timestamp: emu.core.clock.nowMs() + steps * 30_000 })
}
