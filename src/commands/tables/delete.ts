import { Args } from '@oclif/core'
import { confirm, yesFlag } from '../../cli/confirm.js'
import { ManagementCommand } from '../../cli/management-command.js'

export interface TablesDeleteResult {
  deleted: { id: string; tableName: string; environment: string; documentCount: number }
}

export default class TablesDelete extends ManagementCommand {
  static override summary = 'Delete a table and all its records'
  static override description = 'Removes the table, its records, indexes and versions. Asks for confirmation on a terminal; without one, pass --yes.'
  static override examples = ['<%= config.bin %> tables delete posts', '<%= config.bin %> tables delete posts --env staging --yes']
  static override args = { table: Args.string({ description: 'table name or id', required: true }) }
  static override flags = { yes: yesFlag }

  async run(): Promise<TablesDeleteResult> {
    const { args, flags } = await this.parse(TablesDelete)
    const management = await this.management(flags)
    const table = await management.getTable(args.table)
    await confirm(`Delete table ${table.tableName} in ${table.environment} with its ${table.documentCount} records?`, flags.yes)
    await management.deleteTable(table.id)
    if (!this.jsonEnabled()) this.log(`Deleted table ${table.tableName}.`)
    return { deleted: { id: table.id, tableName: table.tableName, environment: table.environment, documentCount: table.documentCount } }
  }
}
