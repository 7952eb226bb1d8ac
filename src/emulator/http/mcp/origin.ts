import { isLoopbackHost } from '../../core/oauth/clients.js'

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

/**
 * The origin a client reached the emulator by, for discovery metadata: a loopback alias of the emulator's own
 * address (`localhost:4100` for `127.0.0.1:4100`) is kept, so a client configured with either finds metadata whose
 * resource matches the URL it was given (the SDK insists). Anything else gets the canonical origin.
 */
export function publicOrigin(host: string | undefined, emulatorOrigin: string): string {
  if (!host) return emulatorOrigin
  try {
    const canonical = new URL(emulatorOrigin)
    const reached = new URL(`http://${host}`)
    const alias = reached.port === canonical.port && isLoopbackHost(reached.hostname) && isLoopbackHost(canonical.hostname)
    return alias ? reached.origin : emulatorOrigin
  } catch {
    return emulatorOrigin
  }
}
