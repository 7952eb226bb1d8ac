import { columnsFlag } from '../../cli/output.js'
import { ManagementCommand } from '../../cli/management-command.js'
import { printKeys } from '../../cli/render.js'
import type { AccessToken } from '../../contract/tenancy.js'
import { fieldsFlag } from '../../cli/fields.js'

export interface KeysListResult {
  environment: string
  keys: AccessToken[]
}

export default class KeysList extends ManagementCommand {
  static override summary = 'List the API keys of an environment'
  static override description = 'Publishable keys (pk_…) are shown in full: they are meant for client code. Secret keys (sk_…) are only ever shown masked; their value was printed once, when created.'
  static override examples = ['<%= config.bin %> keys list', '<%= config.bin %> keys list --env staging --json']

  static override flags = { columns: columnsFlag, fields: fieldsFlag('keys') }

  async run(): Promise<KeysListResult> {
    const { flags } = await this.parse(KeysList)
    const management = await this.management(flags)
    const keys = await management.listKeys()
    if (!this.jsonEnabled()) await printKeys(keys, flags.columns)
    return { environment: management.mcp.context.env, keys }
  }
}
