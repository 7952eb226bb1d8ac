import { EmulatorControls } from '../client/emulator-controls.js'
import type { Management } from '../client/management.js'
import { applyPlan, applyPlanAtomically, type ApplyReport } from '../client/plan-apply.js'
import type { Plan, PlannedStep, ProjectModel } from '../config/model.js'
import { describeStep } from '../config/step-calls.js'
import { planFor, shownPlan, type PlanResult } from './config-plan.js'
import { CliError, describeClientError } from './errors.js'
import type { TargetContext } from './target.js'

/** What a push did, besides its plan. */
export interface PushOutcome extends PlanResult {
  pushed: boolean
  /** Steps applied. */
  applied: number
  /** The local emulator took the plan in one transaction. */
  atomic: boolean
}

export interface PushHooks {
  /** The plan, secrets hidden, before anything is changed. */
  show(result: PlanResult): void
  /** Whether to apply it (false: a dry run); throws to refuse. */
  approve(result: PlanResult): Promise<boolean>
  /** After each step a remote push applied. */
  applied(step: PlannedStep): void
}

/**
 * A push: the plan made from the live state now, shown, approved, then applied, atomically on the local emulator,
 * in order with a stop at the first failure elsewhere.
 */
export async function pushPlan(management: Management, context: TargetContext, desired: ProjectModel, hooks: PushHooks): Promise<PushOutcome> {
  const { plan, unread } = await planFor(management, desired)
  const atomic = context.kind === 'local'
  const result: PlanResult = { environment: context.env, differences: plan.steps.length > 0, plan, unread }
  hooks.show({ ...result, plan: shownPlan(plan) })
  if (!result.differences || !(await hooks.approve(result))) return { ...result, pushed: false, applied: 0, atomic }
  let report: ApplyReport
  if (atomic) {
    const controls = new EmulatorControls(context.restUrl, context.runtime!.tenantToken)
    try {
      report = await applyPlanAtomically(management, controls, plan)
    } finally {
      await controls.close()
    }
  } else report = await applyPlan(management, plan, hooks.applied)
  if (report.failed) throw pushFailed(plan, report, atomic)
  return { ...result, pushed: true, applied: report.applied.length, atomic }
}

/** Nothing of a plan with a destructive step is pushed without --allow-destructive. */
export function refuseDestructive(plan: Plan): CliError {
  const destructive = plan.steps.filter((s) => s.destructive)
  const lines = destructive.map((s) => `  - ${describeStep(s)}${s.impact?.summary ? ` (${s.impact.summary})` : ''}`)
  return new CliError(
    `the plan has ${destructive.length} destructive step${destructive.length === 1 ? '' : 's'}, so nothing was pushed:\n${lines.join('\n')}`,
    'review the plan with `bkend diff`; to apply it pass --allow-destructive, or change the config so nothing is lost',
    1,
    'config/destructive-refused',
  )
}

function pushFailed(plan: Plan, report: ApplyReport, atomic: boolean): CliError {
  const { step, error } = report.failed!
  const at = plan.steps.indexOf(step) + 1
  const failed = `step ${at} of ${plan.steps.length} failed: ${describeStep(step)}: ${describeClientError(error)}`
  if (atomic) {
    return new CliError(`${failed}\nNothing was pushed: the emulator took all of the plan or none of it.`, 'fix the config or the data the step names, then run `bkend push` again', 1, 'config/push-failed')
  }
  const list = (steps: PlannedStep[]) => steps.map((s) => `\n    ${describeStep(s)}`).join('')
  return new CliError(
    `${failed}\n  applied (${report.applied.length}):${list(report.applied) || ' none'}\n  not applied (${report.remaining.length}):${list(report.remaining) || ' none'}`,
    'fix what the step names, then run `bkend push` again: it plans from the environment as it is now, so it resumes where this push stopped',
    1,
    'config/push-failed',
  )
}
