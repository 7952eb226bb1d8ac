import { columnsFlag } from '../../cli/output.js'
import { ManagementCommand } from '../../cli/management-command.js'
import { printEnvs } from '../../cli/render.js'
import type { Environment } from '../../contract/tenancy.js'
import { fieldsFlag } from '../../cli/fields.js'

export interface EnvsListResult {
  environments: Environment[]
}

export default class EnvsList extends ManagementCommand {
  static override summary = 'List the environments of a project'
  static override description = 'Shows the environments (dev, staging, prod, …) of the selected project. Each has its own tables, users, files and keys.'
  static override examples = ['<%= config.bin %> envs list', '<%= config.bin %> envs list --project my-app --json']

  static override flags = { columns: columnsFlag, fields: fieldsFlag('environments') }

  async run(): Promise<EnvsListResult> {
    const { flags } = await this.parse(EnvsList)
    const environments = await (await this.management(flags)).listEnvs()
    if (!this.jsonEnabled()) await printEnvs(environments, flags.columns)
    return { environments }
  }
}
