import type { RequestEvent } from '../../../contract/request-log.js'
import { invalid } from '../errors.js'

/** What a `/_emulator/logs` reader asked for. */
export interface LogQuery {
  /** Whether an event passes every filter given. */
  matches: (event: RequestEvent) => boolean
  /** How many recent events to send first. */
  limit: number
  follow: boolean
}

export const DEFAULT_LOG_LIMIT = 100
export const MAX_LOG_LIMIT = 10_000
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD']
const FILTERS = ['env', 'status', 'path', 'method', 'limit', 'follow']

const bad = (field: string, message: string) => invalid('common/invalid-parameters', message, [{ field, rule: 'format', message }])

/** `4xx`, `404`, or a comma-separated list of them, as a test on a status. */
export function statusFilter(value: string): (status: number) => boolean {
  const tests = value.split(',').map((part) => {
    const token = part.trim().toLowerCase()
    if (/^[1-5]xx$/.test(token)) {
      const family = Number(token[0])
      return (status: number) => Math.floor(status / 100) === family
    }
    if (/^[1-5]\d\d$/.test(token)) return (status: number) => status === Number(token)
    throw bad('status', `status "${part}" is not a status filter: use a class such as 4xx, a status such as 404, or a list such as 2xx,5xx`)
  })
  return (status) => tests.some((test) => test(status))
}

/** A path prefix (`/v1/records`), or a glob in which each `*` stands for any characters. */
export function pathFilter(value: string): (path: string) => boolean {
  if (!value.startsWith('/')) throw bad('path', `path "${value}" must start with /: a prefix such as /v1/records or a glob such as /v1/*/posts`)
  if (!value.includes('*')) return (path) => path.startsWith(value)
  const pattern = new RegExp(`^${value.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}(?:[?].*)?$`)
  return (path) => pattern.test(path)
}

/** Parses the query of `/_emulator/logs`; an unknown or malformed filter is a 400 naming it. */
export function parseLogQuery(query: Record<string, unknown>): LogQuery {
  for (const name of Object.keys(query)) if (!FILTERS.includes(name)) throw bad(name, `"${name}" is not a log filter: use ${FILTERS.join(', ')}`)
  const one = (name: string): string | undefined => {
    const value = query[name]
    if (value === undefined) return undefined
    if (typeof value !== 'string') throw bad(name, `give the ${name} filter once`)
    return value
  }
  const tests: Array<(event: RequestEvent) => boolean> = []
  const env = one('env')
  if (env !== undefined) tests.push((event) => event.environment === env)
  const status = one('status')
  if (status !== undefined) {
    const test = statusFilter(status)
    tests.push((event) => test(event.status))
  }
  const path = one('path')
  if (path !== undefined) {
    const test = pathFilter(path)
    tests.push((event) => test(event.path))
  }
  const method = one('method')?.toUpperCase()
  if (method !== undefined) {
    if (!METHODS.includes(method)) throw bad('method', `method "${method}" is not an HTTP method: use one of ${METHODS.join(', ')}`)
    tests.push((event) => event.method === method)
  }
  const limitText = one('limit')
  const limit = limitText === undefined ? DEFAULT_LOG_LIMIT : Number(limitText)
  if (!Number.isInteger(limit) || limit < 0 || limit > MAX_LOG_LIMIT) throw bad('limit', `limit "${limitText}" must be a whole number from 0 to ${MAX_LOG_LIMIT}`)
  const followText = one('follow')
  if (followText !== undefined && !['1', 'true', '0', 'false'].includes(followText)) throw bad('follow', `follow "${followText}" must be 1 or 0`)
  return { matches: (event) => tests.every((test) => test(event)), limit, follow: followText === '1' || followText === 'true' }
}
