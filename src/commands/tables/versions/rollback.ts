import { Args } from '@oclif/core'
import { confirm, yesFlag } from '../../../cli/confirm.js'
import { CliError } from '../../../cli/errors.js'
import { ManagementCommand } from '../../../cli/management-command.js'

export interface TablesVersionsRollbackResult {
  table: string
  /** The version whose schema was restored. */
  restored: number
  /** The new current version holding it. */
  schemaVersion: number
  fields: string[]
}

export default class TablesVersionsRollback extends ManagementCommand {
  static override summary = 'Make an earlier schema version of a table current again'
  static override description =
    'Copies the schema of VERSION into a new current version (the history is kept, so a rollback can itself be rolled back). Records are not changed: values of fields the old schema lacks stay in them. Asks for confirmation on a terminal; without one, pass --yes. List versions with `bkend tables versions TABLE`.'

  static override examples = ['<%= config.bin %> tables versions rollback posts 3', '<%= config.bin %> tables versions rollback posts 3 --env staging --yes --json']
  static override args = {
    table: Args.string({ description: 'table name or id', required: true }),
    version: Args.string({ description: 'the schema version to restore (see `bkend tables versions TABLE`)', required: true }),
  }

  static override flags = { yes: yesFlag }

  async run(): Promise<TablesVersionsRollbackResult> {
    const { args, flags } = await this.parse(TablesVersionsRollback)
    const version = Number(args.version)
    if (!Number.isInteger(version) || version < 1) throw new CliError(`VERSION must be a schema version number (1, 2, …), not "${args.version}"`, `list them with \`bkend tables versions ${args.table}\``, 2, 'cli/usage')
    const management = await this.management(flags)
    const table = await management.getTable(args.table)
    await confirm(`Make schema version ${version} of ${table.tableName} in ${table.environment} current again (now ${table.schemaVersion})?`, flags.yes)
    const after = await management.rollbackSchema(table.id, version)
    const result = { table: after.tableName, restored: version, schemaVersion: after.schemaVersion, fields: Object.keys(after.schema.properties) }
    if (!this.jsonEnabled()) this.log(`Restored schema version ${version} of ${after.tableName} as version ${after.schemaVersion} (fields: ${result.fields.join(', ') || 'none'}).`)
    return result
  }
}
