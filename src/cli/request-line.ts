import { styleText } from 'node:util'
import type { RequestEvent, Who } from '../contract/request-log.js'

/** Who asked, in a few words: `guest`, `default-publishable (pk_1a2b3c4d) user u_1 (user)`, `tenant t_1 via local-cli`. */
export function describeWho(who: Who): string {
  switch (who.kind) {
    case 'guest':
      return 'guest'
    case 'key':
      return `${who.keyName} (${who.keyPrefix})${who.userId === undefined ? '' : ` user ${who.userId}${who.role ? ` (${who.role})` : ''}`}`
    case 'tenant':
      return `tenant ${who.tenantId}${who.clientId ? ` via ${who.clientId}` : ''}`
    case 'rejected':
      return `rejected ${who.presented}`
    case 'none':
      return '-'
  }
}

const STATUS_STYLE = (status: number): Parameters<typeof styleText>[0] => (status >= 500 ? 'red' : status >= 400 ? 'yellow' : status >= 300 ? 'cyan' : 'green')

/**
 * One plain line per request: time, status, method, path, duration, who, environment, and for a refusal its code
 * and the reason inline; an injected fault says so. `colour` styles the status (a terminal only).
 */
export function requestLine(event: RequestEvent, colour = false): string {
  const status = colour ? styleText(STATUS_STYLE(event.status), String(event.status)) : String(event.status)
  const parts = [localTime(event.time), status, event.method, event.path, `${event.durationMs}ms`, describeWho(event.who)]
  if (event.environment) parts.push(`env ${event.environment}`)
  if (event.fault) parts.push(`fault ${event.fault.rule}${event.fault.latencyMs ? ` +${event.fault.latencyMs}ms` : ''}${event.fault.failed ? ' failed' : ''}`)
  let line = parts.join(' ')
  if (event.code || event.denial) line += ` — ${[event.code, event.denial ? `${event.denial.check}: ${event.denial.message}` : undefined].filter(Boolean).join(': ')}`
  return `${line}\n`
}

/** Whether to colour output on this stream: a terminal, and NO_COLOR not set. */
export function colourFor(stream: NodeJS.WriteStream): boolean {
  return stream.isTTY === true && !process.env.NO_COLOR
}

/** `HH:MM:SS.mmm` in local time. */
function localTime(iso: string): string {
  const d = new Date(iso)
  const two = (n: number) => String(n).padStart(2, '0')
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`
}
