import type { PlanStep } from '../../../config/model.js'
import { applyStep, StalePlanError, type CallTool } from '../../../config/step-calls.js'
import { PUSH_PATH, failedStepField, type PushResponse } from '../../../contract/push.js'
import { DomainError, invalid, type ErrorKind } from '../../core/errors.js'
import { requireObject, requireString } from '../../core/input.js'
import { clientOf } from '../../mcp/activity.js'
import { invoke } from '../../mcp/dispatch.js'
import { toToolError, type ToolErrorCode } from '../../mcp/errors.js'
import { toolsFor } from '../../mcp/registry.js'
import type { ToolContext } from '../../mcp/tool.js'
import { verifyTenant } from '../middleware/tenant.js'
import type { Surface } from '../surface.js'

const STEP_KINDS = new Set<string>(['table.create', 'table.drop', 'table.update', 'field.add', 'field.change', 'field.drop', 'required.add', 'required.remove', 'index.add', 'index.change', 'index.drop', 'permissions.set', 'auth.update', 'provider.set', 'provider.delete', 'email.sender', 'email.template', 'cors.set'])
const KIND_OF: Record<ToolErrorCode, ErrorKind> = { VALIDATION_ERROR: 'invalid', NOT_FOUND: 'not-found', FORBIDDEN: 'forbidden', SCOPE_INSUFFICIENT: 'forbidden', CONFLICT: 'conflict', INTERNAL_ERROR: 'internal' }

/**
 * `POST /_emulator/push`: the steps of a plan through the same MCP tools a remote push calls, inside one store
 * transaction, so the emulator takes the whole plan or none of it, also across a crash.
 */
export function registerPush({ app, core, options }: Surface): void {
  const tools = new Map(toolsFor(options.cloudParity).map((def) => [def.name, def]))
  app.post(PUSH_PATH, async (request): Promise<PushResponse> => {
    const principal = await verifyTenant(core, request)
    const body = requireObject('body', request.body ?? {})
    const projectId = requireString('projectId', body.projectId, { max: 64 })
    const environment = requireString('environment', body.environment, { max: 32 })
    const steps = stepsOf(body.steps)
    const actor = { tenantId: principal.tenantId, organizationId: principal.organizationId, client: clientOf(core, principal.clientId) }
    const ctx: ToolContext = { core, actor, scopes: principal.scopes }
    const call: CallTool = async (tool, args) => {
      const def = tools.get(tool)
      if (!def) throw invalid('common/invalid-parameters', `this emulator has no ${tool} tool`)
      return invoke(def, ctx, args)
    }
    const tableIds = new Map(core.tables.list(ctx.actor, { projectId, environment }).map((t) => [t.tableName, t.id]))
    const target = { projectId, environment, tableIds }
    await core.store.transaction(async () => {
      for (const [i, step] of steps.entries()) {
        try {
          await applyStep(step, target, call)
        } catch (error) {
          throw failedStep(i, error)
        }
      }
    })
    return { applied: steps.length }
  })
}

function stepsOf(value: unknown): PlanStep[] {
  if (!Array.isArray(value)) throw invalid('common/invalid-parameters', 'steps must be an array of plan steps')
  for (const [i, step] of value.entries()) {
    const kind = (step as { kind?: unknown } | null)?.kind
    if (typeof kind !== 'string' || !STEP_KINDS.has(kind)) throw invalid('common/invalid-parameters', `steps[${i}] is not a plan step (unknown kind ${JSON.stringify(kind)})`)
  }
  return value as PlanStep[]
}

/**
 * The failure of one step with the code the tool answers over MCP (so both pushes report a step alike), naming the
 * step; nothing of the push was kept. Failures of the emulator itself (a refused disk write) keep their own answer.
 */
function failedStep(index: number, error: unknown): unknown {
  const tool = error instanceof StalePlanError ? null : toToolError(error)
  const failure = tool ? { code: tool.code, kind: KIND_OF[tool.code], message: tool.message } : { code: 'config/stale-plan', kind: 'conflict' as const, message: (error as Error).message }
  if (failure.kind === 'internal') return error
  return new DomainError(failure.code, failure.kind, failure.message, [{ field: failedStepField(index), rule: failure.code, message: failure.message }])
}
