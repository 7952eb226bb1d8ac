import { Args, Flags } from '@oclif/core'
import { ManagementCommand } from '../../cli/management-command.js'
import { printTableDetail } from '../../cli/render.js'
import { parseFieldSpecs, readJsonFile } from '../../cli/table-input.js'
import type { Table } from '../../contract/tables.js'

export type TablesCreateResult = Table

export default class TablesCreate extends ManagementCommand {
  static override summary = 'Create a table in an environment'
  static override description = 'Fields come from --field name[:type][!] (type string, number, boolean, date, object, array or reference; ! marks the field required) or from --schema, a JSON file (or inline JSON) holding either a { field: definition } map or the stored { bsonType, required, properties } form. No fields is fine: undeclared fields are stored unvalidated.'
  static override examples = [
    '<%= config.bin %> tables create posts --field title:string! --field views:number --field published:boolean',
    '<%= config.bin %> tables create posts --schema ./posts.schema.json --env staging',
  ]
  static override args = { table: Args.string({ description: 'table name (letters, digits, _ and -; at most 64)', required: true }) }
  static override flags = {
    field: Flags.string({ description: 'a field as name[:type][!] (repeatable)', multiple: true, exclusive: ['schema'] }),
    schema: Flags.string({ description: 'JSON file (or inline JSON) with the schema' }),
    'display-name': Flags.string({ description: 'name shown in the console' }),
    description: Flags.string({ description: 'what the table holds' }),
  }

  async run(): Promise<TablesCreateResult> {
    const { args, flags } = await this.parse(TablesCreate)
    const schema = flags.schema ? ((await readJsonFile(flags.schema)) as Record<string, unknown>) : parseFieldSpecs(flags.field ?? [])
    const table = await (await this.management(flags)).createTable({
      tableName: args.table,
      schema,
      ...(flags['display-name'] ? { displayName: flags['display-name'] } : {}),
      ...(flags.description ? { description: flags.description } : {}),
    })
    if (!this.jsonEnabled()) {
      this.log(`Created table ${table.tableName} in ${table.environment}.`)
      await printTableDetail(table)
    }
    return table
  }
}
