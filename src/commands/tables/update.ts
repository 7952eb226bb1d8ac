import { Args, Flags } from '@oclif/core'
import { CliError } from '../../cli/errors.js'
import { ManagementCommand } from '../../cli/management-command.js'
import { printTableDetail } from '../../cli/render.js'
import type { Table } from '../../contract/tables.js'

export type TablesUpdateResult = Table

export default class TablesUpdate extends ManagementCommand {
  static override summary = 'Change a table’s display name or description'
  static override description = "Fields, indexes and permissions have their own commands: 'bkend tables fields', 'bkend tables indexes', 'bkend tables permissions'."
  static override examples = ['<%= config.bin %> tables update posts --display-name "Blog posts" --description "Published and draft posts"']
  static override args = { table: Args.string({ description: 'table name or id', required: true }) }
  static override flags = {
    'display-name': Flags.string({ description: 'name shown in the console' }),
    description: Flags.string({ description: 'what the table holds' }),
  }

  async run(): Promise<TablesUpdateResult> {
    const { args, flags } = await this.parse(TablesUpdate)
    const body: Record<string, unknown> = {}
    if (flags['display-name'] !== undefined) body.displayName = flags['display-name']
    if (flags.description !== undefined) body.description = flags.description
    if (Object.keys(body).length === 0) throw new CliError('nothing to change', 'pass --display-name or --description', 2, 'cli/usage')
    const table = await (await this.management(flags)).updateTable(args.table, body)
    if (!this.jsonEnabled()) await printTableDetail(table)
    return table
  }
}
