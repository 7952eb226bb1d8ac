import { Flags } from '@oclif/core'
import { BaseCommand } from '../../cli/base-command.js'
import { describeDataDirSource } from '../../cli/data-dir.js'
import { formatEnvLines, statusFor, type StatusResult } from '../../cli/status.js'
import { printFields } from '../../cli/output.js'
import { targetFlags } from '../../cli/target.js'
import { describeAuth } from '../../client/identity.js'

export type { StatusResult }

export default class Status extends BaseCommand {
  static override summary = 'Show the target, project, environment and login in effect here'
  static override description = [
    'Shows what commands in this directory act on, and why: each value is resolved from flags, BKEND_* environment variables, the linked project (bkend.json), then the user config profile. Also shows the REST and MCP URLs, the local data dir and where it was found, and who you are on the target.',
    'Exits 1 when the target is unreachable (no bkend dev running) or you are not signed in, after printing what it knows (with --json, the document still goes to stdout, with `problem` set), so scripts can check it as they check `gh auth status`.',
    '-o env prints BKEND_* lines for an app or CI job to source (no secret keys): eval "$(bkend status -o env)".',
  ].join('\n\n')

  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status -o env >> .env.local', '<%= config.bin %> status --target cloud --json', '<%= config.bin %> status --json > /dev/null || echo "start bkend dev first"']
  static override enableJsonFlag = true
  static override baseFlags = targetFlags
  static override flags = { output: Flags.string({ char: 'o', description: 'output format', options: ['text', 'env'], default: 'text' }) }

  async run(): Promise<StatusResult> {
    const { flags } = await this.parse(Status)
    const status = await statusFor(flags, this.config.version)
    if (this.jsonEnabled()) {
      if (!status.problem) return status
      this.logJson(this.toSuccessJson(status))
    } else if (flags.output === 'env') {
      process.stdout.write(formatEnvLines(status))
    } else this.render(status)
    if (status.problem) this.exit(1)
    return status
  }

  private render(status: StatusResult): void {
    const { sources } = status
    const reachable = status.restUrl !== null
    printFields([
      ['Target', `${status.target} (${sources.target})`],
      ['Profile', status.profile],
      ['Data dir', status.dataDir && sources.dataDir ? `${status.dataDir} (${describeDataDirSource(sources.dataDir)})` : null],
      ['REST API', status.restUrl ?? `unreachable: ${status.problem?.message ?? ''}`],
      ['MCP', status.mcpUrl],
      ['Linked', status.linkPath ?? 'no bkend.json'],
      ['Signed in with', status.identity ? describeAuth(status.identity.authMethod) : reachable ? `not signed in: ${status.problem?.message ?? ''}` : null],
      ['Organization', status.organization ? `${status.organization.name} (${status.organization.id})` : null],
      ['Project', status.project ? `${status.project.slug ?? status.project.id} (${status.project.id}, ${sources.project ?? 'unset'})` : reachable ? 'none selected' : null],
      ['Environment', `${status.environment.name}${status.environment.id ? ` (${status.environment.id})` : ''} (${sources.env})`],
      ['Account', status.identity?.tenantId],
    ].filter(([, value]) => value !== null && value !== undefined) as Array<[string, unknown]>)
    if (status.problem?.hint) this.log(`\nHint: ${status.problem.hint}`)
  }
}
