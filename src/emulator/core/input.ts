import { invalid } from './errors.js'

/** Small, explicit checks for management inputs; each failure names the field and the rule. */
const CODE = 'common/invalid-parameters'

export function requireString(field: string, value: unknown, { min = 1, max = 1000, pattern }: { min?: number; max?: number; pattern?: RegExp } = {}): string {
  if (typeof value !== 'string') throw invalid(CODE, `${field} must be a string`, [{ field, rule: 'type', message: 'must be a string' }])
  const length = [...value].length
  if (length < min) throw invalid(CODE, `${field} must be at least ${min} characters`, [{ field, rule: 'minLength', message: `at least ${min} characters` }])
  if (length > max) throw invalid(CODE, `${field} must be at most ${max} characters`, [{ field, rule: 'maxLength', message: `at most ${max} characters` }])
  if (pattern && !pattern.test(value)) throw invalid(CODE, `${field} must match ${pattern.source}`, [{ field, rule: 'pattern', message: `must match ${pattern.source}` }])
  return value
}

export function optionalString(field: string, value: unknown, options: { max?: number; pattern?: RegExp } = {}): string | null {
  if (value === undefined || value === null) return null
  return requireString(field, value, { min: 0, ...options })
}

/** A single-valued query parameter: absent or empty → undefined; given more than once → 400. */
export function queryText(query: Record<string, unknown>, name: string): string | undefined {
  const value = query[name]
  if (value === undefined || value === '') return undefined
  if (typeof value !== 'string') throw invalid(CODE, `${name} must be given once`)
  return value
}

export function requireEnum<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(CODE, `${field} must be one of ${allowed.join(', ')}`, [{ field, rule: 'enum', message: `one of ${allowed.join(', ')}` }])
  }
  return value as T
}

export function requireObject(field: string, value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(CODE, `${field} must be an object`, [{ field, rule: 'type', message: 'must be an object' }])
  }
  return value as Record<string, unknown>
}

/** Rejects keys outside `allowed`, naming the allowed ones. */
export function onlyKeys(field: string, value: Record<string, unknown>, allowed: readonly string[]): void {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key))
  if (unknown.length > 0) {
    throw invalid(CODE, `${field} has unknown keys ${unknown.join(', ')}; allowed: ${allowed.join(', ')}`, unknown.map((key) => ({ field: key, rule: 'unknown', message: `allowed: ${allowed.join(', ')}` })))
  }
}

/** Nesting levels a JSON value may have (MongoDB's document limit); deeper input is refused before anything walks it. */
export const MAX_JSON_DEPTH = 100

/** Whether a parsed JSON value nests deeper than `max` objects and arrays. Iterative, so any depth is safe to check. */
export function nestsDeeperThan(value: unknown, max: number = MAX_JSON_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]]
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number]
    if (typeof current !== 'object' || current === null) continue
    if (depth > max) return true
    for (const inner of Array.isArray(current) ? current : Object.values(current)) if (typeof inner === 'object' && inner !== null) stack.push([inner, depth + 1])
  }
  return false
}

/** Lower-case slug from a display name: `My App!` → `my-app`. */
export function slugify(name: string): string {
  const slug = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64).replace(/-+$/, '')
  return slug || 'item'
}

export const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/
