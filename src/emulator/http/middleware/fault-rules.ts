import { FAULT_STATUSES, FAULT_TIMEOUT_HOLD_MS, GLOBAL_FAULT_RULE, type FaultMode, type FaultRule, type FaultStatus } from '../../../contract/faults.js'
import type { AppliedFault } from '../../../contract/request-log.js'
import { invalid } from '../../core/errors.js'
import { onlyKeys, requireEnum, requireObject } from '../../core/input.js'

const CODE = 'common/invalid-parameters'
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const
/** Longest injected latency: below the connections' idle timeout (30 s), which would otherwise cut a held request. */
export const MAX_LATENCY_MS = 20_000
const MAX_RULES = 100
const PATTERN = /^\/[A-Za-z0-9\-._~!$&'()+,;=:@%/*]*$/
const LATENCY = /^(\d+)(?:-(\d+))?$/
const INPUT_KEYS = ['path', 'method', 'latency', 'failRate', 'status', 'mode', 'times', 'forSeconds', 'seed']

/** Whether faults may touch a path: never the controls, health, pages and storage URLs, nor the consent page. */
export function faultable(path: string): boolean {
  return !path.startsWith('/_emulator/') && path !== '/mcp/oauth/authorize'
}

/** What a matching request gets: latency before the handler, and maybe a failure instead of it (a timeout holds for the latency). */
export interface FaultDecision {
  applied: AppliedFault
  latencyMs: number
  failure?: { status: FaultStatus; mode: FaultMode }
}

interface Rule {
  view: FaultRule
  matches: (method: string, path: string) => boolean
  draw: () => number
  expiresAtMs?: number
}

/** mulberry32: a small seeded generator, so a seeded rule draws the same sequence on every run. */
export function seededDraws(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/**
 * The fault rules of one emulator, tried in order (route rules oldest first, then `global`). Every input is checked
 * before anything changes, so a refused rule leaves the set as it was.
 */
export class FaultRules {
  private rules: Rule[] = []
  private global: Rule | undefined
  private nextId = 1

  constructor(private readonly now: () => number = Date.now) {}

  /** True while any rule exists: the request path checks this and nothing else when faults are off. */
  get active(): boolean {
    return this.global !== undefined || this.rules.length > 0
  }

  /** Adds a route rule (or, for the `bkend dev` flags, the global one) and returns it as listed. */
  add(input: unknown, id?: typeof GLOBAL_FAULT_RULE): FaultRule {
    if (id === undefined && this.rules.length >= MAX_RULES) throw invalid(CODE, `At most ${MAX_RULES} fault rules can be active; remove some first`)
    const rule = this.compile(input, id ?? `f${this.nextId}`)
    if (id === undefined) {
      this.nextId += 1
      this.rules.push(rule)
    } else this.global = rule
    return { ...rule.view }
  }

  list(): FaultRule[] {
    this.expire()
    return this.ordered().map((rule) => ({ ...rule.view }))
  }

  /** Removes one rule by id; false when there is none. */
  remove(id: string): boolean {
    if (id === GLOBAL_FAULT_RULE) {
      const had = this.global !== undefined
      this.global = undefined
      return had
    }
    const before = this.rules.length
    this.rules = this.rules.filter((rule) => rule.view.id !== id)
    return this.rules.length < before
  }

  /** Removes every rule, the global one included; returns how many there were. */
  clear(): number {
    const count = this.rules.length + (this.global ? 1 : 0)
    this.rules = []
    this.global = undefined
    return count
  }

  /** The fault for a request, drawn from the first matching rule; undefined when it runs untouched. */
  decide(method: string, path: string): FaultDecision | undefined {
    if (!faultable(path)) return undefined
    this.expire()
    const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
    const rule = this.ordered().find((candidate) => candidate.matches(method, trimmed))
    if (!rule) return undefined
    const view = rule.view
    // note: the failure is drawn before the latency, so a seed fixes both sequences whatever the rule combines.
    const failed = view.failRate > 0 && rule.draw() < view.failRate
    const range = view.latencyMs
    const drawn = !range ? 0 : range.min === range.max ? range.min : range.min + Math.floor(rule.draw() * (range.max - range.min + 1))
    const latencyMs = failed && view.mode === 'timeout' && drawn === 0 ? FAULT_TIMEOUT_HOLD_MS : drawn
    if (!failed && latencyMs === 0) return undefined
    view.applied += 1
    if (view.remaining !== undefined && --view.remaining === 0) this.remove(view.id)
    const label = view.id === GLOBAL_FAULT_RULE ? GLOBAL_FAULT_RULE : `${view.id} ${view.method ?? '*'} ${view.path}`
    const applied: AppliedFault = { rule: label, ...(latencyMs > 0 ? { latencyMs } : {}), ...(failed ? { failed: true } : {}) }
    return { applied, latencyMs, ...(failed ? { failure: { status: view.status, mode: view.mode } } : {}) }
  }

  private ordered(): Rule[] {
    return this.global ? [...this.rules, this.global] : this.rules
  }

  private expire(): void {
    const now = this.now()
    if (this.global?.expiresAtMs !== undefined && this.global.expiresAtMs <= now) this.global = undefined
    if (this.rules.some((rule) => rule.expiresAtMs !== undefined && rule.expiresAtMs <= now)) {
      this.rules = this.rules.filter((rule) => rule.expiresAtMs === undefined || rule.expiresAtMs > now)
    }
  }

  private compile(input: unknown, id: string): Rule {
    const body = requireObject('body', input ?? {})
    onlyKeys('body', body, INPUT_KEYS)
    const path = parsePattern(body.path)
    const method = body.method === undefined ? undefined : requireEnum('method', typeof body.method === 'string' ? body.method.toUpperCase() : body.method, METHODS)
    const latencyMs = body.latency === undefined ? undefined : parseLatency(body.latency)
    const status = body.status === undefined ? 503 : parseStatus(body.status)
    const mode = body.mode === undefined ? 'error' : requireEnum('mode', body.mode, ['error', 'timeout'] as const)
    const failsByDefault = body.status !== undefined || body.mode !== undefined
    const failRate = body.failRate === undefined ? (failsByDefault ? 1 : 0) : parseRate(body.failRate)
    const times = body.times === undefined ? undefined : positiveInteger('times', body.times)
    const forSeconds = body.forSeconds === undefined ? undefined : positiveNumber('forSeconds', body.forSeconds)
    const seed = body.seed === undefined ? undefined : seedOf(body.seed)
    if (failRate === 0 && (latencyMs === undefined || latencyMs.max === 0)) {
      throw invalid(CODE, 'The rule injects nothing: give a latency, a failRate above 0, a status or mode "timeout"')
    }
    const expiresAtMs = forSeconds === undefined ? undefined : this.now() + forSeconds * 1000
    const view: FaultRule = {
      id,
      path,
      ...(method ? { method } : {}),
      ...(latencyMs ? { latencyMs } : {}),
      failRate,
      status,
      mode,
      ...(times !== undefined ? { remaining: times } : {}),
      ...(expiresAtMs !== undefined ? { expiresAt: new Date(expiresAtMs).toISOString() } : {}),
      ...(seed !== undefined ? { seed } : {}),
      applied: 0,
    }
    const pattern = patternRegExp(path)
    return {
      view,
      matches: (requestMethod, requestPath) => (method === undefined || method === requestMethod) && pattern.test(requestPath),
      draw: seed === undefined ? Math.random : seededDraws(seed),
      expiresAtMs,
    }
  }
}

function parsePattern(value: unknown): string {
  if (value === undefined || value === '*') return '*'
  if (typeof value !== 'string' || value.length > 200 || !PATTERN.test(value)) {
    throw invalid(CODE, `path ${JSON.stringify(value)} is not a path pattern: start with / and use * for any characters, e.g. /v1/data/* (no query string or spaces)`, [
      { field: 'path', rule: 'pattern', message: 'a path starting with /, * for any characters' },
    ])
  }
  if (value.includes('**')) throw invalid(CODE, `path ${value} has **: a single * already matches across segments`, [{ field: 'path', rule: 'pattern', message: 'use a single *' }])
  const trimmed = value.length > 1 && value.endsWith('/') ? value.slice(0, -1) : value
  if (!faultable(trimmed) || trimmed === '/_emulator') {
    throw invalid(CODE, `path ${value} can never fault: the /_emulator/ controls, health, pages and storage URLs and the consent page are never affected`, [
      { field: 'path', rule: 'faultable', message: 'outside /_emulator/' },
    ])
  }
  return trimmed
}

function patternRegExp(pattern: string): RegExp {
  if (pattern === '*') return /^/
  return new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)
}

/** `200` or `200-800` (milliseconds), or a number; a reversed range or one past MAX_LATENCY_MS is refused. */
export function parseLatency(value: unknown): { min: number; max: number } {
  const text = typeof value === 'number' ? String(value) : value
  const match = typeof text === 'string' ? LATENCY.exec(text.trim()) : null
  if (!match) throw invalid(CODE, `latency ${JSON.stringify(value)} is not a latency: give milliseconds (300) or a range (200-800)`, [{ field: 'latency', rule: 'format', message: 'ms or min-max' }])
  const min = Number(match[1])
  const max = match[2] === undefined ? min : Number(match[2])
  if (min > max) throw invalid(CODE, `latency ${text} is reversed: write the smaller bound first (${max}-${min})`, [{ field: 'latency', rule: 'range', message: 'min-max with min <= max' }])
  if (max > MAX_LATENCY_MS) throw invalid(CODE, `latency ${text} is longer than ${MAX_LATENCY_MS} ms`, [{ field: 'latency', rule: 'maximum', message: `at most ${MAX_LATENCY_MS}` }])
  return { min, max }
}

/** A share of requests between 0 and 1. */
export function parseRate(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) {
    throw invalid(CODE, `failRate ${JSON.stringify(value)} is outside 0..1: give the share of requests that fail, e.g. 0.2`, [{ field: 'failRate', rule: 'range', message: 'between 0 and 1' }])
  }
  return value
}

function parseStatus(value: unknown): FaultStatus {
  if (!(FAULT_STATUSES as readonly unknown[]).includes(value)) {
    throw invalid(CODE, `status ${JSON.stringify(value)} cannot be injected: use one of ${FAULT_STATUSES.join(', ')}`, [{ field: 'status', rule: 'enum', message: FAULT_STATUSES.join(', ') }])
  }
  return value as FaultStatus
}

function positiveInteger(field: string, value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1) throw invalid(CODE, `${field} must be a whole number of at least 1`, [{ field, rule: 'minimum', message: 'at least 1' }])
  return value as number
}

function positiveNumber(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw invalid(CODE, `${field} must be a number of seconds above 0`, [{ field, rule: 'minimum', message: 'above 0' }])
  return value
}

function seedOf(value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) throw invalid(CODE, 'seed must be a whole number of at least 0', [{ field: 'seed', rule: 'type', message: 'a whole number' }])
  return value as number
}
