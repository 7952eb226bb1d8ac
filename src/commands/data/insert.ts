import { Args, Flags } from '@oclif/core'
import type { DataRecord } from '../../contract/tables.js'
import { readRecordFlag } from '../../cli/io/json-input.js'
import { printFields } from '../../cli/output.js'
import { RuntimeCommand } from '../../cli/io/runtime-command.js'
import { environmentNote } from '../../cli/target.js'

export type DataInsertResult = DataRecord

export default class DataInsert extends RuntimeCommand {
  static override summary = 'Insert one record'
  static override description = `Creates a record (POST /v1/data/:table) from a JSON object; the server validates it against the table's schema, applies defaults and unique indexes, and adds id, createdBy, createdAt and updatedAt. For many records use 'bkend data import'.`

  static override examples = [
    '<%= config.bin %> data insert posts --data \'{"title":"Hello","published":true}\'',
    'echo \'{"title":"From a pipe"}\' | <%= config.bin %> data insert posts --data - --json',
  ]

  static override args = {
    table: Args.string({ description: 'table name', required: true }),
  }

  static override flags = {
    data: Flags.string({ description: 'the record as a JSON object, or - to read it from standard input', required: true }),
  }

  async run(): Promise<DataInsertResult> {
    const { args, flags } = await this.parse(DataInsert)
    const body = await readRecordFlag(flags.data)
    const runtime = await this.runtime(flags)
    const record = await runtime.data.insert(args.table, body)
    if (!this.jsonEnabled()) {
      this.log(`Inserted ${record.id} into ${args.table}${environmentNote(this.target)}.`)
      printFields(Object.entries(record))
    }
    return record
  }
}
