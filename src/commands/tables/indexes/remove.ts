import { Args } from '@oclif/core'
import { confirm, yesFlag } from '../../../cli/confirm.js'
import { ManagementCommand } from '../../../cli/management-command.js'
import type { Table } from '../../../contract/tables.js'

export type TablesIndexesRemoveResult = Table

export default class TablesIndexesRemove extends ManagementCommand {
  static override summary = 'Remove an index from a table'
  static override description = 'Queries keep working without the index, only slower; a removed unique index stops enforcing uniqueness. Asks for confirmation on a terminal; without one, pass --yes.'
  static override examples = ['<%= config.bin %> tables indexes remove posts by_author', '<%= config.bin %> tables indexes remove posts by_author --yes --json']
  static override args = {
    table: Args.string({ description: 'table name or id', required: true }),
    name: Args.string({ description: 'index name', required: true }),
  }
  static override flags = { yes: yesFlag }

  async run(): Promise<TablesIndexesRemoveResult> {
    const { args, flags } = await this.parse(TablesIndexesRemove)
    const management = await this.management(flags)
    const current = await management.getTable(args.table)
    await confirm(`Remove index ${args.name} from ${current.tableName}?`, flags.yes)
    const table = await management.manageIndexes(current.id, { indexesToRemove: [args.name] })
    if (!this.jsonEnabled()) this.log(`Removed index ${args.name}; ${table.tableName} is at index version ${table.indexVersion}.`)
    return table
  }
}
