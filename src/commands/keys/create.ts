import { Args, Flags } from '@oclif/core'
import { saveSecretKey } from '../../cli/secret-keys.js'
import { ManagementCommand } from '../../cli/management-command.js'
import { printFields } from '../../cli/output.js'
import type { CreatedAccessToken, KeyType } from '../../contract/tenancy.js'

export type KeysCreateResult = CreatedAccessToken & { saved: boolean }

export default class KeysCreate extends ManagementCommand {
  static override summary = 'Create an API key for an environment'
  static override description = [
    'Publishable keys (pk_…) go into client code and act as guests or signed-in users; secret keys (sk_…) are for servers and act as admin. Scopes limit a key to operations on tables and on the users and files APIs (posts:read, users:list, files:create, *:read, …); without scopes a key is unrestricted.',
    "A secret key's value is printed once, now: store it somewhere safe. --save also stores it in the credentials file (mode 0600) so runtime commands (bkend data, bkend users) find it for this target, project and environment.",
    'bkend cloud creates keys only in its console; against it this command explains that and stops.',
  ].join('\n\n')
  static override examples = [
    '<%= config.bin %> keys create web-app',
    '<%= config.bin %> keys create ci-seeder --type secret --scope posts:create --scope posts:read --expires-at 2027-01-01T00:00:00Z --save',
  ]
  static override args = { name: Args.string({ description: 'a name to recognise the key by (1–100 characters)', required: true }) }
  static override flags = {
    type: Flags.string({ description: 'key type', options: ['publishable', 'secret'], default: 'publishable' }),
    scope: Flags.string({ description: 'a table:operation pattern the key is limited to (repeatable, or comma-separated)', multiple: true, multipleNonGreedy: true, delimiter: ',' }),
    'expires-at': Flags.string({ description: 'expiry as an ISO date-time in the future' }),
    save: Flags.boolean({ description: 'store a secret key in the credentials file for runtime commands' }),
  }

  async run(): Promise<KeysCreateResult> {
    const { args, flags } = await this.parse(KeysCreate)
    const management = await this.management(flags)
    const key = await management.createKey({ name: args.name, type: flags.type as KeyType, ...(flags.scope ? { scopes: flags.scope } : {}), ...(flags['expires-at'] ? { expiresAt: flags['expires-at'] } : {}) })
    const saved = flags.save === true && key.type === 'secret'
    if (saved) await saveSecretKey(management.mcp.context, key)
    if (key.type === 'secret') process.stderr.write(`Warning: ${key.warning ?? 'the secret key is shown only this once'}; keep it out of client code and version control\n`)
    if (!this.jsonEnabled()) {
      printFields([['Name', key.name], ['Type', key.type], ['Key', key.key], ['Environment', key.environment], ['Scopes', key.scopes?.join(' ') ?? 'all'], ['Expires', key.expiresAt ?? 'never'], ['Id', key.id]])
      if (saved) this.log('Saved to the credentials file for runtime commands.')
    }
    return { ...key, saved }
  }
}
