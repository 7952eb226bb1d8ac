import type { FastifyReply, FastifyRequest } from 'fastify'
import FindMyWay, { type HTTPVersion } from 'find-my-way'
import { MCP_SCOPES } from '../../../contract/scopes.js'
import type { Tenant } from '../../../contract/tenancy.js'
import type { Core } from '../../core/core.js'
import { DomainError } from '../../core/errors.js'
import type { Actor } from '../../core/tenancy/model.js'
import { invoke } from '../../mcp/dispatch.js'
import { ToolError, toToolError } from '../../mcp/errors.js'
import { TOOLS } from '../../mcp/registry.js'
import { noteRefusal } from '../middleware/decision.js'
import { escapeHtml } from '../pages/page.js'
import type { ConsoleContext, ConsoleResult, ConsoleRoute } from './context.js'
import { bare, CONSOLE_ROOT, errorAlert, shell, statusOf } from './layout.js'
import { CONSOLE_NAV, CONSOLE_PAGES } from './pages.js'
import { consoleActor, type ConsoleSession } from './session.js'

const TOOL_BY_NAME = new Map(TOOLS.map((def) => [def.name, def]))
// Scripts and styles only from the console's own files; forms post only back to the emulator.
const CSP = "default-src 'none'; style-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

const router = FindMyWay<HTTPVersion.V1>({ ignoreTrailingSlash: true })
for (const page of CONSOLE_PAGES) for (const route of page.routes) router.on(route.method, route.path, () => undefined, route)

/** A console request with its session (the guard ran before): the page's HTML, or a redirect. */
export async function handleConsole(core: Core, request: FastifyRequest, reply: FastifyReply, session: ConsoleSession): Promise<FastifyReply> {
  const tenant = session.tenant
  const path = (request.url.split('?', 1)[0] as string).slice(CONSOLE_ROOT.length) || '/'
  const query = Object.fromEntries(new URL(request.url, 'http://console').searchParams)
  secure(reply)
  if (path === '/' || path === '/go') return landing(core, reply, tenant, path === '/go' ? query.to : undefined)
  const found = router.find(request.method as 'GET' | 'POST', path)
  if (!found) return page(reply, 404, bare('Not found', `<p class="alert" role="alert">No console page at ${escapeHtml(request.url.split('?', 1)[0] as string)}.</p>`))
  const route = found.store as ConsoleRoute
  const params = found.params as Record<string, string>
  const form = request.method === 'POST' ? formOf(request.body) : {}
  let located: ReturnType<typeof locate>
  try {
    located = locate(core, session, params, route.level)
  } catch (error) {
    const mapped = toToolError(error)
    if (mapped.code === 'INTERNAL_ERROR') throw error
    // The role check that refused the page explains the request in the log, as the error handler does for REST.
    if (error instanceof DomainError) noteRefusal(request, error)
    return page(reply, statusOf(mapped), bare('Not possible', errorAlert({ error: mapped })))
  }
  if ('missing' in located) return page(reply, 404, bare('Not found', `<p class="alert" role="alert" id="error">${escapeHtml(located.missing)}</p>`))
  const ctx: ConsoleContext = { core, tenant, ...located, params, query, form, tool: (name, args) => runTool(core, located.actor, request, name, args) }
  let result: ConsoleResult
  try {
    result = await route.handle(ctx)
  } catch (error) {
    const mapped = toToolError(error)
    if (mapped.code === 'INTERNAL_ERROR') throw error
    if (error instanceof DomainError) noteRefusal(request, error)
    return page(reply, statusOf(mapped), shell(ctx, CONSOLE_NAV, 'Not possible', errorAlert({ error: mapped })))
  }
  if ('redirect' in result) return reply.redirect(result.redirect, 303)
  return page(reply, result.status ?? 200, shell(ctx, CONSOLE_NAV, result.title, result.body, result.page))
}

/** Runs a tool as the console's actor; a refusal is noted on the request for the request log, as over MCP. */
async function runTool<T>(core: Core, actor: Actor, request: FastifyRequest, name: string, args: Record<string, unknown>): Promise<T> {
  const def = TOOL_BY_NAME.get(name)
  if (!def) throw new Error(`the console calls an unknown tool ${name}`)
  try {
    // The console is the tenant's own door: no token scopes narrow it, the role matrix decides; invoke records the
    // change in the activity log as the console's.
    return (await invoke(def, { core, actor, scopes: MCP_SCOPES, trace: request }, args)) as T
  } catch (error) {
    if (error instanceof DomainError && error.denial) request.denial = { ...error.denial, details: { ...error.denial.details, tool: name } }
    if (error instanceof ToolError || error instanceof DomainError) throw toToolError(error)
    throw error
  }
}

/** The organization, project and environment the URL names, among those the tenant may see. */
function locate(core: Core, session: ConsoleSession, params: Record<string, string>, level: ConsoleRoute['level']): Omit<ConsoleContext, 'core' | 'tenant' | 'params' | 'query' | 'form' | 'tool'> | { missing: string } {
  const orgs = core.orgs.list(session.tenant.id)
  const org = orgs.find((o) => o.slug === params.org)
  if (!org) return { missing: `You are not a member of an organization "${params.org}".` }
  const actor = consoleActor(session, org.id)
  if (level === 'org') return { actor, org, orgs }
  const project = core.projects.list(actor).find((p) => p.slug === params.project)
  if (!project) return { missing: `The organization has no project "${params.project}".` }
  const projectDoc = core.projects.owned(actor, project.id)
  if (level === 'project') return { actor, org, orgs, project: projectDoc }
  const env = core.envs.byName(project.id, params.env as string)
  if (!env) return { missing: `The project has no environment "${params.env}".` }
  return { actor, org, orgs, project: projectDoc, env }
}

/** `/_/`: the first organization's overview; `/_/go?to=`: where a switcher points, when scripts are off. */
function landing(core: Core, reply: FastifyReply, tenant: Tenant, to: string | undefined): FastifyReply {
  if (to !== undefined) return reply.redirect(/^\/_\/o\/[^/]/.test(to) && !to.includes('//') ? to : `${CONSOLE_ROOT}/`, 303)
  const first = core.orgs.list(tenant.id)[0]
  if (!first) return page(reply, 200, bare('No organization', '<p>You are not a member of any organization yet. Accept an invitation or create one with <code>bkend orgs create</code>.</p>'))
  return reply.redirect(`${CONSOLE_ROOT}/o/${encodeURIComponent(first.slug)}`, 303)
}

function formOf(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null) return {}
  return Object.fromEntries(Object.entries(body as Record<string, unknown>).filter((entry): entry is [string, string] => typeof entry[1] === 'string'))
}

function secure(reply: FastifyReply): void {
  reply.header('Cache-Control', 'no-store').header('X-Frame-Options', 'DENY').header('Content-Security-Policy', CSP).header('Referrer-Policy', 'same-origin').header('X-Content-Type-Options', 'nosniff')
}

function page(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.status(status).header('Content-Type', 'text/html; charset=utf-8').send(body)
}
