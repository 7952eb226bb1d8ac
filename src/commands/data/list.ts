import { Args, Flags } from '@oclif/core'
import type { Page } from '../../contract/common.js'
import type { DataRecord } from '../../contract/tables.js'
import { dataQuery, dataQueryFlags, selectList } from '../../cli/io/list-query.js'
import { columnsFlag, pageLine, printTable } from '../../cli/output.js'
import { recordColumns } from '../../cli/io/record-columns.js'
import { RuntimeCommand } from '../../cli/io/runtime-command.js'
import { environmentNote } from '../../cli/target.js'
import { fieldsFlag } from '../../cli/fields.js'

export type DataListResult = Page<DataRecord>

export default class DataList extends RuntimeCommand {
  static override summary = "List a table's records"
  static override description = `One page of records (GET /v1/data/:table) with the REST query options: --filter and --or take the API's filter JSON (operators $eq $ne $gt $gte $lt $lte $in $nin $regex $exists), --sort field[:asc|desc], --search a substring, --select the fields to return. Newest records come first unless --sort says otherwise.`

  static override examples = [
    '<%= config.bin %> data list posts',
    '<%= config.bin %> data list posts --filter \'{"published":true,"views":{"$gte":100}}\' --sort views:desc --limit 10',
    '<%= config.bin %> data list posts --or \'[{"author":"alice"},{"author":"bob"}]\' --select title,author --json',
    '<%= config.bin %> data list posts --search hello --search-field title --page 2',
  ]

  static override args = {
    table: Args.string({ description: 'table name', required: true }),
  }

  static override flags = {
    ...dataQueryFlags,
    limit: Flags.integer({ description: 'records per page (1–100)', min: 1, max: 100, default: 20 }),
    page: Flags.integer({ description: 'page number', min: 1, default: 1 }),
    columns: columnsFlag,
    fields: fieldsFlag('items'),
  }

  async run(): Promise<DataListResult> {
    const { args, flags } = await this.parse(DataList)
    const query = { ...dataQuery(flags), limit: flags.limit, page: flags.page }
    const runtime = await this.runtime(flags)
    const result = await runtime.data.list(args.table, query)
    if (!this.jsonEnabled()) {
      await printTable(recordColumns(result.items, selectList(flags.select), flags.columns), result.items, flags.columns)
      this.log(pageLine(result.pagination, 'record') + environmentNote(this.target))
    }
    return result
  }
}
