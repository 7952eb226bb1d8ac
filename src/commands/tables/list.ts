import { columnsFlag } from '../../cli/output.js'
import { ManagementCommand } from '../../cli/management-command.js'
import { printTables } from '../../cli/render.js'
import type { Table } from '../../contract/tables.js'
import { fieldsFlag } from '../../cli/fields.js'

export interface TablesListResult {
  environment: string
  tables: Table[]
}

export default class TablesList extends ManagementCommand {
  static override summary = 'List the tables of an environment'
  static override description = 'Shows the tables of the selected project and environment with their number of fields and rows.'
  static override examples = ['<%= config.bin %> tables list', '<%= config.bin %> tables list --env staging --json']

  static override flags = { columns: columnsFlag, fields: fieldsFlag('tables') }

  async run(): Promise<TablesListResult> {
    const { flags } = await this.parse(TablesList)
    const management = await this.management(flags)
    const tables = await management.listTables()
    if (!this.jsonEnabled()) await printTables(tables, flags.columns)
    return { environment: management.mcp.context.env, tables }
  }
}
