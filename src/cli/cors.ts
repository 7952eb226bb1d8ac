import { CliError } from './errors.js'

/** What `projects cors set` was asked to do with the list. */
export interface CorsChange {
  /** The whole new list (positional origins). */
  origins: string[]
  add: string[]
  remove: string[]
  clear: boolean
}

/**
 * The allowed-origins list after a change: a replacement, or the current list with origins added and removed (an
 * origin already there is not added twice). The rules on the result (at most 3, each with a protocol, no wildcard)
 * are the server's to check, so the message is the same from every client.
 */
export function nextOrigins(current: readonly string[], change: CorsChange): string[] {
  if (checkCorsChange(change) === 'replace') return unique(change.origins)
  const missing = change.remove.filter((origin) => !current.some((c) => same(c, origin)))
  if (missing.length) throw usage(`${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not an allowed origin`, `the allowed origins are: ${current.join(', ') || '(none)'}`)
  const kept = current.filter((c) => !change.remove.some((origin) => same(c, origin)))
  return unique([...kept, ...change.add])
}

/** Refuses a change that asks for nothing or for two things at once, before anything is read from the target. */
export function checkCorsChange(change: CorsChange): 'replace' | 'edit' {
  const replacing = change.origins.length > 0 || change.clear
  if (replacing && (change.add.length > 0 || change.remove.length > 0)) throw usage('give either the whole list (or --clear), or --add/--remove', 'e.g. bkend projects cors set https://my-app.com http://localhost:3000, or bkend projects cors set --add https://admin.my-app.com')
  if (change.clear && change.origins.length > 0) throw usage('--clear removes every origin; do not list origins with it', 'bkend projects cors set --clear')
  if (!replacing && change.add.length === 0 && change.remove.length === 0) throw usage('nothing to change', 'list the allowed origins, or pass --add, --remove or --clear')
  return replacing ? 'replace' : 'edit'
}

function unique(origins: string[]): string[] {
  return origins.filter((origin, i) => origins.findIndex((o) => same(o, origin)) === i)
}

/** Origins compare without a trailing slash: `https://a.com/` and `https://a.com` are one origin. */
function same(a: string, b: string): boolean {
  return a.replace(/\/$/, '') === b.replace(/\/$/, '')
}

function usage(message: string, hint: string): CliError {
  return new CliError(message, hint, 2, 'cli/usage')
}
