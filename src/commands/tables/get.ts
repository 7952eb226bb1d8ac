import { Args } from '@oclif/core'
import { ManagementCommand } from '../../cli/management-command.js'
import { printTableDetail } from '../../cli/render.js'
import type { Table } from '../../contract/tables.js'
import { fieldsFlag } from '../../cli/fields.js'

export type TablesGetResult = Table

export default class TablesGet extends ManagementCommand {
  static override summary = 'Show a table’s schema, indexes and permissions'
  static override description = 'Looks the table up by name (or id) in the selected environment.'
  static override examples = ['<%= config.bin %> tables get posts', '<%= config.bin %> tables get posts --env dev --json']
  static override args = { table: Args.string({ description: 'table name or id', required: true }) }

  static override flags = { fields: fieldsFlag() }

  async run(): Promise<TablesGetResult> {
    const { args, flags } = await this.parse(TablesGet)
    const table = await (await this.management(flags)).getTable(args.table)
    if (!this.jsonEnabled()) await printTableDetail(table)
    return table
  }
}
