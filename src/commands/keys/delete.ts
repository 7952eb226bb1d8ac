import { Args } from '@oclif/core'
import { confirmByName, yesFlag } from '../../cli/confirm.js'
import { ManagementCommand } from '../../cli/management-command.js'
import type { AccessToken } from '../../contract/tenancy.js'

export type KeysDeleteResult = AccessToken

export default class KeysDelete extends ManagementCommand {
  static override summary = 'Delete an API key'
  static override description = 'Removes the key, as the console does: it is no longer listed, and requests with it fail at once (401). To stop a key but keep it listed, use `bkend keys revoke`. Pass the key id, or its name when one key has it. On a terminal you confirm by typing the key name; without one, pass --yes.'
  static override examples = ['<%= config.bin %> keys delete web-app', '<%= config.bin %> keys delete 65a4f3c2e4b0a1b2c3d4e5f6 --yes --json']
  static override args = { key: Args.string({ description: 'key id or name', required: true }) }
  static override flags = { yes: yesFlag }

  async run(): Promise<KeysDeleteResult> {
    const { args, flags } = await this.parse(KeysDelete)
    const management = await this.management(flags)
    const key = await management.keyToDelete(args.key)
    await confirmByName(`Deleting ${key.type} key ${key.name} (${key.maskedKey}) in ${key.environment}: apps using it stop working`, key.name, flags.yes)
    const deleted = await management.deleteKey(key)
    if (!this.jsonEnabled()) this.log(`Deleted ${deleted.type} key ${deleted.name} (${deleted.maskedKey}).`)
    return deleted
  }
}
