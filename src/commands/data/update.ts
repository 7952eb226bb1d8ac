import { Args, Flags } from '@oclif/core'
import type { DataRecord } from '../../contract/tables.js'
import { readRecordFlag } from '../../cli/io/json-input.js'
import { printFields } from '../../cli/output.js'
import { RuntimeCommand } from '../../cli/io/runtime-command.js'
import { environmentNote } from '../../cli/target.js'

export type DataUpdateResult = DataRecord

export default class DataUpdate extends RuntimeCommand {
  static override summary = 'Change fields of one record'
  static override description = `Partially updates a record (PATCH /v1/data/:table/:id): top-level keys of the JSON object replace the stored values (nested objects and arrays are replaced whole), other fields stay, null stores null.`

  static override examples = [
    '<%= config.bin %> data update posts 65a4f0c2e4b0a1b2c3d4e5f6 --data \'{"published":false}\'',
    '<%= config.bin %> data update posts 65a4f0c2e4b0a1b2c3d4e5f6 --data \'{"tags":["a","b"]}\' --json',
  ]

  static override args = {
    table: Args.string({ description: 'table name', required: true }),
    id: Args.string({ description: 'record id', required: true }),
  }

  static override flags = {
    data: Flags.string({ description: 'fields to change as a JSON object, or - to read it from standard input', required: true }),
  }

  async run(): Promise<DataUpdateResult> {
    const { args, flags } = await this.parse(DataUpdate)
    const body = await readRecordFlag(flags.data)
    const runtime = await this.runtime(flags)
    const record = await runtime.data.update(args.table, args.id, body)
    if (!this.jsonEnabled()) {
      printFields(Object.entries(record))
      this.log(`\nUpdated ${args.id} in ${args.table}${environmentNote(this.target)}.`)
    }
    return record
  }
}
