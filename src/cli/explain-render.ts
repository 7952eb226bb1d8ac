import type { DenialCheck, RequestEvent, Who } from '../contract/request-log.js'

/** What each check means, for the line that names it. */
const CHECKS: Record<DenialCheck, string> = {
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

/**
 * A request of the log explained for people, one line each: the request line and its answer, who asked, then for a
 * refusal (or a narrowed list) the check that decided, its message, the rule and the values it was decided with,
 * and what would allow it.
 */
export function explainLines(event: RequestEvent): string[] {
  const answer = `${event.status}${event.code ? ` ${event.code}` : ''}`
  const lines = [`${event.method} ${event.path} → ${answer}  (${event.durationMs} ms, ${event.time})`, `Request:  ${event.id}`, `Who:      ${whoText(event.who)}`]
  if (event.environment) lines.push(`Where:    ${event.project ? `${event.project} / ` : ''}${event.environment}`)
  if (event.fault) lines.push(`Fault:    injected by ${event.fault.rule}${event.fault.failed ? ' (failed on purpose)' : ''}${event.fault.latencyMs ? `, ${event.fault.latencyMs} ms added` : ''}`)
  const denial = event.denial
  if (!denial) {
    lines.push(event.status < 400 ? 'Decision: allowed; no permission, scope or row filter narrowed it' : 'Decision: not a permission refusal; the answer above is the whole story')
    return lines
  }
  lines.push(`Check:    ${denial.check}: ${CHECKS[denial.check]}`, `Why:      ${denial.message}`)
  const { allow, caller, ...rest } = denial.details ?? {}
  const keys = Object.keys(rest)
  if (keys.length > 0) {
    lines.push('Decided with:')
    for (const key of keys) lines.push(`  ${key}: ${valueText(rest[key])}`)
  }
  if (caller !== undefined) lines.push(`Caller:   ${valueText(caller)}`)
  if (typeof allow === 'string') lines.push(`To allow: ${allow}`)
  return lines
}
