import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js'
import { scopeGranted } from '../../contract/scopes.js'
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../core/input.js'
import { DomainError } from '../core/errors.js'
import type { DecisionTrace } from '../core/observe/decision.js'
import { changeOf } from './activity.js'
import { scopeInsufficient, toToolError, validation, type ToolError } from './errors.js'
import { OUTPUT_SCHEMAS } from './output-schemas.js'
import type { JsonSchema, ToolArgs, ToolContext, ToolDef } from './tool.js'

const PAGE: JsonSchema = { type: 'integer', minimum: 1, description: 'page number, from 1 (default 1)' }
const limitSchema = (byDefault: number): JsonSchema => ({ type: 'integer', minimum: 1, maximum: 100, description: `items per page, 1–100 (default ${byDefault})` })
const JSON_TYPES: Record<string, (value: unknown) => boolean> = {
  string: (v) => typeof v === 'string',
  integer: (v) => Number.isInteger(v),
  number: (v) => typeof v === 'number' && Number.isFinite(v),
  boolean: (v) => typeof v === 'boolean',
  array: (v) => Array.isArray(v),
  object: (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
}

/**
 * The `tools/list` entry of a tool: JSON Schema input, the read-only / destructive hints, and for sessions that get
 * `structuredContent` the output schema of a documented tool (older clients would insist on structured results).
 */
export function describe(def: ToolDef, structured: boolean): Tool {
  const properties: Record<string, JsonSchema> = { ...def.params }
  const required = [...(def.required ?? [])]
  if (def.body) {
    properties.body = { type: 'object', description: 'the data to write; its fields may also be passed at the top level', properties: def.body.properties, ...(def.body.required?.length ? { required: def.body.required } : {}), ...(def.body.open ? {} : { additionalProperties: false }) }
    if (def.body.mandatory) required.push('body')
  }
  if (def.list) Object.assign(properties, { page: PAGE, limit: limitSchema(def.list.defaultLimit) })
  return {
    name: def.name,
    description: def.description,
    inputSchema: { type: 'object', properties, ...(required.length ? { required } : {}) },
    ...(structured && OUTPUT_SCHEMAS[def.name] ? { outputSchema: OUTPUT_SCHEMAS[def.name] as Tool['outputSchema'] } : {}),
    annotations: { readOnlyHint: def.readOnly === true, destructiveHint: def.destructive === true, openWorldHint: false },
  }
}

/** Applies mcp.md §4's argument conventions: required parameters, `body` or flattened body, paging. */
export function prepare(def: ToolDef, given: Record<string, unknown>): ToolArgs {
  // Arguments may reach here from any transport; nothing below may meet a structure deep enough to overflow the stack.
  if (nestsDeeperThan(given)) throw validation(`arguments nest deeper than ${MAX_JSON_DEPTH} levels of objects and arrays; flatten them`)
  // Tools whose data are top-level parameters also accept them wrapped in `body` (the reverse of MCP-D10).
  const { body: wrapped, ...rest } = given
  const raw = !def.body && JSON_TYPES.object!(wrapped) ? { ...(wrapped as Record<string, unknown>), ...rest } : given
  const own = new Set([...Object.keys(def.params ?? {}), ...(def.list ? ['page', 'limit'] : [])])
  const params: Record<string, unknown> = {}
  for (const [name, schema] of Object.entries(def.params ?? {})) {
    const value = raw[name]
    if (value === undefined || value === null) {
      if (def.required?.includes(name)) throw validation(`${name} is required`, name)
      continue
    }
    const check = typeof schema.type === 'string' ? JSON_TYPES[schema.type] : undefined
    if (check && !check(value)) throw validation(`${name} must be of type ${schema.type as string}`, name)
    if (Array.isArray(schema.enum) && !schema.enum.includes(value)) throw validation(`${name} must be one of ${schema.enum.join(', ')}`, name)
    params[name] = value
  }
  const body = def.body ? bodyOf(def, raw, own) : {}
  const limitDefault = def.list?.defaultLimit ?? 100
  return { params, body, page: pageArg(raw.page, 'page', 1, Infinity, 1), limit: pageArg(raw.limit, 'limit', 1, 100, limitDefault) }
}

function bodyOf(def: ToolDef, raw: Record<string, unknown>, own: Set<string>): Record<string, unknown> {
  const spec = def.body!
  const given = raw.body
  let body: Record<string, unknown>
  if (JSON_TYPES.object!(given)) body = given as Record<string, unknown>
  else body = Object.fromEntries(Object.entries(raw).filter(([key]) => !own.has(key)))
  if (spec.mandatory && Object.keys(body).length === 0) throw validation('body is required', 'body')
  if (!spec.open) {
    const allowed = Object.keys(spec.properties)
    const unknown = Object.keys(body).filter((key) => !allowed.includes(key))
    if (unknown.length > 0) {
      throw validation(`body has unknown keys ${unknown.join(', ')}; allowed keys: ${allowed.join(', ')}`, unknown[0])
    }
  }
  return body
}

function pageArg(value: unknown, name: string, min: number, max: number, byDefault: number): number {
  if (value === undefined || value === null) return byDefault
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  if (!Number.isInteger(n) || (n as number) < min || (n as number) > max) {
    throw validation(`${name} must be an integer ${max === Infinity ? `≥ ${min}` : `between ${min} and ${max}`}`, name)
  }
  return n as number
}

/**
 * Calls a tool as its session may (scope check, argument conventions) and records a successful change in the
 * organization's activity log: the one place every door that calls tools (MCP, the push control, the console) goes
 * through, so no change escapes the log and none is logged twice.
 */
export async function invoke(def: ToolDef, ctx: ToolContext, raw: Record<string, unknown>): Promise<unknown> {
  if (def.scope && !scopeGranted(ctx.scopes, def.scope)) throw scopeInsufficient(def.scope)
  const args = prepare(def, raw)
  const value = await def.run(ctx, args)
  // A context without a client is the emulator acting on its own behalf (seeding, tests of the conventions): not activity.
  const { client } = ctx.actor
  if (!def.readOnly && client) await ctx.core.activity.record({ ...ctx.actor, client }, changeOf(ctx.core, ctx.actor, def, args, value))
  return value
}

/** Runs a tool and shapes the result per mcp.md §4 (JSON text, structuredContent from 2025-06-18). */
export async function runTool(def: ToolDef, ctx: ToolContext, raw: Record<string, unknown>, structured: boolean, onUnexpected: (error: unknown) => void): Promise<CallToolResult> {
  try {
    const value = await invoke(def, ctx, raw)
    if (def.markdown) return { content: [{ type: 'text', text: String(value) }] }
    const result: CallToolResult = { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }] }
    if (structured) result.structuredContent = value as Record<string, unknown>
    return result
  } catch (error) {
    const mapped = toToolError(error)
    if (mapped.code === 'INTERNAL_ERROR') onUnexpected(error)
    if (ctx.trace) noteToolRefusal(ctx.trace, def, ctx.scopes, error, mapped)
    // An error object does not fit a declared output schema, which clients check structuredContent against.
    return errorResult(mapped, structured && !OUTPUT_SCHEMAS[def.name])
  }
}

/**
 * A tool call is answered 200 with an error result, so its request's log event says why it was refused: the
 * Denial the core attached (a system table, a permission), or the token's scopes when they lack the tool's.
 */
function noteToolRefusal(trace: DecisionTrace, def: ToolDef, scopes: readonly string[], error: unknown, mapped: ToolError): void {
  if (error instanceof DomainError && error.denial) trace.denial = { ...error.denial, details: { ...error.denial.details, tool: def.name } }
  else if (mapped.code === 'SCOPE_INSUFFICIENT' && def.scope) {
    trace.denial = {
      check: 'key-scope',
      message: mapped.message,
      details: { tool: def.name, scopes, needed: def.scope, allow: `run bkend login again and grant the scope ${def.scope}` },
    }
  }
}

function errorResult(error: ToolError, structured: boolean): CallToolResult {
  const payload = { error: { code: error.code, message: error.message, details: error.details } }
  const result: CallToolResult = { isError: true, content: [{ type: 'text', text: JSON.stringify(payload, null, 2) }] }
  if (structured) result.structuredContent = payload
  return result
}
