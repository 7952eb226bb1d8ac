import { Args } from '@oclif/core'
import { confirm, yesFlag } from '../../cli/confirm.js'
import { ManagementCommand } from '../../cli/management-command.js'
import type { AccessToken } from '../../contract/tenancy.js'

export type KeysRevokeResult = AccessToken

export default class KeysRevoke extends ManagementCommand {
  static override summary = 'Revoke an API key'
  static override description = 'Requests with the key fail at once (401). The key stays listed as revoked. Pass the key id, or its name when one active key has it. Asks for confirmation on a terminal; without one, pass --yes.'
  static override examples = ['<%= config.bin %> keys revoke web-app', '<%= config.bin %> keys revoke 65a4f3c2e4b0a1b2c3d4e5f6 --yes --json']
  static override args = { key: Args.string({ description: 'key id or name', required: true }) }
  static override flags = { yes: yesFlag }

  async run(): Promise<KeysRevokeResult> {
    const { args, flags } = await this.parse(KeysRevoke)
    const management = await this.management(flags)
    await confirm(`Revoke key ${args.key} in ${management.mcp.context.env}? Apps using it stop working.`, flags.yes)
    const key = await management.revokeKey(args.key)
    if (!this.jsonEnabled()) this.log(`Revoked ${key.type} key ${key.name} (${key.maskedKey}).`)
    return key
  }
}
