import { Args, Flags } from '@oclif/core'
import { ManagementCommand } from '../../cli/management-command.js'
import { columnsFlag, printTable } from '../../cli/output.js'
import type { TableVersion } from '../../contract/tables.js'
import { fieldsFlag } from '../../cli/fields.js'

export interface TablesVersionsResult {
  table: string
  kind: 'schema' | 'index'
  versions: TableVersion[]
}

export default class TablesVersions extends ManagementCommand {
  static override summary = 'List a table’s schema or index versions'
  static override description = 'Every schema change (fields) and every index change creates a new version; newest first.'
  static override examples = ['<%= config.bin %> tables versions posts', '<%= config.bin %> tables versions posts --kind index --limit 5 --json']
  static override args = { table: Args.string({ description: 'table name or id', required: true }) }
  static override flags = {
    kind: Flags.string({ description: 'which versions', options: ['schema', 'index'], default: 'schema' }),
    limit: Flags.integer({ description: 'how many (newest first)', min: 1, max: 100, default: 20 }),
    columns: columnsFlag,
    fields: fieldsFlag('versions'),
  }

  async run(): Promise<TablesVersionsResult> {
    const { args, flags } = await this.parse(TablesVersions)
    const kind = flags.kind as 'schema' | 'index'
    const { table, versions } = await (await this.management(flags)).listVersions(args.table, kind, flags.limit)
    if (!this.jsonEnabled()) {
      const rows = versions.map((v) => ({ ...v, current: v.isCurrent ? '*' : '', content: kind === 'schema' ? Object.keys(v.schema?.properties ?? {}).join(', ') : (v.indexes ?? []).map((i) => i.name).join(', ') }))
      await printTable([{ key: 'version', header: 'Version', identity: true }, { key: 'current', header: 'Current' }, { key: 'source', header: 'Source' }, { key: 'createdAt', header: 'Created' }, { key: 'content', header: kind === 'schema' ? 'Fields' : 'Indexes' }], rows, flags.columns)
    }
    return { table: table.tableName, kind, versions }
  }
}
