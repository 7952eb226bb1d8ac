import type { TestEmulator } from './emulator.js'

/** The console session cookie (`name=value`) a tenant gets by opening a fresh one-time sign-in URL. */
export async function consoleCookie(emu: TestEmulator, tenantId: string): Promise<string> {
  const { url } = await emu.core.consoleSessions.signInUrl(tenantId)
  const header = (await fetch(url, { redirect: 'manual' })).headers.get('set-cookie')
  if (!header) throw new Error('the one-time sign-in URL set no cookie')
  return header.split(';', 1)[0] as string
}
