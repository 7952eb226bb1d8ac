import { isLoopbackHost } from '../core/oauth/clients.js'

/**
 * DNS-rebinding and cross-site protection for `/mcp` and the consent form: a request is trusted when it sends no
 * Origin (non-browser clients), the emulator's own origin, or a loopback origin.
 */
export function trustedOrigin(origin: string | undefined, emulatorOrigin: string): boolean {
  if (origin === undefined) return true
  if (origin === emulatorOrigin) return true
  try {
    return isLoopbackHost(new URL(origin).hostname)
  } catch {
    return false
  }
}
