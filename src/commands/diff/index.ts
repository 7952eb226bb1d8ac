import { Flags } from '@oclif/core'
import { loadDesired, planBetween, planFor, planLines, planSummary, shownPlan, type PlanResult } from '../../cli/config-plan.js'
import { ManagementCommand } from '../../cli/management-command.js'
import { configDirFlag } from '../../cli/project-config.js'

export type DiffResult = PlanResult

export default class Diff extends ManagementCommand {
  static override summary = 'Show what a push would change in an environment, or how two environments differ'
  static override description = [
    'Compares the config folder (bkend/) with the live state of an environment and prints the plan that would make the environment match: tables, fields, indexes and permissions created, changed or dropped, and project settings. Destructive steps are marked with what they would affect, measured on the environment.',
    'With --against, compares two environments instead (tables only: settings belong to the project and are shared) and prints the plan that would make the --against environment like --env.',
    'Exit code: 0 = no differences, 1 = differences, 2 = error (a config file that does not validate included), so a CI job can fail on drift.',
  ].join('\n\n')

  static override examples = ['<%= config.bin %> diff', '<%= config.bin %> diff --env staging --json', '<%= config.bin %> diff --env prod --against staging']
  static override flags = {
    against: Flags.string({ description: 'another environment of the project: show what would make it like --env' }),
    dir: configDirFlag,
  }

  async run(): Promise<DiffResult> {
    const { flags } = await this.parse(Diff)
    const management = await this.management(flags)
    const environment = this.context!.env
    let result: DiffResult
    if (flags.against) {
      const plan = await planBetween(management, await this.managementIn(flags.against))
      result = { environment, against: flags.against, differences: plan.steps.length > 0, plan: shownPlan(plan), unread: [] }
    } else {
      const { plan, unread } = await planFor(management, await loadDesired(this.context!, flags.dir))
      result = { environment, differences: plan.steps.length > 0, plan: shownPlan(plan), unread }
    }
    if (!this.jsonEnabled()) this.render(result)
    if (result.differences) process.exitCode = 1
    return result
  }

  private render(result: DiffResult): void {
    const what = result.against ? `${result.against} differs from ${result.environment}` : `${result.environment} differs from the config`
    if (!result.differences) this.log(result.against ? `No differences: ${result.against} has the tables of ${result.environment}.` : `No differences: ${result.environment} matches the config.`)
    else this.log([`${what} (${planSummary(result.plan)}):`, ...planLines(result.plan)].join('\n'))
    if (result.unread.length) this.log(`Not compared (the target cannot read them): ${result.unread.join(', ')} settings.`)
  }

  // 1 means "differences", so every failure, invalid config files included, is 2.
  protected override failureExitCode(): number {
    return 2
  }
}
