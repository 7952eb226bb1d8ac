import { explain } from '../../../../contract/explain.js'
import type { RequestEvent } from '../../../../contract/request-log.js'
import { pathFilter, statusFilter } from '../../../core/observe/log-filter.js'
import { toToolError } from '../../../mcp/errors.js'
import { escapeHtml as e } from '../../pages/page.js'
import type { ConsoleContext, ConsolePage, ConsoleResult } from '../context.js'
import { envPath, errorAlert } from '../layout.js'

/** Most requests a view shows; the script keeps at most twice as many as new ones arrive. */
const LOG_ROWS = 100
/** The console's own polls of this page, which would otherwise fill the log they show. */
const OWN_POLLS = /^\/_\/o\/[^?]*\/logs(?:\?|$)/

/**
 * The request log, live: the newest requests of the ring (`core.requestLog`), filtered by status, path and
 * environment, each refusal with its explanation. `?after=<n>` answers only the requests after number n, which the
 * console script asks for every second or two and puts on top; without the script, reloading does the same.
 */
export const logsPage: ConsolePage = {
  nav: { label: 'Request log', page: 'logs' },
  routes: [{ method: 'GET', path: '/o/:org/p/:project/e/:env/logs', level: 'env', handle: (ctx) => render(ctx) }],
}

interface LogFilters {
  status: string
  path: string
  /** `''`: this environment; `'*'`: every request the emulator answered. */
  env: string
}

function render(ctx: ConsoleContext): ConsoleResult {
  ctx.core.orgs.authorize(ctx.actor, 'project:read')
  const filters: LogFilters = { status: (ctx.query.status ?? '').trim(), path: (ctx.query.path ?? '').trim(), env: ctx.query.env === '*' ? '*' : '' }
  const form = filterForm(ctx, filters)
  let matches: (event: RequestEvent) => boolean
  try {
    matches = matcher(ctx, filters)
  } catch (error) {
    const mapped = toToolError(error)
    if (mapped.code !== 'VALIDATION_ERROR') throw error
    return { status: 400, title: 'Request log', page: 'logs', body: `${form}${errorAlert({ error: mapped })}` }
  }
  const log = ctx.core.requestLog
  const after = Number(ctx.query.after)
  const from = Number.isInteger(after) && after >= 0 ? after : log.oldest
  const read = log.since(from)
  const events = read.events.filter(matches).slice(-LOG_ROWS).reverse()
  const rows = events.map(row).join('')
  const table = `<div class="scroll"><table id="log" data-live data-next="${read.next}" data-max="${LOG_ROWS * 2}"><thead><tr><th scope="col">Time</th><th scope="col">Request</th><th scope="col">Status</th><th scope="col">Who</th><th scope="col">Where</th></tr></thead><tbody>${rows}</tbody></table></div>`
  const empty = events.length === 0 ? '<p class="muted" id="no-requests">No matching request yet; new ones appear here as they are answered.</p>' : ''
  const held = `<p class="muted">The log holds the last ${log.capacity} requests the emulator answered (${log.head - log.oldest} now).</p>`
  return { title: 'Request log', page: 'logs', body: `${form}${held}${empty}${table}` }
}

/** Whether an event is shown: the filters, never the console's own polls of this page. */
function matcher(ctx: ConsoleContext, filters: LogFilters): (event: RequestEvent) => boolean {
  const status = filters.status ? statusFilter(filters.status) : () => true
  const path = filters.path ? pathFilter(filters.path) : () => true
  const project = ctx.project!.slug
  const environment = ctx.env!.environment
  const here = (event: RequestEvent) => filters.env === '*' || (event.project === project && event.environment === environment)
  return (event) => here(event) && status(event.status) && path(event.path) && !OWN_POLLS.test(event.path)
}

function row(event: RequestEvent): string {
  const parts = explain(event)
  const where = parts.where ?? ''
  const cls = event.status >= 400 || event.status === 0 ? ' class="failed"' : ''
  const main = `<tr data-request="${e(event.id)}"${cls}><td>${e(event.time)}</td><td><code>${e(event.method)} ${e(event.path)}</code></td><td>${event.status}${event.code ? ` <code>${e(event.code)}</code>` : ''}</td><td>${e(parts.who)}</td><td>${e(where)}</td></tr>`
  if (!event.denial && !event.fault) return main
  return `${main}<tr class="explain" data-explains="${e(event.id)}"><td colspan="5"><details${event.denial ? ' open' : ''}><summary>Why ${event.status}</summary>${explanation(parts)}</details></td></tr>`
}

/** The explanation `bkend dev explain` prints, as a definition list. */
function explanation(parts: ReturnType<typeof explain>): string {
  const item = (term: string, value: string | undefined) => (value === undefined ? '' : `<dt>${term}</dt><dd>${e(value)}</dd>`)
  const decided = parts.decidedWith.length === 0 ? '' : `<dt>Decided with</dt><dd><ul>${parts.decidedWith.map(([key, value]) => `<li><code>${e(key)}</code>: ${e(value)}</li>`).join('')}</ul></dd>`
  return `<dl class="explanation">${item('Request', parts.id)}${item('Fault', parts.fault)}${item('Decision', parts.decision)}${item('Check', parts.check)}${item('Why', parts.why)}${decided}${item('Caller', parts.caller)}${item('To allow', parts.allow)}</dl>`
}

function filterForm(ctx: ConsoleContext, filters: LogFilters): string {
  return `<form class="inline" method="get" action="${e(`${envPath(ctx)}/logs`)}" id="log-filters" role="search">
<label for="l-status">Status<input id="l-status" name="status" value="${e(filters.status)}" placeholder="4xx, 403 or 2xx,5xx"></label>
<label for="l-path">Path<input id="l-path" name="path" value="${e(filters.path)}" placeholder="/v1/data or /v1/*/posts"></label>
<label for="l-env">Environment<select id="l-env" name="env"><option value=""${filters.env === '' ? ' selected' : ''}>${e(ctx.project!.slug)} / ${e(ctx.env!.environment)}</option><option value="*"${filters.env === '*' ? ' selected' : ''}>every request</option></select></label>
<button type="submit" class="secondary">Filter</button></form>`
}
