import { Args, Flags } from '@oclif/core'
import type { DataRecord } from '../../contract/tables.js'
import { selectList } from '../../cli/io/list-query.js'
import { printFields } from '../../cli/output.js'
import { RuntimeCommand } from '../../cli/io/runtime-command.js'
import { fieldsFlag } from '../../cli/fields.js'

export type DataGetResult = DataRecord

export default class DataGet extends RuntimeCommand {
  static override summary = 'Show one record'
  static override description = 'Fetches a record by id (GET /v1/data/:table/:id); --select limits the fields (system fields always come back).'
  static override examples = ['<%= config.bin %> data get posts 65a4f0c2e4b0a1b2c3d4e5f6', '<%= config.bin %> data get posts 65a4f0c2e4b0a1b2c3d4e5f6 --select title,views --json']

  static override args = {
    table: Args.string({ description: 'table name', required: true }),
    id: Args.string({ description: 'record id (24 hex characters)', required: true }),
  }

  static override flags = {
    select: Flags.string({ description: 'comma-separated fields to return' }),
    fields: fieldsFlag(),
  }

  async run(): Promise<DataGetResult> {
    const { args, flags } = await this.parse(DataGet)
    const runtime = await this.runtime(flags)
    const record = await runtime.data.get(args.table, args.id, { select: selectList(flags.select)?.join(',') })
    if (!this.jsonEnabled()) printFields(Object.entries(record))
    return record
  }
}
