import type { Plan, PlannedStep } from '../config/model.js'
import { applyStep, StalePlanError, type StepTarget } from '../config/step-calls.js'
import { failedStepField } from '../contract/push.js'
import type { EmulatorControls } from './emulator-controls.js'
import { ClientError } from './errors.js'
import type { Management } from './management.js'

/** What a push did: the steps applied, the one that failed (with why), and those not tried. */
export interface ApplyReport {
  applied: PlannedStep[]
  failed: { step: PlannedStep; error: ClientError } | null
  /** Steps before the failed one that an atomic push took back out (the emulator keeps all or none). */
  rolledBack: PlannedStep[]
  remaining: PlannedStep[]
}

/** The project, environment and live table ids a plan applies to, read once per push. */
export async function stepTarget(management: Management): Promise<StepTarget> {
  const env = await management.getEnv()
  const tables = await management.listTables()
  return { projectId: env.projectId, environment: env.environment, tableIds: new Map(tables.map((t) => [t.tableName, t.id])) }
}

/**
 * Applies a plan step by step over MCP, the way a remote target is pushed to: in order, stopping at the first
 * failure. Nothing is rolled back; running the push again resumes, since its plan is made from the live state then.
 */
export async function applyPlan(management: Management, plan: Plan, onApplied?: (step: PlannedStep) => void): Promise<ApplyReport> {
  const target = await stepTarget(management)
  const applied: PlannedStep[] = []
  for (const [i, step] of plan.steps.entries()) {
    try {
      await applyStep(step, target, (tool, args) => management.mcp.call(tool, args))
    } catch (error) {
      if (!(error instanceof ClientError || error instanceof StalePlanError)) throw error
      const failure = error instanceof ClientError ? error : new ClientError(error.code, error.message)
      return { applied, failed: { step, error: failure }, rolledBack: [], remaining: plan.steps.slice(i + 1) }
    }
    applied.push(step)
    onApplied?.(step)
  }
  return { applied, failed: null, rolledBack: [], remaining: [] }
}

/**
 * Applies a plan to the local emulator in one transaction (`/_emulator/push`): every step, or, when one fails, none,
 * also when the emulator is killed half-way.
 */
export async function applyPlanAtomically(management: Management, controls: EmulatorControls, plan: Plan): Promise<ApplyReport> {
  if (plan.steps.length === 0) return { applied: [], failed: null, rolledBack: [], remaining: [] }
  const env = await management.getEnv()
  try {
    await controls.push({ projectId: env.projectId, environment: env.environment, steps: plan.steps })
  } catch (error) {
    const at = error instanceof ClientError ? plan.steps.findIndex((_, i) => error.details.fields?.some((f) => f.field === failedStepField(i))) : -1
    if (at === -1) throw error
    return { applied: [], failed: { step: plan.steps[at]!, error: error as ClientError }, rolledBack: plan.steps.slice(0, at), remaining: plan.steps.slice(at + 1) }
  }
  return { applied: plan.steps, failed: null, rolledBack: [], remaining: [] }
}
