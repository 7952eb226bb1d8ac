import { Flags } from '@oclif/core'
import { loadDesired, planLines, planSummary, shownPlan, type PlanResult } from '../../cli/config-plan.js'
import { confirm, yesFlag } from '../../cli/confirm.js'
import { ManagementCommand } from '../../cli/management-command.js'
import { configDirFlag } from '../../cli/project-config.js'
import { pushPlan, refuseDestructive, type PushOutcome } from '../../cli/push.js'
import { describeStep } from '../../config/step-calls.js'

export type PushResult = PlanResult & PushOutcome

export default class Push extends ManagementCommand {
  static override summary = 'Apply the config folder to an environment'
  static override description = [
    'Makes the environment match the config folder (bkend/) through the MCP tools, so it works the same against the local emulator and the cloud. The plan is made from the live state at push time and shown first; on a terminal you confirm it, without one pass --yes.',
    'A plan with a destructive step (a dropped table or field, a field whose type changes, a deleted sign-in provider) is refused as a whole unless --allow-destructive.',
    'On the local emulator a push is atomic: all of it or none, also if the emulator is killed half-way. On a remote target the steps apply in order and the push stops at the first failure, saying what was applied and what remains; running it again resumes.',
  ].join('\n\n')

  static override examples = ['<%= config.bin %> push --dry-run', '<%= config.bin %> push --env staging --yes', '<%= config.bin %> push --env staging --yes --allow-destructive --json']
  static override flags = {
    'dry-run': Flags.boolean({ description: 'show the plan, change nothing' }),
    yes: yesFlag,
    'allow-destructive': Flags.boolean({ description: 'also apply steps that lose data or access' }),
    dir: configDirFlag,
  }

  async run(): Promise<PushResult> {
    const { flags } = await this.parse(Push)
    const management = await this.management(flags)
    const context = this.context!
    const desired = await loadDesired(context, flags.dir)
    const outcome = await pushPlan(management, context, desired, {
      show: (result) => {
        if (this.jsonEnabled()) return
        if (!result.differences) this.log(`No changes: ${result.environment} matches the config.`)
        else this.log([`Plan for ${result.environment} (${planSummary(result.plan)}):`, ...planLines(result.plan)].join('\n'))
      },
      approve: async (result) => {
        if (flags['dry-run']) return false
        if (result.plan.destructive && !flags['allow-destructive']) throw refuseDestructive(result.plan)
        await confirm(`Push ${planSummary(result.plan)} to ${result.environment}?`, flags.yes)
        return true
      },
      applied: (step) => this.jsonEnabled() || this.log(`  ✓ ${describeStep(step)}`),
    })
    if (!this.jsonEnabled() && outcome.pushed) this.log(`Pushed ${outcome.applied} change${outcome.applied === 1 ? '' : 's'} to ${outcome.environment}.`)
    return { ...outcome, plan: shownPlan(outcome.plan) }
  }
}
