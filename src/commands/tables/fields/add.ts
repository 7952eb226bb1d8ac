import { Args, Flags } from '@oclif/core'
import { ManagementCommand } from '../../../cli/management-command.js'
import { printTableDetail } from '../../../cli/render.js'
import { FIELD_TYPES, fieldDefinition } from '../../../cli/table-input.js'
import type { Table } from '../../../contract/tables.js'

export type TablesFieldsAddResult = Table

const numberFlag = Flags.custom<number>({
  async parse(input) {
    const value = Number(input)
    if (input.trim() === '' || !Number.isFinite(value)) throw new Error(`expected a number, got "${input}"`)
    return value
  },
})

export default class TablesFieldsAdd extends ManagementCommand {
  static override summary = 'Add a field to a table, or replace its definition'
  static override description = 'The definition replaces an existing field of the same name. Changing a type does not convert stored values. Creates a new schema version.'
  static override examples = [
    '<%= config.bin %> tables fields add posts title --type string --required --max-length 200',
    '<%= config.bin %> tables fields add posts status --type string --enum draft --enum published --default draft',
    '<%= config.bin %> tables fields add posts author --type reference --ref users --env staging',
  ]
  static override args = {
    table: Args.string({ description: 'table name or id', required: true }),
    field: Args.string({ description: 'field name (letter first, then letters, digits, _)', required: true }),
  }
  static override flags = {
    type: Flags.string({ description: 'field type', options: [...FIELD_TYPES], default: 'string' }),
    required: Flags.boolean({ description: 'records must have a non-null value', allowNo: true }),
    'min-length': Flags.integer({ description: 'shortest string (characters)', min: 0 }),
    'max-length': Flags.integer({ description: 'longest string (characters)', min: 0 }),
    minimum: numberFlag({ description: 'smallest number' }),
    maximum: numberFlag({ description: 'largest number' }),
    pattern: Flags.string({ description: 'regular expression strings must match' }),
    enum: Flags.string({ description: 'an allowed value (repeatable)', multiple: true, multipleNonGreedy: true }),
    default: Flags.string({ description: 'value used when a new record omits the field (JSON, or plain text)' }),
    ref: Flags.string({ description: 'table a reference points to' }),
    description: Flags.string({ description: 'what the field holds' }),
  }

  async run(): Promise<TablesFieldsAddResult> {
    const { args, flags } = await this.parse(TablesFieldsAdd)
    const table = await (await this.management(flags)).manageFields(args.table, {
      fieldsToAddOrUpdate: { [args.field]: fieldDefinition(flags) },
      ...(flags.required === true ? { requiredFieldsToAdd: [args.field] } : {}),
      ...(flags.required === false ? { requiredFieldsToRemove: [args.field] } : {}),
    })
    if (!this.jsonEnabled()) {
      this.log(`Field ${args.field} saved; ${table.tableName} is at schema version ${table.schemaVersion}.`)
      await printTableDetail(table)
    }
    return table
  }
}
