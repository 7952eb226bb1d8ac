import { Args, Flags } from '@oclif/core'
import { CliError } from '../../cli/errors.js'
import { ManagementCommand } from '../../cli/management-command.js'
import { printTableDetail } from '../../cli/render.js'
import { createTableFromSpec } from '../../cli/table-create.js'
import { parseFieldSpecs, readTableSpec, type TableSpec } from '../../cli/table-input.js'
import type { Table } from '../../contract/tables.js'

export type TablesCreateResult = Table

export default class TablesCreate extends ManagementCommand {
  static override summary = 'Create a table in an environment'
  static override description = [
    'Fields come from --field name[:type][!] (type string, number, boolean, date, object, array or reference; ! marks the field required), repeated or comma-separated, or from --schema.',
    "--schema takes a JSON file, - for standard input, or inline JSON, holding a { field: definition } map, the stored { bsonType, required, properties } form, or a whole table as 'bkend tables get --json' prints it. From a whole table the indexes, permissions, display name and description are copied too, and the table name is used when you give none (a name you give wins, so you can copy under another name). System fields (id, createdBy, createdAt, updatedAt) are always there and are skipped. No fields is fine: undeclared fields are stored unvalidated.",
  ].join('\n\n')
  static override examples = [
    '<%= config.bin %> tables create posts --field title:string! --field views:number --field published:boolean',
    '<%= config.bin %> tables create posts --field title:string!,views:number',
    '<%= config.bin %> tables create posts --schema ./posts.schema.json --env staging',
    '<%= config.bin %> tables get posts --env dev --json | <%= config.bin %> tables create --env staging --schema -',
  ]
  static override args = { table: Args.string({ description: 'table name (letters, digits, _ and -; at most 64); default: the tableName in --schema', ignoreStdin: true }) }
  static override flags = {
    field: Flags.string({ description: 'a field as name[:type][!] (repeatable, or comma-separated)', multiple: true, multipleNonGreedy: true, delimiter: ',', exclusive: ['schema'] }),
    schema: Flags.string({ description: 'JSON file, - for standard input, or inline JSON: a field map, a schema, or a table from tables get --json' }),
    'display-name': Flags.string({ description: 'name shown in the console' }),
    description: Flags.string({ description: 'what the table holds' }),
  }

  async run(): Promise<TablesCreateResult> {
    const { args, flags } = await this.parse(TablesCreate)
    const spec: TableSpec = flags.schema ? await readTableSpec(flags.schema) : { schema: parseFieldSpecs(flags.field ?? []), indexes: [] }
    const tableName = args.table ?? spec.tableName
    if (!tableName) throw new CliError('no table name given', `pass it as the argument (bkend tables create posts ${flags.schema ? `--schema ${flags.schema}` : '--field title:string'}), or use a --schema table object that has a tableName`, 2, 'cli/usage')
    const table = await createTableFromSpec(await this.management(flags), tableName, {
      ...spec,
      ...(flags['display-name'] !== undefined ? { displayName: flags['display-name'] } : {}),
      ...(flags.description !== undefined ? { description: flags.description } : {}),
    })
    if (!this.jsonEnabled()) {
      this.log(`Created table ${table.tableName} in ${table.environment}.`)
      await printTableDetail(table)
    }
    return table
  }
}
