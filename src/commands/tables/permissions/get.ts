import { Args } from '@oclif/core'
import { ManagementCommand } from '../../../cli/management-command.js'
import { columnsFlag, printTable } from '../../../cli/output.js'
import type { TablePermissions } from '../../../contract/tables.js'

export type TablesPermissionsGetResult = TablePermissions & { table: string }

export default class TablesPermissionsGet extends ManagementCommand {
  static override summary = 'Show who may do what with a table’s records'
  static override description = 'Shows the boolean permission map per group (admin, user, guest, self) and any expression, column or row-filter permissions. "defaults" means none are configured: users may create, read and list; guests read and list.'
  static override examples = ['<%= config.bin %> tables permissions get posts', '<%= config.bin %> tables permissions get posts --json > posts.permissions.json']
  static override args = { table: Args.string({ description: 'table name or id', required: true }) }
  static override flags = { columns: columnsFlag }

  async run(): Promise<TablesPermissionsGetResult> {
    const { args, flags } = await this.parse(TablesPermissionsGet)
    const table = await (await this.management(flags)).getTable(args.table)
    const result = { table: table.tableName, permissions: table.permissions, expressionPermissions: table.expressionPermissions, columnPermissions: table.columnPermissions, rowFilters: table.rowFilters }
    if (!this.jsonEnabled()) {
      if (!table.permissions) this.log('Permissions: defaults (none configured)')
      else {
        const ops = ['create', 'read', 'update', 'delete', 'list']
        const rows = Object.entries(table.permissions).map(([group, map]) => ({ group, ...Object.fromEntries(ops.map((op) => [op, (map as Record<string, boolean>)[op] ? 'yes' : '-'])) }))
        await printTable([{ key: 'group', header: 'Group', identity: true }, ...ops.map((op) => ({ key: op, header: op }))], rows, flags.columns)
      }
      for (const key of ['expressionPermissions', 'columnPermissions', 'rowFilters'] as const) {
        if (result[key]) this.log(`${key}: ${JSON.stringify(result[key])}`)
      }
    }
    return result
  }
}
