import type { DenialCheck, RequestEvent, Who } from './request-log.js'

/**
 * A request of the log explained for people, as parts that each surface lays out its own way: `bkend dev explain`
 * prints them as lines, the console as a definition list. Pure; no secret is ever in an event to begin with.
 */

/** What each check means, for the line that names it. */
export const CHECK_MEANINGS: Record<DenialCheck, string> = {
  credential: 'the credential was missing, malformed, expired, revoked or of the wrong kind',
  'key-scope': "the API key's scopes",
  role: "the caller's group lacks the permission",
  self: "the self condition (only the record's creator)",
  expression: 'an expression permission',
  column: 'a column rule',
  'row-filter': 'a row filter',
  'system-table': 'a system table',
  'cloud-only': 'cloud-parity mode (an emulator extension the hosted service lacks)',
  'rate-limit': 'the rate limit',
  origin: 'the allowed origins or hosts',
  other: 'another check',
}

/** Who made a request, in words: keys by name and prefix, users by id, never a credential. */
export function whoText(who: Who): string {
  switch (who.kind) {
    case 'guest':
      return 'guest (no credential)'
    case 'key':
      return `${who.keyType} key "${who.keyName}" (${who.keyPrefix}…)${who.userId ? ` with user ${who.userId}${who.role ? ` (role ${who.role})` : ''}` : ''}`
    case 'tenant':
      return `tenant ${who.tenantId}${who.clientId ? ` (OAuth client ${who.clientId})` : ''}`
    case 'rejected':
      return `a refused ${who.presented} credential`
    case 'none':
      return 'nobody in particular'
  }
}

const valueText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value))

export interface Explanation {
  /** `GET /v1/… → 403 code  (3 ms, time)` */
  request: string
  id: string
  who: string
  where?: string
  fault?: string
  /** Without a denial: why there is nothing more to explain. */
  decision?: string
  /** With a denial: the check that decided and what it means. */
  check?: string
  why?: string
  /** The values the refusal was decided with, as text. */
  decidedWith: Array<[string, string]>
  caller?: string
  allow?: string
}

/** The parts of one request's explanation: the answer, who asked, and for a refusal the check, values and remedy. */
export function explain(event: RequestEvent): Explanation {
  const answer = `${event.status}${event.code ? ` ${event.code}` : ''}`
  const out: Explanation = { request: `${event.method} ${event.path} → ${answer}  (${event.durationMs} ms, ${event.time})`, id: event.id, who: whoText(event.who), decidedWith: [] }
  if (event.environment) out.where = `${event.project ? `${event.project} / ` : ''}${event.environment}`
  if (event.fault) out.fault = `injected by ${event.fault.rule}${event.fault.failed ? ' (failed on purpose)' : ''}${event.fault.latencyMs ? `, ${event.fault.latencyMs} ms added` : ''}`
  const denial = event.denial
  if (!denial) {
    out.decision = event.status < 400 ? 'allowed; no permission, scope or row filter narrowed it' : 'not a permission refusal; the answer above is the whole story'
    return out
  }
  out.check = `${denial.check}: ${CHECK_MEANINGS[denial.check]}`
  out.why = denial.message
  const { allow, caller, ...rest } = denial.details ?? {}
  out.decidedWith = Object.keys(rest).map((key) => [key, valueText(rest[key])])
  if (caller !== undefined) out.caller = valueText(caller)
  if (typeof allow === 'string') out.allow = allow
  return out
}
