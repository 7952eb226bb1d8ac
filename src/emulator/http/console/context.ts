import type { Organization, Tenant } from '../../../contract/tenancy.js'
import type { Core } from '../../core/core.js'
import type { Actor, EnvironmentDoc, ProjectDoc } from '../../core/tenancy/model.js'
import type { ToolError } from '../../mcp/errors.js'

/** What a console page handler receives: who asks, where in the org/project/environment tree, and the request. */
export interface ConsoleContext {
  core: Core
  tenant: Tenant
  /** The tenant in the organization of the URL, through the console: the role matrix applies to it. */
  actor: Actor
  org: Organization
  /** The organizations the tenant belongs to, for the switcher. */
  orgs: Organization[]
  project?: ProjectDoc
  env?: EnvironmentDoc
  params: Record<string, string>
  query: Record<string, string>
  /** The posted form (empty for a GET). */
  form: Record<string, string>
  /** Runs an MCP tool as the actor: its validation, role check and activity entry are the ones MCP has. */
  tool<T = unknown>(name: string, args: Record<string, unknown>): Promise<T>
}

/** A page to show, or where to go after a form post. */
export type ConsoleResult = { status?: number; title: string; body: string; page?: string } | { redirect: string }

/** How much of the URL a route needs: `/o/:org`, `/o/:org/p/:project` or `/o/:org/p/:project/e/:env`. */
export type RouteLevel = 'org' | 'project' | 'env'

export interface ConsoleRoute {
  method: 'GET' | 'POST'
  /** Below `/_`, e.g. `/o/:org/p/:project/e/:env/tables/:table`. */
  path: string
  level: RouteLevel
  handle(ctx: ConsoleContext): Promise<ConsoleResult> | ConsoleResult
}

/** One page of the console: its routes and, for an environment page, its entry in the side navigation. */
export interface ConsolePage {
  nav?: { label: string; page: string }
  routes: ConsoleRoute[]
}

/** Shown by a page for a failed action: the envelope's message and the fields it names. */
export interface FormState {
  /** Which of the page's forms failed, when it has several. */
  form?: string
  error?: ToolError
  values?: Record<string, string>
}
