import type { McpScope } from '../../contract/scopes.js'
import type { Core } from '../core/core.js'
import type { DecisionTrace } from '../core/observe/decision.js'
import type { Actor } from '../core/tenancy/model.js'

/** A JSON Schema fragment describing one argument (advertised in `tools/list`). */
export type JsonSchema = Record<string, unknown>

/** Who calls a tool: the tenant and organization of the session's token, with the token's scopes. */
export interface ToolContext {
  core: Core
  actor: Actor
  scopes: readonly string[]
  /** Where a refused tool call notes which check decided (the HTTP request, for its log event). */
  trace?: DecisionTrace
}

/** Arguments after the conventions of mcp.md §4 were applied. */
export interface ToolArgs {
  /** The tool's own top-level parameters. */
  params: Record<string, unknown>
  /** The `body` object, or the flattened top-level arguments that are not own parameters (MCP-D10). */
  body: Record<string, unknown>
  page: number
  limit: number
}

export interface ToolBody {
  properties: Record<string, JsonSchema>
  required?: string[]
  /** The body's keys are free (records): no unknown-key check. */
  open?: boolean
  /** The body must be present and non-empty. */
  mandatory?: boolean
}

/** One MCP tool: its contract and a thin call into core. */
export interface ToolDef {
  name: string
  description: string
  /** The scope the token must grant; null for the session helpers (`get_context`, `search_docs`). */
  scope: McpScope | null
  params?: Record<string, JsonSchema>
  required?: string[]
  body?: ToolBody
  /** A list tool: accepts `page` and `limit` (default limit given here). */
  list?: { defaultLimit: number }
  readOnly?: boolean
  destructive?: boolean
  /** Returns Markdown text instead of a JSON object. */
  markdown?: boolean
  run(ctx: ToolContext, args: ToolArgs): Promise<unknown> | unknown
}

export const str = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'string', description, ...extra })
export const obj = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'object', description, ...extra })
export const strings = (description: string): JsonSchema => ({ type: 'array', items: { type: 'string' }, description })
export const bool = (description: string): JsonSchema => ({ type: 'boolean', description })
export const int = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'integer', description, ...extra })

/** A required string parameter, already type-checked by the dispatcher. */
export function param(args: ToolArgs, name: string): string {
  return args.params[name] as string
}

/** An optional string parameter. */
export function optionalParam(args: ToolArgs, name: string): string | undefined {
  const value = args.params[name]
  return typeof value === 'string' && value !== '' ? value : undefined
}
