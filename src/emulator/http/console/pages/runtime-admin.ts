import type { EnvScope } from '../../../core/auth/auth-service.js'
import { tenantPrincipal, type Principal } from '../../../core/principal.js'
import { escapeHtml as e } from '../../pages/page.js'
import { toToolError, type ToolErrorCode } from '../../../mcp/errors.js'
import type { ConsoleContext, ConsoleResult, FormState } from '../context.js'

const STATUS: Partial<Record<ToolErrorCode, number>> = { VALIDATION_ERROR: 400, NOT_FOUND: 404, FORBIDDEN: 403, SCOPE_INSUFFICIENT: 403, CONFLICT: 409 }

/**
 * Users and files have no MCP tool: the console reaches them through the same core services as `/v1/users` and
 * `/v1/files`, as an admin of the environment, once the role matrix let the tenant manage its data.
 */
export function runtimeAdmin(ctx: ConsoleContext): { scope: EnvScope; principal: Principal } {
  ctx.core.orgs.authorize(ctx.actor, 'table:manage')
  return { scope: { environment: ctx.env!, project: ctx.project! }, principal: tenantPrincipal() }
}

/**
 * Runs a form's action; a refusal the envelope explains (bad input, a conflict, the role matrix) shows the page
 * again with the message at the form and the values typed, anything unexpected goes on to the console's handler.
 */
export async function attempt(ctx: ConsoleContext, action: () => Promise<ConsoleResult>, again: (state: FormState, status: number) => Promise<ConsoleResult> | ConsoleResult): Promise<ConsoleResult> {
  try {
    return await action()
  } catch (error) {
    const mapped = toToolError(error)
    const status = STATUS[mapped.code]
    if (status === undefined) throw error
    return again({ error: mapped, values: ctx.form }, status)
  }
}

/** `?page=` of a list, from 1. */
export function pageParam(ctx: ConsoleContext): number {
  const page = Number(ctx.query.page ?? '1')
  return Number.isInteger(page) && page >= 1 ? page : 1
}

/** Previous/next links of a paged list, keeping its other query parameters. */
export function pager(path: string, query: Record<string, string>, page: number, hasNext: boolean, total: number): string {
  const link = (to: number, label: string, rel: string) => {
    const params = new URLSearchParams({ ...query, page: String(to) })
    params.delete('notice')
    return `<a href="${e(`${path}?${params}`)}" rel="${rel}">${label}</a>`
  }
  return `<nav class="pager" aria-label="Pages">${page > 1 ? link(page - 1, 'Previous', 'prev') : ''}<span class="muted">Page ${page} · ${total} in all</span>${hasNext ? link(page + 1, 'Next', 'next') : ''}</nav>`
}
