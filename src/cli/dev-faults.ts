import { Flags } from '@oclif/core'
import { FAULT_STATUSES, FAULT_TIMEOUT_HOLD_MS, GLOBAL_FAULT_RULE, type FaultRule, type FaultRuleInput } from '../contract/faults.js'
import { checkFaults } from '../emulator/server.js'
import { formatDuration } from './duration.js'
import { CliError } from './errors.js'
import { printTable } from './output.js'

/** `--fail-rate 0.2` as a number; its range is the emulator's to check, so one rule decides everywhere. */
export function failRate(text: string): number {
  const value = Number(text)
  if (text.trim() === '' || !Number.isFinite(value)) throw new CliError(`--fail-rate ${text} is not a number`, 'give the share of requests that fail, between 0 and 1, e.g. 0.2', 2, 'cli/invalid-fault')
  return value
}

const LATENCY = 'milliseconds (300) or a range drawn uniformly (200-800)'

/** The `bkend dev` flags that inject faults into every API request, as the global rule. */
export const faultFlags = {
  latency: Flags.string({ description: `add latency to every API request: ${LATENCY}`, env: 'BKEND_LATENCY' }),
  'fail-rate': Flags.string({ description: 'share of API requests (0..1) answered 503 without running', env: 'BKEND_FAIL_RATE' }),
  'fault-seed': Flags.integer({ description: 'seed of the random draws of --latency and --fail-rate, for repeatable runs', min: 0, env: 'BKEND_FAULT_SEED' }),
}

/** Which `bkend dev` flag each field of the global rule comes from. */
const FLAG_OF: Record<string, string> = { latency: '--latency', failRate: '--fail-rate', seed: '--fault-seed' }

/** The emulator names the field of a refused rule (`failRate 2 is outside 0..1`); a person typed the flag. */
export function inFlagWords(message: string, field: string | undefined, flags: Record<string, string> = FLAG_OF): string {
  const flag = field === undefined ? undefined : flags[field]
  return flag && message.startsWith(`${field} `) ? `${flag}${message.slice(field!.length)}` : message
}

/**
 * The global fault rule of the `bkend dev` flags, or undefined when none is given. It is checked by the emulator's
 * own check of a rule, so a bad value stops the command before the emulator starts, in the words the control uses.
 */
export function devFaults(flags: { latency?: string; 'fail-rate'?: string; 'fault-seed'?: number }): FaultRuleInput | undefined {
  if (flags.latency === undefined && flags['fail-rate'] === undefined) {
    if (flags['fault-seed'] !== undefined) throw new CliError('--fault-seed seeds the draws of --latency and --fail-rate, and neither is given', 'add --latency or --fail-rate, or drop --fault-seed', 2, 'cli/invalid-fault')
    return undefined
  }
  const input: FaultRuleInput = {
    ...(flags.latency !== undefined ? { latency: flags.latency } : {}),
    ...(flags['fail-rate'] !== undefined ? { failRate: failRate(flags['fail-rate']) } : {}),
    ...(flags['fault-seed'] !== undefined ? { seed: flags['fault-seed'] } : {}),
  }
  try {
    checkFaults(input)
  } catch (error) {
    const field = (error as { details?: Array<{ field: string }> }).details?.[0]?.field
    throw new CliError(inFlagWords((error as Error).message, field), `--latency takes ${LATENCY}; --fail-rate a share between 0 and 1`, 2, 'cli/invalid-fault')
  }
  return input
}

/** What a rule injects, in one line: `latency 200-800 ms, 20% fail with 503, seed 7`. */
export function describeFault(rule: FaultRule): string {
  const latency = rule.latencyMs && (rule.latencyMs.min === rule.latencyMs.max ? millis(rule.latencyMs.min) : `${rule.latencyMs.min}-${rule.latencyMs.max} ms`)
  const share = rule.failRate === 1 ? 'all' : `${Number((rule.failRate * 100).toFixed(2))}%`
  const timesOut = rule.mode === 'timeout' && rule.failRate > 0
  const parts: string[] = []
  // A timeout's hold is its latency: when every request times out, there is no other latency to speak of.
  if (latency && !(timesOut && rule.failRate === 1)) parts.push(`latency ${latency}`)
  if (timesOut) parts.push(`${share} time out after ${latency ?? millis(FAULT_TIMEOUT_HOLD_MS)}`)
  else if (rule.failRate > 0) parts.push(`${share} fail with ${rule.status}`)
  if (rule.seed !== undefined) parts.push(`seed ${rule.seed}`)
  return parts.join(', ')
}

function millis(ms: number): string {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`
}

/** Which requests a rule matches: `POST /v1/data/*`, `every API request` for the global one. */
export function faultTarget(rule: FaultRule): string {
  if (rule.id === GLOBAL_FAULT_RULE || (rule.path === '*' && rule.method === undefined)) return 'every API request'
  if (rule.method === undefined) return `requests to ${rule.path}`
  return `${rule.method} ${rule.path === '*' ? 'requests' : rule.path}`
}

/** The ready text's line about faults: said only when `bkend dev` started with them. */
export function faultsReadyLine(rule: FaultRule | undefined): string | undefined {
  return rule && `${faultTarget(rule)}: ${describeFault(rule)} (bkend dev chaos clear stops it)`
}

/** `--for`: how long a rule lasts, as the control takes it. */
export function forSeconds(seconds: number, text: string): number {
  if (seconds <= 0) throw new CliError(`--for ${text} is not a positive duration`, 'e.g. --for 60s or --for 5m', 2, 'cli/invalid-duration')
  return seconds
}

/** The statuses `bkend dev chaos add --status` offers. */
export const FAULT_STATUS_OPTIONS = FAULT_STATUSES.map(String)

/** How long a rule has left, for the list: `12m30s`, or empty when it does not expire. */
export function expiresIn(rule: FaultRule, now = Date.now()): string {
  if (rule.expiresAt === undefined) return ''
  return formatDuration(Math.max(0, Math.round((Date.parse(rule.expiresAt) - now) / 1000))).replace(/^\+/, '')
}

/** Fault rules as a table, in the order they are tried. */
export function printFaults(rules: FaultRule[], wanted?: string): Promise<void> {
  const rows = rules.map((rule) => ({ id: rule.id, method: rule.method ?? '*', path: rule.path, injects: describeFault(rule), left: rule.remaining ?? '', expires: expiresIn(rule), applied: rule.applied }))
  return printTable(
    [
      { key: 'id', header: 'Id', identity: true },
      { key: 'method', header: 'Method' },
      { key: 'path', header: 'Path' },
      { key: 'injects', header: 'Injects' },
      { key: 'left', header: 'Left' },
      { key: 'expires', header: 'Expires in' },
      { key: 'applied', header: 'Applied' },
    ],
    rows,
    wanted,
  )
}
