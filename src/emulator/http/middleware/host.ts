import type { FastifyRequest } from 'fastify'
import { isIP } from 'node:net'
import { forbidden, type DomainError } from '../../core/errors.js'

/**
 * DNS-rebinding guard: a page on `evil.example` whose name the attacker re-points at 127.0.0.1 reaches the emulator
 * as a same-origin caller, with `Host: evil.example`. Only names that cannot be re-pointed that way are served:
 * `localhost` and its subdomains (browsers resolve them to loopback themselves), any IP literal (a page on an
 * address is not a rebinding: its origin is that address, and CORS applies as usual), and the names the user gave,
 * the bound `--host` and the `--public-url` host. A request without Host (HTTP/1.0) does not come from a browser.
 */
export function hostGuard(names: readonly string[]): (request: FastifyRequest) => DomainError | undefined {
  const allowed = new Set(names.map((name) => name.toLowerCase().replace(/^\[|\]$/g, '')))
  return (request) => {
    const header = request.headers.host
    if (header === undefined) return undefined
    const name = hostnameOf(header)
    if (name !== undefined && (name === 'localhost' || name.endsWith('.localhost') || isIP(name) !== 0 || allowed.has(name))) return undefined
    return forbidden(
      'common/host-not-allowed',
      `The Host header ${JSON.stringify(header)} is not a name of this emulator: use localhost or an IP address, or start bkend dev with --public-url for the name clients use`,
    )
  }
}

/** The lower-cased name of a Host header value without its port or IPv6 brackets; undefined when malformed. */
function hostnameOf(header: string): string | undefined {
  const value = header.trim().toLowerCase()
  if (value.startsWith('[')) {
    const end = value.indexOf(']')
    return end > 0 && (end === value.length - 1 || /^:\d+$/.test(value.slice(end + 1))) ? value.slice(1, end) : undefined
  }
  const match = /^([^:]+)(?::\d+)?$/.exec(value)
  return match?.[1]
}
