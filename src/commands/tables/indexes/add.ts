import { Args, Flags } from '@oclif/core'
import { ManagementCommand } from '../../../cli/management-command.js'
import { printTableDetail } from '../../../cli/render.js'
import { parseIndexFields } from '../../../cli/table-input.js'
import type { Table } from '../../../contract/tables.js'

export type TablesIndexesAddResult = Table

export default class TablesIndexesAdd extends ManagementCommand {
  static override summary = 'Add an index to a table, or replace one'
  static override description = 'An index of the same name is replaced. A unique index that existing records violate is refused and nothing changes. Creates a new index version.'
  static override examples = [
    '<%= config.bin %> tables indexes add posts by_author --field author --field createdAt:-1',
    '<%= config.bin %> tables indexes add users email_unique --field email --unique',
  ]
  static override args = {
    table: Args.string({ description: 'table name or id', required: true }),
    name: Args.string({ description: 'index name', required: true }),
  }
  static override flags = {
    field: Flags.string({ description: 'an indexed field as name[:1|-1] (repeatable, or comma-separated; order matters)', multiple: true, multipleNonGreedy: true, delimiter: ',', required: true }),
    unique: Flags.boolean({ description: 'no two records may share the indexed values' }),
    sparse: Flags.boolean({ description: 'skip records without the fields' }),
  }

  async run(): Promise<TablesIndexesAddResult> {
    const { args, flags } = await this.parse(TablesIndexesAdd)
    const index = { name: args.name, fields: parseIndexFields(flags.field), unique: flags.unique, sparse: flags.sparse }
    const table = await (await this.management(flags)).manageIndexes(args.table, { indexesToAddOrUpdate: [index] })
    if (!this.jsonEnabled()) {
      this.log(`Index ${args.name} saved; ${table.tableName} is at index version ${table.indexVersion}.`)
      await printTableDetail(table)
    }
    return table
  }
}
