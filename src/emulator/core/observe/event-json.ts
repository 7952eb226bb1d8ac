import type { MissedEvent, RequestEvent, Who } from '../../../contract/request-log.js'

/** What JSON.stringify would escape in a string: quotes, backslashes, control characters, lone surrogates. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/

function str(value: string): string {
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`
}

/** Numbers as JSON.stringify writes them (a non-finite one as null). */
function num(value: number): string {
  return Number.isFinite(value) ? `${value}` : 'null'
}

function whoJson(who: Who): string {
  if (who.kind !== 'key') return JSON.stringify(who)
  let out = `{"kind":"key","keyType":"${who.keyType}","keyName":${str(who.keyName)},"keyPrefix":${str(who.keyPrefix)}`
  if (who.userId !== undefined) out += `,"userId":${str(who.userId)}`
  if (who.role !== undefined) out += `,"role":${str(who.role)}`
  return `${out}}`
}

/**
 * An event as one NDJSON line, byte for byte what `JSON.stringify` makes of the events the request log builds
 * (their fields in the order `requestEvent` sets them). Every `--json` line, `--log-file` line and `/_emulator/logs`
 * line goes through here on the server's thread, where the generic `JSON.stringify` costs twice as much; the nested
 * parts that are rare (denials, faults, bodies) are left to it.
 */
export function eventLine(event: RequestEvent | MissedEvent): string {
  if (event.event !== 'request') return `${JSON.stringify(event)}\n`
  let out = `{"event":"request","time":${str(event.time)},"id":${str(event.id)},"method":${str(event.method)},"path":${str(event.path)},"status":${num(event.status)},"durationMs":${num(event.durationMs)},"who":${whoJson(event.who)}`
  if (event.environment !== undefined) out += `,"environment":${str(event.environment)}`
  if (event.project !== undefined) out += `,"project":${str(event.project)}`
  if (event.code !== undefined) out += `,"code":${str(event.code)}`
  if (event.denial !== undefined) out += `,"denial":${JSON.stringify(event.denial)}`
  if (event.fault !== undefined) out += `,"fault":${JSON.stringify(event.fault)}`
  if (event.requestBody !== undefined) out += `,"requestBody":${JSON.stringify(event.requestBody)}`
  if (event.responseBody !== undefined) out += `,"responseBody":${JSON.stringify(event.responseBody)}`
  return `${out}}\n`
}
