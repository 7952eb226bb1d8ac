import type { RequestEvent } from '../../contract/request-log.js'

/** What the dashboard's `/` filter keeps: a status class or code, an environment, a path substring. */
export interface RequestFilter {
  /** `4xx` or `404`. */
  status?: string
  env?: string
  path?: string
}

export type ParsedFilter = { ok: true; filter: RequestFilter } | { ok: false; error: string }

const STATUS = /^[1-5](xx|\d\d)$/i

/**
 * Reads the filter a person typed: words separated by spaces, `4xx` or `404` for a status, `env:<name>` for an
 * environment, anything else a path substring. An empty line clears the filter.
 */
export function parseFilter(text: string): ParsedFilter {
  const filter: RequestFilter = {}
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    if (/^\d+$|^\dxx$/i.test(word)) {
      if (!STATUS.test(word)) return { ok: false, error: `${word} is not a status: use 2xx, 4xx, 5xx or a code such as 404` }
      filter.status = word.toLowerCase()
    } else if (/^env[:=]/i.test(word)) {
      const env = word.slice(4)
      if (!env) return { ok: false, error: 'env: needs a name, e.g. env:dev' }
      filter.env = env
    } else filter.path = word
  }
  return { ok: true, filter }
}

/** The filter as the person would type it again. */
export function describeFilter(filter: RequestFilter): string {
  return [filter.status, filter.env && `env:${filter.env}`, filter.path].filter(Boolean).join(' ')
}

export function matches(filter: RequestFilter, event: RequestEvent): boolean {
  if (filter.status) {
    const code = String(event.status)
    if (filter.status.endsWith('xx') ? code[0] !== filter.status[0] : code !== filter.status) return false
  }
  if (filter.env && event.environment !== filter.env) return false
  if (filter.path && !event.path.includes(filter.path)) return false
  return true
}
