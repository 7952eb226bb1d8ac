import { explain } from '../contract/explain.js'
import type { RequestEvent } from '../contract/request-log.js'

/**
 * A request of the log explained for people, one line each: the request line and its answer, who asked, then for a
 * refusal (or a narrowed list) the check that decided, its message, the rule and the values it was decided with,
 * and what would allow it.
 */
export function explainLines(event: RequestEvent): string[] {
  const parts = explain(event)
  const lines = [parts.request, `Request:  ${parts.id}`, `Who:      ${parts.who}`]
  if (parts.where) lines.push(`Where:    ${parts.where}`)
  if (parts.fault) lines.push(`Fault:    ${parts.fault}`)
  if (parts.decision) {
    lines.push(`Decision: ${parts.decision}`)
    return lines
  }
  lines.push(`Check:    ${parts.check}`, `Why:      ${parts.why}`)
  if (parts.decidedWith.length > 0) {
    lines.push('Decided with:')
    for (const [key, value] of parts.decidedWith) lines.push(`  ${key}: ${value}`)
  }
  if (parts.caller !== undefined) lines.push(`Caller:   ${parts.caller}`)
  if (parts.allow !== undefined) lines.push(`To allow: ${parts.allow}`)
  return lines
}
