import { ClientError } from '../client/errors.js'
import type { Management } from '../client/management.js'
import { measureImpact } from '../client/plan-impact.js'
import { readProjectState, type SettingsPart } from '../client/project-state.js'
import { loadConfig } from '../config/load.js'
import type { Plan, PlannedStep, ProjectModel } from '../config/model.js'
import { plan } from '../config/planner.js'
import { describeStep } from '../config/step-calls.js'
import { CliError } from './errors.js'
import { findConfigLayout, overlayKindOf } from './project-config.js'
import type { TargetContext } from './target.js'

/** A plan as commands return it: what it was made between, its steps (secrets hidden), and what could not be compared. */
export interface PlanResult {
  environment: string
  /** `diff --against`: the environment the plan would change to look like `environment`. */
  against?: string
  differences: boolean
  plan: Plan
  /** Settings parts the target cannot read, so the plan leaves them alone. */
  unread: SettingsPart[]
}

/** The config files as the target sees them: its overlay (`local` or `cloud`) and secrets from the environment. */
export async function loadDesired(context: TargetContext, dir: string | undefined): Promise<ProjectModel> {
  return loadConfig(await findConfigLayout(dir), { kind: overlayKindOf(context), secrets: (name) => process.env[name], cwd: process.cwd() })
}

/**
 * The plan from the environment's live state, read now, to `desired`, with the impact of its destructive and
 * blocking steps measured there. Settings the target cannot read are left out of both sides.
 */
export async function planFor(management: Management, desired: ProjectModel): Promise<{ plan: Plan; unread: SettingsPart[] }> {
  const { model: live, unread } = await readProjectState(management)
  return { plan: await measureImpact(management, plan(desired, live)), unread }
}

/**
 * The plan that makes environment `to` (the --against one) look like `from`: tables only, since settings are the
 * project's, shared by both.
 */
export async function planBetween(from: Management, to: Management): Promise<Plan> {
  await to.getEnv().catch((error: unknown) => {
    // The generic hint would say --env; the mistyped name was given to --against.
    if (!(error instanceof ClientError) || error.code !== 'data/environment-not-found') throw error
    throw new CliError(`no environment "${to.mcp.context.env}" to compare with`, `pass --against with one of: ${error.details.known?.join(', ') ?? 'the project’s environments (bkend envs list)'}`, 1, error.code)
  })
  const [source, target] = await Promise.all([readProjectState(from), readProjectState(to)])
  return measureImpact(to, plan({ tables: source.model.tables }, { tables: target.model.tables }))
}

/** A plan safe to print: a provider secret read from the environment never leaves the process. */
export function shownPlan(p: Plan): Plan {
  const steps = p.steps.map((step): PlannedStep => (step.kind === 'provider.set' && step.to.clientSecret !== undefined ? { ...step, to: { ...step.to, clientSecret: '(from the environment)' } } : step))
  return { ...p, steps }
}

const MARK: Record<string, string> = { create: '+', add: '+', drop: '-', delete: '-' }

/** One line per step for people: `+` adds, `-` removes, `~` changes; destructive steps say what they would affect. */
export function planLines(p: Plan): string[] {
  return p.steps.map((step) => {
    const verb = step.kind.split('.')[1] ?? ''
    const mark = MARK[verb] ?? '~'
    const impact = step.impact?.summary ? ` (${step.impact.summary})` : ''
    return `  ${mark} ${describeStep(step)}${step.destructive ? `  DESTRUCTIVE${impact}` : impact}`
  })
}

/** `3 changes, 1 destructive`. */
export function planSummary(p: Plan): string {
  const destructive = p.steps.filter((s) => s.destructive).length
  return `${p.steps.length} change${p.steps.length === 1 ? '' : 's'}${destructive ? `, ${destructive} destructive` : ''}`
}
