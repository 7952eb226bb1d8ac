import type { MailboxMessage } from '../../contract/mailbox.js'
import type { RequestEvent, Who } from '../../contract/request-log.js'

/** What the dashboard prints once at the top: the URLs and keys a developer copies. */
export interface DevReadyInfo {
  url: string
  mcpUrl: string
  /** The one-time console sign-in URL, when the emulator printed one. */
  consoleUrl?: string
  dataDir: string
  organizationId: string
  projectId: string
  environment: { id: string; name: string; publishableKey: string; secretKey: string }
  /** A line saying a non-default mode is on (cloud parity), or undefined. */
  mode?: string
  /** A line saying which faults are injected (`bkend dev --latency/--fail-rate`), or undefined. */
  faults?: string
}

const LABEL = 17

/** The header as plain lines, each value whole (the terminal wraps a line wider than itself; nothing cuts it). */
export function headerLines(info: DevReadyInfo): string[] {
  const row = (label: string, value: string) => `${label.padEnd(LABEL)}${value}`
  return [
    'bkend dev is ready',
    row('REST API', `${info.url}/v1`),
    row('MCP', info.mcpUrl),
    ...(info.consoleUrl ? [row('Console', `${info.consoleUrl} (once; later: bkend open)`)] : []),
    ...(info.mode ? [row('Mode', info.mode)] : []),
    ...(info.faults ? [row('Faults', info.faults)] : []),
    row('Health', `${info.url}/_emulator/health`),
    row('Data dir', info.dataDir),
    row('Organization', info.organizationId),
    row('Project', info.projectId),
    row('Environment', `${info.environment.name} (${info.environment.id})`),
    row('Publishable key', info.environment.publishableKey),
    row('Secret key', info.environment.secretKey),
    `The secret key and tenant token are in ${info.dataDir}/runtime.json (mode 0600).`,
  ]
}

/** Who sent a request, in a few characters. */
export function whoText(who: Who): string {
  switch (who.kind) {
    case 'guest':
      return 'guest'
    case 'key':
      return `${who.keyType === 'secret' ? 'secret' : 'publishable'} ${who.keyName}${who.userId ? ` user ${who.userId}` : ''}`
    case 'tenant':
      return `tenant${who.clientId ? ` client ${who.clientId}` : ''}`
    case 'rejected':
      return `rejected ${who.presented}`
    case 'none':
      return ''
  }
}

/** The mark of an injected fault: the delay added and whether the answer was a made-up failure. */
export function faultText(event: RequestEvent): string {
  const fault = event.fault
  if (!fault) return ''
  return ['fault', fault.latencyMs ? `+${fault.latencyMs}ms` : '', fault.failed ? 'failed' : '', fault.rule === 'global' ? '' : `(${fault.rule})`].filter(Boolean).join(' ')
}

/** `12:03:04.567` of an ISO time. */
export const clockTime = (iso: string) => iso.slice(11, 23)

/** The parts of one request row, before colours. */
export function requestParts(event: RequestEvent): { head: string; status: string; tail: string; fault: string; denial: string } {
  return {
    head: `${clockTime(event.time)} ${event.method.padEnd(6)}`,
    status: String(event.status),
    tail: `${`${Math.round(event.durationMs)}ms`.padStart(6)} ${event.path}${event.environment ? ` [${event.environment}]` : ''} ${whoText(event.who)}`.trimEnd(),
    fault: faultText(event),
    denial: event.denial?.message ?? '',
  }
}

/** One e-mail in the list. */
export function mailLine(mail: MailboxMessage): string {
  return `${mail.createdAt.slice(11, 19)} ${mail.type.padEnd(19)} ${mail.to}  ${mail.subject}`
}
