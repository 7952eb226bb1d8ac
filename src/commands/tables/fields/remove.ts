import { Args } from '@oclif/core'
import { confirm, yesFlag } from '../../../cli/confirm.js'
import { ManagementCommand } from '../../../cli/management-command.js'
import type { Table } from '../../../contract/tables.js'

export type TablesFieldsRemoveResult = Table

export default class TablesFieldsRemove extends ManagementCommand {
  static override summary = 'Remove fields from a table (and their values)'
  static override description = 'Removing a field also deletes its values from every record. Asks for confirmation on a terminal; without one, pass --yes.'
  static override examples = ['<%= config.bin %> tables fields remove posts subtitle', '<%= config.bin %> tables fields remove posts subtitle legacy_id --yes']
  static override strict = false
  static override args = {
    table: Args.string({ description: 'table name or id', required: true }),
    field: Args.string({ description: 'field name (several may follow)', required: true }),
  }
  static override flags = { yes: yesFlag }

  async run(): Promise<TablesFieldsRemoveResult> {
    const { args, argv, flags } = await this.parse(TablesFieldsRemove)
    const fields = (argv as string[]).slice(1)
    const management = await this.management(flags)
    const current = await management.getTable(args.table)
    await confirm(`Remove ${fields.join(', ')} from ${current.tableName} and delete their values from ${current.documentCount} records?`, flags.yes)
    const table = await management.manageFields(current.id, { fieldsToRemove: fields })
    if (!this.jsonEnabled()) this.log(`Removed ${fields.join(', ')}; ${table.tableName} is at schema version ${table.schemaVersion}.`)
    return table
  }
}
