import { Flags } from '@oclif/core'
import { BaseCommand } from '../../cli/base-command.js'
import { formatEnvLines, gatherStatus, type StatusResult } from '../../cli/status.js'
import { printFields } from '../../cli/output.js'
import { resolveTargetContext, targetFlags } from '../../cli/target.js'
import { describeAuth } from '../../client/identity.js'

export type { StatusResult }

export default class Status extends BaseCommand {
  static override summary = 'Show the target, project, environment and login in effect here'
  static override description = [
    'Shows what commands in this directory act on, and why: each value is resolved from flags, BKEND_* environment variables, the linked project (bkend.json), then the user config profile. Also shows the REST and MCP URLs and who you are on the target; a missing login is reported, not fatal.',
    '-o env prints BKEND_* lines for an app or CI job to source (no secret keys): eval "$(bkend status -o env)".',
  ].join('\n\n')
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status -o env >> .env.local', '<%= config.bin %> status --target cloud --json']
  static override enableJsonFlag = true
  static override baseFlags = targetFlags
  static override flags = { output: Flags.string({ char: 'o', description: 'output format', options: ['text', 'env'], default: 'text' }) }

  async run(): Promise<StatusResult> {
    const { flags } = await this.parse(Status)
    const status = await gatherStatus(await resolveTargetContext(flags), this.config.version)
    if (this.jsonEnabled()) return status
    if (flags.output === 'env') {
      process.stdout.write(formatEnvLines(status))
      return status
    }
    const { sources } = status
    printFields([
      ['Target', `${status.target} (${sources.target})`],
      ['Profile', status.profile],
      ['REST API', status.restUrl],
      ['MCP', status.mcpUrl],
      ['Linked', status.linkPath ?? 'no bkend.json'],
      ['Signed in with', status.identity ? describeAuth(status.identity.authMethod) : `not signed in: ${status.problem?.message ?? ''}`],
      ['Organization', status.organization ? `${status.organization.name} (${status.organization.id})` : null],
      ['Project', status.project ? `${status.project.slug ?? status.project.id} (${status.project.id}, ${sources.project ?? 'unset'})` : 'none selected'],
      ['Environment', `${status.environment.name}${status.environment.id ? ` (${status.environment.id})` : ''} (${sources.env})`],
      ['Account', status.identity?.tenantId],
    ])
    if (status.problem?.hint) this.log(`\nHint: ${status.problem.hint}`)
    return status
  }
}
